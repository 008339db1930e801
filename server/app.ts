// The HTTP layer in front of Remix: security headers, the Origin check, body limits, static
// files, the health check and the 503 gate while the database is away.
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { appEntry } from "./app-entry";
import { createPublicPageCache } from "./public-page-cache";

export const MAX_BODY_BYTES = 1024 * 1024;


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
export function createRequestListener({ build }: { build: ServerBuild }) {
  const app = createApp({ build });
  const pageCache = createPublicPageCache({ build });
  return (req: IncomingMessage, res: ServerResponse) => {
    prepareResponse(req, res as ServerResponse & { locals?: Record<string, unknown> });
    pageCache(req as Request, res as Response, () => app(req, res));
  };
}

function prepareResponse(req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }) {
  const incoming = req.headers["x-request-id"];
  const requestId = (typeof incoming === "string" ? incoming : "").slice(0, 64).replace(/[^\w-]/g, "") || randomUUID();
  const nonce = randomBytes(16).toString("base64");
  // express keeps an existing res.locals, so loaders see the same id and nonce.
  res.locals = { requestId, cspNonce: nonce };
  res.setHeader("X-Request-Id", requestId);
  for (const [name, value] of Object.entries(securityHeaders(nonce))) res.setHeader(name, value);
}

function createApp({ build }: { build: ServerBuild }) {
  const { databaseAvailable, getConnection, probeDatabase } = appEntry(build);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1");

  app.use(refuseForeignOrigins);
  app.use(limitBodySize);

  app.get("/healthz", async (_req, res) => {
    const { driver } = getConnection();
    const ok = await probeDatabase();
    res.status(ok ? 200 : 503).set("Cache-Control", "no-store").json({ status: ok ? "ok" : "unavailable", database: ok ? "up" : "down", driver });
  });

  app.use(compression());
  app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(path.resolve("build/client"), { maxAge: "1h", index: false }));

  app.use(async (_req, res, next) => {
    if (await databaseAvailable()) return next();
    res.status(503).set({ "Retry-After": "30", "Cache-Control": "no-store" }).type("html").send(UNAVAILABLE_PAGE);
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: "production",
      getLoadContext: (req, res) => ({
        requestId: res.locals.requestId,
        cspNonce: res.locals.cspNonce,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error("[%s] unhandled: %s", res.locals.requestId, (error as Error)?.stack ?? error);
    if (!res.headersSent) res.status(500).type("text").send(`Something went wrong on our side (reference ${res.locals.requestId}).`);
  });
  return app;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Every state-changing request from another site is refused (cross-site request forgery). */
function refuseForeignOrigins(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  const foreignOrigin = origin !== undefined && !isOwnOrigin(origin, req);
  if (foreignOrigin || fetchSite === "cross-site") {
    res.status(403).type("text").send("This request came from another site and was refused.");
    return;
  }
  next();
}

function isOwnOrigin(origin: string, req: Request): boolean {
  if (origin === "null") return false;
  try {
    const { host } = new URL(origin);
    const appUrl = process.env.APP_URL ? new URL(process.env.APP_URL).host : null;
    return host === req.get("host") || host === appUrl;
  } catch {
    return false;
  }
}

function limitBodySize(req: Request, res: Response, next: NextFunction) {
  const length = Number(req.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    res.status(413).type("text").send("That request is too large (the limit is 1 MB).");
    return;
  }
  if (!SAFE_METHODS.has(req.method) && req.get("transfer-encoding") && !req.get("content-length")) {
    res.status(411).type("text").send("Please send a Content-Length.");
    return;
  }
  next();
}
