import type { IncomingMessage, ServerResponse } from "node:http";

// The server's request rules as pure functions, so each one can be tested without a server:
// which requests may change state (the Origin check), which client address rate limits see,
// and the Cache-Control and Retry-After every response ends up with.

/**
 * express's "trust proxy" from TRUST_PROXY: the number of proxies in front of the app. With one,
 * the client is the address that proxy put last in X-Forwarded-For (the right-most); anything to
 * its left was written by the client and is never believed. `true` would trust the left-most
 * address, which the client chooses, so it is never used.
 */
export function trustProxySetting(value: string | undefined): number | string | false {
  const setting = value?.trim() ?? "";
  if (setting === "" || setting === "0" || setting === "false") return false;
  if (/^\d{1,2}$/.test(setting)) return Number(setting);
  // Addresses or subnets of the proxies ("loopback", "10.0.0.0/8, 127.0.0.1"), as express takes them.
  if (setting === "true") throw new Error("TRUST_PROXY=true would let any client choose its address; set the number of proxies in front of the app, e.g. TRUST_PROXY=1.");
  return setting;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginVerdict = "allowed" | "foreign";

/**
 * Cross-site request forgery: a request that changes state must show it comes from this site, by
 * an Origin whose scheme, host and port are the app's own, or, from a browser that sends no Origin,
 * by `Sec-Fetch-Site: same-origin` (or `none`: typed by the user). Neither, or a foreign one, is
 * refused. A Referer proves nothing and is not read.
 */
export function originVerdict({
  method,
  origin,
  fetchSite,
  ownOrigins,
}: {
  method: string;
  origin: string | undefined;
  fetchSite: string | undefined;
  ownOrigins: readonly string[];
}): OriginVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return "allowed";
  if (origin !== undefined) {
    const normalized = originOf(origin);
    if (!normalized || !ownOrigins.includes(normalized)) return "foreign";
    return fetchSite === "cross-site" || fetchSite === "same-site" ? "foreign" : "allowed";
  }
  return fetchSite === "same-origin" || fetchSite === "none" ? "allowed" : "foreign";
}

/**
 * The origins a same-site page may post from: APP_URL's, and the one this request was sent to (the
 * app reached by another name, e.g. 127.0.0.1 for localhost), unless that is APP_URL's own host
 * over another scheme: behind a proxy that ends TLS the connection is http, and an http page on
 * the site's host must never pass for the https site.
 */
export function ownOrigins({ appUrl, protocol, host }: { appUrl: string | undefined; protocol: string; host: string | undefined }): string[] {
  const app = originOf(appUrl ?? "");
  const requested = host ? originOf(`${protocol}://${host}`) : null;
  const otherScheme = app !== null && requested !== null && requested !== app && new URL(requested).host === new URL(app).host;
  return [app, otherScheme ? null : requested].filter((o, i, all): o is string => o !== null && all.indexOf(o) === i);
}

/**
 * Remix refuses an action whose Origin's host is not the request's (X-Forwarded-Host's first
 * value, else Host) by throwing, which would be a 500. Both headers are whatever the client (or a
 * proxy that doesn't pass the public Host on) wrote, so a mismatch is bad input: answered 400 first.
 */
export function originMatchesHost({ origin, host, forwardedHost }: { origin: string | undefined; host: string | undefined; forwardedHost: string | undefined }): boolean {
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost === (forwardedHost?.split(",")[0]?.trim() || host);
}

/** "https://help.example:443" → "https://help.example"; null for "null" and anything unparsable. */
export function originOf(value: string): string | null {
  if (!value || value === "null") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

export const PRIVATE_NO_STORE = "private, no-store";
const PERSONAL_COOKIE = /(?:^|;\s*)(?:bd_session|bd_notice)=/;
const TOKEN_QUERY = /[?&]token=/;

/**
 * The Cache-Control a response leaves with. Anything that depends on a session or a token is
 * `private, no-store`, whatever the route said; so is any response that said nothing (a page is
 * private unless it opts in). Static files keep theirs (they depend on neither).
 */
export function finalCacheControl({ url, cookie, current }: { url: string; cookie: string | undefined; current: string | undefined }): string {
  const personal = (cookie !== undefined && PERSONAL_COOKIE.test(cookie)) || TOKEN_QUERY.test(url);
  if (!current) return PRIVATE_NO_STORE;
  if (personal && !/\bno-store\b/.test(current)) return PRIVATE_NO_STORE;
  return current;
}

/** Every 429 says when to come back; the route's own figure wins, this is the floor. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * The last word on two headers, whoever answered (cache, express, Remix): Cache-Control (private,
 * no-store for anything personal or unmarked; see finalCacheControl) and Retry-After on every 429.
 * Node writes headers through writeHead, implicit writes included, so that is where they are set.
 */
export function finishHeaders(req: IncomingMessage, res: ServerResponse & { locals: Record<string, unknown> }) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === "number" ? args[0] : this.statusCode;
    if (!res.locals.staticFile && !this.headersSent) {
      const current = this.getHeader("Cache-Control");
      this.setHeader("Cache-Control", finalCacheControl({ url: req.url ?? "/", cookie: req.headers.cookie, current: current === undefined ? undefined : String(current) }));
    }
    if (status === 429 && !this.hasHeader("Retry-After")) this.setHeader("Retry-After", String(DEFAULT_RETRY_AFTER_SECONDS));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

/** Where mail servers post raw email (see app/routes/inbound.email.tsx). */
export const INBOUND_EMAIL_PATH = "/inbound/email";

// The pages whose forms carry files (Remix's single fetch posts to the same path plus ".data"):
// the ticket form, a ticket's reply (signed in and by private link), the agent's composer and
// the development mailbox's "Reply as the recipient".
const FILE_FORM_PATHS = [
  /^\/tickets\/new$/,
  /^\/tickets\/[0-9a-f-]{36}$/i,
  /^\/tickets\/guest\/[\w-]{20,100}$/,
  /^\/agent\/tickets\/[0-9a-f-]{36}$/i,
  /^\/dev\/mailbox\/[0-9a-f-]{36}$/i,
];

/** Whether this path takes forms with files (multipart up to the per-message attachment limit). */
export function isFileFormPath(path: string): boolean {
  const page = path.endsWith(".data") ? path.slice(0, -".data".length) : path;
  return FILE_FORM_PATHS.some((pattern) => pattern.test(page));
}

/**
 * The largest request body: `fallback` (1 MB), except raw email (INBOUND_EMAIL_MAX_BYTES, 40 MB
 * by default: 25 MB of attachments in base64) and, on the pages that take files, a multipart
 * form (the attachments' limit per message, ATTACHMENTS_PER_MESSAGE_MAX_BYTES, plus `fallback`
 * for the rest of the form). A multipart post anywhere else keeps `fallback`.
 */
export function bodyLimitFor(path: string, env: Record<string, string | undefined>, fallback: number, contentType = ""): number {
  const setting = (name: string, byDefault: number) => {
    const configured = Number(env[name]);
    return Number.isFinite(configured) && configured > 0 ? configured : byDefault;
  };
  if (path === INBOUND_EMAIL_PATH) return setting("INBOUND_EMAIL_MAX_BYTES", 40 * 1024 * 1024);
  if (/^multipart\/form-data/i.test(contentType) && isFileFormPath(path)) return setting("ATTACHMENTS_PER_MESSAGE_MAX_BYTES", 25 * 1024 * 1024) + fallback;
  return fallback;
}
