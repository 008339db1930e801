// Which files we accept, decided from their first bytes, never from the name or the type the
// sender claimed: a "photo.png" that is really HTML or a program is refused.

export const ALLOWED_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"] as const;
export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** Images a browser may show inside the page; everything else is only downloaded. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

export function sniffContentType(bytes: Uint8Array): AllowedContentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  if (isPlainText(bytes)) return "text/plain";
  return null;
}

/** UTF-8 text without control characters other than tab, line breaks and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // HTML and SVG are text too, but a browser would run them: never accepted as text.
  if (/^\s*(<!doctype|<html|<svg|<\?xml|<script)/i.test(text.slice(0, 512))) return false;
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

export interface AttachmentLimits {
  maxFileBytes: number;
  maxMessageBytes: number;
}

export interface CandidateFile {
  filename: string;
  bytes: Uint8Array;
  /**
   * The file's real size when `bytes` holds only its start: an upload keeps only the first bytes
   * of a file over the limit (see app/lib/uploads.server.ts), but its verdict still names it.
   */
  sizeBytes?: number;
}

export type FileVerdict = { ok: true; contentType: AllowedContentType } | { ok: false; problem: string };

/** Each file's verdict, in order: its type from its bytes, its size, and the message's total. */
export function checkFiles(files: CandidateFile[], limits: AttachmentLimits): FileVerdict[] {
  let total = 0;
  return files.map((file) => {
    const size = file.sizeBytes ?? file.bytes.length;
    // Size first: an oversized upload's bytes were cut short, so its type can't be told.
    const overTotal = { ok: false, problem: `${file.filename} goes over ${megabytes(limits.maxMessageBytes)} for one message.` } as const;
    if (size > limits.maxFileBytes) return { ok: false, problem: `${file.filename} is larger than ${megabytes(limits.maxFileBytes)}.` };
    // Cut short yet within the file limit (a caller that stopped keeping bytes once the message went over): never stored.
    if (size > file.bytes.length) return overTotal;
    const contentType = sniffContentType(file.bytes);
    if (!contentType) return { ok: false, problem: `${file.filename} is not a PNG, JPEG, GIF or WebP image, a PDF or a plain-text file.` };
    if (total + size > limits.maxMessageBytes) return overTotal;
    total += size;
    return { ok: true, contentType };
  });
}

/** More files than this on one message are refused: each is a row and a line in the thread. */
export const MAX_FILES_PER_MESSAGE = 20;

/**
 * What a form says beside its file field when any file is refused, or null when all pass. Nothing
 * is stored then: a browser can't put files back into a form, so the learner chooses them again.
 */
export function filesProblem(files: CandidateFile[], limits: AttachmentLimits): string | null {
  if (files.length > MAX_FILES_PER_MESSAGE) return `Attach at most ${MAX_FILES_PER_MESSAGE} files to one message. Choose the files again.`;
  const problems = checkFiles(files, limits).flatMap((v) => (v.ok ? [] : [v.problem]));
  if (problems.length === 0) return null;
  return `${problems.join(" ")} Nothing was sent: choose the files again (${ALLOWED_IN_WORDS}, at most ${megabytes(limits.maxFileBytes)} each and ${megabytes(limits.maxMessageBytes)} together).`;
}

export const ALLOWED_IN_WORDS = "PNG, JPEG, GIF, WebP, PDF or plain text";

/** What a file input offers to choose (the server still decides from the bytes). */
export const ACCEPTED_FILES = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt";

/** "10 MB", "2.5 MB"; below a megabyte in kilobytes ("2 KB"), never "0 MB". */
export function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function safeFilename(name: string | undefined | null, fallback = "attachment"): string {
  const cleaned = (name ?? "").replace(/[\p{Cc}\\/"<>|:*?]+/gu, "_").replace(/\s+/g, " ").trim().slice(0, 120);
  return cleaned || fallback;
}
