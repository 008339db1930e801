// Screenshots for articles: uploaded by editors, checked from their bytes (PNG, JPEG or WebP, at
// most 2 MB), stored in PostgreSQL (instances keep nothing on disk) and served under the SHA-256 of
// their bytes, so an address always shows the same picture and can be cached for a year.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { kbImages } from "#db/schema";
import { audit } from "~/modules/audit";
import { IMAGE_EXTENSIONS, MAX_IMAGE_BYTES, screenshotTag, sniffImageType, type ImageType } from "./editor-rules";

export type UploadResult = { ok: true; src: string; tag: string } | { ok: false; field: "image" | "alt"; message: string };

export async function uploadImage({ bytes, alt, uploadedBy }: { bytes: Uint8Array; alt: string; uploadedBy: string }): Promise<UploadResult> {
  if (bytes.length === 0)
    return {
      ok: false,
      field: "image",
      message: "Choose an image file to upload.",
    };
  if (bytes.length > MAX_IMAGE_BYTES)
    return {
      ok: false,
      field: "image",
      message: "That image is larger than 2 MB. Crop it or save it smaller, then upload it again.",
    };
  const type = sniffImageType(bytes);
  if (!type)
    return {
      ok: false,
      field: "image",
      message: "That file is not a PNG, JPEG or WebP image (whatever its name says).",
    };
  const hash = createHash("sha256").update(bytes).digest("hex");
  const src = imagePath(hash, type);
  await db.transaction(async (tx) => {
    await tx
      .insert(kbImages)
      .values({
        hash,
        contentType: type,
        data: Buffer.from(bytes).toString("base64"),
        byteSize: bytes.length,
        alt,
        uploadedBy,
      })
      .onConflictDoNothing();
    await audit(tx, {
      actorId: uploadedBy,
      action: "kb.image_uploaded",
      targetType: "kb_image",
      after: { hash, type, bytes: bytes.length, alt },
    });
  });
  return { ok: true, src, tag: screenshotTag({ src, alt }) };
}

export const imagePath = (hash: string, type: ImageType) => `/images/${hash}.${IMAGE_EXTENSIONS[type]}`;

// Images never change under their address: keep recent ones in memory (bounded by bytes).
const remembered = new Map<string, { type: ImageType; bytes: Buffer }>();
let rememberedBytes = 0;
const REMEMBERED_BYTES_MAX = 32 * 1024 * 1024;

/** The image stored under this address ("<hash>.<ext>"); null when there is none. */
export async function readImage(file: string): Promise<{ type: ImageType; bytes: Buffer } | null> {
  const match = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(file);
  if (!match) return null;
  const known = remembered.get(match[1]);
  if (known) return IMAGE_EXTENSIONS[known.type] === match[2] ? known : null;
  const [row] = await db.select({ type: kbImages.contentType, data: kbImages.data }).from(kbImages).where(eq(kbImages.hash, match[1])).limit(1);
  if (!row || IMAGE_EXTENSIONS[row.type] !== match[2]) return null;
  const image = { type: row.type, bytes: Buffer.from(row.data, "base64") };
  remembered.set(match[1], image);
  rememberedBytes += image.bytes.length;
  while (rememberedBytes > REMEMBERED_BYTES_MAX) {
    const [oldest, value] = remembered.entries().next().value!;
    remembered.delete(oldest);
    rememberedBytes -= value.bytes.length;
  }
  return image;
}
