// Reading tickets as the requester sees them: one ticket with its public timeline, and My tickets.
import { and, asc, eq, sql } from "drizzle-orm";
import { db, rows, type Executor } from "#db/client.server";
import { ticketEvents, ticketMessages, tickets, type Ticket } from "#db/schema";
import { isUuid } from "~/lib/uuid";
import type { Viewer } from "~/modules/auth";
import { ticketIdForGuestToken } from "./guest-links.server";
import { ownedBy, seenNow } from "./ticket-changes.server";
import type { TicketCategory, TicketStatus } from "./ticket-rules";
import { attachmentsOfMessages } from "~/modules/attachments";

/** A file of a message the requester sees; the page links it under its own path. */
export interface RequesterAttachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  inline: boolean;
}

export type TimelineEntry =
  | { kind: "message"; id: string; at: Date; author: "requester" | "agent" | "other"; authorName: string; body: string; attachments: RequesterAttachment[] }
  | { kind: "status"; id: string; at: Date; by: "requester" | "agent" | "system"; from: TicketStatus; to: TicketStatus };

/** What every view of a ticket shows: the requester's view, the agent's and the account panel's. */
export interface TicketBasics {
  id: string;
  reference: string;
  subject: string;
  category: TicketCategory;
  status: TicketStatus;
  requesterName: string;
  requesterEmail: string;
  issuerOrBadge: string | null;
  /** "The address the badge was sent to", as the learner typed it on the form. */
  badgeEmail: string | null;
}

export function ticketBasicsOf(ticket: Ticket): TicketBasics {
  const { id, reference, subject, category, status, requesterName, requesterEmail, issuerOrBadge, badgeEmail } = ticket;
  return { id, reference, subject, category, status, requesterName, requesterEmail, issuerOrBadge, badgeEmail };
}

export interface TicketView extends TicketBasics {
  articleSlug: string | null;
  isGuestTicket: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  /** Public messages and status changes, oldest first. Internal notes are never here. */
  timeline: TimelineEntry[];
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
  const files = await attachmentsOfMessages(messages.map((m) => m.id));
  const timeline: TimelineEntry[] = [
    ...messages.map((m) => ({
      kind: "message" as const,
      id: m.id,
      at: m.at,
      // "other": mail from someone else that an agent accepted into the conversation.
      author: m.authorKind === "agent" ? ("agent" as const) : m.authorKind === "system" ? ("other" as const) : ("requester" as const),
      authorName: m.authorName,
      body: m.body,
      attachments: files
        .filter((f) => f.messageId === m.id)
        .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes, inline: f.inline })),
    })),
    // The creation event (nothing → new) is the first message itself.
    ...events
      .filter((e) => e.from !== null)
      .map((e) => ({ kind: "status" as const, id: String(e.id), at: e.at, by: e.actorKind, from: e.from!, to: e.to })),
  ];
  // Stable: a status change made with a reply comes right after that reply.
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === "message" ? -1 : 1));
  return {
    ...ticketBasicsOf(ticket),
    articleSlug: ticket.articleSlug,
    isGuestTicket: ticket.accountId === null,
    createdAt: ticket.createdAt,
    lastActivityAt: ticket.lastActivityAt,
    timeline,
  };
}

/** Remembers that the learner has seen everything on the ticket so far (clears the unread marker). */
export async function markTicketSeen({ ticketId, accountId }: { ticketId: string; accountId: string }): Promise<void> {
  await seenNow(db, ticketId, accountId, new Date());
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

/** The ticket id this requester may open (their own, or the one their private link opens), or null: for the files of a ticket. */
export async function ticketIdOpenedBy(access: { kind: "account"; viewerId: string; ticketId: string } | { kind: "guest"; token: string }): Promise<string | null> {
  if (access.kind === "guest") return ticketIdForGuestToken(db, access.token);
  if (!isUuid(access.ticketId)) return null;
  const [row] = await db.select({ id: tickets.id }).from(tickets).where(and(eq(tickets.id, access.ticketId), ownedBy(access.viewerId))).limit(1);
  return row?.id ?? null;
}
