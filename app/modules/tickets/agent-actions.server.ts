// Agent actions the requester sees (public reply, status change) and the internal note another
// context's action leaves on a ticket. Each is one transaction with its status event, audit row
// and outbox mail. The agent desk grows here.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db, transactionInBatches, type Executor, type Transaction } from "#db/client.server";
import { accounts, ticketMessages, tickets } from "#db/schema";
import { isUuid } from "~/lib/uuid";
import { attachFiles, attachmentLimits, filesAudited, filesProblem, type IncomingFile } from "~/modules/attachments";
import { config } from "~/lib/config.server";
import { audit, auditRowFrom } from "~/modules/audit";
import { enqueueMail, jsonStrings, notifyMailQueued, outboxRowFrom, threadIdsColumn } from "~/modules/mail";
import { encodeTicketState, threadStateColumns } from "./collision.server";
import { ticketReplyMessage, ticketResolvedMessage } from "./mail-templates";
import { followLink, recordStatusChange } from "./ticket-changes.server";
import { issueGuestLink, newGuestToken } from "./guest-links.server";
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
  // Two round trips in one transaction (it was eleven): BEGIN, the ticket's lock and what the
  // checks need go out together; then everything is written and committed together (one flush).
  const result = await transactionInBatches(async (transaction) => {
    const { send, sendAndCommit } = transaction;
    const [[locked], [seen]] = await send(
      sql`select t.id, t.reference, t.subject, t.status, t.assignee_id, t.account_id, t.requester_email, t.requester_name,
                 (select a.name from accounts a where a.id = ${agentId}::uuid) as agent_name
          from tickets t where t.id = ${ticketId}::uuid limit 1 for update of t`,
      // Read under the ticket's row lock: a statement of its own, run after the lock was granted,
      // so it sees everything committed before that; nobody can add to the thread between this
      // check and the insert.
      sql`select ${threadStateColumns(ticketId)},
                 exists (select 1 from ticket_messages m where m.ticket_id = ${ticketId}::uuid and m.idempotency_key = ${idempotencyKey ?? null}::text) as repeated,
                 ${threadIdsColumn(ticketId)} as thread_ids`,
    );
    if (!locked) return { ok: false, reason: "not_found" } as const;
    const ticket = {
      id: locked.id as string,
      reference: locked.reference as string,
      subject: locked.subject as string,
      status: locked.status as TicketStatus,
      assigneeId: (locked.assignee_id as string | null) ?? null,
      accountId: (locked.account_id as string | null) ?? null,
      requesterEmail: locked.requester_email as string,
      requesterName: locked.requester_name as string,
    };
    const agentName = (locked.agent_name as string | null) ?? null;
    if (agentName === null) return { ok: false, reason: "not_allowed" } as const;
    // The same send again (double click, resubmitted form) is answered as the first one was, not as a collision with itself.
    if (unchangedSince != null && !seen.repeated) {
      const current = encodeTicketState({ messageCount: Number(seen.message_count), lastEventId: Number(seen.last_event_id), assigneeId: ticket.assigneeId });
      if (current !== unchangedSince) return { ok: false, reason: "changed" } as const;
    }
    const now = new Date();
    const messageId = randomUUID();
    // Only a public reply takes a new ticket into work by itself; a note changes status only when asked to.
    const status =
      visibility === "public" ? statusAfterAgentReply(ticket.status, requested) : requested && canAgentSetStatus(ticket.status, requested) ? requested : ticket.status;
    const statusChanged = status !== ticket.status;
    const becameResolved = statusChanged && status === "resolved";
    const mailing = visibility === "public" || becameResolved;
    // Where the requester follows the ticket (a guest gets a fresh private link), and the
    // rating link in the resolved mail (a private link too: a guest's follow link already is one).
    const follow = mailing ? followLinkFor(ticket) : null;
    const rating = becameResolved && follow && !follow.tokenHash ? newGuestToken() : null;
    const newLinkHash = follow?.tokenHash ?? rating?.tokenHash ?? null;
    const rateLink = becameResolved && follow ? `${rating ? rating.link : follow.link}#how-did-we-do` : null;
    const mail = !follow
      ? null
      : visibility === "public"
        ? ticketReplyMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, agentName, reply: text, resolved: becameResolved, link: follow.link, isGuestLink: follow.tokenHash !== null, rateLink, ticketMessageId: messageId })
        : ticketResolvedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link: follow.link, isGuestLink: follow.tokenHash !== null, rateLink: rateLink! });
    const at = now.toISOString();
    // Every write hangs off the message: when its key was already used (a repeat), nothing is written.
    const write = sql`
        with message as (
          insert into ticket_messages (id, ticket_id, author_kind, author_account_id, author_name, body, visibility, idempotency_key, created_at)
          values (${messageId}::uuid, ${ticketId}::uuid, 'agent', ${agentId}::uuid, ${agentName}::text, ${text}::text, ${visibility}::text, ${idempotencyKey ?? null}::text, ${at}::timestamptz)
          on conflict do nothing
          returning id
        ),
        status_event as (
          insert into ticket_events (ticket_id, at, actor_kind, actor_account_id, from_status, to_status)
          select ${ticketId}::uuid, ${at}::timestamptz, 'agent', ${agentId}::uuid, ${ticket.status}::text, ${status}::text from message where ${statusChanged}::boolean
        ),
        -- An internal note alone leaves no trace the learner could see, not even a newer "last update".
        -- A public reply ends the requester's wait here too, as the ticket_messages trigger would
        -- (migration 0010): the trigger then finds nothing to change, and the ticket row, with its
        -- sixteen indexes, is rewritten once instead of twice.
        ticket_change as (
          update tickets set status = ${status}::text, last_activity_at = ${at}::timestamptz, last_staff_activity_at = ${at}::timestamptz,
                             awaiting_since = case when ${visibility === "public"}::boolean then null else awaiting_since end
          where id = ${ticketId}::uuid and ${visibility === "public" || statusChanged}::boolean and exists (select 1 from message)
        ),
        private_link as (
          insert into ticket_guest_links (ticket_id, token_hash) select ${ticketId}::uuid, ${newLinkHash}::text from message where ${newLinkHash}::text is not null
        ),
        ${mail ? sql`reply_mail as (${outboxRowFrom("message", mail, jsonStrings(seen.thread_ids))}),` : sql``}
        audit_row as (${auditRowFrom("message", {
          actorId: agentId,
          action: visibility === "public" ? "ticket.reply" : "ticket.note",
          targetType: "ticket",
          targetId: sql`${ticketId}::text`,
          before: { status: ticket.status },
          after: { by: "agent", messageId, status, ...filesAudited(files) },
        })})
        select id from message`;
    // Files are stored with the message (the delivery loop reads them from the blob store when it
    // sends the reply), after it: then COMMIT goes out on its own.
    const [written] = files.length ? await send(write) : await sendAndCommit(write);
    if (written.length === 0) return { ok: true, status: ticket.status } as const;
    if (files.length) await attachFiles(transaction.tx, { ticketId, messageId, files });
    return { ok: true, status, messageId, mailed: mail !== null } as const;
  });
  if (result.ok && "mailed" in result) {
    if (result.mailed) notifyMailQueued();
    return { ok: true, status: result.status, messageId: result.messageId };
  }
  return result;
}

/** Where the requester follows the ticket: the ticket page for an account, a fresh private link (its hash to store) for a guest. */
function followLinkFor(ticket: { id: string; accountId: string | null }): { link: string; tokenHash: string | null } {
  if (ticket.accountId) return { link: `${config.appUrl}/tickets/${ticket.id}`, tokenHash: null };
  const { link, tokenHash } = newGuestToken();
  return { link, tokenHash };
}

/**
 * "How did we do?" in the resolved email works without signing in: it is a private link to the
 * ticket (a guest's follow link already is one; an account's ticket gets one for the rating).
 */
async function ratingLink(tx: Executor, ticketId: string, follow: { link: string; isGuestLink: boolean }): Promise<string> {
  const link = follow.isGuestLink ? follow.link : await issueGuestLink(tx, ticketId);
  return `${link}#how-did-we-do`;
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
