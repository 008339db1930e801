import { desc, eq, sql, type SQL } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { mailOutbox } from "#db/schema";
import type { MailMessage } from "./templates";

/** Queues a message; call it inside the transaction of the change that causes it. */
export async function enqueueMail(tx: Executor, message: MailMessage): Promise<void> {
  await tx.insert(mailOutbox).values({ toAddress: message.to, subject: message.subject, textBody: message.text });
  notifyMailQueued();
}

/**
 * The outbox row as one part of a bigger statement (a chain of `with` inserts): queued once per
 * row of `source`, the name of an earlier part. Call notifyMailQueued() once the statement has
 * committed.
 */
export function outboxRowFrom(source: string, message: MailMessage): SQL {
  return sql`insert into ${mailOutbox} (to_address, subject, text_body)
      select ${message.to}::text, ${message.subject}::text, ${message.text}::text from ${sql.identifier(source)}`;
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
