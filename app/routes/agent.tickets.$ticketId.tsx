import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { PathLink } from "~/components/path-link";
import { AccountPanel } from "~/components/agent/account-panel";
import { AccountSearchForm } from "~/components/agent/account-panel-page";
import { Composer } from "~/components/agent/composer";
import { AgentThread } from "~/components/agent/thread";
import { AssignPanel, RequesterTickets } from "~/components/agent/ticket-side";
import { TicketWatcher } from "~/components/agent/ticket-watcher";
import { StatusTag, Timestamp } from "~/components/tickets/ticket-display";
import { parseForm } from "~/lib/forms";
import { readFormWithFiles } from "~/lib/uploads.server";
import { attachmentLimits } from "~/modules/attachments";
import { loadAccountPanel } from "~/modules/accounts";
import { redirectWithNotice, requireRole, requireRoleOrNotFound } from "~/modules/auth";
import {
  appendToDraft,
  articleLineForComposer,
  acceptHeldMessage,
  AssignForm,
  assignTicket,
  ComposerForm,
  fillMacroForTicket,
  loadAgentTicketPage,
  readComposerIntent,
  searchArticlesForComposer,
  sendFromComposer,
  ticketForPanelOf,
} from "~/modules/tickets";
import { RATING_LABELS } from "~/modules/tickets/ratings";
import { AGENT_STATUS_LABELS, waitInWords } from "~/modules/tickets/queue-rules";
import { CATEGORY_LABELS } from "~/modules/tickets/ticket-rules";
import agentStyles from "~/styles/agent.css?url";
import agentAccountsStyles from "~/styles/agent-accounts.css?url";
import ticketStyles from "~/styles/tickets.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.ticket.reference} · ${data.ticket.subject} · Agent desk · badgedesk` : "Ticket · Agent desk · badgedesk" }];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: ticketStyles },
  { rel: "stylesheet", href: agentStyles },
  { rel: "stylesheet", href: agentAccountsStyles },
];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const notFound = () => new Response("Not found", { status: 404 });

// Remix skips reloading the page's data after a 4xx action; a refused send (409) must reload it,
// so the thread shows what changed and the composer carries the state the agent has now seen.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  Boolean(actionResult && typeof actionResult === "object" && "conflict" in actionResult) || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const agent = await requireRoleOrNotFound(request, "agent");
  const ticketId = params.ticketId ?? "";
  // One statement for the page (thread, forms, presence, the panel's account and the audit row of
  // the look); the account lookup is the only other one.
  const page = await loadAgentTicketPage({ ticketId, agentId: agent.id });
  if (!page) throw notFound();
  const { ticket, agents, macros, rating, bounced } = page;
  const account = await loadAccountPanel({ actor: agent, ticket: ticketForPanelOf(ticket), start: page.panel });
  // With an account, its panel lists the requester's other tickets; without one, the page does.
  const otherTickets = account.found ? [] : page.otherTickets;
  const accountPanel = account.found
    ? {
        panel: account.panel,
        ticketAddress: account.ticketAddress,
        otherTickets: account.tickets.map((t) => ({ id: t.id, reference: t.reference, subject: t.subject, status: t.status })),
        renderKey: randomUUID(),
      }
    : null;
  // The page's data is encoded into the HTML for hydration: nothing the page doesn't show.
  const { accountId: _accountId, articleSlug: _articleSlug, ...shownTicket } = ticket;
  return {
    ticket: shownTicket,
    agents,
    macros: macros.map((m) => ({ id: m.id, title: m.title })),
    otherTickets,
    accountPanel,
    triedAddresses: account.found ? [] : account.tried,
    me: agent.id,
    now: new Date(),
    rating,
    bounced,
    fileLimits: attachmentLimits(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const agent = await requireRole(request, "agent");
  const ticketId = params.ticketId ?? "";
  const here = `/agent/tickets/${ticketId}`;
  const { form, files } = await readFormWithFiles(request);
  // Any answer but a sent message brings the composer back: its files must be chosen again.
  const lostFiles = files.map((f) => f.filename);

  if (form.get("intent") === "accept-email") {
    const result = await acceptHeldMessage({ ticketId, messageId: String(form.get("messageId") ?? ""), agentId: agent.id });
    if (!result.ok) return redirectWithNotice(here, "That email was already accepted, or is no longer on this ticket.");
    return redirectWithNotice(here, "The email is now part of the conversation; the requester sees it on their ticket page.");
  }

  if (form.get("intent") === "assign") {
    const input = parseForm(form, AssignForm);
    if (!input.ok) return data({ errors: { form: input.errors.assigneeId ?? "Choose who should work on this ticket." } }, { status: 400 });
    const assigneeId = input.data.assigneeId === "me" ? agent.id : input.data.assigneeId || null;
    const result = await assignTicket({ ticketId, actor: agent, assigneeId });
    if (!result.ok) {
      if (result.reason === "not_found") throw notFound();
      return data({ errors: { form: "That person is not an agent. Choose someone from the list." } }, { status: 400 });
    }
    const message = !result.changed ? "Nothing changed: the ticket already had that assignee." : result.assigneeName ? `Assigned to ${assigneeId === agent.id ? "you" : result.assigneeName}.` : "The ticket is back in the queue.";
    return redirectWithNotice(here, message);
  }

  const input = parseForm(form, ComposerForm);
  const intent = input.ok ? readComposerIntent(input.data.intent) : null;
  if (!input.ok || !intent) {
    const errors = input.ok ? { form: "That request was not understood. Please try again." } : input.errors;
    return data({ errors, values: input.values, lostFiles }, { status: 400 });
  }
  const { body, visibility, macroId, articleQuery } = input.data;
  const values = input.values;
  const draftKey = randomUUID();

  if (intent.kind === "insert-macro") {
    if (!macroId) return data({ errors: { macroId: "Choose a macro to insert." }, values, lostFiles }, { status: 400 });
    const filled = await fillMacroForTicket({ macroId, ticketId });
    if (!filled.ok) {
      if (filled.reason === "no_ticket") throw notFound();
      return data({ errors: { macroId: "That macro no longer exists. Choose another one." }, values, lostFiles }, { status: 400 });
    }
    const proposedStatus = filled.setsStatus === "new" ? null : filled.setsStatus;
    return { values: { ...values, body: appendToDraft(body, filled.text) }, draftKey, proposedStatus, inserted: `Inserted the macro “${filled.title}”.`, lostFiles };
  }
  if (intent.kind === "search-articles") {
    if (!articleQuery.trim()) return data({ errors: { articleQuery: "Type a few words to find an article." }, values, lostFiles }, { status: 400 });
    return { values, articles: await searchArticlesForComposer({ query: articleQuery }), lostFiles };
  }
  if (intent.kind === "insert-article") {
    const line = await articleLineForComposer({ slug: intent.slug });
    if (!line) return data({ errors: { articleQuery: "That article is no longer published. Search again." }, values, lostFiles }, { status: 400 });
    return { values: { ...values, body: appendToDraft(body, line) }, draftKey, inserted: "Inserted the article's title and link.", lostFiles };
  }

  if (!body.trim()) return data({ errors: { body: visibility === "internal" ? "Write the note first." : "Write the reply first." }, values, lostFiles }, { status: 400 });
  const result = await sendFromComposer({ ticketId, agentId: agent.id, body, visibility, status: intent.status, idempotencyKey: input.data.idempotencyKey, state: input.data.state, files });
  if (!result.ok) {
    if (result.reason === "changed") {
      // The draft stays; the page's fresh state goes into the form, so sending again (having read the news) works.
      const { state: _stale, ...kept } = values;
      return data({ errors: {}, values: kept, conflict: result.newEntries, lostFiles, draftKey }, { status: 409 });
    }
    if (result.reason === "files") return data({ errors: { files: result.problem }, values }, { status: 400 });
    if (result.reason === "empty") return data({ errors: { body: "Write the reply first." }, values, lostFiles }, { status: 400 });
    throw notFound();
  }
  const sent = visibility === "internal" ? "Note added." : "Reply sent.";
  const statusText = intent.status ? ` The ticket is ${AGENT_STATUS_LABELS[result.status].toLowerCase()}.` : "";
  return redirectWithNotice(here, result.repeated ? "That was already sent." : `${sent}${statusText}`);
}

export default function AgentTicketRoute() {
  const { ticket, agents, macros, otherTickets, accountPanel, triedAddresses, me, now, rating, bounced, fileLimits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const wait = waitInWords(ticket.awaitingSince, new Date(now));
  return (
    <>
      <p className="breadcrumb">
        <PathLink to="/agent">← Queue</PathLink>
      </p>
      <div className="agent-ticket">
        <article className="agent-ticket__main" aria-labelledby="ticket-title">
          <header>
            <p className="ticket__reference">Ticket {ticket.reference}</p>
            <h1 id="ticket-title">{ticket.subject}</h1>
            <p className="ticket__status">
              <StatusTag status={ticket.status} label={AGENT_STATUS_LABELS[ticket.status]} />
              {wait ? <span className="tag tag--warn">Requester wrote last · waiting {wait}</span> : null}
            </p>
          </header>
          <dl className="ticket__details">
            <div>
              <dt>Requester</dt>
              <dd>
                {ticket.requesterName}
                <br />
                {ticket.requesterEmail}
                {bounced ? (
                  <>
                    <br />
                    <span className="tag tag--warn" role="status">
                      Undeliverable: mail to this address bounced ({bounced.status}); nothing more is sent to it
                    </span>
                  </>
                ) : null}
                <br />
                {ticket.requesterAccountId ? <PathLink to={`/agent/accounts/${ticket.requesterAccountId}`}>Their account</PathLink> : <span className="muted">No account with this address</span>}
              </dd>
            </div>
            <div>
              <dt>Category</dt>
              <dd>{CATEGORY_LABELS[ticket.category]}</dd>
            </div>
            <div>
              <dt>Assignee</dt>
              <dd>{ticket.assigneeName ?? "Unassigned"}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>
                <Timestamp value={ticket.createdAt} />
              </dd>
            </div>
            <div>
              <dt>Waiting since</dt>
              <dd>{ticket.awaitingSince ? <Timestamp value={ticket.awaitingSince} /> : "Answered"}</dd>
            </div>
            {ticket.issuerOrBadge ? (
              <div>
                <dt>Issuer or badge</dt>
                <dd>{ticket.issuerOrBadge}</dd>
              </div>
            ) : null}
            {ticket.badgeEmail ? (
              <div>
                <dt>Address the badge was sent to</dt>
                <dd>{ticket.badgeEmail}</dd>
              </div>
            ) : null}
            <div>
              <dt>Requester's rating</dt>
              <dd className="agent-ticket__rating">
                {rating ? (
                  <>
                    <span className={rating.rating === "good" ? "tag tag--ok" : "tag tag--bad"}>{RATING_LABELS[rating.rating]}</span>{" "}
                    <Timestamp value={rating.ratedAt} />
                    {rating.comment ? <q className="agent-ticket__rating-comment">{rating.comment}</q> : null}
                  </>
                ) : (
                  <span className="muted">Not rated</span>
                )}
              </dd>
            </div>
          </dl>
          <section aria-labelledby="thread-heading">
            <h2 id="thread-heading">Conversation</h2>
            <AgentThread entries={ticket.thread} requesterName={ticket.requesterName} label="Conversation" />
          </section>
          <TicketWatcher ticketId={ticket.id} state={ticket.state} />
          <Composer state={ticket.state} idempotencyKey={ticket.composerKey} macros={macros} requesterName={ticket.requesterName} result={result} fileLimits={fileLimits} />
        </article>
        <div className="agent-side">
          <AssignPanel assigneeId={ticket.assigneeId} agents={agents} me={me} />
          <aside className="card account-panel-slot" aria-labelledby="account-heading" data-slot="account-panel">
            <h2 id="account-heading">Requester's account</h2>
            {accountPanel ? (
              <AccountPanel
                panel={accountPanel.panel}
                ticketAddress={accountPanel.ticketAddress}
                otherTickets={accountPanel.otherTickets}
                ticket={{ id: ticket.id, reference: ticket.reference }}
                renderKey={accountPanel.renderKey}
                returnTo={`/agent/tickets/${ticket.id}`}
                headingLevel={3}
              />
            ) : (
              <>
                <p>
                  {ticket.requesterName}
                  <br />
                  <span className="muted">{ticket.requesterEmail}</span>
                </p>
                <p>No account holds {triedAddresses.length > 0 ? triedAddresses.join(" or ") : "the ticket's addresses"}. Find the learner's account:</p>
                <AccountSearchForm query="" ticketId={ticket.id} />
                <RequesterTickets tickets={otherTickets} />
              </>
            )}
          </aside>
        </div>
      </div>
    </>
  );
}
