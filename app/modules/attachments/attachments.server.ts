// Files on ticket messages: checked (type from the bytes, sizes), stored once per content, and
// read back only by someone who may see the ticket.
import { and, asc, eq, inArray } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { ticketAttachments, type TicketAttachment } from "#db/schema";
import { config } from "~/lib/config.server";
import { checkFiles, safeFilename, type CandidateFile } from "./file-types";
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

export type AttachmentSummary = Pick<TicketAttachment, "id" | "messageId" | "filename" | "contentType" | "sizeBytes" | "inline" | "contentId">;

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
    })
    .from(ticketAttachments)
    .where(inArray(ticketAttachments.messageId, messageIds))
    .orderBy(asc(ticketAttachments.createdAt), asc(ticketAttachments.id));
}

/** One attachment of one ticket with its bytes; the caller has checked the viewer may see the ticket and the message. */
export async function readAttachment({ ticketId, attachmentId }: { ticketId: string; attachmentId: string }) {
  const [row] = await db
    .select()
    .from(ticketAttachments)
    .where(and(eq(ticketAttachments.id, attachmentId), eq(ticketAttachments.ticketId, ticketId)))
    .limit(1);
  if (!row) return null;
  const bytes = await blobStore.get(row.blobSha256);
  return bytes ? { ...row, bytes } : null;
}
