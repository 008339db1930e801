// The agent queue: one page of a view (keyset-paginated), the views' counts, and "Take next".
// The page reads all three (rows, counts, agents) in one statement: loadQueuePage.
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
import { agentsRead, jsonArray, type AgentSummary } from "./agent-desk.server";

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

function statusList(statuses: readonly TicketStatus[], alias: "t" | "c" = "t"): SQL {
  // Only known statuses reach sql.raw: they come from QUEUE_VIEW_STATUSES, filtered by parseQueueQuery.
  const known = statuses.filter((s) => (TICKET_STATUSES as readonly string[]).includes(s));
  return known.length ? sql.raw(`${alias}.status in (${known.map((s) => `'${s}'`).join(", ")})`) : sql.raw("false");
}

export interface QueuePageData {
  page: QueuePage;
  counts: Record<QueueView, number>;
  /** Everyone who can work tickets, for the assignee filter. */
  agents: AgentSummary[];
}

type QueueRowJson = {
  id: string;
  reference: string;
  subject: string;
  requester_name: string;
  requester_email: string;
  category: TicketCategory;
  status: TicketStatus;
  assignee_id: string | null;
  assignee_name: string | null;
  awaiting_since: string | Date | null;
  last_activity_at: string | Date;
};

/**
 * Everything the queue page reads, in one statement (one round trip, one snapshot, so the counts
 * agree with the rows): the page of the view, the five view counts and the agents for the
 * assignee filter. The counts come from ticket_queue_counts (migration 0016), a few hundred small
 * rows kept by a trigger, instead of counting up to 1,000 index entries per view on every page.
 */
export async function loadQueuePage({ agentId, query, pageSize = QUEUE_PAGE_SIZE }: { agentId: string; query: QueueQuery; pageSize?: number }): Promise<QueuePageData> {
  const byWait = query.sort === "wait";
  const agents = agentsRead();
  const [row] = rows<{ page: unknown; agents_version: unknown; agents: unknown } & Record<QueueView, number | string>>(
    await db.execute(sql`
      select (select coalesce(json_agg(p order by ${pageOrder(byWait, "p")}), '[]'::json) from (${pageSelect({ agentId, query, pageSize })}) p) as page,
             ${agents.columns},
             c.*
      from (${countsSelect(agentId)}) c`),
  );
  const found = jsonArray<QueueRowJson>(row?.page);
  const counts = Object.fromEntries(QUEUE_VIEWS.map((v) => [v, Number(row?.[v] ?? 0)])) as Record<QueueView, number>;
  return { page: pageOf(found, pageSize, byWait), counts, agents: agents.from(row) };
}

/** One page of the queue for this agent. */
export async function listQueue({ agentId, query, pageSize = QUEUE_PAGE_SIZE }: { agentId: string; query: QueueQuery; pageSize?: number }): Promise<QueuePage> {
  const found = rows<QueueRowJson>(await db.execute(sql`select p.* from (${pageSelect({ agentId, query, pageSize })}) p order by ${pageOrder(query.sort === "wait", "p")}`));
  return pageOf(found, pageSize, query.sort === "wait");
}

/** How many tickets each view holds, counted up to QUEUE_COUNT_CAP. */
export async function countQueueViews({ agentId }: { agentId: string }): Promise<Record<QueueView, number>> {
  const [row] = rows<Record<QueueView, number | string>>(await db.execute(countsSelect(agentId)));
  return Object.fromEntries(QUEUE_VIEWS.map((v) => [v, Number(row?.[v] ?? 0)])) as Record<QueueView, number>;
}

/** The page's rows (one more than a page, to tell whether there is a next one), in no promised order: see pageOrder. */
function pageSelect({ agentId, query, pageSize }: { agentId: string; query: QueueQuery; pageSize: number }): SQL {
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
  return sql`
      select t.id, t.reference, t.subject, t.requester_name, t.requester_email, t.category, t.status,
             t.assignee_id, a.name as assignee_name, t.awaiting_since, t.last_activity_at
      from tickets t left join accounts a on a.id = t.assignee_id
      where ${sql.join(conditions, sql` and `)}
      order by ${pageOrder(byWait, "t")}
      limit ${sql.raw(String(pageLimit(pageSize)))}`;
}

/**
 * One more row than a page, written into the statement: with a parameter there, PostgreSQL's
 * generic plan can't tell a page from the whole view and it planned every execution afresh
 * (custom plans only, pg_prepared_statements), which cost more than running it.
 */
function pageLimit(pageSize: number): number {
  return Number.isSafeInteger(pageSize) && pageSize > 0 ? pageSize + 1 : QUEUE_PAGE_SIZE + 1;
}

/**
 * The page's order over the rows of `alias`. "nulls last" as the activity indexes are declared
 * (drizzle writes DESC NULLS LAST): a plain DESC means NULLS FIRST, and the planner would sort
 * instead of reading the index in order.
 */
function pageOrder(byWait: boolean, alias: "t" | "p"): SQL {
  return byWait
    ? sql.raw(`coalesce(${alias}.awaiting_since, 'infinity'::timestamptz), ${alias}.id`)
    : sql.raw(`${alias}.last_activity_at desc nulls last, ${alias}.id desc nulls last`);
}

function pageOf(found: QueueRowJson[], pageSize: number, byWait: boolean): QueuePage {
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

/**
 * The five view counts from ticket_queue_counts: sums over its rows (one per status, assignee
 * for the working statuses, and slot), capped at QUEUE_COUNT_CAP as the page shows them
 * ("1,000+"). The statuses are each view's (QUEUE_VIEW_STATUSES), written literally.
 */
function countsSelect(agentId: string): SQL {
  const sum = (view: QueueView, extra: SQL = sql``) =>
    sql`least(coalesce(sum(c.tickets) filter (where ${statusList(QUEUE_VIEW_STATUSES[view], "c")} ${extra}), 0), ${sql.raw(String(QUEUE_COUNT_CAP))})::int`;
  return sql`select ${sum("unassigned", sql`and c.assignee_id is null`)} as unassigned,
             ${sum("mine", sql`and c.assignee_id = ${agentId}::uuid`)} as mine,
             ${sum("open")} as open,
             ${sum("pending")} as pending,
             ${sum("solved")} as solved
      from ticket_queue_counts c`;
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
