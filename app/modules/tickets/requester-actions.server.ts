// The requester acts: reply, close, reopen. Signed in (their own ticket) or through a private link.
// Each action is one transaction with its status event and audit row.
import { and, eq } from "drizzle-orm";
import { db, type Transaction } from "#db/client.server";
import { ticketMessages, tickets, type Ticket } from "#db/schema";
import type { FieldErrors } from "~/lib/forms";
import { isUuid } from "~/lib/uuid";
import { attachFiles, attachmentLimits, filesAudited, filesProblem, type IncomingFile } from "~/modules/attachments";
import { audit } from "~/modules/audit";
import type { Viewer } from "~/modules/auth";
import { ticketIdForGuestToken } from "./guest-links.server";
import { ownedBy, recordStatusChange, seenNow } from "./ticket-changes.server";
import {
  cleanMultilineText,
  countCharacters,
  REPLY_MAX_LENGTH,
  statusAfterRequesterAction,
  statusAfterRequesterReply,
  type RequesterStatusAction,
  type TicketStatus,
} from "./ticket-rules";

export type RequesterAccess = { kind: "account"; viewer: Pick<Viewer, "id" | "name">; ticketId: string } | { kind: "guest"; token: string };

/** Locks and returns the ticket the access opens, or null (unknown, someone else's, revoked link). */
async function lockTicketFor(tx: Transaction, access: RequesterAccess): Promise<Ticket | null> {
  const ticketId = access.kind === "account" ? (isUuid(access.ticketId) ? access.ticketId : null) : await ticketIdForGuestToken(tx, access.token);
  if (!ticketId) return null;
  const condition = access.kind === "account" ? and(eq(tickets.id, ticketId), ownedBy(access.viewer.id)) : eq(tickets.id, ticketId);
  const [ticket] = await tx.select().from(tickets).where(condition).for("update").limit(1);
  return ticket ?? null;
}

export type RequesterReplyResult = { ok: true; status: TicketStatus; reopened: boolean } | { ok: false; reason: "not_found" } | { ok: false; errors: FieldErrors };

export async function replyAsRequester({
  access,
  body,
  idempotencyKey,
  files = [],
}: {
  access: RequesterAccess;
  body: string;
  idempotencyKey?: string | null;
  /** Screenshots and documents on the reply; any refused file refuses the reply, with `errors.files`. */
  files?: IncomingFile[];
}): Promise<RequesterReplyResult> {
  const text = cleanMultilineText(body ?? "");
  const errors: FieldErrors = {};
  if (!text) errors.body = "Write your reply.";
  else if (countCharacters(text) > REPLY_MAX_LENGTH) errors.body = `Use at most ${REPLY_MAX_LENGTH.toLocaleString("en-GB")} characters.`;
  const refusedFiles = filesProblem(files, attachmentLimits());
  if (refusedFiles) errors.files = refusedFiles;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return db.transaction(async (tx) => {
    const ticket = await lockTicketFor(tx, access);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const accountId = access.kind === "account" ? access.viewer.id : null;
    const now = new Date();
    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId: ticket.id,
        authorKind: "requester",
        authorAccountId: accountId,
        authorName: access.kind === "account" ? access.viewer.name : ticket.requesterName,
        body: text,
        visibility: "public",
        idempotencyKey: idempotencyKey ?? null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: ticketMessages.id });
    if (!message) return { ok: true, status: ticket.status, reopened: false } as const; // the same reply sent twice
    if (files.length) await attachFiles(tx, { ticketId: ticket.id, messageId: message.id, files });
    const status = statusAfterRequesterReply(ticket.status);
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "requester", actorAccountId: accountId });
    await tx.update(tickets).set({ status, lastActivityAt: now }).where(eq(tickets.id, ticket.id));
    if (accountId) await seenNow(tx, ticket.id, accountId, now);
    await audit(tx, { actorId: accountId, action: "ticket.reply", targetType: "ticket", targetId: ticket.id, after: { by: "requester", messageId: message.id, status, ...filesAudited(files) } });
    return { ok: true, status, reopened: ticket.status !== status && (ticket.status === "resolved" || ticket.status === "closed") } as const;
  });
}

export type RequesterStatusResult = { ok: true; status: TicketStatus; changed: boolean } | { ok: false; reason: "not_found" };

/** "My problem is solved" (close) and reopen. Repeating one (a double click) changes nothing. */
export async function changeStatusAsRequester({ access, action }: { access: RequesterAccess; action: RequesterStatusAction }): Promise<RequesterStatusResult> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicketFor(tx, access);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const to = statusAfterRequesterAction(action, ticket.status);
    if (!to) return { ok: true, status: ticket.status, changed: false } as const;
    const accountId = access.kind === "account" ? access.viewer.id : null;
    const now = new Date();
    await recordStatusChange(tx, { ticket, to, at: now, actorKind: "requester", actorAccountId: accountId });
    await tx.update(tickets).set({ status: to, lastActivityAt: now }).where(eq(tickets.id, ticket.id));
    if (accountId) await seenNow(tx, ticket.id, accountId, now);
    await audit(tx, { actorId: accountId, action: `ticket.${action}`, targetType: "ticket", targetId: ticket.id, before: { status: ticket.status }, after: { status: to } });
    return { ok: true, status: to, changed: true } as const;
  });
}
