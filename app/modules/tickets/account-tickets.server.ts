// What the agent's account panel needs from tickets: the ticket it was opened from (to find the
// account and to quote the learner's request) and the learner's other tickets.
import { isUuid } from "~/lib/uuid";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { ticketMessages, tickets } from "#db/schema";
import type { TicketCategory, TicketStatus } from "./ticket-rules";

export interface TicketForPanel {
  id: string;
  reference: string;
  subject: string;
  status: TicketStatus;
  category: TicketCategory;
  accountId: string | null;
  requesterName: string;
  requesterEmail: string;
  /** "The address the badge was sent to", as the learner typed it on the form. */
  badgeEmail: string | null;
  issuerOrBadge: string | null;
  /** The learner's first message: what they asked for, in their words. */
  request: string;
}

/** The ticket by id for Customer Care (any ticket); null when there is none. */
export async function findTicketForPanel(ticketId: string): Promise<TicketForPanel | null> {
  if (!isUuid(ticketId)) return null;
  const [ticket] = await db
    .select({
      id: tickets.id,
      reference: tickets.reference,
      subject: tickets.subject,
      status: tickets.status,
      category: tickets.category,
      accountId: tickets.accountId,
      requesterName: tickets.requesterName,
      requesterEmail: tickets.requesterEmail,
      badgeEmail: tickets.badgeEmail,
      issuerOrBadge: tickets.issuerOrBadge,
      // (drizzle writes a one-table select's columns unqualified, so the inner query names the id itself)
      request: sql<string>`coalesce((select m.body from ${ticketMessages} m where m.ticket_id = ${ticketId}::uuid and m.author_kind = 'requester'
                                     order by m.created_at, m.id limit 1), '')`,
    })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .limit(1);
  return ticket ?? null;
}

export interface AccountTicket {
  id: string;
  reference: string;
  subject: string;
  status: TicketStatus;
  createdAt: Date;
}

const ACCOUNT_TICKETS_SHOWN = 20;

/**
 * The account's tickets, newest activity first: filed while signed in, or by a guest from any of
 * its addresses (verified or not: Customer Care sees everything).
 */
export async function listTicketsForAccount({ accountId, exceptTicketId = null }: { accountId: string; exceptTicketId?: string | null }): Promise<AccountTicket[]> {
  if (!isUuid(accountId)) return [];
  const found = rows<{ id: string; reference: string; subject: string; status: TicketStatus; created_at: Date | string }>(
    await db.execute(sql`
      select t.id, t.reference, t.subject, t.status, t.created_at
      from tickets t
      where t.id in (
        select id from tickets where account_id = ${accountId}
        union
        select id from tickets where lower(requester_email) in (select lower(email) from account_emails where account_id = ${accountId}))
        and (${exceptTicketId}::uuid is null or t.id <> ${exceptTicketId}::uuid)
      order by t.last_activity_at desc, t.id
      limit ${ACCOUNT_TICKETS_SHOWN}`),
  );
  return found.map((t) => ({ id: t.id, reference: t.reference, subject: t.subject, status: t.status, createdAt: new Date(t.created_at) }));
}
