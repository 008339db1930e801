import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { parseForm } from "~/lib/forms";
import { previewAddressRemoval, RemoveAddressInput, removeAddressOutcome, removeEmailAddress } from "~/modules/accounts";
import { redirectWithNotice, requireUser } from "~/modules/auth";
import accountsStyles from "~/styles/accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: accountsStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: preview }) => [
  { title: preview ? `${preview.kind === "own" ? "Remove" : "Stop adding"} ${preview.email} · badgedesk` : "Remove an address · badgedesk" },
];

// The confirm step is a page of its own, so it works the same without JavaScript.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const preview = await previewAddressRemoval({ accountId: viewer.id, emailId: params.emailId ?? "" });
  if (!preview) throw new Response("Not found", { status: 404 });
  return preview;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const input = parseForm(await request.formData(), RemoveAddressInput);
  if (!input.ok) return data({ message: "That request was not understood. Please try again." }, { status: 400 });
  const outcome = removeAddressOutcome(await removeEmailAddress({ accountId: viewer.id, emailId: params.emailId ?? "", actorId: viewer.id }));
  if (outcome.ok) return redirectWithNotice("/my/badges", outcome.notice);
  return data({ message: outcome.message }, { status: outcome.status });
}

function BadgeNames({ badges }: { badges: { awardId: string; badgeName: string; issuerName: string }[] }) {
  return (
    <ul className="removal__badges">
      {badges.map((b) => (
        <li key={b.awardId}>
          <strong>{b.badgeName}</strong> <span className="muted">from {b.issuerName}</span>
        </li>
      ))}
    </ul>
  );
}

export default function RemoveAddress() {
  const preview = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const moving = preview.kind === "moving";
  const nothingChanges = preview.leaving.length === 0 && preview.stopWaiting.length === 0 && preview.removedByYou.length === 0;

  return (
    <div className="narrow removal">
      <p>
        <Link to="/my/badges">← My badges</Link>
      </p>
      <h1>{moving ? `Stop adding ${preview.email}?` : `Remove ${preview.email}?`}</h1>
      {result?.message ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}

      {preview.blockedBecause ? (
        <>
          <p>{preview.blockedBecause}</p>
          <p>
            <Link to="/my/badges" className="button">
              Back to My badges
            </Link>
          </p>
        </>
      ) : (
        <>
          {preview.leaving.length > 0 ? (
            <div className="card removal__warning">
              <h2>
                {preview.leaving.length === 1 ? "This badge will leave your backpack" : `These ${preview.leaving.length} badges will leave your backpack`}
              </h2>
              <BadgeNames badges={preview.leaving} />
            </div>
          ) : null}
          {preview.stopWaiting.length > 0 ? (
            <div className="card">
              <h2>
                {preview.stopWaiting.length === 1
                  ? "This badge waits for the address to be verified and will no longer wait for you"
                  : `These ${preview.stopWaiting.length} badges wait for the address to be verified and will no longer wait for you`}
              </h2>
              <BadgeNames badges={preview.stopWaiting} />
            </div>
          ) : null}
          {preview.removedByYou.length > 0 ? (
            <div className="card">
              <h2>{preview.removedByYou.length === 1 ? "This badge you removed can no longer be restored here" : "These badges you removed can no longer be restored here"}</h2>
              <BadgeNames badges={preview.removedByYou} />
            </div>
          ) : null}
          <p>
            {preview.mayHaveBadgesWaiting
              ? moving
                ? "Badges may be waiting at this address; they stay with it. Links already sent to it stop working, and you can add it again at any time."
                : "Badges may be waiting at this address; they stay with it. If you add it again and verify it, they come to your backpack."
              : nothingChanges
                ? "No badges were awarded to this address, so your backpack stays as it is."
              : moving
                ? "Nothing is deleted: links already sent stop working, and you can add the address again at any time."
                : "Nothing is deleted: the badges stay attached to the address. If you add it again and verify it, they come back."}
          </p>
          <Form method="post" className="removal__confirm">
            <input type="hidden" name="intent" value="remove-address" />
            <button type="submit" className="button button--danger" disabled={busy}>
              {busy ? "Removing…" : moving ? `Stop adding ${preview.email}` : `Remove ${preview.email}`}
            </button>{" "}
            <Link to="/my/badges" className="button button--quiet">
              Keep it
            </Link>
          </Form>
        </>
      )}
    </div>
  );
}
