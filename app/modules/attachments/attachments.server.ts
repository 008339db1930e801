// Files on ticket messages: checked (type from the bytes, sizes), stored once per content, and
// read back only by someone who may see the ticket.
import { and, asc, eq, inArray } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { ticketAttachments, ticketMessages, type TicketAttachment } from "#db/schema";
import { isUuid } from "~/lib/uuid";
import { config } from "~/lib/config.server";
import { checkFiles, INLINE_IMAGE_TYPES, safeFilename, type CandidateFile } from "./file-types";
import { blobStore } from "./storage.server";

export interface IncomingFile extends CandidateFile {
  /** An email's Content-ID (without <>), when the HTML showed it inline. */
  contentId?: string | null;
  inline?: boolean;
}

export function attachmentLimits() {
  return { maxFileBytes: config.attachmentMaxBytes, maxMessageBytes: config.attachmentsPerMessageMaxBytes };
}

/**
 * Stores the files that pass the rules on the message, in the caller's transaction. Returns the
 * stored ones and the problems of the refused ones (for the page, or a line on the ticket).
 */
export async function attachFiles(
  tx: Executor,
  { ticketId, messageId, files }: { ticketId: string; messageId: string; files: IncomingFile[] },
): Promise<{ stored: Pick<TicketAttachment, "id" | "filename" | "contentType" | "contentId" | "inline">[]; refused: string[] }> {
  const verdicts = checkFiles(files, attachmentLimits());
  const stored: Pick<TicketAttachment, "id" | "filename" | "contentType" | "contentId" | "inline">[] = [];
  const refused: string[] = [];
  for (const [i, file] of files.entries()) {
    const verdict = verdicts[i];
    if (!verdict.ok) {
      refused.push(verdict.problem);
      continue;
    }
    const bytes = Buffer.from(file.bytes);
    const sha256 = await blobStore.put(tx, bytes, verdict.contentType);
    const [row] = await tx
      .insert(ticketAttachments)
      .values({
        ticketId,
        messageId,
        blobSha256: sha256,
        filename: safeFilename(file.filename),
        contentType: verdict.contentType,
        sizeBytes: bytes.length,
        contentId: file.contentId ?? null,
        inline: Boolean(file.inline) && verdict.contentType.startsWith("image/"),
      })
      .returning({ id: ticketAttachments.id, filename: ticketAttachments.filename, contentType: ticketAttachments.contentType, contentId: ticketAttachments.contentId, inline: ticketAttachments.inline });
    stored.push(row);
  }
  return { stored, refused };
}

/** What an audit row says of a message's files: their names, when there are any. */
export function filesAudited(files: { filename: string }[]): { files?: string[] } {
  return files.length ? { files: files.map((f) => safeFilename(f.filename)) } : {};
}

export type AttachmentSummary = Pick<TicketAttachment, "id" | "messageId" | "filename" | "contentType" | "sizeBytes" | "inline" | "contentId" | "blobSha256">;

/** The attachments of these messages (the thread's), oldest first. */
export async function attachmentsOfMessages(messageIds: string[]): Promise<AttachmentSummary[]> {
  if (messageIds.length === 0) return [];
  return db
    .select({
      id: ticketAttachments.id,
      messageId: ticketAttachments.messageId,
      filename: ticketAttachments.filename,
      contentType: ticketAttachments.contentType,
      sizeBytes: ticketAttachments.sizeBytes,
      inline: ticketAttachments.inline,
      contentId: ticketAttachments.contentId,
      blobSha256: ticketAttachments.blobSha256,
    })
    .from(ticketAttachments)
    .where(inArray(ticketAttachments.messageId, messageIds))
    .orderBy(asc(ticketAttachments.createdAt), asc(ticketAttachments.id));
}

/**
 * One attachment of one ticket with its bytes. The caller has checked that the viewer may see the
 * ticket; `publicOnly` (requesters) also hides files of internal notes and held mail.
 */
export async function readAttachment({ ticketId, attachmentId, publicOnly }: { ticketId: string; attachmentId: string; publicOnly: boolean }) {
  if (!isUuid(ticketId) || !isUuid(attachmentId)) return null;
  const [row] = await db
    .select({ attachment: ticketAttachments, visibility: ticketMessages.visibility })
    .from(ticketAttachments)
    .innerJoin(ticketMessages, eq(ticketMessages.id, ticketAttachments.messageId))
    .where(and(eq(ticketAttachments.id, attachmentId), eq(ticketAttachments.ticketId, ticketId)))
    .limit(1);
  if (!row || (publicOnly && row.visibility !== "public")) return null;
  return withBytes(row.attachment);
}

async function withBytes(row: TicketAttachment) {
  const bytes = await blobStore.get(row.blobSha256);
  return bytes ? { ...row, bytes } : null;
}

/**
 * The HTTP answer for a file: always a download (Content-Disposition: attachment) except images,
 * which pages show inline; nosniff, so a browser never reads it as anything but its checked type;
 * cached only by the viewer's own browser.
 */
export function attachmentResponse(file: { bytes: Buffer; contentType: string; filename: string }): Response {
  const inline = INLINE_IMAGE_TYPES.has(file.contentType);
  const name = safeFilename(file.filename);
  const ascii = name.replace(/[^\x20-\x7e]/g, "_");
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.contentType === "text/plain" ? "text/plain; charset=utf-8" : file.contentType,
      "Content-Length": String(file.bytes.length),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, max-age=3600",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
