// The HTTP layer in front of Remix: security headers, the Origin check, body limits, static
// files, the health check and the 503 gate while the database is away.
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import type { ServerBuild } from "@remix-run/node";
import { appEntry, type AppEntry } from "./app-entry";
import { createPublicPageCache } from "./public-page-cache";
import { createRemixHandler } from "./remix-handler";
import { createSearchAnswerer } from "./search-api";
import { bodyLimitFor, finishHeaders, INBOUND_EMAIL_PATH, originMatchesHost, originVerdict, ownOrigins, trustProxySetting } from "./request-policy";

// express's own module for req.ip (it ships no types; this is the one function used).
const proxyAddress = createRequire(import.meta.url)("proxy-addr") as (req: IncomingMessage, trust: (address: string, hop: number) => boolean) => string;

export const MAX_BODY_BYTES = 1024 * 1024;
// Editors upload screenshots of up to 2 MB (kb's MAX_IMAGE_BYTES), plus the form around them.
export const MAX_IMAGE_UPLOAD_BYTES = 2 * 1024 * 1024 + 64 * 1024;
const IMAGE_UPLOAD_PATH = "/editor/images";


export function securityHeaders(nonce: string): Record<string, string> {
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    // Only over https: a browser would otherwise pin a plain-http development site.
    ...(process.env.APP_URL?.startsWith("https://") ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

const UNAVAILABLE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · badgedesk</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1>badgedesk is temporarily unavailable</h1><p>We can't reach our database right now. Nothing you sent is lost; please try again in a minute.</p>
<p>If this goes on, write to Customer Care and tell us what you were doing.</p></body></html>`;

/**
 * The server's request listener. Every response gets its request id, CSP nonce and security
 * headers first; anonymous help-center pages are then answered from memory before express and
 * Remix see the request (the knowledge base's throughput target needs that); the rest goes on.
 */
export function createRequestListener({ build, allProcessesListening = () => true }: { build: ServerBuild; allProcessesListening?: () => boolean }) {
  const prepareResponse = responsePreparer();
  const app = createApp({ build, allProcessesListening });
  const pageCache = createPublicPageCache({ build });
  // The client address as express reads it (TRUST_PROXY), for the search log's bursts.
  const trustProxy = app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  const searchAnswers = createSearchAnswerer({ build, clientIpOf: (req) => proxyAddress(req, trustProxy) });
  return (req: IncomingMessage, res: ServerResponse) => {
    prepareResponse(req, res as ServerResponse & { locals?: Record<string, unknown> });
    if (searchAnswers(req, res)) return;
    pageCache(req as Request, res as Response, () => app(req, res));
  };
}

// Nonces come from a pool of random bytes drawn 256 at a time: one system call per 256 responses
// instead of one each (it was 5 % of a cached search answer's CPU). Each nonce is 16 fresh bytes,
// never reused.
const NONCE_BYTES = 16;
const nonces = { pool: Buffer.alloc(0), offset: 0 };
function nextNonce(): string {
  if (nonces.offset + NONCE_BYTES > nonces.pool.length) {
    nonces.pool = randomBytes(NONCE_BYTES * 256);
    nonces.offset = 0;
  }
  const nonce = nonces.pool.toString("base64", nonces.offset, nonces.offset + NONCE_BYTES);
  nonces.offset += NONCE_BYTES;
  return nonce;
}

function responsePreparer() {
  // The security headers are the same for every response but for the nonce: they are built once
  // (at start, with the APP_URL of this process) and the nonce is put into the policy's text.
  const NONCE = "\u0000";
  const headers = Object.entries(securityHeaders(NONCE));
  const [policyName, policy] = headers.find(([name]) => name === "Content-Security-Policy")!;
  const [beforeNonce, afterNonce] = policy.split(NONCE);
  const fixed = headers.filter(([name]) => name !== policyName);
  return (req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }) => {
    const incoming = req.headers["x-request-id"];
    const requestId = (typeof incoming === "string" ? incoming : "").slice(0, 64).replace(/[^\w-]/g, "") || randomUUID();
    const nonce = nextNonce();
    // express keeps an existing res.locals, so loaders see the same id and nonce.
    res.locals = { requestId, cspNonce: nonce };
    res.setHeader("X-Request-Id", requestId);
    res.setHeader(policyName, beforeNonce + nonce + afterNonce);
    for (const [name, value] of fixed) res.setHeader(name, value);
    finishHeaders(req, res as ServerResponse & { locals: Record<string, unknown> });
  };
}

function createApp({ build, allProcessesListening }: { build: ServerBuild; allProcessesListening: () => boolean }) {
  const entry = appEntry(build);
  const { databaseAvailable, describeErrorForLog, getConnection, probeDatabase } = entry;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(process.env.TRUST_PROXY));

  app.use(refuseMalformedRequests);
  app.use(refuseForeignOrigins);
  app.use(limitBodySize);

  // 503 "starting" while some of the server processes don't listen yet (server/workers.ts): a
  // proxy that waits for this spreads its connections over all of them.
  app.get("/healthz", async (_req, res) => {
    const { driver } = getConnection();
    const ok = await probeDatabase();
    const status = !ok ? "unavailable" : allProcessesListening() ? "ok" : "starting";
    res.status(status === "ok" ? 200 : 503).set("Cache-Control", "no-store").json({ status, database: ok ? "up" : "down", driver });
  });

  // compression() wraps the response of each request it sees (a dozen closures, kept until the
  // response is done): only responses that are not whole pages go through it, since a rendered
  // page is compressed in one call by the Remix handler (server/remix-handler.ts).
  const compress = compression();
  // Static files depend on no session: they keep their own Cache-Control (see finishHeaders).
  const markStatic = (res: ServerResponse) => ((res as Response).locals.staticFile = true);
  app.use("/assets", compress, express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y", index: false, setHeaders: markStatic }));
  // The other public files are few and known at start: only their paths go to the static
  // handler, so a page request doesn't pay for a file-system stat that finds nothing.
  const publicFiles = listPublicFiles(path.resolve("build/client"));
  const serveFile = express.static(path.resolve("build/client"), { maxAge: "1h", index: false, setHeaders: markStatic });
  app.use((req, res, next) => (publicFiles.has(req.path) ? compress(req, res, () => serveFile(req, res, next)) : next()));

  app.use(async (_req, res, next) => {
    if (await databaseAvailable()) return next();
    sendUnavailable(res);
  });
  app.use(answerWithinDeadline(entry));

  app.all(
    "*",
    createRemixHandler({
      build,
      compress,
      getLoadContext: (req, res) => ({
        requestId: res.locals.requestId,
        cspNonce: res.locals.cspNonce,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error("[%s] unhandled: %s", res.locals.requestId, describeErrorForLog(error));
    if (!res.headersSent) res.status(500).type("text").send(`Something went wrong on our side (reference ${res.locals.requestId}).`);
  });
  return app;
}

/** URL paths of the files under the client build, outside /assets (served above). */
function listPublicFiles(root: string): Set<string> {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const urlPath = "/" + path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (!urlPath.startsWith("/assets/")) found.add(urlPath);
  }
  return found;
}

function sendUnavailable(res: Response) {
  res.status(503).set({ "Retry-After": "30", "Cache-Control": "no-store" }).type("html").send(UNAVAILABLE_PAGE);
}

// A page that has waited this long is probably waiting on a database that went away; the probe
// that follows takes at most 1.5 s, so the visitor hears back within 5 s either way.
const REQUEST_DEADLINE_MS = 3_000;

/**
 * Every page answers within 5 s while the database is unreachable (paused, or behind a network
 * that drops packets, where no error ever comes): past the deadline, a probe decides. If the
 * database doesn't answer it, this request gets the 503 page now, the database is marked down
 * (later requests get 503 at once, until a probe succeeds) and the stuck connections are dropped.
 * A late answer from the app is then discarded. Failures while marked down are 503s, not 500s.
 */
function answerWithinDeadline({ databaseMarkedDown, markDatabaseDown, probeDatabase }: AppEntry) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(async () => {
      if (res.headersSent || (await probeDatabase()) || res.headersSent) return;
      markDatabaseDown();
      sendUnavailable(res);
    }, REQUEST_DEADLINE_MS);
    timer.unref();
    res.once("close", () => clearTimeout(timer));
    res.once("finish", () => clearTimeout(timer));
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      if (status >= 500 && status !== 503 && databaseMarkedDown()) {
        args[0] = 503;
        this.statusCode = 503;
        this.setHeader("Retry-After", "30");
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ALLOWED_METHODS = "GET, HEAD, POST";
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** A short page for requests refused before the app sees them, in the site's words. */
function refusalPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · badgedesk</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1>${title}</h1><p>${message}</p><p><a href="/">Go to the help center</a></p></body></html>`;
}

/**
 * What no page of ours can answer is refused here with the right 4xx, never left to fail inside
 * the app as a 500: other methods (405), a path that is not valid percent-encoding (400), a post
 * whose body is not a form (415). Every page posts plain HTML forms.
 */
function refuseMalformedRequests(req: Request, res: Response, next: NextFunction) {
  if (!["GET", "HEAD", "POST"].includes(req.method)) {
    res.status(405).set("Allow", ALLOWED_METHODS).type("html").send(refusalPage("That isn't something this page does", `This address answers ${ALLOWED_METHODS}, not ${escapeHtml(req.method)}.`));
    return;
  }
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(400).type("html").send(refusalPage("That address isn't valid", "The link has a broken %-sequence in it. Check that you copied the whole link."));
    return;
  }
  if (req.method === "POST") {
    const type = (req.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    // Raw email is the one body that is not a form (the route itself checks it further).
    const inboundEmail = req.path === INBOUND_EMAIL_PATH && type === "message/rfc822";
    if (!FORM_TYPES.includes(type) && !inboundEmail) {
      res.status(415).type("html").send(refusalPage("That request wasn't a form", "Pages here accept form posts only (application/x-www-form-urlencoded or multipart/form-data)."));
      return;
    }
  }
  next();
}

/** "25 MB", or "150 KB" below a megabyte (the words the pages use for the same limits). */
function megabytesOf(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every state-changing request from another site is refused (cross-site request forgery). */
function refuseForeignOrigins(req: Request, res: Response, next: NextFunction) {
  // Reading changes nothing (originVerdict allows it too), so a page costs no parsing of origins.
  if (SAFE_METHODS.has(req.method)) return next();
  // Mail servers post here with a bearer token, not a browser session: there is no cookie to forge.
  if (req.path === INBOUND_EMAIL_PATH) return next();
  const own = ownOrigins({ appUrl: process.env.APP_URL, protocol: req.protocol, host: req.get("host") });
  const verdict = originVerdict({ method: req.method, origin: req.get("origin"), fetchSite: req.get("sec-fetch-site"), ownOrigins: own });
  if (verdict !== "allowed") {
    res.status(403).type("text").send("This request came from another site and was refused.");
    return;
  }
  if (!originMatchesHost({ origin: req.get("origin"), host: req.get("host"), forwardedHost: req.get("x-forwarded-host") })) {
    res.status(400).type("html").send(refusalPage("That request's address didn't match", "The form was sent to a different address than the page it came from. Please reload the page and try again."));
    return;
  }
  next();
}

function limitBodySize(req: Request, res: Response, next: NextFunction) {
  const length = Number(req.get("content-length") ?? 0);
  // Editors' screenshots have their own 2 MB limit; inbound mail and file attachments theirs (request-policy).
  const isImageUpload = req.path === IMAGE_UPLOAD_PATH;
  const limit = isImageUpload ? MAX_IMAGE_UPLOAD_BYTES : bodyLimitFor(req.path, process.env, MAX_BODY_BYTES, req.get("content-type"));
  if (length > limit) {
    // A page a person reads (the browser shows it in place of the form), in the site's words.
    // Node reads and drops the rest of the body after this answer, so the browser gets to show it.
    const filesLimit = bodyLimitFor(req.path, process.env, 0, "multipart/form-data");
    const message = isImageUpload
      ? "That image is too large: the limit is 2 MB. Go back and choose a smaller one."
      : req.path !== INBOUND_EMAIL_PATH && filesLimit > 0 && /^multipart\/form-data/i.test(req.get("content-type") ?? "")
        ? `The files are too large to send together: at most ${megabytesOf(filesLimit)} for one message (and ${megabytesOf(Number(process.env.ATTACHMENT_MAX_BYTES) || 10 * 1024 * 1024)} for one file). Go back, remove a file or choose smaller ones, and send again.`
        : `That request is too large (the limit is ${megabytesOf(limit)}).`;
    res.status(413).type("html").send(refusalPage("That is too large to send", escapeHtml(message)));
    return;
  }
  if (!SAFE_METHODS.has(req.method) && req.get("transfer-encoding") && !req.get("content-length")) {
    res.status(411).type("text").send("Please send a Content-Length.");
    return;
  }
  next();
}
