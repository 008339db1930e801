// Agent actions the requester sees (public reply, status change) and the internal note another
// context's action leaves on a ticket. Each is one transaction with its status event, audit row
// and outbox mail. The agent desk grows here.
import { and, eq } from "drizzle-orm";
import { db, type Executor, type Transaction } from "#db/client.server";
import { accounts, ticketMessages, tickets } from "#db/schema";
import { isUuid } from "~/lib/uuid";
import { attachFiles, attachmentLimits, filesAudited, filesProblem, type IncomingFile } from "~/modules/attachments";
import { audit } from "~/modules/audit";
import { enqueueMail } from "~/modules/mail";
import { encodeTicketState, readTicketState } from "./collision.server";
import { ticketReplyMessage, ticketResolvedMessage } from "./mail-templates";
import { followLink, recordStatusChange } from "./ticket-changes.server";
import { issueGuestLink } from "./guest-links.server";
import { canAgentSetStatus, cleanMultilineText, statusAfterAgentReply, type MessageVisibility, type TicketStatus } from "./ticket-rules";

export type AgentActionResult =
  | { ok: true; status: TicketStatus; messageId?: string }
  | { ok: false; reason: "not_found" | "not_allowed" | "empty" | "changed" }
  | { ok: false; reason: "files"; problem: string };

/**
 * An agent's reply. Public replies reach the learner's page and inbox; internal notes are for
 * staff only and change nothing the learner can see. `status` optionally moves the ticket on
 * (e.g. "pending" = waiting on the learner, "resolved").
 */
export async function addAgentReply({
  ticketId,
  agentId,
  body,
  visibility = "public",
  status: requested,
  idempotencyKey,
  unchangedSince,
  files = [],
}: {
  ticketId: string;
  agentId: string;
  body: string;
  visibility?: MessageVisibility;
  status?: TicketStatus | null;
  idempotencyKey?: string | null;
  /** The collision guard: the ticket's state (encodeTicketState) when the agent opened it; a different state now refuses the send with "changed". */
  unchangedSince?: string | null;
  /** Files on the message. A public reply's go with its email (the outbox row names the message); an internal note's stay with staff. */
  files?: IncomingFile[];
}): Promise<AgentActionResult> {
  const text = cleanMultilineText(body ?? "");
  if (!text) return { ok: false, reason: "empty" };
  const refusedFiles = filesProblem(files, attachmentLimits());
  if (refusedFiles) return { ok: false, reason: "files", problem: refusedFiles };
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const [agent] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, agentId)).limit(1);
    if (!agent) return { ok: false, reason: "not_allowed" } as const;
    if (unchangedSince != null && !(await isRepeatedReply(tx, ticketId, idempotencyKey))) {
      // Read under the ticket's row lock: nobody can add to the thread between this check and the insert.
      const current = await readTicketState(tx, ticketId);
      if (!current || encodeTicketState(current) !== unchangedSince) return { ok: false, reason: "changed" } as const;
    }
    const now = new Date();
    const [message] = await tx
      .insert(ticketMessages)
      .values({ ticketId, authorKind: "agent", authorAccountId: agentId, authorName: agent.name, body: text, visibility, idempotencyKey: idempotencyKey ?? null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: ticketMessages.id });
    if (!message) return { ok: true, status: ticket.status } as const;
    // Stored before the reply's mail is queued; the delivery loop reads them from the blob store when it sends.
    if (files.length) await attachFiles(tx, { ticketId, messageId: message.id, files });
    // Only a public reply takes a new ticket into work by itself; a note changes status only when asked to.
    const status =
      visibility === "public" ? statusAfterAgentReply(ticket.status, requested) : requested && canAgentSetStatus(ticket.status, requested) ? requested : ticket.status;
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "agent", actorAccountId: agentId });
    const statusChanged = status !== ticket.status;
    const becameResolved = statusChanged && status === "resolved";
    // An internal note alone leaves no trace the learner could see, not even a newer "last update".
    if (visibility === "public" || statusChanged) {
      await tx.update(tickets).set({ status, lastActivityAt: now, lastStaffActivityAt: now }).where(eq(tickets.id, ticketId));
    }
    if (visibility === "public") {
      const follow = followLink(tx, ticket);
      await follow.store;
      const rateLink = becameResolved ? await ratingLink(tx, ticket.id, follow) : null;
      await enqueueMail(
        tx,
        ticketReplyMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, agentName: agent.name, reply: text, resolved: becameResolved, link: follow.link, isGuestLink: follow.isGuestLink, rateLink, ticketMessageId: message.id }),
      );
    } else if (becameResolved) {
      const follow = followLink(tx, ticket);
      await follow.store;
      const rateLink = await ratingLink(tx, ticket.id, follow);
      await enqueueMail(tx, ticketResolvedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link: follow.link, isGuestLink: follow.isGuestLink, rateLink }));
    }
    await audit(tx, {
      actorId: agentId,
      action: visibility === "public" ? "ticket.reply" : "ticket.note",
      targetType: "ticket",
      targetId: ticketId,
      before: { status: ticket.status },
      after: { by: "agent", messageId: message.id, status, ...filesAudited(files) },
    });
    return { ok: true, status, messageId: message.id } as const;
  });
}

/**
 * "How did we do?" in the resolved email works without signing in: it is a private link to the
 * ticket (a guest's follow link already is one; an account's ticket gets one for the rating).
 */
async function ratingLink(tx: Executor, ticketId: string, follow: { link: string; isGuestLink: boolean }): Promise<string> {
  const link = follow.isGuestLink ? follow.link : await issueGuestLink(tx, ticketId);
  return `${link}#how-did-we-do`;
}

/** The same send again (double click, resubmitted form): answered as the first one was, not as a collision with itself. */
async function isRepeatedReply(tx: Executor, ticketId: string, idempotencyKey: string | null | undefined): Promise<boolean> {
  if (!idempotencyKey) return false;
  const [row] = await tx
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.idempotencyKey, idempotencyKey)))
    .limit(1);
  return Boolean(row);
}

/** An agent moves a ticket to another status; resolving tells the learner by email. */
export async function setStatus({ ticketId, agentId, status }: { ticketId: string; agentId: string; status: TicketStatus }): Promise<AgentActionResult> {
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    if (!canAgentSetStatus(ticket.status, status)) return { ok: false, reason: "not_allowed" } as const;
    const now = new Date();
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "agent", actorAccountId: agentId });
    await tx.update(tickets).set({ status, lastActivityAt: now, lastStaffActivityAt: now }).where(eq(tickets.id, ticketId));
    if (status === "resolved") {
      const follow = followLink(tx, ticket);
      await follow.store;
      const rateLink = await ratingLink(tx, ticket.id, follow);
      await enqueueMail(tx, ticketResolvedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link: follow.link, isGuestLink: follow.isGuestLink, rateLink }));
    }
    await audit(tx, { actorId: agentId, action: "ticket.status", targetType: "ticket", targetId: ticketId, before: { status: ticket.status }, after: { status } });
    return { ok: true, status } as const;
  });
}

/**
 * An internal note that another context's action writes inside its own transaction, next to its
 * audit row (the account panel: "Sam sent a verification link to …"). `status` optionally moves
 * the ticket on, e.g. to "pending" while Customer Care waits for an issuer. Returns false when
 * the ticket does not exist, so the caller can roll back.
 */
export async function addActionNote(
  tx: Transaction,
  { ticketId, actorId, body, status }: { ticketId: string; actorId: string; body: string; status?: TicketStatus | null },
): Promise<boolean> {
  if (!isUuid(ticketId)) return false;
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
  if (!ticket) return false;
  const [actor] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, actorId)).limit(1);
  const now = new Date();
  await tx.insert(ticketMessages).values({
    ticketId,
    authorKind: "agent",
    authorAccountId: actorId,
    authorName: actor?.name ?? "Customer Care",
    body: cleanMultilineText(body),
    visibility: "internal",
    createdAt: now,
  });
  if (status && status !== ticket.status && canAgentSetStatus(ticket.status, status)) {
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "agent", actorAccountId: actorId });
    await tx.update(tickets).set({ status, lastActivityAt: now, lastStaffActivityAt: now }).where(eq(tickets.id, ticketId));
  }
  return true;
}
