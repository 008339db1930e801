import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import ticketStyles from "~/styles/tickets.css?url";

export const meta: MetaFunction = () => [{ title: "Ticket received · badgedesk" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: ticketStyles }];

// Where a guest lands after sending a ticket. The reference and address ride in the one-time
// notice above the page, never in the URL.
export default function TicketReceived() {
  return (
    <div className="narrow">
      <h1>Thank you — we have your ticket</h1>
      <p>We sent you an email with a private link. Open it to read our answers and reply; the same link comes with every answer we send.</p>
      <h2>Nothing in your inbox?</h2>
      <ul>
        <li>Give it a few minutes and look in your spam or junk folder.</li>
        <li>
          Lost the email later? <Link to="/tickets#lost-link">Ask for your private links again</Link>.
        </li>
        <li>
          With an account, your tickets are always under <Link to="/tickets">My tickets</Link> once you have verified the address you wrote from.
        </li>
      </ul>
      <p>
        <Link to="/">Back to the help center</Link>
      </p>
    </div>
  );
}
