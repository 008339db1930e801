// Forms that may carry files (the ticket form, replies, the agent's composer). The body's size is
// bounded before it is read: the server refuses anything larger than one message's attachments
// plus the text (server/request-policy.ts), and so does this reader when the request says its
// length. A file over the per-file limit is passed on cut to its first bytes with its real size,
// so its refusal names it. The verdict on each file (type from the bytes, sizes) is the
// attachments module's, made by the domain function the route calls.
//
// Parsed by the platform's own FormData (undici), not Remix's streaming multipart parser: with
// the body already bounded, memory is the same, and it reads a 10 MB file about 14 times faster
// (50 ms against 725 ms on this machine; see BENCHMARKS.md, "Attachments on the web").
import { attachmentLimits, type IncomingFile } from "~/modules/attachments";

/** The form's file field on every page that takes files. */
export const FILES_FIELD = "files";

// Enough of an oversized file to name it in the refusal; its type is never checked.
const HEAD_BYTES_KEPT = 16;
// The rest of a form with files (its text fields), as the server's limit allows it.
const FORM_TEXT_BYTES = 1024 * 1024;

export interface FormWithFiles {
  form: FormData;
  /** The files chosen (an empty file input sends none), each whole, or cut short with its real size when over the file limit. */
  files: IncomingFile[];
}

/**
 * The form of a post, with its files: multipart or URL-encoded (a form without a file field, or
 * another form on the same page, posts that way). Throws a 413 for a body larger than a message
 * may be and a 400 for one that isn't a readable form.
 */
export async function readFormWithFiles(request: Request): Promise<FormWithFiles> {
  const multipart = /^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "");
  const { maxFileBytes, maxMessageBytes } = attachmentLimits();
  if (multipart && Number(request.headers.get("Content-Length") ?? 0) > maxMessageBytes + FORM_TEXT_BYTES) {
    throw new Response("The files are too large to send together.", { status: 413 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("That form could not be read. Please send it again.", { status: 400 });
  }
  if (!multipart) return { form, files: [] };
  const files: IncomingFile[] = [];
  for (const value of form.getAll(FILES_FIELD)) {
    // An empty file input still sends a part, with no name and no bytes.
    if (typeof value === "string" || (!value.name && value.size === 0)) continue;
    const whole = value.size <= maxFileBytes;
    const bytes = Buffer.from(await (whole ? value : value.slice(0, HEAD_BYTES_KEPT)).arrayBuffer());
    files.push({ filename: value.name || "attachment", bytes, ...(whole ? {} : { sizeBytes: value.size }) });
  }
  form.delete(FILES_FIELD);
  return { form, files };
}
