// What the account lookup returns, and the pure steps from its raw rows to snapshots, states and
// the learner's view. No I/O: the statement lives in account-lookup-sql.ts, the query in
// account-lookup.server.ts.
import { awardState, type AwardSnapshot, type AwardState, type RevocationSnapshot } from "./award-state";
import type { AccountSnapshot, EmailSnapshot, InvitationSnapshot } from "./diagnosis";
import { intendedAddress, likelyTypoMatches, normalizeEmail } from "./email-typos";

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
  revocations: unknown;
  invitations: unknown;
}

type Json = Record<string, unknown>;

/** Names the statement leaves out (see badge-catalog.server.ts), by badge class and pathway id. */
export interface BadgeClassNames {
  name: string;
  description: string;
  issuerName: string;
}
export interface PathwayNames {
  name: string;
  issuerName: string;
}
export interface CatalogNames {
  badgeClasses: ReadonlyMap<string, BadgeClassNames>;
  pathways: ReadonlyMap<string, PathwayNames>;
}

/** The badge class and pathway ids whose names the records need. */
export function catalogIdsOf(row: LookupRow): { badgeClassIds: string[]; pathwayIds: string[] } {
  return {
    badgeClassIds: jsonArray(row.awards).map((a) => String(a.badgeClassId)),
    pathwayIds: jsonArray(row.invitations).map((i) => String(i.pathwayId)),
  };
}

const HOLDERS: ReadonlySet<AwardSnapshot["recipientHolder"]> = new Set([
  "this_account_verified",
  "this_account_unverified",
  "no_account",
  "other_account_verified",
  "other_account_unverified",
]);

/**
 * The records, in the order people read them: addresses primary first, then oldest; awards and
 * invitations newest first; each award's revocations oldest first. The statement leaves the
 * ordering to us (see account-lookup-sql.ts).
 */
export function lookupFromRow(row: LookupRow, names: CatalogNames): AccountLookup {
  const addresses = jsonArray(row.emails)
    .map(
      (e): AccountAddress => ({
        id: String(e.id),
        email: String(e.email),
        verified: e.verifiedAt != null,
        verifiedAt: dateOrNull(e.verifiedAt),
        primary: e.primary === true,
        createdAt: dateOrNull(e.createdAt) ?? new Date(0),
        kind: e.kind === "claim" || e.kind === "claim_taken" ? e.kind : "own",
      }),
    )
    .sort((a, b) => Number(b.primary) - Number(a.primary) || a.createdAt.getTime() - b.createdAt.getTime() || compareIds(a.id, b.id));

  const revocationsByAward = new Map<string, RevocationSnapshot[]>();
  for (const r of jsonArray(row.revocations)) {
    const awardId = String(r.awardId);
    const list = revocationsByAward.get(awardId) ?? [];
    list.push(revocationFromJson(r));
    revocationsByAward.set(awardId, list);
  }
  for (const list of revocationsByAward.values()) list.sort((a, b) => a.revokedAt.getTime() - b.revokedAt.getTime() || compareIds(a.id, b.id));

  // An award to a misspelling that is itself one of the account's addresses is found both ways;
  // the account's own address wins.
  const awardsById = new Map<string, AwardRecord>();
  for (const a of jsonArray(row.awards)) {
    const award = awardFromJson(a, names.badgeClasses.get(String(a.badgeClassId)), revocationsByAward.get(String(a.id)) ?? []);
    const seen = awardsById.get(award.id);
    if (!seen || (seen.via === "typo" && award.via !== "typo")) awardsById.set(award.id, award);
  }
  const awards = [...awardsById.values()].sort((a, b) => b.issuedOn.getTime() - a.issuedOn.getTime() || compareIds(a.id, b.id));

  const invitations = jsonArray(row.invitations)
    .map((i): InvitationSnapshot => {
      const pathway = names.pathways.get(String(i.pathwayId));
      return {
        id: String(i.id),
        pathwayName: pathway?.name ?? "",
        issuerName: pathway?.issuerName ?? "",
        email: String(i.email ?? ""),
        status: i.status === "accepted" || i.status === "cancelled" ? i.status : "pending",
        sentAt: dateOrNull(i.sentAt) ?? new Date(0),
      };
    })
    .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime() || compareIds(a.id, b.id));

  return { account: { id: row.account_id, name: row.name, disabled: row.disabled_at != null }, addresses, awards, invitations };
}

function awardFromJson(a: Json, badgeClass: BadgeClassNames | undefined, revocations: RevocationSnapshot[]): AwardRecord {
  const holder = String(a.holder) as AwardSnapshot["recipientHolder"];
  return {
    id: String(a.id),
    badgeName: badgeClass?.name ?? "",
    badgeDescription: badgeClass?.description ?? "",
    issuerName: badgeClass?.issuerName ?? "",
    recipientEmail: String(a.recipientEmail ?? ""),
    issuedOn: dateOrNull(a.issuedOn) ?? new Date(0),
    expiresAt: dateOrNull(a.expiresAt),
    removedByLearnerAt: dateOrNull(a.removedByLearnerAt),
    removedByLearner: a.removedByLearnerAt != null,
    recipientHolder: HOLDERS.has(holder) ? holder : "no_account",
    via: a.via === "claim" || a.via === "typo" ? a.via : "own",
    revocations,
  };
}

function revocationFromJson(r: Json): RevocationSnapshot {
  return {
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
            authorisedOn: typeof r.reinstatementAuthorisedOn === "string" ? r.reinstatementAuthorisedOn.slice(0, 10) : null,
          }
        : null,
  };
}

/** Ids as PostgreSQL orders uuids (byte order, which for lower-case hex is string order). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
 * What the learner may see. An award's badge, issuer and details are shown only to the account
 * that holds its address verified: holding an address unverified (or asking for it to move here)
 * proves nothing, so it reveals nothing; such an address only "may have badges waiting". An award
 * to a misspelling is shown when it is on no account and is a slip of one of the account's
 * *verified* addresses (the same rule as the misspelt-address search, misspelt-address.ts).
 */
export function learnerSnapshot(lookup: AccountLookup): AccountSnapshot {
  const snapshot = agentSnapshot(lookup);
  const visible = isVisibleToLearner(lookup);
  return { ...snapshot, awards: lookup.awards.filter(visible) };
}

/** The learner's filter for this account's awards (see learnerSnapshot). */
export function isVisibleToLearner(lookup: AccountLookup): (award: AwardRecord) => boolean {
  const verified = new Set(lookup.addresses.filter((a) => a.kind === "own" && a.verified).map((a) => normalizeEmail(a.email)));
  return (award) => {
    if (award.via === "own") return award.recipientHolder === "this_account_verified";
    if (award.via === "typo") return award.recipientHolder === "no_account" && verified.has(intendedAddress(award.recipientEmail));
    return false;
  };
}

/**
 * The learner's summary lines for addresses not verified here (their own unverified ones and those
 * moving here): one per address, whether or not anything waits there, so they reveal nothing.
 */
export function mayBeWaitingLines(lookup: AccountLookup): string[] {
  const verified = lookup.addresses.filter((a) => a.kind === "own" && a.verified).map((a) => a.email);
  return lookup.addresses
    .filter((a) => a.kind === "claim" || (a.kind === "own" && !a.verified))
    .map((a) => {
      // A slip of a verified address reaches nobody: verifying isn't the way, Customer Care is.
      const meant = likelyTypoMatches(a.email, verified).find((t) => t.toLowerCase() !== a.email.toLowerCase());
      return meant
        ? `Badges may be waiting at ${a.email}, which looks like a misspelling of ${meant}: Customer Care confirms such an address`
        : `Badges may be waiting at ${a.email} — verify it`;
    });
}

function toEmailSnapshot(address: AccountAddress): EmailSnapshot {
  // Pending moves are never primary here, whatever they are where they sit now.
  return { id: address.id, email: address.email, verified: address.kind === "own" && address.verified, primary: address.kind === "own" && address.primary };
}

export function withStates(awards: AwardRecord[], now: Date): AwardWithState[] {
  return awards.map((award) => ({ award, state: awardState(award, now) }));
}
