import { desc, eq, sql, type SQL } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { mailOutbox } from "#db/schema";
import { config } from "~/lib/config.server";
import type { MailMessage } from "./templates";
import { messageIdDomain, newMessageId, referencesFor, replyAddressFor } from "./threading";

/** Queues a message; call it inside the transaction of the change that causes it. */
export async function enqueueMail(tx: Executor, message: MailMessage): Promise<{ messageId: string }> {
  const messageId = newMessageId(config.appUrl);
  const thread = message.thread ? await threadIdsOf(tx, message.thread.ticketId) : [];
  await tx.insert(mailOutbox).values({
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    messageId,
    ticketId: message.thread?.ticketId ?? null,
    ticketMessageId: message.thread?.ticketMessageId ?? null,
    inReplyTo: thread.at(-1) ?? null,
    referencesHeader: thread.length ? referencesFor(thread).join(" ") : null,
    automatic: message.automatic ?? false,
  });
  notifyMailQueued();
  return { messageId };
}

/**
 * The Message-IDs of a ticket's thread so far, oldest first: what we sent and what we received
 * from people (auto-replies and bounces are not part of the conversation).
 */
async function threadIdsOf(tx: Executor, ticketId: string): Promise<string[]> {
  const [row] = rows<{ ids: unknown }>(await tx.execute(sql`select ${threadIdsColumn(ticketId)} as ids`));
  return jsonStrings(row?.ids);
}

/**
 * The same list as one JSON array column, for a caller that reads it inside a statement of its
 * own (the agent's reply reads it with the collision guard's state); pass what it read to
 * outboxRowFrom.
 */
export function threadIdsColumn(ticketId: string): SQL {
  return sql`(select coalesce(json_agg(message_id order by at), '[]'::json) from (
      select message_id, created_at as at from mail_outbox where ticket_id = ${ticketId}::uuid and message_id is not null
      union all
      select message_id, received_at as at from inbound_emails where ticket_id = ${ticketId}::uuid and kind = 'normal'
    ) thread)`;
}

/** A JSON array of strings as read by either driver. */
export function jsonStrings(value: unknown): string[] {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/**
 * The outbox row as one part of a bigger statement (a chain of `with` inserts): queued once per
 * row of `source`, the name of an earlier part, with what enqueueMail() would write. A ticket's
 * first mail has nothing to thread to; a later one passes the thread's Message-IDs read before
 * (threadIdsColumn), for its In-Reply-To and References. Call notifyMailQueued() once the
 * statement has committed.
 */
export function outboxRowFrom(source: string, message: MailMessage, threadIds: string[] = []): SQL {
  const domain = messageIdDomain(config.appUrl);
  return sql`insert into ${mailOutbox} (to_address, subject, text_body, message_id, ticket_id, ticket_message_id, in_reply_to, references_header, automatic)
      select ${message.to}::text, ${message.subject}::text, ${message.text}::text,
             '<' || gen_random_uuid()::text || '@' || ${domain}::text || '>', ${message.thread?.ticketId ?? null}::uuid,
             ${message.thread?.ticketMessageId ?? null}::uuid, ${threadIds.at(-1) ?? null}::text,
             ${threadIds.length ? referencesFor(threadIds).join(" ") : null}::text, ${message.automatic ?? false}::boolean
      from ${sql.identifier(source)}`;
}

export async function listMailbox({ limit = 100 }: { limit?: number } = {}) {
  return db
    .select({
      id: mailOutbox.id,
      toAddress: mailOutbox.toAddress,
      subject: mailOutbox.subject,
      status: mailOutbox.status,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(limit);
}

export async function findMailMessage(id: string) {
  const [message] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).limit(1);
  return message ?? null;
}

// The delivery loop listens so that a new message goes out at once instead of at the next poll.
const listeners = new Set<() => void>();
export function onMailQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
/** Wakes the delivery loop; for writers that insert outbox rows in their own statement. */
export function notifyMailQueued() {
  for (const listener of listeners) listener();
}

/** A queued or sent message with the headers it is (or was) sent with, for the development mailbox's "Reply as the recipient". */
export async function findMailWithHeaders(id: string) {
  const result = await db.execute(sql`
    select m.id, m.to_address, m.subject, m.text_body, m.message_id, m.references_header, m.created_at, t.reference as ticket_reference
    from mail_outbox m left join tickets t on t.id = m.ticket_id where m.id = ${id}::uuid`);
  const [row] = rows<{ id: string; to_address: string; subject: string; text_body: string; message_id: string | null; references_header: string | null; created_at: string | Date; ticket_reference: string | null }>(result);
  if (!row) return null;
  const replyTo = row.ticket_reference ? replyAddressFor({ reference: row.ticket_reference, mailFrom: config.mailFrom, secret: config.replyAddressSecret }) : null;
  return {
    id: row.id,
    toAddress: row.to_address,
    subject: row.subject,
    text: row.text_body,
    messageId: row.message_id,
    references: row.references_header,
    sentAt: new Date(row.created_at),
    replyTo,
  };
}
