// Delivery reports coming back: the outbox row they are about, and addresses that cannot
// receive mail (a permanent 5.x.x failure), which the delivery loop then skips.
import { eq, inArray, sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { mailOutbox, undeliverableAddresses } from "#db/schema";

export interface BounceRecord {
  originalMessageIds: string[];
  address: string;
  status: string;
  diagnostic: string | null;
  permanent: boolean;
  inboundEmailId: string;
}

/** Marks the outbox row the report is about; a permanent failure makes the address undeliverable. Returns the row (and its ticket), or null when the report is about no mail of ours. */
export async function recordBounce(tx: Executor, bounce: BounceRecord): Promise<{ outboxId: string; ticketId: string | null; toAddress: string } | null> {
  if (bounce.originalMessageIds.length === 0) return null;
  const [row] = await tx
    .update(mailOutbox)
    .set({ bounceStatus: bounce.status, bouncedAt: new Date() })
    .where(inArray(mailOutbox.messageId, bounce.originalMessageIds))
    .returning({ outboxId: mailOutbox.id, ticketId: mailOutbox.ticketId, toAddress: mailOutbox.toAddress });
  if (!row) return null;
  if (bounce.permanent) {
    const email = (bounce.address || row.toAddress).toLowerCase();
    await tx
      .insert(undeliverableAddresses)
      .values({ email, status: bounce.status, diagnostic: bounce.diagnostic, outboxId: row.outboxId, inboundEmailId: bounce.inboundEmailId })
      .onConflictDoUpdate({
        target: undeliverableAddresses.email,
        set: { status: bounce.status, diagnostic: bounce.diagnostic, outboxId: row.outboxId, inboundEmailId: bounce.inboundEmailId, at: new Date() },
      });
  }
  return row;
}

/** The undeliverable ones among these addresses (for the ticket page and the account panel). */
export async function undeliverableAmong(addresses: string[]): Promise<{ email: string; status: string; diagnostic: string | null; at: Date }[]> {
  if (addresses.length === 0) return [];
  return db
    .select({ email: undeliverableAddresses.email, status: undeliverableAddresses.status, diagnostic: undeliverableAddresses.diagnostic, at: undeliverableAddresses.at })
    .from(undeliverableAddresses)
    .where(inArray(undeliverableAddresses.email, addresses.map((a) => a.toLowerCase())));
}

/** Whether mail to this address is known to bounce for good. */
export async function isUndeliverable(tx: Executor, address: string): Promise<{ status: string } | null> {
  const result = await tx.execute(sql`select status from undeliverable_addresses where email = lower(${address}) limit 1`);
  return rows<{ status: string }>(result)[0] ?? null;
}

/** An agent corrected the address (or the person fixed their mailbox): mail goes to it again. */
export async function clearUndeliverable(address: string): Promise<void> {
  await db.delete(undeliverableAddresses).where(eq(undeliverableAddresses.email, address.toLowerCase()));
}
