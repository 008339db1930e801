// The public-page cache in front of the request pipeline (app.ts mounts it first thing after the
// security headers). Anonymous GETs of the help center's pages (home, /faq…, sitemap) are
// rendered once per content version through Remix and then answered from memory:
// - the HTML is stored with a placeholder where the CSP nonce goes, and every response gets the
//   fresh nonce its Content-Security-Policy header names;
// - a weak ETag (content version + HTML) answers If-None-Match with 304;
// - gzip without compressing per response: the parts between nonces are deflated once, and each
//   response joins them with the nonce as a stored block (RFC 1951 allows both) and a fresh CRC.
// Requests carrying a session, notice or visitor cookie, query strings, and other methods pass by:
// their pages are personal. Pages opt in by answering 200 with `Cache-Control: public`.
import { createHash, randomBytes } from "node:crypto";
import zlib from "node:zlib";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import { appEntry } from "./app-entry";

const CACHEABLE_PATH = /^\/(?:|faq(?:\/[a-z0-9-]{1,100}){0,2}|sitemap\.xml)$/;
const ARTICLE_PATH = /^\/faq\/[a-z0-9-]{1,100}\/([a-z0-9-]{1,100})$/;
const MAX_ENTRIES = 2_500;
// Pages also show vote-based lists ("most helpful"): re-render in the background after a minute.
const FRESH_FOR_MS = 60_000;
// How long a request waits to learn the content version before it takes the page it has.
const VERSION_DEADLINE_MS = 1_000;

function withinDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

interface CachedPage {
  version: number;
  renderedAt: number;
  cacheable: true;
  parts: Buffer[];
  deflatedParts: Buffer[];
  headers: Record<string, string>;
  etag: string;
}
interface UncacheablePage {
  version: number;
  renderedAt: number;
  cacheable: false;
}
type Entry = CachedPage | UncacheablePage;

const zlibCrc32 = (zlib as unknown as { crc32(data: Uint8Array, value?: number): number }).crc32;
// Node 20's zlib.crc32 answers 0, not the running value, for some empty buffers (Buffer.from("")).
const crc32 = (data: Uint8Array, value: number) => (data.length === 0 ? value : zlibCrc32(data, value));
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);

export function createPublicPageCache({ build }: { build: ServerBuild }) {
  const { config, countArticleView, currentContentVersion, describeErrorForLog, freshContentVersion, PERSONAL_COOKIE } = appEntry(build);
  // An article served from here never reaches its loader: count the view here (in memory; the
  // reading log writes the counts in batches).
  const serve = (req: Request, res: Response, page: CachedPage, state: "hit" | "miss" | "stale") => {
    const article = ARTICLE_PATH.exec(req.url);
    if (article && req.method === "GET") countArticleView(article[1]);
    sendCachedPage(req, res, page, state);
  };
  const render = createRequestHandler(build, "production");
  const placeholder = `bdnonce${randomBytes(12).toString("hex")}`;
  const entries = new Map<string, Entry>();
  const filling = new Map<string, Promise<Entry>>();

  // Concurrent misses of one page in one version share a single render.
  async function fill(path: string, version: number): Promise<Entry> {
    const key = `${version}:${path}`;
    let pending = filling.get(key);
    if (!pending) {
      pending = renderPage(path, version).finally(() => filling.delete(key));
      filling.set(key, pending);
    }
    return pending;
  }

  async function renderPage(path: string, version: number): Promise<Entry> {
    const request = new Request(`${config.appUrl}${path}`, { headers: { accept: "text/html", "user-agent": "badgedesk-page-cache" } });
    const response = await render(request, { requestId: "page-cache", cspNonce: placeholder, clientIp: "page-cache" });
    const cacheControl = response.headers.get("cache-control") ?? "";
    let entry: Entry;
    if (response.status !== 200 || !/\bpublic\b/.test(cacheControl) || response.headers.has("set-cookie")) {
      await response.body?.cancel();
      entry = { version, renderedAt: Date.now(), cacheable: false };
    } else {
      const html = await response.text();
      const parts = html.split(placeholder).map((part) => Buffer.from(part));
      const headers: Record<string, string> = {
        "Content-Type": response.headers.get("content-type") ?? "text/html; charset=utf-8",
        "Cache-Control": cacheControl,
        Vary: "Cookie, Accept-Encoding",
      };
      const digest = createHash("sha1").update(html).digest("base64url").slice(0, 20);
      entry = {
        version,
        renderedAt: Date.now(),
        cacheable: true,
        parts,
        deflatedParts: deflateParts(parts),
        headers,
        etag: `W/"${version.toString(36)}-${digest}"`,
      };
    }
    // A render that finished after a newer version's must not replace it.
    const current = entries.get(path);
    if (current && current.version > version) return entry;
    entries.delete(path);
    entries.set(path, entry);
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    return entry;
  }

  async function missOrStale(req: Request, res: Response, next: NextFunction) {
    let entry: Entry;
    let state: "hit" | "miss";
    const known = entries.get(req.url);
    try {
      const version = await withinDeadline(currentContentVersion(), VERSION_DEADLINE_MS);
      if (known && known.version === version) {
        entry = known;
        state = "hit";
      } else {
        entry = await fill(req.url, version);
        state = "miss";
      }
    } catch (error) {
      // The database is away (or too slow to say which version is current): the page as last
      // rendered is better than a 503, and nothing on it is personal.
      if (known?.cacheable) return serve(req, res, known, "stale");
      // The normal pipeline renders the page (or the right error page) instead.
      console.error("[%s] page cache: %s", res.locals.requestId, describeErrorForLog(error));
      return next();
    }
    if (!entry.cacheable) return next();
    serve(req, res, entry, state);
  }

  return function publicPageCache(req: Request, res: Response, next: NextFunction) {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.url.includes("?") || !CACHEABLE_PATH.test(req.url)) return next();
    const cookie = req.headers.cookie;
    if (cookie && PERSONAL_COOKIE.test(cookie)) return next();
    // The hot path stays synchronous: the version read less than a second ago is good enough.
    const version = freshContentVersion();
    const known = entries.get(req.url);
    if (version === null || !known || known.version !== version) {
      missOrStale(req, res, next).catch(next);
      return;
    }
    if (Date.now() - known.renderedAt > FRESH_FOR_MS && !filling.has(`${version}:${req.url}`)) fill(req.url, version).catch(() => {});
    if (!known.cacheable) return next();
    serve(req, res, known, "hit");
  };
}

function sendCachedPage(req: Request, res: Response, page: CachedPage, state: "hit" | "miss" | "stale") {
  for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
  res.setHeader("ETag", page.etag);
  res.setHeader("X-Page-Cache", state);
  if (etagMatches(req.headers["if-none-match"], page.etag)) {
    // The browser keeps the page it has, with the nonces in it. A new CSP header on the 304 would
    // replace the stored one (RFC 9111 §4.3.4) and block that page's scripts; without one, the
    // stored page and its stored policy stay a matching pair.
    res.removeHeader("Content-Security-Policy");
    res.statusCode = 304;
    res.end();
    return;
  }
  const nonce = Buffer.from(String(res.locals.cspNonce ?? ""));
  const body = acceptsGzip(req.headers["accept-encoding"]) ? gzipWithNonce(page, nonce) : joinWithNonce(page.parts, nonce);
  if (body.gzip) res.setHeader("Content-Encoding", "gzip");
  res.setHeader("Content-Length", body.bytes.length);
  res.statusCode = 200;
  res.end(req.method === "HEAD" ? undefined : body.bytes);
}

function joinWithNonce(parts: Buffer[], nonce: Buffer): { bytes: Buffer; gzip: false } {
  const pieces: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) pieces.push(nonce);
    pieces.push(part);
  });
  return { bytes: Buffer.concat(pieces), gzip: false };
}

/** A gzip member made of the pre-deflated parts and the nonce as stored deflate blocks. */
export function gzipWithNonce(page: Pick<CachedPage, "parts" | "deflatedParts">, nonce: Buffer): { bytes: Buffer; gzip: true } {
  const storedNonce = Buffer.alloc(5 + nonce.length);
  storedNonce[0] = 0x00;
  storedNonce.writeUInt16LE(nonce.length, 1);
  storedNonce.writeUInt16LE(~nonce.length & 0xffff, 3);
  nonce.copy(storedNonce, 5);
  const pieces: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  page.parts.forEach((part, i) => {
    if (i > 0) {
      pieces.push(storedNonce);
      crc = crc32(nonce, crc);
      size += nonce.length;
    }
    pieces.push(page.deflatedParts[i]);
    crc = crc32(part, crc);
    size += part.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  pieces.push(FINAL_EMPTY_BLOCK, trailer);
  return { bytes: Buffer.concat(pieces), gzip: true };
}

/** Prepares a page's parts the way the cache stores them (exported for tests). */
export function deflateParts(parts: Buffer[]): Buffer[] {
  return parts.map((part) => zlib.deflateRawSync(part, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header || !header.includes("gzip")) return false;
  return !/(?:^|,)\s*gzip\s*;\s*q=0(?:\.0*)?\s*(?:,|$)/.test(header);
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((candidate) => opaque(candidate) === opaque(etag));
}
