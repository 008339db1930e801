import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { PathLink } from "~/components/path-link";
import { QueueFilters, QueueTable, QueueTabs, queueRowData } from "~/components/agent/queue";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { loadQueuePage, parseQueueQuery, takeNextTicket } from "~/modules/tickets";
import { QUEUE_VIEW_LABELS, queueHref } from "~/modules/tickets/queue-rules";
import agentStyles from "~/styles/agent.css?url";

export const meta: MetaFunction = () => [{ title: "Agent desk · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const agent = await requireRoleOrNotFound(request, "agent");
  const query = parseQueueQuery(new URL(request.url).searchParams);
  const { page, counts, agents } = await loadQueuePage({ agentId: agent.id, query });
  // The page's data is encoded into the HTML for hydration: only what the table shows goes there.
  return { query, page: { rows: page.rows.map(queueRowData), next: page.next }, counts, agents, now: new Date() };
}

/** "Take next": the longest-waiting unassigned ticket becomes mine, and opens. */
export async function action({ request }: ActionFunctionArgs) {
  const agent = await requireRole(request, "agent");
  const ticketId = await takeNextTicket({ agentId: agent.id, agentName: agent.name });
  if (!ticketId) return redirectWithNotice("/agent", "No unassigned ticket is waiting. Well done!");
  return redirect(`/agent/tickets/${ticketId}`);
}

export default function AgentQueue() {
  const { query, page, counts, agents, now } = useLoaderData<typeof loader>();
  const taking = useNavigation().state === "submitting";
  const heading = query.q ? `Tickets matching “${query.q}”` : QUEUE_VIEW_LABELS[query.view];
  return (
    <>
      <div className="agent-heading">
        <h1>Agent desk</h1>
        <div className="agent-heading__links">
          <Form method="post">
            <button type="submit" className="button" disabled={taking}>
              {taking ? "Taking…" : "Take next ticket"}
            </button>
          </Form>
          <PathLink to="/agent/macros">Macros</PathLink>
          <PathLink to="/agent/reports">Reports</PathLink>
        </div>
      </div>
      <QueueTabs query={query} counts={counts} />
      <QueueFilters query={query} agents={agents} />
      <h2 id="queue-heading">{heading}</h2>
      {page.rows.length === 0 ? (
        <p className="card">{query.after ? "No more tickets." : "No tickets here."}</p>
      ) : (
        <QueueTable rows={page.rows} now={new Date(now)} />
      )}
      <nav aria-label="Pages of tickets" className="pagination">
        {query.after ? <PathLink to={queueHref({ ...query, after: null })}>← First page</PathLink> : <span aria-hidden="true" className="pagination__placeholder" />}
        {page.next ? (
          <PathLink to={queueHref({ ...query, after: page.next })} rel="next">
            Next page →
          </PathLink>
        ) : null}
      </nav>
    </>
  );
}
