// Compressing a whole body in one call, as express's `compression()` would stream it: same
// negotiation (br, then gzip; deflate is left to compression()), same threshold (1 KB), same
// brotli quality (4). Used where the server already holds the whole answer: a rendered page
// (server/remix-handler.ts) and a kept search answer (server/search-api.ts). compression() made
// a brotli stream per response for a page that is one Buffer anyway: one call costs about a fifth
// less CPU (0.24 against 0.30 ms for a 35 KB page; BENCHMARKS.md, "Pages compressed as for a
// browser"). compression() still adds `Vary: Accept-Encoding`, and leaves a body with a
// Content-Encoding as it is.
import zlib from "node:zlib";

export type Encoding = "br" | "gzip";

export const COMPRESS_FROM_BYTES = 1024;
const BROTLI_QUALITY = 4;

/** br, else gzip, else deflate, as compression() negotiates them (a q of 0 refuses); null for none. */
export function acceptedEncoding(header: string | undefined): Encoding | "deflate" | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...parameters] = part.trim().toLowerCase().split(";");
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name.trim(), q ? Number(q[1]) : 1);
  }
  const weight = (name: Encoding | "deflate") => accepted.get(name) ?? accepted.get("*") ?? 0;
  const best = Math.max(weight("br"), weight("gzip"), weight("deflate"));
  if (best <= 0) return null;
  // Equal weights: compression() prefers br, then gzip.
  return weight("br") === best ? "br" : weight("gzip") === best ? "gzip" : "deflate";
}

/** The body compressed in one call; the size hint lets brotli size its window to the body. */
export function compressWhole(body: Buffer | string, encoding: Encoding): Buffer {
  if (encoding === "gzip") return zlib.gzipSync(body);
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  return zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } });
}
