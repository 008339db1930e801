// Tracks whether the database is reachable, so that while it is down every page answers 503
// with a clear message, and the app recovers by itself once a probe succeeds again.
import { abandonConnection, pingDatabase } from "#db/client.server";

const state: { down: boolean; lastProbeAt: number; probing: Promise<boolean> | null } = { down: false, lastProbeAt: 0, probing: null };

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH",
  "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED",
  "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006",
]);

/** True for errors that mean "cannot reach the database" rather than "this query is wrong". */
export function isDatabaseConnectionError(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && CONNECTION_ERROR_CODES.has(e.code)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseConnectionError)) return true;
  }
  return false;
}

export function reportDatabaseError(error: unknown): void {
  if (isDatabaseConnectionError(error)) state.down = true;
}

/** Marks the database down at once (a request waited too long and a probe failed). */
export function markDatabaseDown(): void {
  state.down = true;
}

export function databaseMarkedDown(): boolean {
  return state.down;
}

const PROBE_TIMEOUT_MS = 1500;

/** Fast path when healthy; while down, re-probes at most once a second. */
export async function databaseAvailable(): Promise<boolean> {
  if (!state.down) return true;
  if (Date.now() - state.lastProbeAt < 1000) return false;
  return probeDatabase();
}

export function probeDatabase(): Promise<boolean> {
  state.probing ??= (async () => {
    state.lastProbeAt = Date.now();
    const ok = await Promise.race([pingDatabase(), new Promise<boolean>((resolve) => setTimeout(resolve, PROBE_TIMEOUT_MS, false).unref())]);
    state.down = !ok;
    // Connections that didn't answer are dropped, so recovery doesn't wait on them.
    if (!ok) abandonConnection();
    state.probing = null;
    return ok;
  })();
  return state.probing;
}
