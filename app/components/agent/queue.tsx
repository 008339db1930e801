import { Form } from "@remix-run/react";
import { PathLink } from "~/components/path-link";
import { StatusTag } from "~/components/tickets/ticket-display";
import { AgentOptions } from "./ticket-side";
import {
  AGENT_STATUS_LABELS,
  countInWords,
  QUEUE_SORT_LABELS,
  QUEUE_SORTS,
  QUEUE_VIEW_LABELS,
  QUEUE_VIEWS,
  queueHref,
  waitInWords,
  type QueueQuery,
  type QueueView,
} from "~/modules/tickets/queue-rules";
import type { QueueRow } from "~/modules/tickets/queue.server";
import { CATEGORY_LABELS, TICKET_CATEGORIES, TICKET_STATUSES, type TicketCategory, type TicketStatus } from "~/modules/tickets/ticket-rules";

// The agent queue: view tabs with counts, the filter and search form (a plain GET form), and
// the table of tickets. Server-rendered; nothing here needs JavaScript.

/** A queue row as the page receives it: what the table shows of the server's row, dates possibly as strings. */
export type QueueRowData = Omit<QueueRow, "assigneeId" | "awaitingSince" | "lastActivityAt"> & {
  awaitingSince: Date | string | null;
};

/** The row without what the table doesn't show (the loader sends only this to the page). */
export function queueRowData({ assigneeId: _assigneeId, lastActivityAt: _lastActivityAt, ...shown }: QueueRow): QueueRowData {
  return shown;
}

export function QueueTabs({ query, counts }: { query: QueueQuery; counts: Record<QueueView, number> }) {
  const searching = query.q !== "";
  return (
    <nav aria-label="Views" className="queue-tabs">
      <ul>
        {QUEUE_VIEWS.map((view) => {
          const current = !searching && query.view === view;
          return (
            <li key={view}>
              <PathLink to={queueHref({ view, sort: query.sort })} aria-current={current ? "page" : undefined} className={current ? "queue-tabs__current" : undefined}>
                {QUEUE_VIEW_LABELS[view]} <span className="queue-tabs__count">{countInWords(counts[view])}</span>
              </PathLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function QueueFilters({ query, agents }: { query: QueueQuery; agents: { id: string; name: string }[] }) {
  return (
    <Form method="get" action="/agent" className="queue-filters card" role="search" aria-label="Filter and search tickets">
      {query.q ? null : <input type="hidden" name="view" value={query.view} />}
      <div className="field queue-filters__search">
        <label htmlFor="queue-q">Search</label>
        <input id="queue-q" name="q" type="search" defaultValue={query.q} placeholder="Reference, requester address or words of the subject" />
      </div>
      <div className="field">
        <label htmlFor="queue-category">Category</label>
        <select id="queue-category" name="category" defaultValue={query.category ?? ""}>
          <option value="">Any category</option>
          {TICKET_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="queue-status">Status</label>
        <select id="queue-status" name="status" defaultValue={query.status ?? ""}>
          <option value="">Any status</option>
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {AGENT_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="queue-assignee">Assignee</label>
        <select id="queue-assignee" name="assignee" defaultValue={query.assignee ?? ""}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="unassigned">Nobody</option>
          <AgentOptions agents={agents} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="queue-sort">Order</label>
        <select id="queue-sort" name="sort" defaultValue={query.sort}>
          {QUEUE_SORTS.map((s) => (
            <option key={s} value={s}>
              {QUEUE_SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="queue-filters__buttons">
        <button type="submit" className="button">
          Show tickets
        </button>
        <PathLink to={queueHref({ view: query.view })}>Clear</PathLink>
      </div>
    </Form>
  );
}

export function QueueTable({ rows, now }: { rows: QueueRowData[]; now: Date }) {
  return (
    <table className="data data--cards queue">
      <caption className="visually-hidden">Tickets</caption>
      <thead>
        <tr>
          <th scope="col">Ticket</th>
          <th scope="col">Requester</th>
          <th scope="col">Category</th>
          <th scope="col">Status</th>
          <th scope="col">Assignee</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const wait = waitInWords(row.awaitingSince, now);
          return (
            <tr key={row.id} className={wait ? "queue__row--waiting" : undefined}>
              <td data-label="Ticket" className="wrap-anywhere">
                <PathLink to={`/agent/tickets/${row.id}`} className="queue__subject">
                  {row.subject}
                </PathLink>
                <span className="queue__reference">{row.reference}</span>
              </td>
              <td data-label="Requester" className="wrap-anywhere">
                {row.requesterName}
                <span className="queue__email">{row.requesterEmail}</span>
              </td>
              <td data-label="Category">{CATEGORY_LABELS[row.category]}</td>
              <td data-label="Status">
                <StatusTag status={row.status} label={AGENT_STATUS_LABELS[row.status]} />
              </td>
              <td data-label="Assignee">{row.assigneeName ?? <span className="muted">Unassigned</span>}</td>
              <td data-label="Waiting">
                {wait ? (
                  <>
                    {wait}
                    <span className="tag tag--warn queue__mark">Requester wrote last</span>
                  </>
                ) : (
                  <span className="muted">Answered</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
