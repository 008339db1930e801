// How long one client must wait before trying one address again, after failing with it. Pure.
// The wait is per address *and* client: failures from anywhere else never slow the owner down,
// so a stranger can't lock anyone out; the owner can also always use a password-reset link.

/** Failures allowed before any wait: typos happen. */
export const FREE_LOGIN_FAILURES = 2;
export const MAX_LOGIN_WAIT_SECONDS = 15 * 60;

/** 0, 0, then 2 s, 4 s, 8 s… doubling with each further failure, at most 15 minutes. */
export function loginWaitSeconds(failures: number): number {
  if (failures <= FREE_LOGIN_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_LOGIN_FAILURES), MAX_LOGIN_WAIT_SECONDS);
}

export function loginWaitMessage(seconds: number): string {
  const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`;
  return `Too many failed attempts with this address. Please wait ${wait} and try again, or reset your password.`;
}
