import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/lib/config.server";

export const meta: MetaFunction = () => [{ title: "Check your inbox · badgedesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const email = (new URL(request.url).searchParams.get("email") ?? "").slice(0, 254);
  return { email, devMailbox: config.devMailboxOpen };
}

export default function CheckInbox() {
  const { email, devMailbox } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Check your inbox</h1>
      <p>
        We sent a verification link to <strong>{email || "your address"}</strong>. Open it to confirm the address; badges sent there then appear in
        your backpack.
      </p>
      <p>
        When you have verified it, <Link to="/login">log in</Link>.
      </p>
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
