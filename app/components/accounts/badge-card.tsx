import type { BadgeView } from "~/modules/accounts/my-badges";
import { ActionButton } from "./action-form";
import { FindingDetails, type ActionProblem } from "./finding-details";

const TONE_CLASS: Record<BadgeView["tone"], string> = { ok: "tag tag--ok", warn: "tag tag--warn", bad: "tag tag--bad", neutral: "tag" };

/** One award: what it is, where it was sent, its state, and (when it isn't plainly in the backpack) why and what to do. */
export function BadgeCard({ badge, problem }: { badge: BadgeView; problem?: ActionProblem | null }) {
  const headingId = `award-${badge.awardId}`;
  const removeProblem = problem?.intent === "remove-from-backpack" && problem.target === badge.awardId ? problem : null;
  return (
    <li className={`badge-card badge-card--${badge.tone}`} aria-labelledby={headingId}>
      <div className="badge-card__head">
        <h3 id={headingId} className="badge-card__name">
          {badge.badgeName}
        </h3>
        <span className={TONE_CLASS[badge.tone]}>{badge.status}</span>
      </div>
      <p className="badge-card__meta">
        {badge.issuerName} · awarded to <span className="badge-card__address">{badge.recipientEmail}</span> on {badge.issuedOn}
        {badge.expiresOn && badge.state !== "expired" ? ` · expires ${badge.expiresOn}` : null}
      </p>
      {badge.badgeDescription ? <p className="badge-card__description">{badge.badgeDescription}</p> : null}
      {badge.finding ? <FindingDetails finding={badge.finding} problem={problem} idPrefix={headingId} /> : null}
      {badge.canRemoveFromBackpack ? (
        <div className="badge-card__tools">
          <ActionButton
            intent="remove-from-backpack"
            awardId={badge.awardId}
            label={`Remove “${badge.badgeName}” from my backpack`}
            busyLabel="Removing…"
            describedBy={removeProblem ? `${headingId}-remove-error` : undefined}
            quiet
          >
            Remove from backpack
          </ActionButton>
          {removeProblem ? (
            <p className="field__error" id={`${headingId}-remove-error`}>
              {removeProblem.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
