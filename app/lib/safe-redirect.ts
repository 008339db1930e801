// The one check for every redirect target taken from input (?redirectTo=, ?to=, form fields).
// Pure, so the browser and the unit tests use the same rule as the server.

/**
 * The target as a same-origin path ("/tickets?x=1#y"), or null. It must start with "/" and,
 * resolved against the app's own address the way a browser resolves a Location header (tabs and
 * line breaks dropped, "\" read as "/"), stay on that origin: "//evil.example", "/\t/evil.example"
 * and "/\\evil.example" all leave, so all are refused. What comes back is the parsed path, percent-
 * encoded, so it is always a valid header value (NUL, U+3000 or a space can't break the response).
 */
export function sameOriginPath(target: unknown, appUrl: string): string | null {
  if (typeof target !== "string" || !target.startsWith("/") || target.length > 2048) return null;
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(appUrl);
    resolved = new URL(target, base);
  } catch {
    return null;
  }
  if (resolved.origin !== base.origin) return null;
  // Also refuse what a more lenient parser might still read as another host.
  if (/^\/[\\/]/.test(resolved.pathname)) return null;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** The redirect target to follow: the input when it is a same-origin path, otherwise `fallback`. */
export function safeRedirectTarget(target: unknown, appUrl: string, fallback = "/"): string {
  return sameOriginPath(target, appUrl) ?? fallback;
}
