// The diagnosis codes: what the engine (accounts) can find about an account, and what articles (kb)
// declare they answer. One pure list that both contexts import, so neither reads the other's internals.

export const DIAGNOSIS_CODES = [
  "award_to_unverified_email",
  "award_to_unknown_email",
  "award_to_email_on_other_account",
  "award_revoked",
  "award_expired",
  "award_removed_by_learner",
  "pathway_invitation_pending",
  "account_without_verified_email",
  "primary_email_unverified",
] as const;
export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

/** What each code means, for editors choosing the codes an article answers. */
export const DIAGNOSIS_CODE_MEANINGS: Record<DiagnosisCode, string> = {
  award_to_unverified_email: "A badge waits at an address the learner has not verified",
  award_to_unknown_email: "A badge went to an address on no account",
  award_to_email_on_other_account: "A badge went to an address on another of the learner's accounts",
  award_revoked: "The issuer revoked a badge",
  award_expired: "A badge has expired",
  award_removed_by_learner: "The learner removed a badge from their backpack",
  pathway_invitation_pending: "A pathway invitation was never accepted",
  account_without_verified_email: "The account has no verified address",
  primary_email_unverified: "The account's primary address is not verified",
};

export function isDiagnosisCode(value: string): value is DiagnosisCode {
  return (DIAGNOSIS_CODES as readonly string[]).includes(value);
}
