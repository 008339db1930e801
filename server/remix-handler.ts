// Remix behind express: what @remix-run/express's createRequestHandler does (same URL, headers,
// abort signal, status and headers written with express's res.append), minus what a page paid
// for nothing (measured on the agent desk, BENCHMARKS.md "Speed round 3"):
// - the page's HTML is one Buffer (app/entry.server.tsx renders it whole); it is handed over
//   beside the Response (`pageBodies`) and written with one res.end(), instead of being wrapped
//   in a web ReadableStream and read back chunk by chunk;
// - the URL is parsed once (by Request), not first by URL and then again by Request;
// - one "close" listener decides the abort, instead of a "finish" and a "close" listener;
// - that Buffer is compressed in one call, at the fast level (server/compress.ts), rather than
//   streamed through compression()'s per-response brotli stream at quality 4; a page doesn't go
//   through compression() at all (its closures for each response cost ~4 % of a page's CPU).
// Any other body (files, CSV, streams, hand-over data) is streamed through compression() as before.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { acceptedEncoding, COMPRESS_FROM_BYTES, compressWhole } from "./compress";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";

export function createRemixHandler({
  build,
  compress,
  getLoadContext,
}: {
  build: ServerBuild;
  /** compression(), for every answer but a whole page (endWithPage compresses those itself). */
  compress: RequestHandler;
  getLoadContext: (req: Request, res: Response) => Pick<AppLoadContext, "requestId" | "clientIp" | "cspNonce">;
}) {
  const handleRequest = createRequestHandler(build, "production");
  // Rendered pages by their Response; a HEAD request's Response (Remix makes a new one) has none.
  const pageBodies = new WeakMap<globalThis.Response, Buffer>();
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handleRequest(webRequestOf(req, res), { ...getLoadContext(req, res), pageBodies });
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [name, value] of response.headers) res.append(name, value);
      const page = pageBodies.get(response);
      if (page) {
        endWithPage(req, res, page, compress);
        return;
      }
      await new Promise<void>((resolve, reject) => compress(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
      if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      // Express doesn't wait for a promise: errors go to its error handler this way.
      next(error);
    }
  };
}

/** A whole rendered page, compressed as compression() would. */
function endWithPage(req: Request, res: Response, page: Buffer, compress: RequestHandler) {
  // The page's bytes depend on the Accept-Encoding header, compressed or not (as compression() says).
  res.vary("Accept-Encoding");
  const encoding = acceptedEncoding(req.headers["accept-encoding"]);
  // Only deflate accepted: rare enough to leave to compression(), as before.
  if (encoding === "deflate") {
    compress(req, res, () => res.end(page));
    return;
  }
  const worthCompressing = (encoding === "br" || encoding === "gzip") && page.length >= COMPRESS_FROM_BYTES && !res.getHeader("Content-Encoding") && !/no-transform/i.test(String(res.getHeader("Cache-Control") ?? ""));
  if (!worthCompressing) {
    res.end(page);
    return;
  }
  const body = compressWhole(page, encoding, "fast");
  res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", body.length);
  res.end(body);
}

/** The reason a request's signal gives once its answer is written (one object: an abort's own DOMException would capture a stack for every page). */
const ANSWERED = new Error("The answer was written");

/** The web Request Remix sees, as @remix-run/express builds it. */
export function webRequestOf(req: Request, res: Response): globalThis.Request {
  // req.hostname has no port (it follows "trust proxy"): the port comes from X-Forwarded-Host or Host.
  const forwardedPort = Number.parseInt(req.get("X-Forwarded-Host")?.split(":")[1] ?? "", 10);
  const hostPort = Number.parseInt(req.get("host")?.split(":")[1] ?? "", 10);
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;

  const headers = new Headers();
  for (const name in req.headers) {
    const value = req.headers[name];
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value) headers.set(name, value);
  }
  // Loaders and actions are aborted when the client goes away before the answer is written. The
  // signal is aborted once the answer is written, too: Remix's hand-over encoder starts a 5 s timer
  // for every page that only this abort clears, and the timer holds the page's loader data until
  // it fires. Held that long, every page's data outlived the young generation and filled the old
  // one, whose collections then held the server up for tens of milliseconds (BENCHMARKS.md,
  // "Pauses"). The abort also takes the Request off the registry undici keeps for it.
  const controller = new AbortController();
  res.on("close", () => (res.writableFinished ? controller.abort(ANSWERED) : controller.abort()));
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url, init);
}
