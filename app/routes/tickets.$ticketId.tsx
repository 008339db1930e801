import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { TicketPage } from "~/components/tickets/ticket-page";
import { parseForm } from "~/lib/forms";
import { readFormWithFiles } from "~/lib/uploads.server";
import { attachmentLimits } from "~/modules/attachments";
import { redirectWithNotice, requireUser } from "~/modules/auth";
import { changeStatusAsRequester, findTicketForViewer, markTicketSeen, ratingPanelFor, replyAsRequester, ReplyForm, StatusForm } from "~/modules/tickets";
import { rateTicketFromForm } from "~/lib/ticket-rating.server";
import ticketStyles from "~/styles/tickets.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.ticket.subject} · Ticket ${data.ticket.reference} · badgedesk` : "Ticket · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: ticketStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

// Someone else's ticket and a ticket that doesn't exist look the same: 404.
const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const ticket = await findTicketForViewer({ ticketId: params.ticketId ?? "", viewer });
  if (!ticket) throw notFound();
  await markTicketSeen({ ticketId: ticket.id, accountId: viewer.id });
  return { ticket, replyKey: randomUUID(), rating: await ratingPanelFor({ ticketId: ticket.id, status: ticket.status }), fileLimits: attachmentLimits() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const ticketId = params.ticketId ?? "";
  const { form, files } = await readFormWithFiles(request);
  const access = { kind: "account" as const, viewer, ticketId };
  const here = `/tickets/${ticketId}`;

  if (form.get("intent") === "rate") {
    if (!(await findTicketForViewer({ ticketId, viewer }))) throw notFound();
    return rateTicketFromForm(form, ticketId, viewer.id, here);
  }
  if (form.get("intent") === "reply") {
    const lostFiles = files.map((f) => f.filename);
    const input = parseForm(form, ReplyForm);
    if (!input.ok) return data({ errors: input.errors, values: input.values, lostFiles }, { status: 400 });
    const result = await replyAsRequester({ access, body: input.data.body, idempotencyKey: input.data.idempotencyKey, files });
    if (!result.ok) {
      if ("reason" in result) throw notFound();
      return data({ errors: result.errors, values: input.values, lostFiles }, { status: 400 });
    }
    return redirectWithNotice(`${here}#latest`, result.reopened ? "Your reply is on the ticket, and the ticket is open again." : "Your reply is on the ticket.");
  }

  const input = parseForm(form, StatusForm);
  if (!input.ok) return data({ errors: { form: "That request was not understood. Please try again." }, values: {} }, { status: 400 });
  const result = await changeStatusAsRequester({ access, action: input.data.intent });
  if (!result.ok) throw notFound();
  const message = input.data.intent === "close" ? "The ticket is closed. Glad it's solved!" : "The ticket is open again; Customer Care will pick it up.";
  return redirectWithNotice(here, result.changed ? message : "Nothing to change: the ticket already had that status.");
}

export default function TicketRoute() {
  const { ticket, replyKey, rating, fileLimits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/tickets">← My tickets</Link>
      </p>
      <TicketPage ticket={ticket} replyKey={replyKey} result={result} rating={rating} fileLimits={fileLimits} attachmentBase={`/tickets/${ticket.id}`} />
    </>
  );
}

