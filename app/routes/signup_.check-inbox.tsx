import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/lib/config.server";
import { getViewer } from "~/modules/auth";

export const meta: MetaFunction = () => [{ title: "Check your inbox · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const email = (new URL(request.url).searchParams.get("email") ?? "").slice(0, 254);
  return { email, devMailbox: config.devMailboxOpen, signedIn: Boolean(await getViewer(request)) };
}

export default function CheckInbox() {
  const { email, devMailbox, signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Check your inbox</h1>
      <p>
        We sent a verification link to <strong>{email || "your address"}</strong>. Open it to confirm the address; badges sent there then appear in
        your backpack.
      </p>
      {signedIn ? (
        <p>
          You are signed in already: you can <Link to="/tickets/new">submit a ticket</Link> or look at <Link to="/my/badges">My badges</Link> now.
          Badges are named there once an address is verified.
        </p>
      ) : (
        <p>
          When you have verified it, <Link to="/login">log in</Link>.
        </p>
      )}
      {devMailbox ? (
        <p className="card">
          This is a local setup that sends no real email: read the message in the <Link to="/dev/mailbox">development mailbox</Link>.
        </p>
      ) : null}
      <p className="muted">
        No email after a few minutes? Look in your spam folder, then log in and choose “Send a verification link” under Email addresses on{" "}
        <Link to="/my/badges#addresses-heading">My badges</Link>.
      </p>
    </div>
  );
}
