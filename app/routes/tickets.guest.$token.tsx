import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { TicketPage } from "~/components/tickets/ticket-page";
import { parseForm } from "~/lib/forms";
import { readFormWithFiles } from "~/lib/uploads.server";
import { attachmentLimits } from "~/modules/attachments";
import { getViewer, redirectWithNotice } from "~/modules/auth";
import { changeStatusAsRequester, findTicketByGuestToken, findTicketForViewer, replaceGuestLinks, ratingPanelFor, replyAsRequester, ReplyForm, StatusForm } from "~/modules/tickets";
import { rateTicketFromForm } from "~/lib/ticket-rating.server";
import ticketStyles from "~/styles/tickets.css?url";

// The private link a guest gets by email. The token is the key: keep it out of other sites'
// logs (Referer only to ourselves; not "no-referrer", which would make browsers send
// "Origin: null" with the page's forms and fail the Origin check), out of caches and out of
// search engines.
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.ticket ? `${data.ticket.subject} · Ticket ${data.ticket.reference} · badgedesk` : "Ticket link · badgedesk" },
  { name: "robots", content: "noindex, nofollow" },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: ticketStyles }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store", "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const ticket = await findTicketByGuestToken({ token });
  if (!ticket) return data({ ticket: null, replyKey: "", rating: null, fileLimits: attachmentLimits() }, { status: 404 });
  // Signed in as the owner (the address is verified on the account): the ticket's own page.
  const viewer = await getViewer(request);
  if (viewer && (await findTicketForViewer({ ticketId: ticket.id, viewer }))) throw redirect(`/tickets/${ticket.id}`);
  return { ticket, replyKey: randomUUID(), rating: await ratingPanelFor({ ticketId: ticket.id, status: ticket.status }), fileLimits: attachmentLimits() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const here = new URL(request.url).pathname;
  const { form, files } = await readFormWithFiles(request);
  const intent = form.get("intent");
  const access = { kind: "guest" as const, token };

  if (intent === "replace-link") {
    const result = await replaceGuestLinks({ token });
    if (!result.ok) throw new Response("Not found", { status: 404 });
    return redirectWithNotice("/tickets", `The old links no longer work. We emailed a new private link to ${result.email}.`);
  }
  if (intent === "rate") {
    // The private link is the key (the resolved email carries one): no sign-in needed.
    const ticket = await findTicketByGuestToken({ token });
    if (!ticket) throw new Response("Not found", { status: 404 });
    return rateTicketFromForm(form, ticket.id, null, here);
  }
  if (intent === "reply") {
    const lostFiles = files.map((f) => f.filename);
    const input = parseForm(form, ReplyForm);
    if (!input.ok) return data({ errors: input.errors, values: input.values, lostFiles }, { status: 400 });
    const result = await replyAsRequester({ access, body: input.data.body, idempotencyKey: input.data.idempotencyKey, files });
    if (!result.ok) {
      if ("reason" in result) throw new Response("Not found", { status: 404 });
      return data({ errors: result.errors, values: input.values, lostFiles }, { status: 400 });
    }
    return redirectWithNotice(`${here}#latest`, result.reopened ? "Your reply is on the ticket, and the ticket is open again." : "Your reply is on the ticket.");
  }
  const input = parseForm(form, StatusForm);
  if (!input.ok) return data({ errors: { form: "That request was not understood. Please try again." }, values: {} }, { status: 400 });
  const result = await changeStatusAsRequester({ access, action: input.data.intent });
  if (!result.ok) throw new Response("Not found", { status: 404 });
  const message = input.data.intent === "close" ? "The ticket is closed. Glad it's solved!" : "The ticket is open again; Customer Care will pick it up.";
  return redirectWithNotice(here, result.changed ? message : "Nothing to change: the ticket already had that status.");
}

export default function GuestTicketRoute() {
  const { ticket, replyKey, rating, fileLimits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { token } = useParams();
  if (!ticket) {
    return (
      <div className="narrow">
        <h1>This ticket link doesn't work</h1>
        <p>It may be incomplete (check that you opened the whole link from the email), or it was turned off because a newer link replaced it.</p>
        <p>
          <Link to="/tickets#lost-link">Email me new links to my tickets</Link> · <Link to="/tickets/new">Submit a ticket</Link>
        </p>
      </div>
    );
  }
  return <TicketPage ticket={ticket} replyKey={replyKey} result={result} rating={rating} fileLimits={fileLimits} guestLink attachmentBase={`/tickets/guest/${token}`} />;
}

