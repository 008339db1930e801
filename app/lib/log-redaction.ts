// What may reach the log from an error: its message and stack, never a query's parameters (they
// hold password hashes, tokens and addresses) nor anything that looks like a secret.

const REDACTIONS: [RegExp, string][] = [
  // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>" — the values go.
  [/^(\s*)params:.*$/gim, "$1params: [redacted]"],
  [/\$argon2(?:id|i|d)\$[^\s'")]+/g, "[redacted password hash]"],
  [/\b(token|password|passwordHash|password_hash|secret|session|authorization|cookie)(["']?\s*[=:]\s*["']?)[^\s&'",;)]+/gi, "$1$2[redacted]"],
  [/\b(bd_session|bd_notice|bd_visitor)=[^\s;,]+/g, "$1=[redacted]"],
  // URLs with credentials (postgres://user:pass@host, smtp://user:pass@host).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, "$1:[redacted]@"],
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement);
  return result;
}

/** An error as one loggable text: the stack (or message) with parameters and secrets removed. */
export function describeErrorForLog(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `\ncaused by: ${error.cause.message}` : "";
  return redactSecrets(text + cause);
}
