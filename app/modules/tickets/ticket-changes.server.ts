// What the read and action files share: the ownership rule, the status event a change leaves, the
// "seen" marker, and where the requester follows a ticket.
import { sql } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import { ticketEvents, ticketReads, tickets, type Ticket } from "#db/schema";
import { config } from "~/lib/config.server";
import { newGuestLink } from "./guest-links.server";
import type { TicketStatus } from "./ticket-rules";

/** Tickets the viewer owns: their account's, and guest tickets sent from one of their verified addresses. */
export function ownedBy(viewerId: string) {
  return sql`(${tickets.accountId} = ${viewerId} or (${tickets.accountId} is null and lower(${tickets.requesterEmail}) in (
    select lower(e.email) from account_emails e where e.account_id = ${viewerId} and e.verified_at is not null)))`;
}

export async function recordStatusChange(
  tx: Executor,
  { ticket, to, at, actorKind, actorAccountId }: { ticket: Ticket; to: TicketStatus; at: Date; actorKind: "requester" | "agent"; actorAccountId: string | null },
) {
  if (ticket.status === to) return;
  await tx.insert(ticketEvents).values({ ticketId: ticket.id, at, actorKind, actorAccountId, fromStatus: ticket.status, toStatus: to });
}

export async function seenNow(tx: Executor, ticketId: string, accountId: string, at: Date) {
  await tx
    .insert(ticketReads)
    .values({ ticketId, accountId, lastSeenAt: at })
    .onConflictDoUpdate({ target: [ticketReads.ticketId, ticketReads.accountId], set: { lastSeenAt: sql`excluded.last_seen_at` } });
}

/**
 * Where the requester follows the ticket: the ticket page for an account, a fresh private link for
 * a guest. `store` saves the link's hash; run it in the same transaction as the mail carrying it.
 */
export function followLink(tx: Executor, ticket: { id: string; accountId: string | null }): { link: string; isGuestLink: boolean; store: PromiseLike<unknown> | null } {
  if (ticket.accountId) return { link: `${config.appUrl}/tickets/${ticket.id}`, isGuestLink: false, store: null };
  const { link, store } = newGuestLink(tx, ticket.id);
  return { link, isGuestLink: true, store };
}
