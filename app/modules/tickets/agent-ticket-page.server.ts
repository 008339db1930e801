// The agent's ticket page in one statement: the ticket, its thread (messages, status changes,
// attachments), the rating, whether mail to the requester bounces, the agents and macros for the
// forms, the "who has this open" mark, and everything the account panel needs besides the
// account lookup itself (which account, the audit row of the look, its other tickets, bounced
// addresses, awards at an unheld "address the badge was sent to"), and the account lookup itself
// (accounts' statement, as a sub-select). It was 13 statements, each a round trip with its own
// per-statement cost in PostgreSQL and in postgres.js; this is one.
import { sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { isUuid } from "~/lib/uuid";
import { LOOKUP_AFTER_TARGET_SQL } from "~/modules/accounts/account-lookup-sql";
import type { LookupRow } from "~/modules/accounts/account-lookup";
import type { AttachmentSummary } from "~/modules/attachments";
import type { AccountTicket } from "./account-tickets.server";
import { agentsRead, jsonArray, threadOf, uuidFrom, type AgentSummary, type AgentTicketView, type ThreadEvent, type ThreadMessage } from "./agent-desk.server";
import { encodeTicketState } from "./collision.server";
import type { RatingView, TicketRating } from "./ratings";
import type { TicketCategory, TicketStatus } from "./ticket-rules";

/** An address mail can no longer reach (a permanent bounce). */
export interface AddressBounceRow {
  email: string;
  status: string;
  diagnostic: string | null;
  at: Date;
}

/** What the account panel needs from the page's statement: the account it shows, already audited. */
export interface PanelStart {
  /** The ticket's account: the one that filed it, else the holder of the requester address, else of the badge address. */
  accountId: string | null;
  /** The account lookup's row for it (loadAccountLookup's statement), null without an account. */
  lookup: LookupRow | null;
  /** The address it was found by, as stored (null when the ticket was filed from the account). */
  matchedBy: string | null;
  /** The account's other tickets, newest activity first. */
  tickets: AccountTicket[];
  /** Bounces among the account's addresses (its own and those being moved to it). */
  bounces: AddressBounceRow[];
  /** Awards to the "address the badge was sent to" when no account holds it. */
  ticketAddress: { email: string; awards: { id: string; badgeName: string; issuerName: string; issuedOn: Date }[] } | null;
}

export interface AgentTicketPage {
  ticket: AgentTicketView;
  agents: AgentSummary[];
  macros: { id: string; title: string }[];
  rating: RatingView | null;
  /** Mail to the requester bounced for good: the agent must know before answering by email. */
  bounced: AddressBounceRow | null;
  /** The requester's other tickets, when no account is found (the panel lists them otherwise). */
  otherTickets: { id: string; reference: string; subject: string; status: TicketStatus; lastActivityAt: Date }[];
  panel: PanelStart;
}

// Limits are written into the statement, not sent as parameters, so that its generic plan knows them.
const ACCOUNT_TICKETS_SHOWN = 20;
const OTHER_TICKETS_SHOWN = 10;
const TICKET_ADDRESS_AWARDS_SHOWN = 50;

type Json = Record<string, unknown>;
const date = (value: unknown) => new Date(value as string);

/**
 * The page for an agent, or null when there is no such ticket. Writes, in the same statement, the
 * agent's presence mark and, when an account is found, the audit row of that look (who, whose
 * account, when, from which ticket, and by which address); the statement commits durably, so the
 * record of the look is on disk before the panel is shown.
 */
export async function loadAgentTicketPage({ ticketId, agentId }: { ticketId: string; agentId: string }): Promise<AgentTicketPage | null> {
  if (!isUuid(ticketId)) return null;
  const agents = agentsRead();
  const [row] = rows<Json>(
    await db.execute(sql`
      with t as (
        select t.id, t.reference, t.subject, t.category, t.status, t.requester_name, t.requester_email, t.issuer_or_badge, t.badge_email,
               t.account_id, t.article_slug, t.created_at, t.awaiting_since, t.assignee_id, a.name as assignee_name,
               -- The requester's account: the one that filed it, or else the one holding its address verified.
               coalesce(t.account_id, (select e.account_id from account_emails e
                                       where lower(e.email) = lower(t.requester_email) and e.verified_at is not null limit 1)) as requester_account_id
        from tickets t left join accounts a on a.id = t.assignee_id
        where t.id = ${ticketId}::uuid
      ),
      -- The panel's account: the one that filed the ticket, else the holder of the requester
      -- address, else of "the address the badge was sent to" (any case, verified or not).
      panel_account as (
        select coalesce(t.account_id, r.account_id, b.account_id) as account_id,
               case when t.account_id is null then coalesce(r.email, b.email) end as matched_by
        from t
        left join lateral (select e.account_id, e.email from account_emails e
                           where t.account_id is null and lower(e.email) = lower(btrim(t.requester_email)) limit 1) r on true
        left join lateral (select e.account_id, e.email from account_emails e
                           where t.account_id is null and r.account_id is null and btrim(t.badge_email) <> ''
                             and lower(e.email) = lower(btrim(t.badge_email)) limit 1) b on true
      ),
      -- A presence mark (data-modifying parts always run, referenced or not).
      viewing as (
        insert into ticket_viewers (ticket_id, agent_id, seen_at)
        select t.id, ${agentId}::uuid, now() from t
        on conflict (ticket_id, agent_id) do update set seen_at = excluded.seen_at
      ),
      looked as (
        insert into audit_log (actor_id, action, target_type, target_id, after, account_id, ticket_id)
        select ${agentId}::uuid, 'account.lookup', 'account', p.account_id::text,
               case when p.matched_by is not null then jsonb_build_object('matchedBy', p.matched_by) end, p.account_id, t.id
        from panel_account p, t
        where p.account_id is not null
      )
      select t.*, p.account_id as panel_account_id, p.matched_by,
        (select coalesce(json_agg(json_build_object(
                  'id', m.id, 'at', m.created_at, 'authorKind', m.author_kind, 'authorAccountId', m.author_account_id, 'authorName', m.author_name,
                  'body', m.body, 'visibility', m.visibility, 'channel', m.channel, 'emailFrom', m.email_from, 'automatic', m.automatic,
                  'held', m.held, 'inboundEmailId', m.inbound_email_id) order by m.created_at, m.id), '[]'::json)
         from ticket_messages m where m.ticket_id = t.id) as messages,
        (select coalesce(json_agg(json_build_object(
                  'id', e.id, 'at', e.at, 'actorKind', e.actor_kind, 'byName', a.name, 'from', e.from_status, 'to', e.to_status) order by e.at, e.id), '[]'::json)
         from ticket_events e left join accounts a on a.id = e.actor_account_id where e.ticket_id = t.id) as events,
        (select coalesce(json_agg(json_build_object(
                  'id', f.id, 'messageId', f.message_id, 'filename', f.filename, 'contentType', f.content_type, 'sizeBytes', f.size_bytes,
                  'inline', f.inline, 'contentId', f.content_id, 'blobSha256', f.blob_sha256) order by f.created_at, f.id), '[]'::json)
         from ticket_attachments f where f.ticket_id = t.id and f.message_id is not null) as files,
        (select json_build_object('rating', r.rating, 'comment', r.comment, 'firstRatedAt', r.first_rated_at, 'ratedAt', r.rated_at)
         from ticket_ratings r where r.ticket_id = t.id) as rating,
        (select json_build_object('email', u.email, 'status', u.status, 'diagnostic', u.diagnostic, 'at', u.at)
         from undeliverable_addresses u where u.email = lower(t.requester_email)) as bounced,
        ${agents.columns},
        (select coalesce(json_agg(json_build_object('id', k.id, 'title', k.title) order by lower(k.title)), '[]'::json) from ticket_macros k) as macros,
        -- Without an account: the tickets from the same address (any case). With one, the panel's list below.
        (select coalesce(json_agg(o order by o.last_activity_at desc), '[]'::json) from (
           select o.id, o.reference, o.subject, o.status, o.last_activity_at from tickets o
           where p.account_id is null and lower(o.requester_email) = lower(t.requester_email) and o.id <> t.id
           order by o.last_activity_at desc limit ${sql.raw(String(OTHER_TICKETS_SHOWN))}) o) as other_tickets,
        (select coalesce(json_agg(o order by o.last_activity_at desc, o.id), '[]'::json) from (
           select o.id, o.reference, o.subject, o.status, o.created_at, o.last_activity_at from tickets o
           where o.id in (select id from tickets where account_id = p.account_id
                          union
                          select id from tickets where lower(requester_email) in (select lower(email) from account_emails where account_id = p.account_id))
             and o.id <> t.id
           order by o.last_activity_at desc, o.id limit ${sql.raw(String(ACCOUNT_TICKETS_SHOWN))}) o) as account_tickets,
        (select coalesce(json_agg(json_build_object('email', u.email, 'status', u.status, 'diagnostic', u.diagnostic, 'at', u.at)), '[]'::json)
         from undeliverable_addresses u
         where u.email in (select lower(e.email) from account_emails e where e.account_id = p.account_id
                           union all
                           select lower(e.email) from account_email_claims c join account_emails e on e.id = c.email_id where c.account_id = p.account_id)) as account_bounces,
        (select coalesce(json_agg(w order by w.issued_on desc, w.id), '[]'::json) from (
           select w.id, b.name as badge_name, i.name as issuer_name, w.issued_on
           from awards w join badge_classes b on b.id = w.badge_class_id join issuers i on i.id = b.issuer_id
           where p.account_id is not null and position('@' in t.badge_email) > 0
             and lower(w.recipient_email) = lower(btrim(t.badge_email))
             and not exists (select 1 from account_emails e where lower(e.email) = lower(btrim(t.badge_email)))
           order by w.issued_on desc, w.id limit ${sql.raw(String(TICKET_ADDRESS_AWARDS_SHOWN))}) w) as badge_address_awards,
        (select row_to_json(l) from (with target as (select p.account_id) ${sql.raw(LOOKUP_AFTER_TARGET_SQL)}) l) as lookup
      from t, panel_account p`),
  );
  if (!row) return null;

  const messages = jsonArray<Json>(row.messages).map((m): ThreadMessage => ({ ...(m as unknown as ThreadMessage), at: date(m.at) }));
  const events = jsonArray<Json>(row.events).map((e): ThreadEvent => ({ ...(e as unknown as ThreadEvent), at: date(e.at) }));
  const files = jsonArray<AttachmentSummary>(row.files);
  const { thread, byAgent, messageCount, lastEventId } = threadOf({ ticketId, messages, events, files, after: null, agentId });
  const assigneeId = (row.assignee_id as string | null) ?? null;
  const ticket: AgentTicketView = {
    id: row.id as string,
    reference: row.reference as string,
    subject: row.subject as string,
    category: row.category as TicketCategory,
    status: row.status as TicketStatus,
    requesterName: row.requester_name as string,
    requesterEmail: row.requester_email as string,
    issuerOrBadge: (row.issuer_or_badge as string | null) ?? null,
    badgeEmail: (row.badge_email as string | null) ?? null,
    accountId: (row.account_id as string | null) ?? null,
    requesterAccountId: (row.requester_account_id as string | null) ?? null,
    articleSlug: (row.article_slug as string | null) ?? null,
    createdAt: date(row.created_at),
    awaitingSince: row.awaiting_since ? date(row.awaiting_since) : null,
    assigneeId,
    assigneeName: (row.assignee_name as string | null) ?? null,
    thread,
    // The collision guard's state is taken from the very rows shown: what this agent has seen.
    state: encodeTicketState({ messageCount, lastEventId, assigneeId }),
    composerKey: uuidFrom(`${row.id as string}:${agentId}:${byAgent}`),
  };
  const rating = jsonObject(row.rating);
  const bounced = jsonObject(row.bounced);
  const badgeAwards = jsonArray<Json>(row.badge_address_awards);
  return {
    ticket,
    agents: agents.from(row),
    macros: jsonArray<{ id: string; title: string }>(row.macros),
    rating: rating
      ? { rating: rating.rating as TicketRating, comment: (rating.comment as string | null) ?? null, firstRatedAt: date(rating.firstRatedAt), ratedAt: date(rating.ratedAt) }
      : null,
    bounced: bounced ? bounceOf(bounced) : null,
    otherTickets: jsonArray<Json>(row.other_tickets).map((o) => ({
      id: o.id as string,
      reference: o.reference as string,
      subject: o.subject as string,
      status: o.status as TicketStatus,
      lastActivityAt: date(o.last_activity_at),
    })),
    panel: {
      accountId: (row.panel_account_id as string | null) ?? null,
      lookup: (jsonObject(row.lookup) as LookupRow | null) ?? null,
      matchedBy: (row.matched_by as string | null) ?? null,
      tickets: jsonArray<Json>(row.account_tickets).map((o) => ({
        id: o.id as string,
        reference: o.reference as string,
        subject: o.subject as string,
        status: o.status as TicketStatus,
        createdAt: date(o.created_at),
      })),
      bounces: jsonArray<Json>(row.account_bounces).map(bounceOf),
      ticketAddress: badgeAwards.length
        ? {
            email: (row.badge_email as string).trim(),
            awards: badgeAwards.map((w) => ({ id: w.id as string, badgeName: w.badge_name as string, issuerName: w.issuer_name as string, issuedOn: date(w.issued_on) })),
          }
        : null,
    },
  };
}

function bounceOf(b: Json): AddressBounceRow {
  return { email: b.email as string, status: b.status as string, diagnostic: (b.diagnostic as string | null) ?? null, at: date(b.at) };
}

function jsonObject(value: unknown): Json | null {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Json) : null;
}
