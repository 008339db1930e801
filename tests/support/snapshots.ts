// Builders for the pure account rules' inputs (award state, diagnosis, the account lookup that My
// badges and the agent's panel read), shared by their unit tests: a plausible default that each
// test overrides where its point lies.
import type { AccountAddress, AccountLookup, AwardRecord } from "~/modules/accounts/account-lookup";
import type { AwardSnapshot, RevocationSnapshot } from "~/modules/accounts/award-state";

export function awardSnapshot(overrides: Partial<AwardSnapshot> = {}): AwardSnapshot {
  return {
    id: "award-1",
    badgeName: "Data Literacy",
    issuerName: "Open University",
    recipientEmail: "ana@gmail.com",
    issuedOn: new Date("2024-01-10T00:00:00Z"),
    expiresAt: null,
    removedByLearner: false,
    revocations: [],
    recipientHolder: "this_account_verified",
    ...overrides,
  };
}

export function revocationSnapshot(overrides: Partial<RevocationSnapshot> = {}): RevocationSnapshot {
  return {
    id: "rev-1",
    reason: "Assessment irregularity",
    revokedBy: "Dr. Grey",
    revokedAt: new Date("2025-03-01T00:00:00Z"),
    reinstatement: null,
    ...overrides,
  };
}

/** mulberry32: a small seeded generator, so property-style runs see the same inputs every time. */
/** Every place an award's recipient address can be, for tests that try each one. */
export const RECIPIENT_HOLDERS: AwardSnapshot["recipientHolder"][] = [
  "this_account_verified",
  "this_account_unverified",
  "no_account",
  "other_account_verified",
  "other_account_unverified",
];

export function seededRandom(seed: number) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const LOOKUP_DAY = new Date("2025-06-15T12:00:00Z");

/** One of the account's addresses, as the account lookup reads it: verified and primary by default. */
export function accountAddress(overrides: Partial<AccountAddress> = {}): AccountAddress {
  return { id: "e-main", email: "ana@example.org", verified: true, verifiedAt: LOOKUP_DAY, primary: true, createdAt: LOOKUP_DAY, kind: "own", ...overrides };
}

/** An award as the account lookup reads it: an award snapshot with its badge's description and how it was found. */
export function awardRecord(overrides: Partial<AwardRecord> = {}): AwardRecord {
  return {
    ...awardSnapshot({ id: "a1", badgeName: "Python Foundations", issuerName: "Lakeside Institute", recipientEmail: "ana@example.org", issuedOn: new Date("2025-01-10T00:00:00Z") }),
    badgeDescription: "Writes small programs.",
    removedByLearnerAt: null,
    via: "own",
    ...overrides,
  };
}

/** A whole account lookup: one verified primary address, nothing else, by default. */
export function accountLookup(overrides: Partial<AccountLookup> = {}): AccountLookup {
  return { account: { id: "acct-ana", name: "Ana", disabled: false }, addresses: [accountAddress()], awards: [], invitations: [], ...overrides };
}
