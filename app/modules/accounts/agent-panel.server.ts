// Customer Care's view of an account: found from a ticket's addresses, by id, or by a search.
// Every look at an account is written to the audit log: who, whose account, when, from which ticket.
import { isUuid } from "~/lib/uuid";
import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { audit } from "~/modules/audit";
import type { Viewer } from "~/modules/auth";
import { undeliverableAmong } from "~/modules/mail";
import { findTicketForPanel, listTicketsForAccount, type AccountTicket, type PanelStart, type TicketForPanel } from "~/modules/tickets";
import { findAccountByAnyEmail, loadAccountLookup, lookupFromStatementRow } from "./account-lookup.server";
import { buildAccountPanel, type AccountPanelView } from "./agent-panel";
import { formatDay } from "~/lib/dates";

/**
 * "The address the badge was sent to", from the ticket, when no account holds it: the lookup
 * only finds misspellings it can guess, so the badges there are listed for the agent to act on.
 */
export interface TicketAddressAwards {
  email: string;
  awards: { id: string; badgeName: string; issuerName: string; issuedOn: string }[];
}

export type AccountPanelResult =
  | { found: true; panel: AccountPanelView; tickets: AccountTicket[]; ticket: TicketForPanel | null; matchedBy: string | null; ticketAddress: TicketAddressAwards | null }
  | { found: false; ticket: TicketForPanel | null; tried: string[] };


/**
 * The panel for an account: by id, or else the first account holding one of the addresses (any
 * case, verified or not). With a ticket and no id or addresses, the ticket's requester account,
 * its requester address and then "the address the badge was sent to" are tried in that order.
 */
export async function loadAccountPanel({
  actor,
  ticketId = null,
  ticket: givenTicket,
  accountId = null,
  emails = null,
  start = null,
  now = new Date(),
}: {
  actor: Pick<Viewer, "id">;
  ticketId?: string | null;
  /** The ticket already read by the caller (the ticket page), instead of its id. */
  ticket?: TicketForPanel;
  accountId?: string | null;
  emails?: string[] | null;
  /**
   * The ticket page's statement already found the account and looked it up, read its other
   * tickets, bounces and awards at the ticket's address, and wrote the audit row of the look
   * (loadAgentTicketPage): only the names from the badge catalog are left (in memory).
   */
  start?: PanelStart | null;
  now?: Date;
}): Promise<AccountPanelResult> {
  if (start) return panelFromStart({ ticket: givenTicket ?? null, start, now });
  const ticket = givenTicket ?? (ticketId ? await findTicketForPanel(ticketId) : null);
  let matchedBy: string | null = null;
  let found = accountId && isUuid(accountId) ? accountId : null;
  const tried = (emails ?? (ticket ? [ticket.requesterEmail, ticket.badgeEmail ?? ""] : [])).map((e) => e.trim()).filter(Boolean);
  if (!found && !accountId && !emails && ticket?.accountId) found = ticket.accountId;
  if (!found && !accountId) {
    for (const email of tried) {
      const holder = await findAccountByAnyEmail(email);
      if (holder) {
        found = holder.accountId;
        matchedBy = holder.matchedEmail.email;
        break;
      }
    }
  }
  const lookup = found ? await loadAccountLookup({ accountId: found }) : null;
  if (!lookup) return { found: false, ticket, tried };

  const [tickets, ticketAddress, bounces] = await Promise.all([
    listTicketsForAccount({ accountId: lookup.account.id, exceptTicketId: ticket?.id ?? null }),
    ticket?.badgeEmail ? awardsAtUnheldAddress(ticket.badgeEmail) : null,
    // Addresses mail can no longer reach: the agent should check them with the learner.
    undeliverableAmong(lookup.addresses.map((a) => a.email)),
  ]);
  await audit(db, {
    actorId: actor.id,
    action: "account.lookup",
    targetType: "account",
    targetId: lookup.account.id,
    accountId: lookup.account.id,
    ticketId: ticket?.id ?? null,
    after: matchedBy ? { matchedBy } : null,
  });
  return { found: true, panel: buildAccountPanel(lookup, now, bounces), tickets, ticket, matchedBy, ticketAddress };
}

async function panelFromStart({ ticket, start, now }: { ticket: TicketForPanel | null; start: PanelStart; now: Date }): Promise<AccountPanelResult> {
  const lookup = start.lookup ? await lookupFromStatementRow(start.lookup) : null;
  if (!lookup) return { found: false, ticket, tried: ticket ? [ticket.requesterEmail, ticket.badgeEmail ?? ""].map((e) => e.trim()).filter(Boolean) : [] };
  const ticketAddress = start.ticketAddress
    ? { email: start.ticketAddress.email, awards: start.ticketAddress.awards.map((a) => ({ ...a, issuedOn: formatDay(a.issuedOn) })) }
    : null;
  return { found: true, panel: buildAccountPanel(lookup, now, start.bounces), tickets: start.tickets, ticket, matchedBy: start.matchedBy, ticketAddress };
}

const TICKET_ADDRESS_AWARDS_SHOWN = 50;

async function awardsAtUnheldAddress(typed: string): Promise<TicketAddressAwards | null> {
  const email = typed.trim();
  if (!email.includes("@") || (await findAccountByAnyEmail(email))) return null;
  const found = rows<{ id: string; badge_name: string; issuer_name: string; issued_on: Date | string }>(
    await db.execute(sql`
      select a.id, b.name as badge_name, i.name as issuer_name, a.issued_on
      from awards a join badge_classes b on b.id = a.badge_class_id join issuers i on i.id = b.issuer_id
      where lower(a.recipient_email) = lower(${email})
      order by a.issued_on desc, a.id
      limit ${TICKET_ADDRESS_AWARDS_SHOWN}`),
  );
  if (found.length === 0) return null;
  return { email, awards: found.map((a) => ({ id: a.id, badgeName: a.badge_name, issuerName: a.issuer_name, issuedOn: formatDay(new Date(a.issued_on)) })) };
}

export interface AccountSearchHit {
  accountId: string;
  name: string;
  primaryEmail: string | null;
  /** Why it matched, e.g. "address ben@…", "name", "award 1f3…". */
  matched: string;
}

const SEARCH_RESULTS_SHOWN = 20;

/**
 * Accounts for a search box: an address (any case, verified or not, exact), an account or award id
 * (the award leads to the account holding its recipient address), or part of a name. Audited.
 */
export async function searchAccounts({ actor, query, ticketId = null }: { actor: Pick<Viewer, "id">; query: string; ticketId?: string | null }): Promise<AccountSearchHit[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  let hits: AccountSearchHit[];
  if (isUuid(q)) {
    hits = rows<AccountSearchHit>(
      await db.execute(sql`
        select a.id as "accountId", a.name, (select email from account_emails where account_id = a.id and is_primary) as "primaryEmail", 'account id' as matched
        from accounts a where a.id = ${q}
        union all
        select a.id, a.name, (select email from account_emails where account_id = a.id and is_primary), 'award to ' || aw.recipient_email
        from awards aw join account_emails e on lower(e.email) = lower(aw.recipient_email) join accounts a on a.id = e.account_id
        where aw.id = ${q}`),
    );
  } else if (q.includes("@")) {
    const holder = await findAccountByAnyEmail(q);
    hits = holder
      ? rows<AccountSearchHit>(
          await db.execute(sql`
            select a.id as "accountId", a.name, (select email from account_emails where account_id = a.id and is_primary) as "primaryEmail",
                   ${`address ${holder.matchedEmail.email}${holder.matchedEmail.verified ? "" : " (unverified)"}`} as matched
            from accounts a where a.id = ${holder.accountId}`),
        )
      : [];
  } else {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    hits = rows<AccountSearchHit>(
      await db.execute(sql`
        select a.id as "accountId", a.name, (select email from account_emails where account_id = a.id and is_primary) as "primaryEmail", 'name' as matched
        from accounts a where a.name ilike ${pattern}
        order by a.name, a.id
        limit ${SEARCH_RESULTS_SHOWN}`),
    );
  }
  await audit(db, {
    actorId: actor.id,
    action: "account.search",
    targetType: "account",
    targetId: hits.length === 1 ? hits[0].accountId : null,
    accountId: hits.length === 1 ? hits[0].accountId : null,
    ticketId: ticketId && isUuid(ticketId) ? ticketId : null,
    after: { query: q, results: hits.length },
  });
  return hits;
}
