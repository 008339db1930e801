// What the account lookup returns, and the pure steps from its raw rows to snapshots, states and
// the learner's view. No I/O: the statement lives in account-lookup-sql.ts, the query in
// account-lookup.server.ts.
import { awardState, type AwardSnapshot, type AwardState, type RevocationSnapshot } from "./award-state";
import type { AccountSnapshot, EmailSnapshot, InvitationSnapshot } from "./diagnosis";

/** How an address belongs to the account: its own, or one being moved here from another account. */
export type AddressKind = "own" | "claim" | "claim_taken";

export interface AccountAddress extends EmailSnapshot {
  kind: AddressKind;
  verifiedAt: Date | null;
  createdAt: Date;
}

/** How the lookup reached an award: an address of the account, a pending move, or a likely misspelling. */
export type AwardVia = "own" | "claim" | "typo";

export interface AwardRecord extends AwardSnapshot {
  badgeDescription: string;
  removedByLearnerAt: Date | null;
  via: AwardVia;
}

export interface AccountLookup {
  account: { id: string; name: string; disabled: boolean };
  /** Own addresses (primary first, then oldest first), then pending and lost moves. */
  addresses: AccountAddress[];
  awards: AwardRecord[];
  invitations: InvitationSnapshot[];
}

export interface AwardWithState {
  award: AwardRecord;
  state: AwardState;
}

// ---------------------------------------------------------------------------------------------
// Raw rows → typed records. The statement returns JSON, so dates arrive as ISO strings.

export interface LookupRow {
  account_id: string;
  name: string;
  disabled_at: string | Date | null;
  emails: unknown;
  awards: unknown;
  invitations: unknown;
}

type Json = Record<string, unknown>;

const HOLDERS: ReadonlySet<AwardSnapshot["recipientHolder"]> = new Set([
  "this_account_verified",
  "this_account_unverified",
  "no_account",
  "other_account_verified",
  "other_account_unverified",
]);

export function lookupFromRow(row: LookupRow): AccountLookup {
  const addresses = jsonArray(row.emails).map(
    (e): AccountAddress => ({
      id: String(e.id),
      email: String(e.email),
      verified: e.verifiedAt != null,
      verifiedAt: dateOrNull(e.verifiedAt),
      primary: e.primary === true,
      createdAt: dateOrNull(e.createdAt) ?? new Date(0),
      kind: e.kind === "claim" || e.kind === "claim_taken" ? e.kind : "own",
    }),
  );
  const awards = jsonArray(row.awards).map((a): AwardRecord => {
    const holder = String(a.holder) as AwardSnapshot["recipientHolder"];
    return {
      id: String(a.id),
      badgeName: String(a.badgeName ?? ""),
      badgeDescription: String(a.badgeDescription ?? ""),
      issuerName: String(a.issuerName ?? ""),
      recipientEmail: String(a.recipientEmail ?? ""),
      issuedOn: dateOrNull(a.issuedOn) ?? new Date(0),
      expiresAt: dateOrNull(a.expiresAt),
      removedByLearnerAt: dateOrNull(a.removedByLearnerAt),
      removedByLearner: a.removedByLearnerAt != null,
      recipientHolder: HOLDERS.has(holder) ? holder : "no_account",
      via: a.via === "claim" || a.via === "typo" ? a.via : "own",
      revocations: jsonArray(a.revocations).map(
        (r): RevocationSnapshot => ({
          id: String(r.id),
          reason: String(r.reason ?? ""),
          revokedBy: String(r.revokedBy ?? ""),
          revokedAt: dateOrNull(r.revokedAt) ?? new Date(0),
          reinstatement:
            r.reinstatedAt != null
              ? {
                  authorisedBy: String(r.reinstatementAuthorisedBy ?? ""),
                  reference: String(r.reinstatementReference ?? ""),
                  recordedAt: dateOrNull(r.reinstatedAt) ?? new Date(0),
                }
              : null,
        }),
      ),
    };
  });
  const invitations = jsonArray(row.invitations).map(
    (i): InvitationSnapshot => ({
      id: String(i.id),
      pathwayName: String(i.pathwayName ?? ""),
      issuerName: String(i.issuerName ?? ""),
      email: String(i.email ?? ""),
      status: i.status === "accepted" || i.status === "cancelled" ? i.status : "pending",
      sentAt: dateOrNull(i.sentAt) ?? new Date(0),
    }),
  );
  return { account: { id: row.account_id, name: row.name, disabled: row.disabled_at != null }, addresses, awards, invitations };
}

function jsonArray(value: unknown): Json[] {
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((v): v is Json => v !== null && typeof v === "object") : [];
}

function dateOrNull(value: unknown): Date | null {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

// ---------------------------------------------------------------------------------------------
// Snapshots for the diagnosis engine

/**
 * Everything the lookup found, for Customer Care: addresses with pending moves counted as
 * unverified addresses of this account (that is what they become once verified), and awards to
 * likely misspellings whoever holds them.
 */
export function agentSnapshot(lookup: AccountLookup): AccountSnapshot {
  return {
    accountId: lookup.account.id,
    emails: lookup.addresses.filter((a) => a.kind !== "claim_taken").map(toEmailSnapshot),
    awards: lookup.awards,
    invitations: lookup.invitations,
  };
}

/**
 * What the learner may see: the same, minus awards to misspellings that another account holds,
 * which may well be somebody else's badges. A misspelt address on no account is shown: nobody
 * can receive mail there, so the badge can only be the learner's (DESIGN.md, Diagnosis).
 */
export function learnerSnapshot(lookup: AccountLookup): AccountSnapshot {
  const snapshot = agentSnapshot(lookup);
  return { ...snapshot, awards: lookup.awards.filter(isVisibleToLearner) };
}

export function isVisibleToLearner(award: AwardRecord): boolean {
  return award.via !== "typo" || award.recipientHolder === "no_account";
}

function toEmailSnapshot(address: AccountAddress): EmailSnapshot {
  // Pending moves are never primary here, whatever they are where they sit now.
  return { id: address.id, email: address.email, verified: address.kind === "own" && address.verified, primary: address.kind === "own" && address.primary };
}

export function withStates(awards: AwardRecord[], now: Date): AwardWithState[] {
  return awards.map((award) => ({ award, state: awardState(award, now) }));
}
