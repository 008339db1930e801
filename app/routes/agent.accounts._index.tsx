import { randomUUID } from "node:crypto";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountPanel } from "~/components/agent/account-panel";
import { AccountSearchForm } from "~/components/agent/account-panel-page";
import { loadAccountPanel, searchAccounts } from "~/modules/accounts";
import { requireRoleOrNotFound } from "~/modules/auth";
import agentAccountsStyles from "~/styles/agent-accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentAccountsStyles }];
export const meta: MetaFunction = () => [{ title: "Find an account · Agent desk · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const agent = await requireRoleOrNotFound(request, "agent");
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const ticketId = url.searchParams.get("ticket") || null;
  const hits = query ? await searchAccounts({ actor: agent, query, ticketId }) : [];
  // One match: the same panel as the account's own page, so an address search lands on the account.
  // A ticket without a search: the account its addresses lead to (the ticket view's panel).
  const single =
    hits.length === 1
      ? await loadAccountPanel({ actor: agent, accountId: hits[0].accountId, ticketId })
      : !query && ticketId
        ? await loadAccountPanel({ actor: agent, ticketId })
        : null;
  const found = single?.found ? single : null;
  return {
    query,
    ticketId,
    hits,
    tried: single && !single.found ? single.tried : [],
    panel: found && {
      panel: found.panel,
      ticketAddress: found.ticketAddress,
      otherTickets: found.tickets.map((t) => ({ id: t.id, reference: t.reference, subject: t.subject, status: t.status })),
      ticket: found.ticket ? { id: found.ticket.id, reference: found.ticket.reference } : null,
    },
    renderKey: randomUUID(),
    returnTo: url.pathname + url.search,
  };
}

export default function FindAccount() {
  const { query, ticketId, hits, tried, panel, renderKey, returnTo } = useLoaderData<typeof loader>();
  return (
    <div className="agent-accounts">
      <h1>Find an account</h1>
      {!query && ticketId && !panel ? (
        <p role="status">
          {tried.length > 0 ? `No account holds the ticket's addresses (${tried.join(", ")}).` : "The ticket gives no address to look up."} Search for the learner's
          account below: the actions you take there are noted on the ticket.
        </p>
      ) : null}
      <AccountSearchForm query={query} ticketId={ticketId} />
      {query && hits.length === 0 ? (
        <p role="status">No account matches “{query}”.</p>
      ) : hits.length > 1 ? (
        <section aria-labelledby="hits-heading">
          <h2 id="hits-heading">
            {hits.length} accounts match “{query}”
          </h2>
          <ul className="account-hits">
            {hits.map((hit) => (
              <li key={`${hit.accountId}-${hit.matched}`}>
                <Link to={`/agent/accounts/${hit.accountId}${ticketId ? `?ticket=${ticketId}` : ""}`}>{hit.name}</Link>{" "}
                <span className="muted">
                  {hit.primaryEmail ?? "no primary address"} · matched by {hit.matched}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {panel ? (
        <div className="card">
          <AccountPanel panel={panel.panel} ticketAddress={panel.ticketAddress} otherTickets={panel.otherTickets} ticket={panel.ticket} renderKey={renderKey} returnTo={returnTo} />
        </div>
      ) : null}
    </div>
  );
}
