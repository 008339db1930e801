// Forms that may carry files (the ticket form, replies, the agent's composer): read as they
// stream in, keeping a file's bytes only while it is within the limits, so a 25 MB form never
// holds more than the limits allow in memory. The verdict on each file (type from the bytes,
// sizes) is the attachments module's, made by the domain function the route calls.
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { attachmentLimits, type IncomingFile } from "~/modules/attachments";

/** The form's file field on every page that takes files. */
export const FILES_FIELD = "files";

// Enough of an oversized file to name it in the refusal; its type is never checked.
const HEAD_BYTES_KEPT = 16;
// A text field longer than this is cut: the longest one (a description) is far shorter.
const MAX_TEXT_FIELD_BYTES = 256 * 1024;

export interface FormWithFiles {
  form: FormData;
  /** The files chosen (an empty file input sends none), each within the limits or cut short with its real size. */
  files: IncomingFile[];
}

/**
 * The form of a post, with its files: multipart or URL-encoded (a form without a file field, or
 * another form on the same page, posts that way). The server's body limit (server/request-policy.ts)
 * has already refused anything larger than the per-message limit plus the text.
 */
export async function readFormWithFiles(request: Request): Promise<FormWithFiles> {
  if (!/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) return { form: await request.formData(), files: [] };
  const { maxFileBytes, maxMessageBytes } = attachmentLimits();
  const files: IncomingFile[] = [];
  let keptBytes = 0;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename === undefined) return readText(data);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      // Keep bytes while the file and the message are within their limits; past them only count.
      const within = size + chunk.length <= maxFileBytes && keptBytes + chunk.length <= maxMessageBytes;
      if (within) {
        chunks.push(chunk);
        keptBytes += chunk.length;
      } else if (size < HEAD_BYTES_KEPT) {
        chunks.push(chunk.subarray(0, HEAD_BYTES_KEPT - size));
      }
      size += chunk.length;
    }
    // An empty file input still sends a part, with no name and no bytes.
    if (name !== FILES_FIELD || (!filename && size === 0)) return undefined;
    const bytes = Buffer.concat(chunks);
    files.push({ filename: filename || "attachment", bytes, ...(bytes.length < size ? { sizeBytes: size } : {}) });
    return undefined;
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  return { form, files };
}

async function readText(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    if (size < MAX_TEXT_FIELD_BYTES) chunks.push(chunk.subarray(0, MAX_TEXT_FIELD_BYTES - size));
    size += chunk.length;
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
