// The agent queue: one page of a view (keyset-paginated), the views' counts, and "Take next".
// Each view's status list is written into the SQL literally (from a fixed table, never from
// input) so that PostgreSQL can match the view to its partial index (db/schema/tickets.ts)
// even with a generic plan.
import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { audit } from "~/modules/audit";
import {
  classifyQueueSearch,
  QUEUE_COUNT_CAP,
  QUEUE_PAGE_SIZE,
  QUEUE_VIEW_STATUSES,
  QUEUE_VIEWS,
  statusesFor,
  type QueueCursor,
  type QueueQuery,
  type QueueView,
} from "./queue-rules";
import { TICKET_STATUSES, type TicketCategory, type TicketStatus } from "./ticket-rules";

export interface QueueRow {
  id: string;
  reference: string;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  category: TicketCategory;
  status: TicketStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  /** The oldest unanswered requester message; null when Customer Care spoke last. */
  awaitingSince: Date | null;
  lastActivityAt: Date;
}

export interface QueuePage {
  rows: QueueRow[];
  /** The cursor of the next page, or null on the last page. */
  next: QueueCursor | null;
}

const WAIT_KEY = sql.raw(`coalesce(t.awaiting_since, 'infinity'::timestamptz)`);

function statusList(statuses: readonly TicketStatus[]): SQL {
  // Only known statuses reach sql.raw: they come from QUEUE_VIEW_STATUSES, filtered by parseQueueQuery.
  const known = statuses.filter((s) => (TICKET_STATUSES as readonly string[]).includes(s));
  return known.length ? sql.raw(`t.status in (${known.map((s) => `'${s}'`).join(", ")})`) : sql.raw("false");
}

/** One page of the queue for this agent. */
export async function listQueue({ agentId, query, pageSize = QUEUE_PAGE_SIZE }: { agentId: string; query: QueueQuery; pageSize?: number }): Promise<QueuePage> {
  const search = classifyQueueSearch(query.q);
  const conditions: SQL[] = [];
  // A search looks through every ticket (a learner quoting a reference may mean a resolved one);
  // otherwise the view decides, narrowed by the status filter.
  if (search.kind === "none") {
    conditions.push(statusList(QUEUE_VIEW_STATUSES[query.view]));
    if (query.status) conditions.push(statusList(statusesFor(query.view, query.status)));
    if (query.view === "unassigned") conditions.push(sql`t.assignee_id is null`);
    if (query.view === "mine") conditions.push(sql`t.assignee_id = ${agentId}`);
  } else {
    if (query.status) conditions.push(statusList([query.status]));
    if (search.kind === "reference") conditions.push(sql`t.reference = ${search.reference}`);
    if (search.kind === "email") conditions.push(sql`lower(t.requester_email) = ${search.email}`);
    if (search.kind === "words") {
      const words = prefixQuery(search.words);
      conditions.push(words ? sql`to_tsvector('simple', t.subject) @@ to_tsquery('simple', ${words})` : sql`false`);
    }
  }
  if (query.category) conditions.push(sql`t.category = ${query.category}`);
  if (query.assignee === "unassigned") conditions.push(sql`t.assignee_id is null`);
  else if (query.assignee === "me") conditions.push(sql`t.assignee_id = ${agentId}`);
  else if (query.assignee) conditions.push(sql`t.assignee_id = ${query.assignee}`);

  const byWait = query.sort === "wait";
  if (query.after) {
    conditions.push(
      byWait
        ? sql`(${WAIT_KEY}, t.id) > (coalesce(${query.after.key}::timestamptz, 'infinity'::timestamptz), ${query.after.id}::uuid)`
        : sql`(t.last_activity_at, t.id) < (${query.after.key}::timestamptz, ${query.after.id}::uuid)`,
    );
  }
  // "nulls last" as the activity indexes are declared (drizzle writes DESC NULLS LAST): a plain
  // DESC means NULLS FIRST, and the planner would sort instead of reading the index in order.
  const order = byWait ? sql`${WAIT_KEY}, t.id` : sql`t.last_activity_at desc nulls last, t.id desc nulls last`;
  const found = rows<{
    id: string;
    reference: string;
    subject: string;
    requester_name: string;
    requester_email: string;
    category: TicketCategory;
    status: TicketStatus;
    assignee_id: string | null;
    assignee_name: string | null;
    awaiting_since: Date | string | null;
    last_activity_at: Date | string;
  }>(
    await db.execute(sql`
      select t.id, t.reference, t.subject, t.requester_name, t.requester_email, t.category, t.status,
             t.assignee_id, a.name as assignee_name, t.awaiting_since, t.last_activity_at
      from tickets t left join accounts a on a.id = t.assignee_id
      where ${sql.join(conditions, sql` and `)}
      order by ${order}
      limit ${pageSize + 1}`),
  );
  const page = found.slice(0, pageSize).map(
    (r): QueueRow => ({
      id: r.id,
      reference: r.reference,
      subject: r.subject,
      requesterName: r.requester_name,
      requesterEmail: r.requester_email,
      category: r.category,
      status: r.status,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      awaitingSince: r.awaiting_since ? new Date(r.awaiting_since) : null,
      lastActivityAt: new Date(r.last_activity_at),
    }),
  );
  const last = page.at(-1);
  const next =
    found.length > pageSize && last
      ? { id: last.id, key: byWait ? (last.awaitingSince?.toISOString() ?? null) : last.lastActivityAt.toISOString() }
      : null;
  return { rows: page, next };
}

/** Each word as a prefix ("verif" finds "verification"); only letters and digits reach to_tsquery. Null when no word is left. */
function prefixQuery(words: string): string | null {
  const terms = words.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.length ? terms.slice(0, 8).map((t) => `${t}:*`).join(" & ") : null;
}

/** How many tickets each view holds, counted up to QUEUE_COUNT_CAP. */
export async function countQueueViews({ agentId }: { agentId: string }): Promise<Record<QueueView, number>> {
  const capped = (view: QueueView, extra: SQL = sql``) =>
    sql`(select count(*) from (select 1 from tickets t where ${statusList(QUEUE_VIEW_STATUSES[view])} ${extra} limit ${QUEUE_COUNT_CAP}) c)`;
  const [row] = rows<Record<QueueView, number | string>>(
    await db.execute(sql`
      select ${capped("unassigned", sql`and t.assignee_id is null`)} as unassigned,
             ${capped("mine", sql`and t.assignee_id = ${agentId}`)} as mine,
             ${capped("open")} as open,
             ${capped("pending")} as pending,
             ${capped("solved")} as solved`),
  );
  return Object.fromEntries(QUEUE_VIEWS.map((v) => [v, Number(row?.[v] ?? 0)])) as Record<QueueView, number>;
}

/**
 * "Take next": assigns the unassigned new or open ticket that has waited longest to the agent and
 * returns its id (null when there is none). SKIP LOCKED lets agents pressing it at the same moment
 * each lock a different ticket instead of queueing behind, and then taking, the same one.
 */
export async function takeNextTicket({ agentId, agentName }: { agentId: string; agentName: string }): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [picked] = rows<{ id: string }>(
      await tx.execute(sql`
        select t.id from tickets t
        where ${statusList(QUEUE_VIEW_STATUSES.unassigned)} and t.assignee_id is null
        order by ${WAIT_KEY}, t.id
        limit 1
        for update skip locked`),
    );
    if (!picked) return null;
    await tx.execute(sql`update tickets set assignee_id = ${agentId} where id = ${picked.id}`);
    await tx.execute(sql`
      insert into ticket_messages (ticket_id, author_kind, author_account_id, author_name, body, visibility)
      values (${picked.id}, 'system', ${agentId}, ${agentName}, ${`${agentName} took the ticket from the queue.`}, 'internal')`);
    await audit(tx, { actorId: agentId, action: "ticket.assign", targetType: "ticket", targetId: picked.id, before: { assigneeId: null }, after: { assigneeId: agentId, via: "take_next" } });
    return picked.id;
  });
}
