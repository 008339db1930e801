// Where an award stands from the point of view of one account's backpack. Pure, never throws.

export type AwardState =
  | "in_backpack"
  | "expired"
  | "waiting_unverified"
  | "unclaimed"
  | "on_other_account"
  | "revoked"
  | "removed";

/** How an award's state is shown, to learners and agents alike: fine, needs a look, bad, or by choice. */
export type AwardTone = "ok" | "warn" | "bad" | "neutral";

export const AWARD_STATE_TONES: Record<AwardState, AwardTone> = {
  in_backpack: "ok",
  expired: "warn",
  waiting_unverified: "warn",
  unclaimed: "warn",
  on_other_account: "warn",
  revoked: "bad",
  removed: "neutral",
};

export const AWARD_STATES: readonly AwardState[] = [
  "in_backpack",
  "expired",
  "waiting_unverified",
  "unclaimed",
  "on_other_account",
  "revoked",
  "removed",
];

export interface RevocationSnapshot {
  id: string;
  reason: string;
  revokedBy: string;
  revokedAt: Date;
  /** authorisedOn: the day the issuer authorised it (YYYY-MM-DD), when recorded. */
  reinstatement: { authorisedBy: string; reference: string; recordedAt: Date; authorisedOn?: string | null } | null;
}

export interface AwardSnapshot {
  id: string;
  badgeName: string;
  issuerName: string;
  recipientEmail: string;
  issuedOn: Date;
  expiresAt: Date | null;
  removedByLearner: boolean;
  /** History, oldest first; the award is revoked when the newest one has no reinstatement. */
  revocations: RevocationSnapshot[];
  /** Where the recipient address lives, as the lookup found it. */
  recipientHolder:
    | "this_account_verified"
    | "this_account_unverified"
    | "no_account"
    | "other_account_verified"
    | "other_account_unverified";
}

/**
 * The revocation currently in force, or null. The newest revocation decides: if the issuer
 * authorised a reinstatement of it, the award stands again; older ones are only history.
 * "Newest" is the latest revokedAt; a missing or invalid date counts as older than any real
 * one, and ties go to the later entry in the list (the list is oldest first).
 */
export function activeRevocation(award: Pick<AwardSnapshot, "revocations">): RevocationSnapshot | null {
  const revocations = Array.isArray(award?.revocations) ? award.revocations : [];
  let newest: RevocationSnapshot | null = null;
  let newestTime = -Infinity;
  for (const revocation of revocations) {
    if (!revocation || typeof revocation !== "object") continue;
    const time = timeOf(revocation.revokedAt) ?? -Infinity;
    if (newest === null || time >= newestTime) {
      newest = revocation;
      newestTime = time;
    }
  }
  return newest && !newest.reinstatement ? newest : null;
}

/**
 * One state per award, decided in this order (the first that applies wins):
 *   1. revoked — an issuer revocation without reinstatement hides the badge whatever else holds;
 *   2. the recipient address is not held verified by this account:
 *      - this_account_unverified → waiting_unverified (it appears once the address is verified),
 *      - no_account or other_account_unverified → unclaimed (nobody can see it yet),
 *      - other_account_verified → on_other_account (it is in someone else's backpack);
 *   3. removed — the learner took it out of their backpack (restorable);
 *   4. expired — shown in the backpack marked expired, never hidden;
 *   5. in_backpack.
 * An unknown recipientHolder counts as unclaimed: the badge is certainly not in this backpack.
 */
export function awardState(award: AwardSnapshot, now: Date): AwardState {
  if (activeRevocation(award)) return "revoked";

  switch (award?.recipientHolder) {
    case "this_account_verified":
      break;
    case "this_account_unverified":
      return "waiting_unverified";
    case "other_account_verified":
      return "on_other_account";
    default:
      return "unclaimed";
  }

  if (award.removedByLearner === true) return "removed";

  const expiresAt = timeOf(award.expiresAt);
  const nowTime = timeOf(now);
  if (expiresAt !== null && nowTime !== null && expiresAt <= nowTime) return "expired";

  return "in_backpack";
}

function timeOf(value: unknown): number | null {
  if (!(value instanceof Date)) return null;
  const time = value.getTime();
  return Number.isNaN(time) ? null : time;
}
