// The tickets side of the email channel: finding a ticket for an incoming email, writing the
// email into it (a reply, an auto-reply on record, or a message "from someone else" held for an
// agent), opening a ticket from an email, and an agent accepting a held message. All run in the
// inbound pipeline's transaction, which also marks the received email processed.
import { and, eq, sql } from "drizzle-orm";
import { db, rows, type Transaction } from "#db/client.server";
import { ticketEvents, ticketGuestLinks, ticketMessages, tickets, type Ticket } from "#db/schema";
import { config } from "~/lib/config.server";
import { isUuid } from "~/lib/uuid";
import { audit } from "~/modules/audit";
import { sha256 } from "~/modules/auth";
import { enqueueMail } from "~/modules/mail";
import { newGuestToken } from "./guest-links.server";
import { ticketReceivedByEmailMessage } from "./mail-templates";
import { newReference } from "./submit.server";
import { recordStatusChange } from "./ticket-changes.server";
import { cleanMultilineText, cleanSingleLineText, DESCRIPTION_MAX_LENGTH, statusAfterRequesterReply, SUBJECT_MAX_LENGTH, type TicketStatus } from "./ticket-rules";

export async function lockTicketById(tx: Transaction, ticketId: string): Promise<Ticket | null> {
  if (!isUuid(ticketId)) return null;
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
  return ticket ?? null;
}

export async function lockTicketByReference(tx: Transaction, reference: string): Promise<Ticket | null> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.reference, reference.toUpperCase())).for("update").limit(1);
  return ticket ?? null;
}

/** The ticket one of these Message-IDs belongs to: one we sent about it, or one we received on it. */
export async function ticketIdForMessageIds(tx: Transaction, messageIds: string[]): Promise<string | null> {
  if (messageIds.length === 0) return null;
  const list = sql.join(messageIds.map((id) => sql`${id}`), sql`, `);
  const result = await tx.execute(sql`
    select ticket_id from (
      select ticket_id, created_at as at from mail_outbox where message_id in (${list}) and ticket_id is not null
      union all
      select ticket_id, received_at as at from inbound_emails where message_id in (${list}) and ticket_id is not null
    ) known order by at desc limit 1`);
  return rows<{ ticket_id: string }>(result)[0]?.ticket_id ?? null;
}

/** Whether mail from this address is the requester's: the ticket's address, or one verified on the requester's account. */
export async function isRequesterAddress(tx: Transaction, ticket: Ticket, address: string): Promise<boolean> {
  if (address.toLowerCase() === ticket.requesterEmail.toLowerCase()) return true;
  if (!ticket.accountId) return false;
  const result = await tx.execute(sql`
    select 1 from account_emails where account_id = ${ticket.accountId}::uuid and lower(email) = lower(${address}) and verified_at is not null limit 1`);
  return rows(result).length > 0;
}

/** The account an address is verified on, if any: its mail opens a ticket of that account. */
export async function accountWithVerifiedAddress(tx: Transaction, address: string): Promise<{ id: string; name: string } | null> {
  const result = await tx.execute(sql`
    select a.id, a.name from account_emails e join accounts a on a.id = e.account_id
    where lower(e.email) = lower(${address}) and e.verified_at is not null limit 1`);
  return rows<{ id: string; name: string }>(result)[0] ?? null;
}

export type EmailMessageKind = "reply" | "held" | "automatic";

/**
 * Writes an emailed message into the ticket. A reply from the requester is a public message that
 * moves the ticket on like a web reply (a resolved ticket reopens). An automatic one (out of
 * office) is kept for the record, internal, and changes nothing. Mail from anyone else waits,
 * internal, for an agent to accept it; the requester stays who it was.
 */
export async function addEmailMessage(
  tx: Transaction,
  {
    ticket,
    kind,
    fromAddress,
    fromName,
    body,
    inboundEmailId,
    reason,
  }: { ticket: Ticket; kind: EmailMessageKind; fromAddress: string; fromName: string; body: string; inboundEmailId: string; reason?: string },
): Promise<{ messageId: string; status: TicketStatus }> {
  const now = new Date();
  const text = cleanMultilineText(body).slice(0, DESCRIPTION_MAX_LENGTH) || "(The email had no text.)";
  const name = cleanSingleLineText(fromName).slice(0, 100) || fromAddress;
  const isReply = kind === "reply";
  const [message] = await tx
    .insert(ticketMessages)
    .values({
      ticketId: ticket.id,
      authorKind: isReply ? "requester" : "system",
      authorAccountId: isReply ? ticket.accountId : null,
      authorName: isReply ? ticket.requesterName : name,
      body: text,
      visibility: isReply ? "public" : "internal",
      channel: "email",
      inboundEmailId,
      emailFrom: fromAddress,
      automatic: kind === "automatic",
      held: kind === "held",
      createdAt: now,
    })
    .returning({ id: ticketMessages.id });
  let status = ticket.status;
  if (isReply) {
    status = statusAfterRequesterReply(ticket.status);
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "requester", actorAccountId: ticket.accountId });
    await tx.update(tickets).set({ status, lastActivityAt: now }).where(eq(tickets.id, ticket.id));
  }
  await audit(tx, {
    actorId: null,
    action: { reply: "ticket.reply", held: "ticket.email_held", automatic: "ticket.email_automatic" }[kind],
    targetType: "ticket",
    targetId: ticket.id,
    ticketId: ticket.id,
    before: { status: ticket.status },
    after: { by: isReply ? "requester" : fromAddress, via: "email", messageId: message.id, status, ...(reason ? { reason } : {}) },
  });
  return { messageId: message.id, status };
}

export interface EmailTicketInput {
  fromAddress: string;
  fromName: string;
  subject: string;
  body: string;
  inboundEmailId: string;
  /** Articles that may answer it, mailed back with the confirmation. */
  suggestions: { title: string; url: string }[];
  /** false when the sender had too many automatic answers lately: the ticket opens, unanswered. */
  answer: boolean;
}

/**
 * A ticket from an email nobody was expecting: a guest ticket, or the account's when the sender's
 * address is verified on one; category "other", for an agent to sort.
 */
export async function openTicketFromEmail(tx: Transaction, input: EmailTicketInput): Promise<{ ticketId: string; reference: string; messageId: string }> {
  const account = await accountWithVerifiedAddress(tx, input.fromAddress);
  const name = cleanSingleLineText(input.fromName).slice(0, 100) || account?.name || input.fromAddress.split("@")[0];
  const subject = cleanSingleLineText(input.subject).slice(0, SUBJECT_MAX_LENGTH) || "(no subject)";
  const description = cleanMultilineText(input.body).slice(0, DESCRIPTION_MAX_LENGTH) || "(The email had no text.)";
  const now = new Date();
  const reference = newReference();
  const [ticket] = await tx
    .insert(tickets)
    .values({
      reference,
      accountId: account?.id ?? null,
      requesterName: name,
      requesterEmail: input.fromAddress,
      category: "other",
      subject,
      source: "email",
      fingerprint: sha256([input.fromAddress.toLowerCase(), subject, description].join("\n")),
      createdAt: now,
      lastActivityAt: now,
    })
    .returning();
  const [message] = await tx
    .insert(ticketMessages)
    .values({
      ticketId: ticket.id,
      authorKind: "requester",
      authorAccountId: account?.id ?? null,
      authorName: name,
      body: description,
      visibility: "public",
      channel: "email",
      inboundEmailId: input.inboundEmailId,
      emailFrom: input.fromAddress,
      createdAt: now,
    })
    .returning({ id: ticketMessages.id });
  await tx.insert(ticketEvents).values({ ticketId: ticket.id, at: now, actorKind: "requester", actorAccountId: account?.id ?? null, fromStatus: null, toStatus: "new" });
  let link = `${config.appUrl}/tickets/${ticket.id}`;
  if (!account) {
    const guest = newGuestToken();
    await tx.insert(ticketGuestLinks).values({ ticketId: ticket.id, tokenHash: guest.tokenHash });
    link = guest.link;
  }
  if (input.answer) {
    await enqueueMail(
      tx,
      ticketReceivedByEmailMessage({ to: input.fromAddress, name, ticket: { id: ticket.id, reference, subject }, link, isGuestLink: !account, suggestions: input.suggestions }),
    );
  }
  await audit(tx, {
    actorId: null,
    action: "ticket.create",
    targetType: "ticket",
    targetId: ticket.id,
    ticketId: ticket.id,
    after: { reference, category: "other", source: "email", guest: !account, answered: input.answer },
  });
  return { ticketId: ticket.id, reference, messageId: message.id };
}

export type AcceptHeldResult = { ok: true } | { ok: false; reason: "not_found" };

/** An agent accepts mail "from someone else" into the thread: the requester now sees it. The requester stays who it was. */
export async function acceptHeldMessage({ ticketId, messageId, agentId }: { ticketId: string; messageId: string; agentId: string }): Promise<AcceptHeldResult> {
  if (!isUuid(ticketId) || !isUuid(messageId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [message] = await tx
      .update(ticketMessages)
      .set({ held: false, visibility: "public" })
      .where(and(eq(ticketMessages.id, messageId), eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.held, true)))
      .returning({ id: ticketMessages.id, emailFrom: ticketMessages.emailFrom });
    if (!message) return { ok: false, reason: "not_found" } as const;
    await tx.update(tickets).set({ lastActivityAt: new Date() }).where(eq(tickets.id, ticketId));
    await audit(tx, { actorId: agentId, action: "ticket.email_accepted", targetType: "ticket", targetId: ticketId, ticketId, after: { messageId, from: message.emailFrom } });
    return { ok: true } as const;
  });
}

/** A line on the ticket for agents: mail about it bounced. */
export async function addBounceNote(tx: Transaction, { ticketId, text, inboundEmailId }: { ticketId: string; text: string; inboundEmailId: string }): Promise<string> {
  const [message] = await tx
    .insert(ticketMessages)
    .values({ ticketId, authorKind: "system", authorName: "Mail delivery", body: text, visibility: "internal", channel: "email", inboundEmailId, automatic: true, createdAt: new Date() })
    .returning({ id: ticketMessages.id });
  return message.id;
}
