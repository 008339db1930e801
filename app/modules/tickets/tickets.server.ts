// Tickets from the requester's side (submit, read, reply, close, reopen) and the two agent
// actions the learner notices (public reply, status change). Every change is one transaction
// with its status event, audit row and outbox mail.
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db, rows, type Executor, type Transaction } from "#db/client.server";
import { accounts, ticketEvents, ticketMessages, ticketReads, tickets, type Ticket } from "#db/schema";
import { config } from "~/lib/config.server";
import type { FieldErrors } from "~/lib/forms";
import { audit } from "~/modules/audit";
import { sha256, type Viewer } from "~/modules/auth";
import { enqueueMail, notifyMailQueued } from "~/modules/mail";
import { encodeTicketState, readTicketState } from "./collision.server";
import { newGuestLink, newGuestToken, ticketIdForGuestToken } from "./guest-links.server";
import { countTicketSubmission } from "./limits.server";
import { ticketReceivedMessage, ticketReplyMessage, ticketResolvedMessage } from "./mail-templates";
import { requesterEmail, requesterName, ticketContentShape } from "./schemas";
import {
  canAgentSetStatus,
  cleanMultilineText,
  REPLY_MAX_LENGTH,
  statusAfterAgentReply,
  statusAfterRequesterAction,
  statusAfterRequesterReply,
  type RequesterStatusAction,
  type TicketCategory,
  type TicketSource,
  type TicketStatus,
} from "./ticket-rules";

// ---------------------------------------------------------------------------------------------
// Submitting

export interface OpenTicketInput {
  requester: { accountId: string | null; name: string; email: string };
  category: TicketCategory;
  subject: string;
  description: string;
  issuerOrBadge?: string | null;
  /** The address the badge was sent to, if the learner knows it. */
  badgeEmail?: string | null;
  /** The FAQ article the learner came from (article feedback "contact me"). */
  articleSlug?: string | null;
  source: TicketSource;
  /** Same key, same ticket: a double submit, refresh or back-and-resubmit creates one ticket. */
  idempotencyKey?: string;
  /** Who is asking (IP address), for the per-client rate limit; omit for trusted callers. */
  clientKey?: string | null;
}

export type OpenTicketResult =
  | { ok: true; ticketId: string; reference: string; created: boolean; requesterEmail: string }
  | { ok: false; errors: FieldErrors; retryAfterSeconds?: number };

const OpenTicketSchema = z.object({
  ...ticketContentShape,
  name: requesterName,
  email: requesterEmail,
  articleSlug: z.string().max(200).nullish(),
  source: z.enum(["web", "article_feedback"]),
  idempotencyKey: z.string().min(8).max(200).optional(),
});

// A back-and-resubmit may come with a fresh form key; the same words from the same address
// within this window are the same ticket.
const DUPLICATE_WINDOW_MINUTES = 10;

/**
 * Opens a ticket for a guest (accountId null) or a signed-in learner. Guests get a private link
 * by email; signed-in learners a link to the ticket page. Errors are keyed by form field
 * (name, email, category, subject, description, issuerOrBadge, badgeEmail) or `form`.
 */
export async function openTicket(input: OpenTicketInput): Promise<OpenTicketResult> {
  const parsed = OpenTicketSchema.safeParse({
    ...input,
    name: input.requester?.name,
    email: input.requester?.email,
    issuerOrBadge: input.issuerOrBadge ?? undefined,
    badgeEmail: input.badgeEmail ?? undefined,
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const fields = parsed.data;
  const accountId = input.requester.accountId ?? null;
  const fingerprint = sha256([fields.email.toLowerCase(), fields.subject, fields.description].join("\n"));

  // The common case is two statements: count the submission, write the ticket. Only a refusal or
  // a resubmission (nothing written) looks for the earlier ticket to answer with.
  const { byAddress, byClient } = await countTicketSubmission({ email: fields.email, clientKey: input.clientKey ?? null });
  if (!byAddress.allowed || !byClient.allowed) {
    const earlier = await findEarlierSubmission(db, { idempotencyKey: fields.idempotencyKey, fingerprint });
    const answer = earlier && answerForEarlier(earlier, fields.email, accountId);
    if (answer) return answer; // a refresh of a ticket already sent is answered, not refused
    const retryAfterSeconds = Math.max(byAddress.retryAfterSeconds, byClient.retryAfterSeconds);
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    return {
      ok: false,
      retryAfterSeconds,
      errors: {
        form: `We have received many tickets ${byAddress.allowed ? "from your network" : "from this address"} in the last hour. Please wait about ${minutes} minute${minutes === 1 ? "" : "s"} and send it again; nothing you typed is lost.`,
      },
    };
  }

  // A new reference collides about once in a trillion; then the statement is simply tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await insertTicketWithItsRows({ ...fields, accountId, fingerprint });
      if (created) return { ok: true, ticketId: created.id, reference: created.reference, created: true, requesterEmail: fields.email };
      // Nothing written: this form (a double click, a refresh) or these words from this requester
      // (back and resubmit) already made a ticket.
      const earlier = await findEarlierSubmission(db, { idempotencyKey: fields.idempotencyKey, fingerprint });
      const answer = earlier && answerForEarlier(earlier, fields.email, accountId);
      if (answer) return answer;
      throw new Error("A ticket was neither written nor found for this submission");
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, "tickets_reference_unique")) continue;
      throw error;
    }
  }
}

/**
 * The ticket, its first message, its "new" event, the guest's private-link hash, the confirmation
 * in the mail outbox and the audit row, written by ONE statement: atomic like a transaction, but a
 * single round trip and a single commit, which is what lets submissions sustain hundreds per
 * second (see BENCHMARKS.md). The outbox and audit rows carry exactly what enqueueMail() and
 * audit() would write, and the delivery loop is woken once the statement has committed. Returns null when
 * nothing was written: the form key already has a ticket, or the requester sent the same words
 * moments ago.
 */
async function insertTicketWithItsRows(fields: {
  accountId: string | null;
  name: string;
  email: string;
  category: TicketCategory;
  subject: string;
  description: string;
  issuerOrBadge?: string;
  badgeEmail?: string;
  articleSlug?: string | null;
  source: TicketSource;
  idempotencyKey?: string;
  fingerprint: string;
}): Promise<{ id: string; reference: string } | null> {
  const id = randomUUID();
  const reference = newReference();
  const guest = fields.accountId ? null : newGuestToken();
  const link = guest ? guest.link : `${config.appUrl}/tickets/${id}`;
  const mail = ticketReceivedMessage({
    to: fields.email,
    name: fields.name,
    ticket: { reference, subject: fields.subject },
    description: fields.description,
    link,
    isGuestLink: guest !== null,
  });
  const audited = { reference, category: fields.category, source: fields.source, guest: guest !== null };
  const result = await db.execute(sql`
    with ticket as (
      insert into tickets (id, reference, account_id, requester_name, requester_email, category, subject,
                           issuer_or_badge, badge_email, article_slug, source, idempotency_key, fingerprint)
      select ${id}::uuid, ${reference}::text, ${fields.accountId}::uuid, ${fields.name}::text, ${fields.email}::text, ${fields.category}::text,
             ${fields.subject}::text, ${fields.issuerOrBadge ?? null}::text, ${fields.badgeEmail ?? null}::text, ${fields.articleSlug ?? null}::text,
             ${fields.source}::text, ${fields.idempotencyKey ?? null}::text, ${fields.fingerprint}::text
      -- Back and resubmit with a fresh form: the same words from the same requester just now.
      where not exists (
        select 1 from tickets earlier
        where earlier.fingerprint = ${fields.fingerprint}::text
          and earlier.created_at > now() - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES})
          and earlier.account_id is not distinct from ${fields.accountId}::uuid)
      -- The same form again (double click, refresh): its key is taken.
      on conflict (idempotency_key) do nothing
      returning id, created_at
    ),
    first_message as (
      insert into ticket_messages (ticket_id, author_kind, author_account_id, author_name, body, visibility, created_at)
      select id, 'requester', ${fields.accountId}::uuid, ${fields.name}::text, ${fields.description}::text, 'public', created_at from ticket
    ),
    created_event as (
      insert into ticket_events (ticket_id, at, actor_kind, actor_account_id, from_status, to_status)
      select id, created_at, 'requester', ${fields.accountId}::uuid, null, 'new' from ticket
    ),
    private_link as (
      insert into ticket_guest_links (ticket_id, token_hash)
      select id, ${guest?.tokenHash ?? null}::text from ticket where ${guest?.tokenHash ?? null}::text is not null
    ),
    confirmation as (
      insert into mail_outbox (to_address, subject, text_body)
      select ${mail.to}::text, ${mail.subject}::text, ${mail.text}::text from ticket
    ),
    audit_row as (
      insert into audit_log (actor_id, action, target_type, target_id, after)
      select ${fields.accountId}::uuid, 'ticket.create', 'ticket', id::text, ${JSON.stringify(audited)}::jsonb from ticket
    )
    select id from ticket`);
  if (rows<{ id: string }>(result).length === 0) return null;
  notifyMailQueued();
  return { id, reference };
}

interface EarlierSubmission {
  id: string;
  reference: string;
  accountId: string | null;
  requesterEmail: string;
  /** Found by the form key (the same form sent again), not only by the same words. */
  sameKey: boolean;
}

async function findEarlierSubmission(
  tx: Executor,
  { idempotencyKey, fingerprint }: { idempotencyKey: string | undefined; fingerprint: string | null },
): Promise<EarlierSubmission | null> {
  const byKey = idempotencyKey ? sql`${tickets.idempotencyKey} = ${idempotencyKey}` : sql`false`;
  const byWords = fingerprint
    ? sql`(${tickets.fingerprint} = ${fingerprint} and ${tickets.createdAt} > now() - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES}))`
    : sql`false`;
  const [row] = await tx
    .select({
      id: tickets.id,
      reference: tickets.reference,
      accountId: tickets.accountId,
      requesterEmail: tickets.requesterEmail,
      sameKey: sql<boolean>`coalesce(${byKey}, false)`,
    })
    .from(tickets)
    .where(sql`${byKey} or ${byWords}`)
    .orderBy(sql`coalesce(${byKey}, false) desc`) // the same form before the same words
    .limit(1);
  return row ?? null;
}

/** The earlier ticket as this submission's answer, an error for someone else's form key, or null to go ahead. */
function answerForEarlier(earlier: EarlierSubmission, email: string, accountId: string | null): OpenTicketResult | null {
  const sameRequester = earlier.requesterEmail.toLowerCase() === email.toLowerCase() && earlier.accountId === accountId;
  if (sameRequester) return { ok: true, ticketId: earlier.id, reference: earlier.reference, created: false, requesterEmail: earlier.requesterEmail };
  // A form key belongs to the person it was rendered for: someone else's key opens nothing.
  if (earlier.sameKey) return { ok: false, errors: { form: "This form was already used. Please reload the page and send your ticket again." } };
  return null;
}

// Crockford's base32: no I, L, O or U, so a reference read out on the phone is unambiguous.
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newReference(): string {
  const bytes = randomBytes(8);
  const chars = Array.from(bytes, (b) => REFERENCE_ALPHABET[b % 32]).join("");
  return `BD-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown; message?: string };
  if (e?.code === "23505") return (e.constraint_name ?? e.constraint ?? e.message ?? "").includes(constraint);
  return e?.cause ? isUniqueViolation(e.cause, constraint) : false;
}

/**
 * Where the requester follows the ticket: the ticket page for an account, a fresh private link for
 * a guest. `store` saves the link's hash; run it in the same transaction as the mail carrying it.
 */
function followLink(tx: Executor, ticket: { id: string; accountId: string | null }): { link: string; isGuestLink: boolean; store: PromiseLike<unknown> | null } {
  if (ticket.accountId) return { link: `${config.appUrl}/tickets/${ticket.id}`, isGuestLink: false, store: null };
  const { link, store } = newGuestLink(tx, ticket.id);
  return { link, isGuestLink: true, store };
}

// ---------------------------------------------------------------------------------------------
// Reading

export type TimelineEntry =
  | { kind: "message"; id: string; at: Date; author: "requester" | "agent"; authorName: string; body: string }
  | { kind: "status"; id: string; at: Date; by: "requester" | "agent" | "system"; from: TicketStatus; to: TicketStatus };

export interface TicketView {
  id: string;
  reference: string;
  subject: string;
  category: TicketCategory;
  status: TicketStatus;
  requesterName: string;
  requesterEmail: string;
  issuerOrBadge: string | null;
  badgeEmail: string | null;
  articleSlug: string | null;
  isGuestTicket: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  /** Public messages and status changes, oldest first. Internal notes are never here. */
  timeline: TimelineEntry[];
}

const isUuid = (value: string) => z.string().uuid().safeParse(value).success;

/** Tickets the viewer owns: their account's, and guest tickets sent from one of their verified addresses. */
function ownedBy(viewerId: string) {
  return sql`(${tickets.accountId} = ${viewerId} or (${tickets.accountId} is null and lower(${tickets.requesterEmail}) in (
    select lower(e.email) from account_emails e where e.account_id = ${viewerId} and e.verified_at is not null)))`;
}

/** The ticket if the signed-in learner may see it; null for unknown ids and other people's tickets alike. */
export async function findTicketForViewer({ ticketId, viewer }: { ticketId: string; viewer: Pick<Viewer, "id"> }): Promise<TicketView | null> {
  if (!isUuid(ticketId)) return null;
  const [ticket] = await db.select().from(tickets).where(and(eq(tickets.id, ticketId), ownedBy(viewer.id))).limit(1);
  return ticket ? toView(db, ticket) : null;
}

/** The ticket a guest's private link opens, or null when the link is unknown or revoked. */
export async function findTicketByGuestToken({ token }: { token: string }): Promise<TicketView | null> {
  const ticketId = await ticketIdForGuestToken(db, token);
  if (!ticketId) return null;
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId)).limit(1);
  return ticket ? toView(db, ticket) : null;
}

async function toView(tx: Executor, ticket: Ticket): Promise<TicketView> {
  const [messages, events] = await Promise.all([
    tx
      .select({ id: ticketMessages.id, at: ticketMessages.createdAt, authorKind: ticketMessages.authorKind, authorName: ticketMessages.authorName, body: ticketMessages.body })
      .from(ticketMessages)
      .where(and(eq(ticketMessages.ticketId, ticket.id), eq(ticketMessages.visibility, "public")))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id)),
    tx
      .select({ id: ticketEvents.id, at: ticketEvents.at, actorKind: ticketEvents.actorKind, from: ticketEvents.fromStatus, to: ticketEvents.toStatus })
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, ticket.id))
      .orderBy(asc(ticketEvents.at), asc(ticketEvents.id)),
  ]);
  const timeline: TimelineEntry[] = [
    ...messages.map((m) => ({
      kind: "message" as const,
      id: m.id,
      at: m.at,
      author: m.authorKind === "agent" ? ("agent" as const) : ("requester" as const),
      authorName: m.authorName,
      body: m.body,
    })),
    // The creation event (nothing → new) is the first message itself.
    ...events
      .filter((e) => e.from !== null)
      .map((e) => ({ kind: "status" as const, id: String(e.id), at: e.at, by: e.actorKind, from: e.from!, to: e.to })),
  ];
  // Stable: a status change made with a reply comes right after that reply.
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === "message" ? -1 : 1));
  return {
    id: ticket.id,
    reference: ticket.reference,
    subject: ticket.subject,
    category: ticket.category,
    status: ticket.status,
    requesterName: ticket.requesterName,
    requesterEmail: ticket.requesterEmail,
    issuerOrBadge: ticket.issuerOrBadge,
    badgeEmail: ticket.badgeEmail,
    articleSlug: ticket.articleSlug,
    isGuestTicket: ticket.accountId === null,
    createdAt: ticket.createdAt,
    lastActivityAt: ticket.lastActivityAt,
    timeline,
  };
}

/** Remembers that the learner has seen everything on the ticket so far (clears the unread marker). */
export async function markTicketSeen({ ticketId, accountId }: { ticketId: string; accountId: string }): Promise<void> {
  await db
    .insert(ticketReads)
    .values({ ticketId, accountId, lastSeenAt: new Date() })
    .onConflictDoUpdate({ target: [ticketReads.ticketId, ticketReads.accountId], set: { lastSeenAt: sql`excluded.last_seen_at` } });
}

export interface TicketListItem {
  id: string;
  reference: string;
  subject: string;
  status: TicketStatus;
  createdAt: Date;
  lastActivityAt: Date;
  /** Customer Care did something (replied, resolved) since the learner last opened the ticket. */
  unread: boolean;
}

export const MY_TICKETS_PAGE_SIZE = 20;

/** My tickets: newest activity first, one page at a time (pages count from 1). */
export async function listTicketsForViewer({
  viewer,
  page = 1,
  pageSize = MY_TICKETS_PAGE_SIZE,
}: {
  viewer: Pick<Viewer, "id">;
  page?: number;
  pageSize?: number;
}): Promise<{ tickets: TicketListItem[]; page: number; pageCount: number; total: number; unreadCount: number }> {
  // Two indexed branches (own account; guest tickets from a verified address) instead of one OR,
  // so the planner uses an index for each however many tickets there are.
  const mine = sql`
    select t.id from tickets t where t.account_id = ${viewer.id}
    union all
    select t.id from tickets t
    where t.account_id is null
      and lower(t.requester_email) in (select lower(e.email) from account_emails e where e.account_id = ${viewer.id} and e.verified_at is not null)`;
  const unreadCondition = sql`t.last_staff_activity_at is not null and (r.last_seen_at is null or r.last_seen_at < t.last_staff_activity_at)`;
  const [totals] = rows<{ total: number; unread: number }>(
    await db.execute(sql`
      select count(*)::int as total, count(*) filter (where ${unreadCondition})::int as unread
      from tickets t join (${mine}) m on m.id = t.id
      left join ticket_reads r on r.ticket_id = t.id and r.account_id = ${viewer.id}`),
  );
  const total = Number(totals?.total ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const list = rows<{ id: string; reference: string; subject: string; status: TicketStatus; created_at: Date | string; last_activity_at: Date | string; unread: boolean }>(
    await db.execute(sql`
      select t.id, t.reference, t.subject, t.status, t.created_at, t.last_activity_at, (${unreadCondition}) as unread
      from tickets t join (${mine}) m on m.id = t.id
      left join ticket_reads r on r.ticket_id = t.id and r.account_id = ${viewer.id}
      order by t.last_activity_at desc, t.id
      limit ${pageSize} offset ${(current - 1) * pageSize}`),
  );
  return {
    tickets: list.map((t) => ({
      id: t.id,
      reference: t.reference,
      subject: t.subject,
      status: t.status,
      createdAt: new Date(t.created_at),
      lastActivityAt: new Date(t.last_activity_at),
      unread: Boolean(t.unread),
    })),
    page: current,
    pageCount,
    total,
    unreadCount: Number(totals?.unread ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// The requester acts: reply, close, reopen. Signed in (their own ticket) or through a private link.

export type RequesterAccess = { kind: "account"; viewer: Pick<Viewer, "id" | "name">; ticketId: string } | { kind: "guest"; token: string };

/** Locks and returns the ticket the access opens, or null (unknown, someone else's, revoked link). */
async function lockTicketFor(tx: Transaction, access: RequesterAccess): Promise<Ticket | null> {
  const ticketId = access.kind === "account" ? (isUuid(access.ticketId) ? access.ticketId : null) : await ticketIdForGuestToken(tx, access.token);
  if (!ticketId) return null;
  const condition = access.kind === "account" ? and(eq(tickets.id, ticketId), ownedBy(access.viewer.id)) : eq(tickets.id, ticketId);
  const [ticket] = await tx.select().from(tickets).where(condition).for("update").limit(1);
  return ticket ?? null;
}

export type RequesterReplyResult = { ok: true; status: TicketStatus; reopened: boolean } | { ok: false; reason: "not_found" } | { ok: false; errors: FieldErrors };

export async function replyAsRequester({
  access,
  body,
  idempotencyKey,
}: {
  access: RequesterAccess;
  body: string;
  idempotencyKey?: string | null;
}): Promise<RequesterReplyResult> {
  const text = cleanMultilineText(body ?? "");
  if (!text) return { ok: false, errors: { body: "Write your reply." } };
  if (text.length > REPLY_MAX_LENGTH) return { ok: false, errors: { body: `Use at most ${REPLY_MAX_LENGTH.toLocaleString("en-GB")} characters.` } };
  return db.transaction(async (tx) => {
    const ticket = await lockTicketFor(tx, access);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const accountId = access.kind === "account" ? access.viewer.id : null;
    const now = new Date();
    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId: ticket.id,
        authorKind: "requester",
        authorAccountId: accountId,
        authorName: access.kind === "account" ? access.viewer.name : ticket.requesterName,
        body: text,
        visibility: "public",
        idempotencyKey: idempotencyKey ?? null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: ticketMessages.id });
    if (!message) return { ok: true, status: ticket.status, reopened: false } as const; // the same reply sent twice
    const status = statusAfterRequesterReply(ticket.status);
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "requester", actorAccountId: accountId });
    await tx.update(tickets).set({ status, lastActivityAt: now }).where(eq(tickets.id, ticket.id));
    if (accountId) await seenNow(tx, ticket.id, accountId, now);
    await audit(tx, { actorId: accountId, action: "ticket.reply", targetType: "ticket", targetId: ticket.id, after: { by: "requester", messageId: message.id, status } });
    return { ok: true, status, reopened: ticket.status !== status && (ticket.status === "resolved" || ticket.status === "closed") } as const;
  });
}

export type RequesterStatusResult = { ok: true; status: TicketStatus; changed: boolean } | { ok: false; reason: "not_found" };

/** "My problem is solved" (close) and reopen. Repeating one (a double click) changes nothing. */
export async function changeStatusAsRequester({ access, action }: { access: RequesterAccess; action: RequesterStatusAction }): Promise<RequesterStatusResult> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicketFor(tx, access);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const to = statusAfterRequesterAction(action, ticket.status);
    if (!to) return { ok: true, status: ticket.status, changed: false } as const;
    const accountId = access.kind === "account" ? access.viewer.id : null;
    const now = new Date();
    await recordStatusChange(tx, { ticket, to, at: now, actorKind: "requester", actorAccountId: accountId });
    await tx.update(tickets).set({ status: to, lastActivityAt: now }).where(eq(tickets.id, ticket.id));
    if (accountId) await seenNow(tx, ticket.id, accountId, now);
    await audit(tx, { actorId: accountId, action: `ticket.${action}`, targetType: "ticket", targetId: ticket.id, before: { status: ticket.status }, after: { status: to } });
    return { ok: true, status: to, changed: true } as const;
  });
}

async function recordStatusChange(
  tx: Executor,
  { ticket, to, at, actorKind, actorAccountId }: { ticket: Ticket; to: TicketStatus; at: Date; actorKind: "requester" | "agent"; actorAccountId: string | null },
) {
  if (ticket.status === to) return;
  await tx.insert(ticketEvents).values({ ticketId: ticket.id, at, actorKind, actorAccountId, fromStatus: ticket.status, toStatus: to });
}

async function seenNow(tx: Executor, ticketId: string, accountId: string, at: Date) {
  await tx
    .insert(ticketReads)
    .values({ ticketId, accountId, lastSeenAt: at })
    .onConflictDoUpdate({ target: [ticketReads.ticketId, ticketReads.accountId], set: { lastSeenAt: sql`excluded.last_seen_at` } });
}

// ---------------------------------------------------------------------------------------------
// Agent actions the requester sees. The agent desk (a later issue) calls these; tests use them to
// play the agent.

export type AgentActionResult = { ok: true; status: TicketStatus; messageId?: string } | { ok: false; reason: "not_found" | "not_allowed" | "empty" | "changed" };

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
}: {
  ticketId: string;
  agentId: string;
  body: string;
  visibility?: "public" | "internal";
  status?: TicketStatus | null;
  idempotencyKey?: string | null;
  /** The collision guard: the ticket's state (encodeTicketState) when the agent opened it; a different state now refuses the send with "changed". */
  unchangedSince?: string | null;
}): Promise<AgentActionResult> {
  const text = cleanMultilineText(body ?? "");
  if (!text) return { ok: false, reason: "empty" };
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    const [agent] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, agentId)).limit(1);
    if (!agent) return { ok: false, reason: "not_allowed" } as const;
    if (unchangedSince != null && !(await isRepeatedReply(tx, ticketId, idempotencyKey))) {
      // Read under the ticket's row lock: nobody can add to the thread between this check and the insert.
      const current = await readTicketState(tx, ticketId);
      if (!current || encodeTicketState(current) !== unchangedSince) return { ok: false, reason: "changed" } as const;
    }
    const now = new Date();
    const [message] = await tx
      .insert(ticketMessages)
      .values({ ticketId, authorKind: "agent", authorAccountId: agentId, authorName: agent.name, body: text, visibility, idempotencyKey: idempotencyKey ?? null, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: ticketMessages.id });
    if (!message) return { ok: true, status: ticket.status } as const;
    // Only a public reply takes a new ticket into work by itself; a note changes status only when asked to.
    const status =
      visibility === "public" ? statusAfterAgentReply(ticket.status, requested) : requested && canAgentSetStatus(ticket.status, requested) ? requested : ticket.status;
    await recordStatusChange(tx, { ticket, to: status, at: now, actorKind: "agent", actorAccountId: agentId });
    const statusChanged = status !== ticket.status;
    const becameResolved = statusChanged && status === "resolved";
    // An internal note alone leaves no trace the learner could see, not even a newer "last update".
    if (visibility === "public" || statusChanged) {
      await tx.update(tickets).set({ status, lastActivityAt: now, lastStaffActivityAt: now }).where(eq(tickets.id, ticketId));
    }
    if (visibility === "public") {
      const follow = followLink(tx, ticket);
      await follow.store;
      await enqueueMail(
        tx,
        ticketReplyMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, agentName: agent.name, reply: text, resolved: becameResolved, link: follow.link, isGuestLink: follow.isGuestLink }),
      );
    } else if (becameResolved) {
      const follow = followLink(tx, ticket);
      await follow.store;
      await enqueueMail(tx, ticketResolvedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link: follow.link, isGuestLink: follow.isGuestLink }));
    }
    await audit(tx, {
      actorId: agentId,
      action: visibility === "public" ? "ticket.reply" : "ticket.note",
      targetType: "ticket",
      targetId: ticketId,
      before: { status: ticket.status },
      after: { by: "agent", messageId: message.id, status },
    });
    return { ok: true, status, messageId: message.id } as const;
  });
}

/** The same send again (double click, resubmitted form): answered as the first one was, not as a collision with itself. */
async function isRepeatedReply(tx: Executor, ticketId: string, idempotencyKey: string | null | undefined): Promise<boolean> {
  if (!idempotencyKey) return false;
  const [row] = await tx
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, ticketId), eq(ticketMessages.idempotencyKey, idempotencyKey)))
    .limit(1);
  return Boolean(row);
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
      await enqueueMail(tx, ticketResolvedMessage({ to: ticket.requesterEmail, name: ticket.requesterName, ticket, link: follow.link, isGuestLink: follow.isGuestLink }));
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
