import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { StatusTag, Timestamp } from "~/components/tickets/ticket-display";
import { parseForm } from "~/lib/forms";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import { getViewer, redirectWithNotice } from "~/modules/auth";
import { emailGuestLinks, listTicketsForViewer, SendGuestLinksForm } from "~/modules/tickets";
import ticketStyles from "~/styles/tickets.css?url";

export const meta: MetaFunction = () => [{ title: "My tickets · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: ticketStyles }];
export const headers: HeadersFunction = (args) => {
  const headers = withActionRetryAfter(args) as Headers;
  headers.set("Cache-Control", "private, no-store");
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  if (!viewer) return { signedIn: false as const };
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const list = await listTicketsForViewer({ viewer, page: Number.isFinite(page) ? page : 1 });
  return { signedIn: true as const, ...list };
}

// A guest who lost the private link asks for it again (the page's other half).
export async function action({ request, context }: ActionFunctionArgs) {
  const input = parseForm(await request.formData(), SendGuestLinksForm);
  if (!input.ok) return data({ errors: input.errors, values: input.values }, { status: 400 });
  const result = await emailGuestLinks({ email: input.data.email, clientKey: context.clientIp });
  if (!result.ok) return data({ errors: { form: result.message } as Record<string, string>, values: input.values }, { status: 429, headers: retryAfter(result.retryAfterSeconds) });
  return redirectWithNotice(
    "/tickets",
    `If tickets were sent from ${input.data.email} without an account, we have emailed fresh links to them there. Check your inbox in a few minutes.`,
  );
}

export default function MyTickets() {
  const page = useLoaderData<typeof loader>();
  if (!page.signedIn) return <SignedOut />;
  const { tickets, total, unreadCount } = page;
  return (
    <>
      <h1>My tickets</h1>
      {total === 0 ? (
        <div className="card">
          <p>You have no tickets yet. Tickets you send while signed in, and those sent from your verified addresses, appear here.</p>
          <p>
            <Link to="/tickets/new" className="button">
              Submit a ticket
            </Link>
          </p>
        </div>
      ) : (
        <>
          <p className="lead">
            {total === 1 ? "1 ticket" : `${total} tickets`}, newest activity first.
            {unreadCount > 0 ? ` ${unreadCount === 1 ? "1 has" : `${unreadCount} have`} news from Customer Care.` : ""}
          </p>
          <p>
            <Link to="/tickets/new">Submit a new ticket</Link>
          </p>
          <table className="data ticket-list">
            <caption className="visually-hidden">Your tickets</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Last update</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.id} className={ticket.unread ? "ticket-list__row--unread" : undefined}>
                  <td>
                    <Link to={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
                    {ticket.unread ? (
                      <>
                        {" "}
                        <span className="tag tag--warn unread-marker">New</span>
                        <span className="visually-hidden"> — Customer Care has news since you last looked</span>
                      </>
                    ) : null}
                    <div className="muted ticket-list__reference">{ticket.reference}</div>
                  </td>
                  <td>
                    <StatusTag status={ticket.status} />
                  </td>
                  <td>
                    <Timestamp value={ticket.lastActivityAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page.page} pageCount={page.pageCount} />
        </>
      )}
    </>
  );
}

function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages of tickets" className="pagination">
      {page > 1 ? (
        <Link to={page === 2 ? "/tickets" : `/tickets?page=${page - 1}`} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span aria-hidden="true" className="pagination__placeholder" />
      )}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link to={`/tickets?page=${page + 1}`} rel="next">
          Older →
        </Link>
      ) : (
        <span aria-hidden="true" className="pagination__placeholder" />
      )}
    </nav>
  );
}

function SignedOut() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <div className="narrow">
      <h1>My tickets</h1>
      <p>
        <Link to="/login?redirectTo=%2Ftickets">Log in</Link> to see your tickets. Tickets sent without an account appear here once you sign up and
        verify the address you wrote from.
      </p>
      <p>
        <Link to="/tickets/new">Submit a ticket</Link>
      </p>
      <section aria-labelledby="lost-link" className="card">
        <h2 id="lost-link" tabIndex={-1}>
          Sent a ticket without an account?
        </h2>
        <p>Each email we send about it has a private link to the ticket. Lost them? We'll email fresh links to the address you wrote from.</p>
        <Form method="post" noValidate>
          <FormError message={errors.form} />
          <input type="hidden" name="intent" value="send-links" />
          <Field label="Your email address" name="email" type="email" autoComplete="email" required defaultValue={result?.values?.email} error={errors.email} />
          <button type="submit" className="button" disabled={busy}>
            Email me my ticket links
          </button>
        </Form>
      </section>
    </div>
  );
}
