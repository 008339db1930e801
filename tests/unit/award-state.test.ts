import { describe, test, expect } from "vitest";
import {
  activeRevocation,
  awardState,
  AWARD_STATES,
  type AwardSnapshot,
  type AwardState,
  type RevocationSnapshot,
} from "~/modules/accounts/award-state";
import { awardSnapshot, revocationSnapshot, seededRandom, RECIPIENT_HOLDERS } from "../support/snapshots";

const award = (overrides: Partial<AwardSnapshot> = {}) => awardSnapshot({ recipientEmail: "ana@school.edu", ...overrides });
const revocation = revocationSnapshot;

const now = new Date("2025-06-15T12:00:00Z");
const yesterday = new Date("2025-06-14T12:00:00Z");
const tomorrow = new Date("2025-06-16T12:00:00Z");



const reinstated = { authorisedBy: "Dr. Grey", reference: "LETTER-17", recordedAt: new Date("2025-04-01T00:00:00Z") };

describe("awardState: each state", () => {
  test("a verified recipient with nothing else wrong is in the backpack", () => {
    expect(awardState(award(), now)).toBe("in_backpack");
  });

  test("an expiry date in the future still leaves the badge in the backpack", () => {
    expect(awardState(award({ expiresAt: tomorrow }), now)).toBe("in_backpack");
  });

  test("a past expiry date shows the badge as expired rather than hiding it", () => {
    expect(awardState(award({ expiresAt: yesterday }), now)).toBe("expired");
  });

  test("a badge expires at the very instant of its expiry date", () => {
    expect(awardState(award({ expiresAt: now }), now)).toBe("expired");
  });

  test("an address unverified on this account makes the badge wait", () => {
    expect(awardState(award({ recipientHolder: "this_account_unverified" }), now)).toBe("waiting_unverified");
  });

  test("an address on no account leaves the badge unclaimed", () => {
    expect(awardState(award({ recipientHolder: "no_account" }), now)).toBe("unclaimed");
  });

  test("an address unverified on another account counts as unclaimed: nobody sees the badge", () => {
    expect(awardState(award({ recipientHolder: "other_account_unverified" }), now)).toBe("unclaimed");
  });

  test("an address verified on another account puts the badge in that account's backpack", () => {
    expect(awardState(award({ recipientHolder: "other_account_verified" }), now)).toBe("on_other_account");
  });

  test("a learner-removed badge is removed", () => {
    expect(awardState(award({ removedByLearner: true }), now)).toBe("removed");
  });

  test("an unreinstated revocation makes the badge revoked", () => {
    expect(awardState(award({ revocations: [revocation()] }), now)).toBe("revoked");
  });
});

describe("awardState: precedence revoked > not held verified > removed > expired > in_backpack", () => {
  test("revoked wins over every other condition", () => {
    for (const recipientHolder of ["this_account_unverified", "no_account", "other_account_verified"] as const) {
      const everything = award({ revocations: [revocation()], recipientHolder, removedByLearner: true, expiresAt: yesterday });
      expect(awardState(everything, now)).toBe("revoked");
    }
  });

  test("an address not held verified wins over removed and expired", () => {
    const base = { removedByLearner: true, expiresAt: yesterday };
    expect(awardState(award({ ...base, recipientHolder: "this_account_unverified" }), now)).toBe("waiting_unverified");
    expect(awardState(award({ ...base, recipientHolder: "no_account" }), now)).toBe("unclaimed");
    expect(awardState(award({ ...base, recipientHolder: "other_account_unverified" }), now)).toBe("unclaimed");
    expect(awardState(award({ ...base, recipientHolder: "other_account_verified" }), now)).toBe("on_other_account");
  });

  test("removed wins over expired", () => {
    expect(awardState(award({ removedByLearner: true, expiresAt: yesterday }), now)).toBe("removed");
  });
});

describe("activeRevocation", () => {
  test("no revocations means none is active", () => {
    expect(activeRevocation(award())).toBeNull();
  });

  test("a reinstated newest revocation puts the badge back in the backpack", () => {
    const a = award({ revocations: [revocation({ reinstatement: reinstated })] });
    expect(activeRevocation(a)).toBeNull();
    expect(awardState(a, now)).toBe("in_backpack");
  });

  test("a revocation after an earlier reinstatement is in force, with its own reason", () => {
    const a = award({
      revocations: [
        revocation({ id: "rev-1", reinstatement: reinstated }),
        revocation({ id: "rev-2", reason: "Issued in error", revokedAt: new Date("2025-05-01T00:00:00Z") }),
      ],
    });
    expect(activeRevocation(a)?.reason).toBe("Issued in error");
    expect(awardState(a, now)).toBe("revoked");
  });

  test("an old unreinstated revocation is history once a newer one is reinstated", () => {
    const a = award({
      revocations: [
        revocation({ id: "rev-1" }),
        revocation({ id: "rev-2", revokedAt: new Date("2025-05-01T00:00:00Z"), reinstatement: reinstated }),
      ],
    });
    expect(awardState(a, now)).toBe("in_backpack");
  });

  test("the newest is chosen by date even if the list arrives out of order", () => {
    const a = award({
      revocations: [
        revocation({ id: "rev-new", revokedAt: new Date("2025-05-01T00:00:00Z"), reinstatement: reinstated }),
        revocation({ id: "rev-old", revokedAt: new Date("2024-01-01T00:00:00Z") }),
      ],
    });
    expect(activeRevocation(a)).toBeNull();
  });

  test("a revocation with an invalid date counts as older than a dated one", () => {
    const a = award({
      revocations: [
        revocation({ id: "rev-dated", reinstatement: reinstated }),
        revocation({ id: "rev-undated", revokedAt: new Date("not a date") }),
      ],
    });
    expect(activeRevocation(a)).toBeNull();
  });

  test("when every date is invalid, the last in the list (the newest by contract) decides", () => {
    const bad = new Date("not a date");
    const a = award({ revocations: [revocation({ id: "r1", revokedAt: bad, reinstatement: reinstated }), revocation({ id: "r2", revokedAt: bad })] });
    expect(activeRevocation(a)?.id).toBe("r2");
  });
});

describe("awardState: odd data", () => {
  test("invalid dates and missing lists don't throw", () => {
    const odd = award({ expiresAt: new Date("nope"), revocations: null as unknown as RevocationSnapshot[] });
    expect(awardState(odd, now)).toBe("in_backpack");
    expect(awardState(award({ expiresAt: yesterday }), new Date("nope"))).toBe("in_backpack");
    expect(awardState(award({ revocations: [null as unknown as RevocationSnapshot] }), now)).toBe("in_backpack");
  });

  test("an unknown holder is treated as unclaimed, never as in the backpack", () => {
    expect(awardState(award({ recipientHolder: "mystery" as AwardSnapshot["recipientHolder"] }), now)).toBe("unclaimed");
  });
});


const HOLDERS = RECIPIENT_HOLDERS;

function randomAward(random: () => number, i: number): AwardSnapshot {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);
  const revocations = Array.from({ length: Math.floor(random() * 3) }, (_, k) =>
    revocation({ id: `rev-${i}-${k}`, revokedAt: day(-300 + k * 50), reinstatement: random() < 0.5 ? reinstated : null }),
  );
  return award({
    id: `award-${i}`,
    recipientHolder: pick(HOLDERS),
    removedByLearner: random() < 0.3,
    expiresAt: pick([null, day(-10), day(10), new Date("bad")]),
    revocations,
  });
}

// The precedence written out independently, one predicate per state.
function statePredicates(a: AwardSnapshot): Record<AwardState, boolean> {
  const revs = a.revocations;
  const revoked = revs.length > 0 && revs[revs.length - 1].reinstatement === null;
  const held = a.recipientHolder === "this_account_verified";
  const expired = a.expiresAt !== null && !Number.isNaN(a.expiresAt.getTime()) && a.expiresAt <= now;
  return {
    revoked,
    waiting_unverified: !revoked && a.recipientHolder === "this_account_unverified",
    unclaimed: !revoked && (a.recipientHolder === "no_account" || a.recipientHolder === "other_account_unverified"),
    on_other_account: !revoked && a.recipientHolder === "other_account_verified",
    removed: !revoked && held && a.removedByLearner,
    expired: !revoked && held && !a.removedByLearner && expired,
    in_backpack: !revoked && held && !a.removedByLearner && !expired,
  };
}

describe("awardState over generated awards", () => {
  test("every award lands in exactly one state, the one the precedence rules pick", () => {
    const seen = new Set<AwardState>();
    for (const seed of [1, 2, 3, 42, 2025]) {
      const random = seededRandom(seed);
      for (let i = 0; i < 200; i++) {
        const a = randomAward(random, i);
        const predicates = statePredicates(a);
        const matching = AWARD_STATES.filter((s) => predicates[s]);
        expect(matching).toHaveLength(1);
        expect(awardState(a, now)).toBe(matching[0]);
        seen.add(matching[0]);
      }
    }
    // The generator must actually reach every state, or the property proves little.
    expect([...seen].sort()).toEqual([...AWARD_STATES].sort());
  });
});
