// Compressing a whole body in one call, with express's `compression()` negotiation (br, then gzip;
// deflate is left to compression()) and threshold (1 KB). Used where the server already holds the
// whole answer, at one of two levels:
// - "fast" for a rendered page (server/remix-handler.ts), compressed for each request: brotli 1
//   or gzip 1 (nginx's default level). For a 27–35 KB agent page that is 0.08 ms of CPU against
//   0.24 ms at compression()'s brotli 4, for about 15 % more bytes (8.2 KB against 7.2 KB);
//   compressing had become the largest single cost of a ticket page (BENCHMARKS.md, "Pages
//   compressed as for a browser");
// - "small" for a kept search answer (server/search-api.ts), compressed once and sent many times:
//   compression()'s own levels (brotli 4, gzip 6).
// One call instead of compression()'s stream made for each response also costs about a fifth less.
// compression() still adds `Vary: Accept-Encoding`, and leaves a body with a Content-Encoding as it is.
import zlib from "node:zlib";

export type Encoding = "br" | "gzip";

export const COMPRESS_FROM_BYTES = 1024;
/** Brotli quality and gzip level per effort. */
const LEVELS = { fast: { brotli: 1, gzip: 1 }, small: { brotli: 4, gzip: zlib.constants.Z_DEFAULT_COMPRESSION } } as const;
export type CompressionEffort = keyof typeof LEVELS;

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
export function compressWhole(body: Buffer | string, encoding: Encoding, effort: CompressionEffort): Buffer {
  const levels = LEVELS[effort];
  if (encoding === "gzip") return zlib.gzipSync(body, { level: levels.gzip });
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  return zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: levels.brotli, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } });
}
