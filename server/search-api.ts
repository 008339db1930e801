// GET /api/search answered from memory before express and Remix, when the answer is kept
// (kb's search-answers.server.ts: by content version and query). Search as you type is the
// busiest endpoint, and most of what a request cost was express's and Remix's own pipeline
// (route matching, the Request copies), not the search. A request whose answer isn't kept, or
// while the content version is not known to be fresh, goes on to the route, which searches and
// keeps the answer. The response is the route's: its headers (set in one place,
// SEARCH_ANSWER_HEADERS), the security headers every response gets (set before this runs), and
// the same compression as express's `compression()` (server/compress.ts; each compressed body kept
// with the answer).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { appEntry } from "./app-entry";
import { acceptedEncoding, COMPRESS_FROM_BYTES, compressWhole, type Encoding } from "./compress";

const SEARCH_PATH = "/api/search";
// Compressed answers kept for the queries asked most recently (the same text is asked again and again).
const MAX_COMPRESSED = 500;

export function createSearchAnswerer({ build, clientIpOf }: { build: ServerBuild; clientIpOf: (req: IncomingMessage) => string }) {
  const { cachedSearchAnswer, SEARCH_ANSWER_HEADERS } = appEntry(build);
  const compressed = new Map<string, Buffer>();

  function encode(body: string, encoding: Encoding): Buffer {
    const key = `${encoding}\u0000${body}`;
    let bytes = compressed.get(key);
    if (!bytes) {
      bytes = compressWhole(body, encoding, "small");
      if (compressed.size >= MAX_COMPRESSED) compressed.delete(compressed.keys().next().value!);
      compressed.set(key, bytes);
    }
    return bytes;
  }

  /** Answers and returns true when the answer is kept; false leaves the request untouched. */
  return function answerSearchFromMemory(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "";
    if (req.method !== "GET" || !url.startsWith(SEARCH_PATH) || (url.length > SEARCH_PATH.length && url[SEARCH_PATH.length] !== "?")) return false;
    const params = new URLSearchParams(url.slice(SEARCH_PATH.length + 1));
    const encoding = acceptedEncoding(req.headers["accept-encoding"]);
    // Only deflate accepted: rare enough to leave to compression().
    if (encoding === "deflate") return false;
    const body = cachedSearchAnswer({ q: params.get("q"), limit: params.get("limit"), searchKey: params.get("k"), clientKey: clientIpOf(req) });
    if (body === null) return false;
    for (const [name, value] of Object.entries(SEARCH_ANSWER_HEADERS)) res.setHeader(name, value);
    res.setHeader("Vary", "Accept-Encoding");
    // Like X-Page-Cache: says which path answered (for tests and whoever reads the logs).
    res.setHeader("X-Search-Cache", "hit");
    const bytes = Buffer.byteLength(body);
    const compress = encoding !== null && bytes >= COMPRESS_FROM_BYTES;
    const payload = compress ? encode(body, encoding) : body;
    if (compress) res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", compress ? payload.length : bytes);
    res.statusCode = 200;
    res.end(payload);
    return true;
  };
}
