// Where attachment bytes live. PostgreSQL by default: instances stay stateless and PGlite works
// without a file store. An S3-compatible store implements the same two functions.
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { attachmentBlobs } from "#db/schema";

export interface BlobStore {
  /** Stores the bytes once per content and returns their SHA-256, the key to read them back. */
  put(tx: Executor, bytes: Buffer, contentType: string): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
}

export const postgresBlobStore: BlobStore = {
  async put(tx, bytes, contentType) {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    // The same screenshot sent twice (or by two people) is one row.
    await tx.insert(attachmentBlobs).values({ sha256, contentType, sizeBytes: bytes.length, bytes }).onConflictDoNothing();
    return sha256;
  },
  async get(sha256) {
    const [row] = await db.select({ bytes: attachmentBlobs.bytes }).from(attachmentBlobs).where(eq(attachmentBlobs.sha256, sha256)).limit(1);
    return row ? row.bytes : null;
  },
};

export const blobStore: BlobStore = postgresBlobStore;

export async function countBlobs(): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(attachmentBlobs);
  return Number(row.n);
}
