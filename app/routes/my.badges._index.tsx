import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionError } from "~/components/accounts/action-form";
import { AddAddressForm } from "~/components/accounts/add-address-form";
import { AddressList } from "~/components/accounts/address-list";
import { BadgeCard } from "~/components/accounts/badge-card";
import { FindingDetails, type ActionProblem } from "~/components/accounts/finding-details";
import { MisspeltAddressSearch } from "~/components/accounts/misspelt-address-search";
import { parseForm } from "~/lib/forms";
import { retryAfter, withActionRetryAfter } from "~/lib/retry-after";
import {
  addEmailAddress,
  addEmailOutcome,
  backpackOutcome,
  cancelAddressMove,
  cancelMoveOutcome,
  findBadgesAtMisspelling,
  getMyBadges,
  makeEmailPrimary,
  makePrimaryOutcome,
  misspeltSearchView,
  MyBadgesActionInput,
  removeAwardFromBackpack,
  resendVerificationLink,
  restoreAward,
  sendLinkOutcome,
  type MyBadgesAction,
  type Outcome,
} from "~/modules/accounts";
import { redirectWithNotice, requireUser } from "~/modules/auth";
import { ticketFormLink } from "~/modules/tickets/ticket-rules";
import accountsStyles from "~/styles/accounts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: accountsStyles }];
export const meta: MetaFunction = () => [{ title: "My badges · badgedesk" }];

export const headers = withActionRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const view = await getMyBadges({ accountId: viewer.id });
  if (!view) throw new Response("Not found", { status: 404 });
  const sentTo = new URL(request.url).searchParams.get("sentTo");
  const misspelt = sentTo === null ? null : misspeltSearchView(await findBadgesAtMisspelling({ accountId: viewer.id, typed: sentTo }));
  // Only Customer Care can move such badges: the way to them is the ticket form, filled in.
  const supportLink = misspelt?.ticketDraft ? ticketFormLink({ category: "missing_badge", ...misspelt.ticketDraft }) : null;
  return { ...view, sentTo: sentTo ?? "", misspelt: misspelt && { ...misspelt, supportLink } };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const input = parseForm(await request.formData(), MyBadgesActionInput);
  if (!input.ok) {
    const problem: ActionProblem = {
      intent: input.values.intent ?? "",
      target: input.values.emailId ?? input.values.awardId ?? null,
      message: input.errors.email ?? "That request was not understood. Please reload the page and try again.",
    };
    return data({ problem, values: input.values }, { status: 400 });
  }
  const outcome = await perform(input.data, viewer.id);
  if (outcome.ok) return redirectWithNotice("/my/badges", outcome.notice);
  const problem: ActionProblem = { intent: input.data.intent, target: targetOf(input.data), message: outcome.message, mergeHelp: outcome.mergeHelp };
  return data({ problem, values: input.values }, { status: outcome.status, headers: retryAfter(outcome.retryAfterSeconds) });
}

async function perform(input: MyBadgesAction, accountId: string): Promise<Outcome> {
  const actorId = accountId;
  switch (input.intent) {
    case "add-email":
      return addEmailOutcome(await addEmailAddress({ accountId, email: input.email, actorId }));
    case "send-link":
      return sendLinkOutcome(await resendVerificationLink({ accountId, emailId: input.emailId, actorId }));
    case "make-primary":
      return makePrimaryOutcome(await makeEmailPrimary({ accountId, emailId: input.emailId, actorId }));
    case "cancel-move":
      return cancelMoveOutcome(await cancelAddressMove({ accountId, emailId: input.emailId, actorId }));
    case "restore-award":
      return backpackOutcome(await restoreAward({ accountId, awardId: input.awardId, actorId }), "restore");
    case "remove-from-backpack":
      return backpackOutcome(await removeAwardFromBackpack({ accountId, awardId: input.awardId, actorId }), "remove");
  }
}

function targetOf(input: MyBadgesAction): string | null {
  if ("emailId" in input) return input.emailId;
  if ("awardId" in input) return input.awardId;
  return input.email;
}

export default function MyBadges() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem ?? null;
  const addProblem = problem?.intent === "add-email" ? problem : null;

  return (
    <div className="my-badges">
      <h1>My badges</h1>
      <p className="lead">Badges awarded to the verified email addresses on your account appear in your backpack.</p>

      {problem ? <ActionError message={problem.message} mergeHelp={problem.mergeHelp} announce /> : null}

      {view.summary.length > 0 ? (
        <section className="card attention" aria-labelledby="attention-heading">
          <h2 id="attention-heading">What needs your attention</h2>
          <ul className="attention__list">
            {view.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.accountFindings.map((finding, index) => (
        <section key={`${finding.code}-${index}`} className={`card account-finding account-finding--${finding.severity}`} aria-label={finding.title}>
          <FindingDetails finding={finding} problem={problem} idPrefix={`account-finding-${index}`} />
        </section>
      ))}

      <section aria-labelledby="backpack-heading">
        <h2 id="backpack-heading">
          Your backpack <span className="count">({view.backpack.length})</span>
        </h2>
        {view.backpack.length > 0 ? (
          <ul className="badge-list">
            {view.backpack.map((badge) => (
              <BadgeCard key={badge.awardId} badge={badge} problem={problem} />
            ))}
          </ul>
        ) : (
          <p className="muted">Your backpack is empty for now. Badges awarded to your verified addresses appear here.</p>
        )}
      </section>

      <section aria-labelledby="not-in-backpack-heading">
        <h2 id="not-in-backpack-heading">
          Not in your backpack <span className="count">({view.notInBackpack.length})</span>
        </h2>
        {view.notInBackpack.length > 0 ? (
          <ul className="badge-list">
            {view.notInBackpack.map((badge) => (
              <BadgeCard key={badge.awardId} badge={badge} problem={problem} />
            ))}
          </ul>
        ) : (
          <p className="muted">Every badge awarded to your addresses is in your backpack.</p>
        )}
      </section>

      <MisspeltAddressSearch typed={view.sentTo} view={view.misspelt} />

      {view.invitations.length > 0 ? (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading">Pathway invitations</h2>
          <ul className="badge-list">
            {view.invitations.map((invitation, index) => (
              <li key={`${invitation.code}-${index}`} className="badge-card badge-card--neutral">
                <FindingDetails finding={invitation} idPrefix={`invitation-${index}`} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Email addresses</h2>
        <p className="muted">
          Badges are attached to the address they were awarded to. Add every address your badges may have been sent to, and verify it.{" "}
          <Link to="/faq/account-and-email/change-primary-email-remove-old">Changing your primary address</Link>
        </p>
        <AddressList addresses={view.addresses} problem={problem && problem.intent !== "add-email" ? problem : null} />
        <AddAddressForm
          key={view.addresses.length}
          enabled={view.canAddAddress}
          error={addProblem?.message}
          mergeHelp={addProblem?.mergeHelp}
          value={addProblem ? (result?.values.email ?? "") : undefined}
        />
      </section>
    </div>
  );
}
