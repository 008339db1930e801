import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountPanel, type PanelProblem } from "~/components/agent/account-panel";
import { AccountSearchForm } from "~/components/agent/account-panel-page";
import { parseForm } from "~/lib/forms";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import { AgentActionInput, loadAccountPanel, performAgentAction } from "~/modules/accounts";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import { safeRedirect } from "~/lib/safe-redirect.server";
import agentAccountsStyles from "~/styles/agent-accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentAccountsStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: `${page?.panel.account.name ?? "Account"} · Agent desk · badgedesk` }];
export const headers = withActionRetryAfter;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRoleOrNotFound(request, "agent");
  const url = new URL(request.url);
  const ticketId = url.searchParams.get("ticket") || null;
  const result = await loadAccountPanel({ actor: agent, accountId: params.accountId ?? "", ticketId });
  if (!result.found) throw new Response("Not found", { status: 404 });
  return {
    panel: result.panel,
    ticketAddress: result.ticketAddress,
    otherTickets: result.tickets.map((t) => ({ id: t.id, reference: t.reference, subject: t.subject, status: t.status })),
    ticket: result.ticket ? { id: result.ticket.id, reference: result.ticket.reference, subject: result.ticket.subject } : null,
    renderKey: randomUUID(),
    returnTo: url.pathname + url.search,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, "agent");
  const accountId = params.accountId ?? "";
  const input = parseForm(await request.formData(), AgentActionInput);
  const target = targetFromKey(input.values.actionKey);
  if (!input.ok) {
    const [field, message] = Object.entries(input.errors)[0] ?? ["form", "That request was not understood."];
    const hidden = field === "intent" || field === "actionKey" || field === "ticketId" || field.endsWith("Id");
    const problem: PanelProblem = { intent: input.values.intent ?? "", target, message: hidden ? `${message} Reload the page and try again.` : message, field: hidden ? undefined : field };
    return data({ problem, values: input.values }, { status: 400 });
  }
  const outcome = await performAgentAction({ actor: agent, accountId, input: input.data });
  if (outcome.ok) {
    return redirectWithNotice(safeRedirect(input.data.returnTo, `/agent/accounts/${accountId}`), outcome.notice);
  }
  const problem: PanelProblem = { intent: input.data.intent, target, message: outcome.message, field: outcome.field };
  return data({ problem, values: input.values }, { status: outcome.status, headers: retryAfter(outcome.retryAfterSeconds) });
}

/** Which form was sent: its action key ends with what it acts on (see actionKeyFor). */
function targetFromKey(key: string | undefined): string | null {
  const parts = (key ?? "").split(":");
  return parts.length >= 3 ? parts.slice(2).join(":") : null;
}

export default function AccountPage() {
  const { panel, ticketAddress, otherTickets, ticket, renderKey, returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="agent-accounts">
      {ticket ? (
        <p>
          <Link to={`/agent/tickets/${ticket.id}`}>
            ← Ticket {ticket.reference}: {ticket.subject}
          </Link>
        </p>
      ) : null}
      <h1>Account</h1>
      {result?.problem ? (
        <p className="form-error" role="alert">
          {result.problem.message}
        </p>
      ) : null}
      <div className="card">
        <AccountPanel
          panel={panel}
          ticketAddress={ticketAddress}
          otherTickets={otherTickets}
          ticket={ticket}
          renderKey={renderKey}
          returnTo={returnTo}
          problem={result?.problem ?? null}
          values={result?.values ?? null}
        />
      </div>
      <AccountSearchForm query="" ticketId={ticket?.id ?? null} />
    </div>
  );
}
