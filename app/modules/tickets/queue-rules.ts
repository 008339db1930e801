// Pure rules of the agent queue: which views exist, how the filters and the page cursor read
// from a URL, what a search looks for, and the wait time in words. No I/O: the queue page
// (browser bundle included) and queue.server.ts import this file directly.
import { isUuid } from "~/lib/uuid";
import { TICKET_CATEGORIES, TICKET_STATUSES, type TicketCategory, type TicketStatus } from "./ticket-rules";

export const QUEUE_VIEWS = ["unassigned", "mine", "open", "pending", "solved"] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const QUEUE_VIEW_LABELS: Record<QueueView, string> = {
  unassigned: "Unassigned",
  mine: "Mine",
  open: "All open",
  pending: "Pending",
  solved: "Resolved and closed",
};

/** The statuses each view shows (before the status filter narrows it). */
export const QUEUE_VIEW_STATUSES: Record<QueueView, readonly TicketStatus[]> = {
  unassigned: ["new", "open"],
  mine: ["new", "open", "pending"],
  open: ["new", "open"],
  pending: ["pending"],
  solved: ["resolved", "closed"],
};

export const QUEUE_SORTS = ["wait", "activity"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const QUEUE_SORT_LABELS: Record<QueueSort, string> = { wait: "Longest wait first", activity: "Newest activity" };

export const QUEUE_PAGE_SIZE = 25;
/** Counts stop here ("1,000+"): counting every resolved ticket of years would cost more than it tells. */
export const QUEUE_COUNT_CAP = 1000;

/** "unassigned", "me" or an agent's account id. */
export type AssigneeFilter = "unassigned" | "me" | string;

export interface QueueQuery {
  view: QueueView;
  sort: QueueSort;
  category: TicketCategory | null;
  status: TicketStatus | null;
  assignee: AssigneeFilter | null;
  q: string;
  /** Keyset position: the last row of the previous page. */
  after: QueueCursor | null;
}

export interface QueueCursor {
  /** The sort value of the last row: ISO time, or null for "no wait" (sorted last). */
  key: string | null;
  id: string;
}

/** Reads the queue's query from a URL; anything unknown falls back to the default rather than failing. */
export function parseQueueQuery(params: URLSearchParams): QueueQuery {
  const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | null => (value && (allowed as readonly string[]).includes(value) ? (value as T) : null);
  const assignee = params.get("assignee");
  return {
    view: pick(params.get("view"), QUEUE_VIEWS) ?? "open",
    sort: pick(params.get("sort"), QUEUE_SORTS) ?? "wait",
    category: pick(params.get("category"), TICKET_CATEGORIES),
    status: pick(params.get("status"), TICKET_STATUSES),
    assignee: assignee === "unassigned" || assignee === "me" || isUuid(assignee) ? assignee : null,
    q: (params.get("q") ?? "").trim().slice(0, 200),
    after: decodeCursor(params.get("after")),
  };
}

/** The URL of the queue with these settings; defaults are left out so links stay short. */
export function queueHref(query: Partial<QueueQuery>): `/agent${string}` {
  const params = new URLSearchParams();
  if (query.view && query.view !== "open") params.set("view", query.view);
  if (query.sort && query.sort !== "wait") params.set("sort", query.sort);
  if (query.category) params.set("category", query.category);
  if (query.status) params.set("status", query.status);
  if (query.assignee) params.set("assignee", query.assignee);
  if (query.q) params.set("q", query.q);
  if (query.after) params.set("after", encodeCursor(query.after));
  const text = params.toString();
  return text ? `/agent?${text}` : "/agent";
}

export function encodeCursor(cursor: QueueCursor): string {
  return `${cursor.key ?? "none"}_${cursor.id}`;
}

export function decodeCursor(value: string | null): QueueCursor | null {
  if (!value) return null;
  const at = value.lastIndexOf("_");
  if (at < 0) return null;
  const [key, id] = [value.slice(0, at), value.slice(at + 1)];
  if (!isUuid(id)) return null;
  if (key === "none") return { key: null, id };
  const time = new Date(key);
  return Number.isNaN(time.getTime()) ? null : { key: time.toISOString(), id };
}

/** The statuses a page shows: the view's, narrowed by the status filter (nothing when they don't meet). */
export function statusesFor(view: QueueView, status: TicketStatus | null): readonly TicketStatus[] {
  const inView = QUEUE_VIEW_STATUSES[view];
  return status ? inView.filter((s) => s === status) : inView;
}

export type QueueSearch = { kind: "none" } | { kind: "reference"; reference: string } | { kind: "email"; email: string } | { kind: "words"; words: string };

const REFERENCE_PATTERN = /^(?:BD-?)?([0-9A-Z]{4})-?([0-9A-Z]{4})$/i;

/**
 * What a search box entry means: a reference ("BD-7K2M-Q9TX", any case, with or without "BD-"
 * and dashes), a requester address (has an @), or words of the subject.
 */
export function classifyQueueSearch(q: string): QueueSearch {
  const text = q.trim();
  if (!text) return { kind: "none" };
  const reference = text.match(REFERENCE_PATTERN);
  // A digit tells a reference from two words such as "sent-back" (new references always have one);
  // with its "BD", an older all-letter reference ("BD-NZHG-JTJB") is still found.
  if (reference && (/^BD/i.test(text) || /\d/.test(text))) return { kind: "reference", reference: `BD-${reference[1]}-${reference[2]}`.toUpperCase() };
  if (text.includes("@")) return { kind: "email", email: text.toLowerCase() };
  return { kind: "words", words: text };
}

/** "2 days", "3 hours", "5 minutes", "just now": how long the requester has waited. */
export function waitInWords(since: Date | string | null, now: Date = new Date()): string | null {
  if (!since) return null;
  const ms = now.getTime() - new Date(since).getTime();
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return plural(hours, "hour");
  const days = Math.floor(hours / 24);
  if (days < 14) return plural(days, "day");
  return plural(Math.floor(days / 7), "week");
}

/** "1,000+" once a count reaches the cap. */
export function countInWords(count: number): string {
  return count >= QUEUE_COUNT_CAP ? `${QUEUE_COUNT_CAP.toLocaleString("en-GB")}+` : count.toLocaleString("en-GB");
}

/** Status names as staff say them (learners read STATUS_LABELS, e.g. "Waiting for your reply"). */
export const AGENT_STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Pending",
  resolved: "Resolved",
  closed: "Closed",
};
