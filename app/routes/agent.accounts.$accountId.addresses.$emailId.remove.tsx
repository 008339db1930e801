import { randomUUID } from "node:crypto";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { accountActionPath } from "~/components/agent/account-panel";
import { previewAddressRemoval } from "~/modules/accounts";
import { actionKeyFor } from "~/modules/accounts/agent-action-schemas";
import { requireRoleOrNotFound } from "~/modules/auth";
import agentAccountsStyles from "~/styles/agent-accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: agentAccountsStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: `Remove ${page?.preview.email ?? "an address"} · Agent desk · badgedesk` }];

// The confirm step names the badges that will leave the backpack; it is a page of its own so it
// works the same without JavaScript. The removal itself posts to the account page's action.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoleOrNotFound(request, "agent");
  const accountId = params.accountId ?? "";
  const preview = await previewAddressRemoval({ accountId, emailId: params.emailId ?? "" });
  if (!preview || preview.kind !== "own") throw new Response("Not found", { status: 404 });
  const ticketId = new URL(request.url).searchParams.get("ticket") || null;
  return { accountId, preview, ticketId, renderKey: randomUUID() };
}

export default function RemoveAddressConfirm() {
  const { accountId, preview, ticketId, renderKey } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const back = accountActionPath(accountId, ticketId);
  const blocked = preview.blockedBecause?.replace("This is your primary address", "This is the primary address").replace("your account", "the account");
  return (
    <div className="agent-accounts narrow">
      <p>
        <Link to={back}>← Back to the account</Link>
      </p>
      <h1>Remove {preview.email}?</h1>
      {blocked ? (
        <p>{blocked}</p>
      ) : (
        <>
          {preview.leaving.length > 0 ? (
            <div className="card removal-warning">
              <h2>{preview.leaving.length === 1 ? "This badge will leave the backpack" : `These ${preview.leaving.length} badges will leave the backpack`}</h2>
              <ul>
                {preview.leaving.map((b) => (
                  <li key={b.awardId}>
                    <strong>{b.badgeName}</strong> <span className="muted">from {b.issuerName}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p>No badge in the backpack comes through this address.</p>
          )}
          {preview.stopWaiting.length > 0 ? <p>{preview.stopWaiting.length} waiting badge(s) will stop waiting for this address.</p> : null}
          <p className="muted">The badges come back if the address is added and verified again.{preview.verified ? " The address is told by email." : ""}</p>
          <Form method="post" action={back} className="card">
            <input type="hidden" name="intent" value="remove-email" />
            <input type="hidden" name="emailId" value={preview.emailId} />
            <input type="hidden" name="confirm" value="yes" />
            <input type="hidden" name="actionKey" value={actionKeyFor(renderKey, "remove-email", preview.emailId)} />
            <input type="hidden" name="returnTo" value={back} />
            {ticketId ? (
              <input type="hidden" name="ticketId" value={ticketId} />
            ) : (
              <div className="field">
                <label htmlFor="remove-reason">Reason (no ticket)</label>
                <input id="remove-reason" name="reason" required />
              </div>
            )}
            <button type="submit" className="button button--danger" disabled={busy}>
              {busy ? "Removing…" : `Remove ${preview.email}`}
            </button>{" "}
            <Link to={back} className="button button--quiet">
              Cancel
            </Link>
          </Form>
        </>
      )}
    </div>
  );
}
