// The agent's ticket page: the ticket with its whole thread (internal notes included), who is
// assigned, the collision guard's state, who else has it open, and assignment.
import { createHash } from "node:crypto";
import { and, asc, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { accountRoles, accounts, ticketEvents, ticketMessages, tickets, ticketViewers } from "#db/schema";
import { audit } from "~/modules/audit";
import { addAgentReply } from "./agent-actions.server";
import { decodeTicketState, encodeTicketState, readTicketState, type TicketState } from "./collision.server";
import { isUuid } from "~/lib/uuid";
import type { TicketForPanel } from "./account-tickets.server";
import { ticketBasicsOf, type TicketBasics } from "./read.server";
import type { TicketCategory, TicketStatus } from "./ticket-rules";
import { attachmentsOfMessages, type AttachmentSummary, type IncomingFile } from "~/modules/attachments";
import type { AttachmentView } from "~/components/tickets/attachments";

/** An attachment as a page links it, under the page's path (the agent desk's or the learner's). */
export function attachmentView(file: AttachmentSummary, base: string): AttachmentView {
  return { id: file.id, filename: file.filename, contentType: file.contentType, sizeBytes: file.sizeBytes, inline: file.inline, url: `${base}/attachments/${file.id}` };
}

/** How an emailed message came: its sender, whether it is an auto-reply or waits to be accepted, and where its original is. */
export interface EmailOrigin {
  from: string | null;
  automatic: boolean;
  held: boolean;
  originalUrl: string | null;
}

export type AgentThreadEntry =
  | {
      kind: "message";
      id: string;
      at: Date;
      author: "requester" | "agent" | "other";
      authorName: string;
      body: string;
      visibility: "public" | "internal";
      email: EmailOrigin | null;
      attachments: AttachmentView[];
    }
  | { kind: "note"; id: string; at: Date; body: string; email: EmailOrigin | null }
  | { kind: "status"; id: string; at: Date; by: "requester" | "agent" | "system"; byName: string | null; from: TicketStatus; to: TicketStatus };

export interface AgentTicketView extends TicketBasics {
  /** The account that filed the ticket (null for a guest). */
  accountId: string | null;
  /** The requester's account: the one that filed it, or the one holding its address verified. */
  requesterAccountId: string | null;
  articleSlug: string | null;
  createdAt: Date;
  awaitingSince: Date | null;
  assigneeId: string | null;
  assigneeName: string | null;
  thread: AgentThreadEntry[];
  /** What the agent has seen, for the collision guard (a hidden field of the composer). */
  state: string;
  /**
   * The composer's idempotency key: the same until this agent adds something to the thread, so
   * a double-clicked send is stored once and the page can refresh around a draft without losing it.
   */
  composerKey: string;
}

/** The ticket for an agent, or null when there is none. */
export async function findTicketForAgent({ ticketId, agentId }: { ticketId: string; agentId: string }): Promise<AgentTicketView | null> {
  if (!isUuid(ticketId)) return null;
  const [found] = await db
    .select({
      ticket: tickets,
      // The requester's account: the one that filed it, or else the one holding its address verified.
      requesterAccountId: sql<string | null>`coalesce(${tickets.accountId}, (select e.account_id from account_emails e
                                 where lower(e.email) = lower(${tickets.requesterEmail}) and e.verified_at is not null limit 1))`,
      assigneeName: accounts.name,
    })
    .from(tickets)
    .leftJoin(accounts, eq(accounts.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId))
    .limit(1);
  const ticket = found?.ticket;
  if (!ticket) return null;
  // The collision guard's state is taken from the very rows shown: what this agent has seen.
  const { thread, byAgent, messageCount, lastEventId } = await readThread(ticketId, null, agentId);
  const state: TicketState = { messageCount, lastEventId, assigneeId: ticket.assigneeId };
  return {
    ...ticketBasicsOf(ticket),
    accountId: ticket.accountId,
    requesterAccountId: found.requesterAccountId,
    articleSlug: ticket.articleSlug,
    createdAt: ticket.createdAt,
    awaitingSince: ticket.awaitingSince,
    assigneeId: ticket.assigneeId,
    assigneeName: found.assigneeName,
    thread,
    state: encodeTicketState(state),
    composerKey: uuidFrom(`${ticket.id}:${agentId}:${byAgent}`),
  };
}

/** A message of the thread as read (by readThread's select, or from the page statement's JSON). */
export interface ThreadMessage {
  id: string;
  at: Date;
  authorKind: "requester" | "agent" | "system";
  authorAccountId: string | null;
  authorName: string;
  body: string;
  visibility: "public" | "internal";
  channel: string;
  emailFrom: string | null;
  automatic: boolean;
  held: boolean;
  inboundEmailId: string | null;
}

export interface ThreadEvent {
  id: number;
  at: Date;
  actorKind: "requester" | "agent" | "system";
  byName: string | null;
  from: TicketStatus | null;
  to: TicketStatus;
}

interface ThreadRead {
  thread: AgentThreadEntry[];
  byAgent: number;
  messageCount: number;
  lastEventId: number;
}

/** The thread oldest first; with `after`, only what was added since that state. */
async function readThread(ticketId: string, after: TicketState | null, agentId: string | null = null): Promise<ThreadRead> {
  const [messages, events] = await Promise.all([
    db
      .select({
        id: ticketMessages.id,
        at: ticketMessages.createdAt,
        authorKind: ticketMessages.authorKind,
        authorAccountId: ticketMessages.authorAccountId,
        authorName: ticketMessages.authorName,
        body: ticketMessages.body,
        visibility: ticketMessages.visibility,
        channel: ticketMessages.channel,
        emailFrom: ticketMessages.emailFrom,
        automatic: ticketMessages.automatic,
        held: ticketMessages.held,
        inboundEmailId: ticketMessages.inboundEmailId,
      })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
      .offset(after?.messageCount ?? 0),
    db
      .select({ id: ticketEvents.id, at: ticketEvents.at, actorKind: ticketEvents.actorKind, byName: accounts.name, from: ticketEvents.fromStatus, to: ticketEvents.toStatus })
      .from(ticketEvents)
      .leftJoin(accounts, eq(accounts.id, ticketEvents.actorAccountId))
      .where(and(eq(ticketEvents.ticketId, ticketId), gt(ticketEvents.id, after?.lastEventId ?? 0)))
      .orderBy(asc(ticketEvents.at), asc(ticketEvents.id)),
  ]);
  const files = await attachmentsOfMessages(messages.map((m) => m.id));
  return threadOf({ ticketId, messages, events, files, after, agentId });
}

/** The thread entries from the rows read, with the collision guard's counts. */
export function threadOf({
  ticketId,
  messages,
  events,
  files,
  after,
  agentId,
}: {
  ticketId: string;
  messages: ThreadMessage[];
  events: ThreadEvent[];
  files: AttachmentSummary[];
  after: TicketState | null;
  agentId: string | null;
}): ThreadRead {
  const emailOf = (m: ThreadMessage): EmailOrigin | null =>
    m.channel === "email"
      ? { from: m.emailFrom, automatic: m.automatic, held: m.held, originalUrl: m.inboundEmailId ? `/agent/tickets/${ticketId}/emails/${m.inboundEmailId}` : null }
      : null;
  const thread: AgentThreadEntry[] = [
    ...messages.map((m): AgentThreadEntry => {
      // Mail from someone other than the requester (held, or accepted since) is a message of theirs, not a system line.
      const fromSomeoneElse = m.authorKind === "system" && m.channel === "email" && m.emailFrom !== null && !m.automatic;
      const heldOrAccepted = fromSomeoneElse || (m.authorKind === "system" && m.held);
      if (m.authorKind === "system" && !heldOrAccepted) return { kind: "note", id: m.id, at: m.at, body: m.body, email: emailOf(m) };
      return {
        kind: "message",
        id: m.id,
        at: m.at,
        author: m.authorKind === "system" ? "other" : m.authorKind,
        authorName: m.authorName,
        body: m.body,
        visibility: m.visibility,
        email: emailOf(m),
        attachments: files.filter((f) => f.messageId === m.id).map((f) => attachmentView(f, `/agent/tickets/${ticketId}`)),
      };
    }),
    // The creation event (nothing → new) is the first message itself.
    ...events
      .filter((e) => e.from !== null)
      .map((e): AgentThreadEntry => ({ kind: "status", id: String(e.id), at: e.at, by: e.actorKind, byName: e.byName, from: e.from!, to: e.to })),
  ];
  // A status change made with a reply comes right after that reply.
  thread.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === "status" ? 1 : -1));
  return {
    thread,
    byAgent: messages.filter((m) => m.authorAccountId !== null && m.authorAccountId === agentId).length,
    messageCount: (after?.messageCount ?? 0) + messages.length,
    lastEventId: events.reduce((last, e) => Math.max(last, e.id), after?.lastEventId ?? 0),
  };
}

/** The ticket as the account panel needs it, from the page already read (no second read). */
export function ticketForPanelOf(view: AgentTicketView): TicketForPanel {
  const first = view.thread.find((e) => e.kind === "message" && e.author === "requester");
  const { id, reference, subject, category, status, requesterName, requesterEmail, issuerOrBadge, badgeEmail, accountId } = view;
  return { id, reference, subject, category, status, requesterName, requesterEmail, issuerOrBadge, badgeEmail, accountId, request: first?.kind === "message" ? first.body : "" };
}

/** A UUID-shaped digest, for keys the forms validate as UUIDs. */
export function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What was added to the thread since the agent's state (the collision guard shows these above the draft). */
export async function entriesSince({ ticketId, state }: { ticketId: string; state: string }): Promise<AgentThreadEntry[]> {
  const seen = decodeTicketState(state);
  if (!isUuid(ticketId) || !seen) return [];
  return (await readThread(ticketId, seen)).thread;
}

export interface AgentSummary {
  id: string;
  name: string;
}

/**
 * Everyone who can work tickets (agents and admins), by name, as one JSON array column: the
 * queue and the ticket page read it inside their own statement (agentsRead).
 */
const AGENTS_JSON = sql.raw(`select coalesce(json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name, g.id), '[]'::json)
  from (select distinct a.id, a.name from accounts a join account_roles r on r.account_id = a.id where r.role in ('agent', 'admin')) g`);

/**
 * This instance's copy of the list of agents, under the version of staff_list_version it was
 * read at. The list is a sort over ~20 probes into a million accounts, the costliest read of a
 * queue page; it changes when a role is granted or removed or an agent renames themselves.
 */
let agentsCopy: { version: string; agents: AgentSummary[] } | null = null;

/**
 * Reading the list inside a page's statement: `columns` are two columns for it, `agents_version`
 * (the list's version now) and `agents` (the list itself, unless this instance's copy is of that
 * version: then null); `from` turns the row into the list, keeping the new copy. The version and
 * the list come from the statement's one snapshot.
 */
export function agentsRead(): { columns: SQL; from: (row: { agents_version?: unknown; agents?: unknown } | undefined) => AgentSummary[] } {
  const held = agentsCopy;
  return {
    columns: sql`(select v.version::text from staff_list_version v where v.id = 1) as agents_version,
      case when (select v.version from staff_list_version v where v.id = 1) = ${held?.version ?? null}::bigint then null else (${AGENTS_JSON}) end as agents`,
    from(row) {
      if (held && row?.agents === null) return held.agents;
      const version = typeof row?.agents_version === "string" ? row.agents_version : null;
      const agents = jsonArray<AgentSummary>(row?.agents);
      // Without a version row (an emptied database) nothing is kept: the list is read every time.
      agentsCopy = version ? { version, agents } : null;
      return agents;
    },
  };
}

/** Everyone who can work tickets (agents and admins), by name. */
export async function listAgents(): Promise<AgentSummary[]> {
  const agents = agentsRead();
  const [row] = rows<{ agents_version: unknown; agents: unknown }>(await db.execute(sql`select ${agents.columns}`));
  return agents.from(row);
}

/** A JSON column, whichever driver read it (postgres.js and PGlite parse json; text is parsed here). */
export function jsonArray<T>(value: unknown): T[] {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

export type AssignResult = { ok: true; changed: boolean; assigneeName: string | null } | { ok: false; reason: "not_found" | "not_an_agent" };

/**
 * Gives the ticket to an agent (null = back to the queue). Leaves a line in the thread for staff
 * ("Sam Rivera assigned the ticket to Jordan Lee"), which also trips the collision guard of
 * anyone who had the ticket open.
 */
export async function assignTicket({ ticketId, actor, assigneeId }: { ticketId: string; actor: AgentSummary; assigneeId: string | null }): Promise<AssignResult> {
  if (!isUuid(ticketId) || (assigneeId !== null && !isUuid(assigneeId))) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({ id: tickets.id, assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.id, ticketId)).for("update").limit(1);
    if (!ticket) return { ok: false, reason: "not_found" } as const;
    let assigneeName: string | null = null;
    if (assigneeId) {
      const [agent] = await tx
        .select({ name: accounts.name })
        .from(accounts)
        .innerJoin(accountRoles, eq(accountRoles.accountId, accounts.id))
        .where(and(eq(accounts.id, assigneeId), sql`${accountRoles.role} in ('agent', 'admin')`))
        .limit(1);
      if (!agent) return { ok: false, reason: "not_an_agent" } as const;
      assigneeName = agent.name;
    }
    if (ticket.assigneeId === assigneeId) return { ok: true, changed: false, assigneeName } as const;
    await tx.update(tickets).set({ assigneeId }).where(eq(tickets.id, ticketId));
    const line = !assigneeId
      ? `${actor.name} put the ticket back in the queue.`
      : assigneeId === actor.id
        ? `${actor.name} took the ticket.`
        : `${actor.name} assigned the ticket to ${assigneeName}.`;
    await tx.insert(ticketMessages).values({ ticketId, authorKind: "system", authorAccountId: actor.id, authorName: actor.name, body: line, visibility: "internal" });
    await audit(tx, { actorId: actor.id, action: "ticket.assign", targetType: "ticket", targetId: ticketId, before: { assigneeId: ticket.assigneeId }, after: { assigneeId } });
    return { ok: true, changed: true, assigneeName } as const;
  });
}

/** Agents who had the ticket open within this window count as "looking at it". */
const PRESENCE_WINDOW_SECONDS = 45;

/** Notes that the agent has the ticket open now (page load and every poll). */
export async function markTicketViewing({ ticketId, agentId }: { ticketId: string; agentId: string }): Promise<void> {
  if (!isUuid(ticketId)) return;
  // A presence mark lost in a crash is harmless, so its commit doesn't wait for the disk: every
  // view of a ticket writes one, and the flush was most of what it cost.
  await db.execute(sql`
    with no_flush_wait as (select set_config('synchronous_commit', 'off', true))
    insert into ${ticketViewers} (ticket_id, agent_id, seen_at)
    select ${ticketId}::uuid, ${agentId}::uuid, now() from no_flush_wait
    on conflict (ticket_id, agent_id) do update set seen_at = excluded.seen_at`);
}

export interface TicketActivity {
  /** Other agents with the ticket open right now. */
  viewers: string[];
  /** Entries added since the agent's state (empty when nothing changed). */
  newEntries: AgentThreadEntry[];
  changed: boolean;
}

/** For the ticket page's poll: who else is here, and what changed since the agent opened it. */
export async function ticketActivity({ ticketId, agentId, state }: { ticketId: string; agentId: string; state: string }): Promise<TicketActivity | null> {
  if (!isUuid(ticketId)) return null;
  const current = await readTicketState(db, ticketId);
  if (!current) return null;
  await markTicketViewing({ ticketId, agentId });
  const viewers = await db
    .select({ name: accounts.name })
    .from(ticketViewers)
    .innerJoin(accounts, eq(accounts.id, ticketViewers.agentId))
    .where(and(eq(ticketViewers.ticketId, ticketId), ne(ticketViewers.agentId, agentId), sql`${ticketViewers.seenAt} > now() - make_interval(secs => ${PRESENCE_WINDOW_SECONDS})`))
    .orderBy(asc(accounts.name));
  const changed = encodeTicketState(current) !== state;
  return { viewers: viewers.map((v) => v.name), changed, newEntries: changed ? await entriesSince({ ticketId, state }) : [] };
}

/** The requester's other tickets (same address, any case, or same account), newest first. */
export async function otherTicketsOfRequester({ ticketId, requesterEmail, accountId }: { ticketId: string; requesterEmail: string; accountId: string | null }) {
  const list = rows<{ id: string; reference: string; subject: string; status: TicketStatus; last_activity_at: Date | string }>(
    await db.execute(sql`
      select id, reference, subject, status, last_activity_at from (
        select t.id, t.reference, t.subject, t.status, t.last_activity_at from tickets t where lower(t.requester_email) = lower(${requesterEmail})
        union
        select t.id, t.reference, t.subject, t.status, t.last_activity_at from tickets t where t.account_id = ${accountId}::uuid
      ) both_ways
      where id <> ${ticketId}
      order by last_activity_at desc
      limit 10`),
  );
  return list.map((t) => ({ id: t.id, reference: t.reference, subject: t.subject, status: t.status, lastActivityAt: new Date(t.last_activity_at) }));
}

export type ComposerSendResult =
  | { ok: true; status: TicketStatus; repeated: boolean }
  | { ok: false; reason: "not_found" | "not_allowed" | "empty" }
  | { ok: false; reason: "changed"; newEntries: AgentThreadEntry[] }
  | { ok: false; reason: "files"; problem: string };

/**
 * The composer's send: a public reply (mailed to the requester) or an internal note, optionally
 * moving the ticket on. Refused with the entries the agent hasn't seen when the ticket changed
 * after `state` was read (the collision guard); the route keeps the draft.
 */
export async function sendFromComposer(input: {
  ticketId: string;
  agentId: string;
  body: string;
  visibility: "public" | "internal";
  status: TicketStatus | null;
  idempotencyKey: string;
  state: string;
  files?: IncomingFile[];
}): Promise<ComposerSendResult> {
  const result = await addAgentReply({
    ticketId: input.ticketId,
    agentId: input.agentId,
    body: input.body,
    visibility: input.visibility,
    status: input.status,
    idempotencyKey: input.idempotencyKey,
    unchangedSince: input.state,
    files: input.files,
  });
  if (result.ok) return { ok: true, status: result.status, repeated: !result.messageId };
  if (result.reason === "files") return result;
  if (result.reason === "changed") return { ok: false, reason: "changed", newEntries: await entriesSince({ ticketId: input.ticketId, state: input.state }) };
  return { ok: false, reason: result.reason };
}
