// A learner's tickets for "Download my data", and what deleting the account does to them: kept
// for Customer Care's records, with the requester's name and addresses taken out.
import { sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";

/** The requester's name and address on a ticket of a deleted account. `.invalid` is never a real mailbox. */
export const DELETED_REQUESTER_NAME = "Deleted account";
export const DELETED_REQUESTER_EMAIL = "deleted-account@deleted.invalid";

// The tickets My tickets lists: the account's own, and guest tickets from its verified addresses.
const ticketsOf = (accountId: string) => sql`
  select t.id from tickets t where t.account_id = ${accountId}
  union
  select t.id from tickets t
  where t.account_id is null
    and lower(t.requester_email) in (select lower(e.email) from account_emails e where e.account_id = ${accountId} and e.verified_at is not null)`;

export interface ExportedTicket {
  reference: string;
  subject: string;
  category: string;
  status: string;
  createdAt: string;
  issuerOrBadge: string | null;
  badgeEmail: string | null;
  messages: { from: string; at: string; text: string }[];
}

/** The learner's tickets with every message they can read on the ticket page (internal notes stay Customer Care's). */
export async function ticketsForExport({ accountId }: { accountId: string }): Promise<ExportedTicket[]> {
  const found = rows<{ id: string; reference: string; subject: string; category: string; status: string; created_at: Date | string; issuer_or_badge: string | null; badge_email: string | null; messages: unknown }>(
    await db.execute(sql`
      select t.id, t.reference, t.subject, t.category, t.status, t.created_at, t.issuer_or_badge, t.badge_email,
        coalesce((select json_agg(json_build_object('from', m.author_name, 'at', m.created_at, 'text', m.body) order by m.created_at)
                  from ticket_messages m where m.ticket_id = t.id and m.visibility = 'public'), '[]'::json) as messages
      from tickets t join (${ticketsOf(accountId)}) mine on mine.id = t.id
      order by t.created_at`),
  );
  return found.map((t) => ({
    reference: t.reference,
    subject: t.subject,
    category: t.category,
    status: t.status,
    createdAt: new Date(t.created_at).toISOString(),
    issuerOrBadge: t.issuer_or_badge,
    badgeEmail: t.badge_email,
    messages: (Array.isArray(t.messages) ? t.messages : []).map((m: { from: string; at: string; text: string }) => ({ from: m.from, at: new Date(m.at).toISOString(), text: m.text })),
  }));
}

/**
 * Inside the deletion's transaction, before the addresses go: the learner's tickets lose the
 * requester's name, address and the badge address, their messages the learner's name, and
 * their private links stop working. Subjects and messages stay for Customer Care's records.
 * Returns how many tickets were anonymised.
 */
export async function anonymiseTicketsOf(tx: Executor, { accountId }: { accountId: string }): Promise<number> {
  const changed = rows<{ id: string }>(
    await tx.execute(sql`
      update tickets t set account_id = null, requester_name = ${DELETED_REQUESTER_NAME}, requester_email = ${DELETED_REQUESTER_EMAIL}, badge_email = null
      where t.id in (${ticketsOf(accountId)})
      returning t.id`),
  );
  if (changed.length === 0) return 0;
  const ids = sql.join(changed.map((t) => sql`${t.id}::uuid`), sql`, `);
  await tx.execute(sql`update ticket_messages set author_name = ${DELETED_REQUESTER_NAME}, author_account_id = null where ticket_id in (${ids}) and author_kind = 'requester'`);
  await tx.execute(sql`update ticket_guest_links set revoked_at = now() where ticket_id in (${ids}) and revoked_at is null`);
  await tx.execute(sql`delete from ticket_reads where account_id = ${accountId}`);
  return changed.length;
}
