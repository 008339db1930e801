import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { lookupFromRow, learnerSnapshot, type AccountAddress, type AccountLookup, type AwardRecord } from "~/modules/accounts/account-lookup";
import { articleForFinding, type FaqArticleRef } from "~/modules/accounts/article-links";
import { parse as parseYaml } from "yaml";
import { DIAGNOSIS_CODES, diagnose, type Finding } from "~/modules/accounts/diagnosis";
import { buildMyBadgesView, learnerActions, removalPreview } from "~/modules/accounts/my-badges";
import { addEmailOutcome, sendLinkOutcome, waitText } from "~/modules/accounts/self-service-words";
import { accountAddress, accountLookup, awardRecord } from "../support/snapshots";

const now = new Date("2025-06-15T12:00:00Z");

const address = accountAddress;
const lookup = accountLookup;

/** The real articles' front matter, as the server reads it. */
function realArticles(): FaqArticleRef[] {
  const folder = path.resolve(import.meta.dirname, "../../content/faq");
  return fs.readdirSync(folder).flatMap((category) =>
    fs
      .readdirSync(path.join(folder, category))
      .filter((f) => f.endsWith(".mdx"))
      .map((file) => {
        const meta = parseYaml(/^---\n([\s\S]*?)\n---/.exec(fs.readFileSync(path.join(folder, category, file), "utf8"))![1]) as { title: string; codes: string[] };
        return { path: `/faq/${category}/${file.replace(/\.mdx$/, "")}`, title: meta.title, category, codes: meta.codes };
      }),
  );
}

const school = address({ id: "e-school", email: "ana.souza@lakeside.example.edu", verified: false, verifiedAt: null, primary: false });

describe("My badges: the demo learners' cases", () => {
  test("Ana: badges at her unverified school address stay unnamed; the page says they may be waiting", () => {
    const view = buildMyBadgesView({
      lookup: lookup({
        addresses: [address(), school],
        awards: [
          awardRecord(),
          awardRecord({ id: "a2", badgeName: "Data Literacy", recipientEmail: "ana.souza@lakeside.example.edu", recipientHolder: "this_account_unverified" }),
          awardRecord({ id: "a3", badgeName: "Spreadsheet Skills", recipientEmail: "Ana.Souza@Lakeside.example.edu", recipientHolder: "this_account_unverified" }),
        ],
      }),
      articles: realArticles(),
      now,
    });
    // Holding the school address unverified proves nothing: no names, no count, only "may be waiting".
    expect(view.summary).toEqual(["Badges may be waiting at ana.souza@lakeside.example.edu — verify it"]);
    expect(view.backpack.map((b) => b.badgeName)).toEqual(["Python Foundations"]);
    expect(view.notInBackpack).toEqual([]);
    expect(JSON.stringify(view)).not.toMatch(/Data Literacy|Spreadsheet Skills/);
    expect(view.addresses.map((a) => [a.email, a.mayHaveBadgesWaiting, a.backpackCount, a.canSendLink, a.canMakePrimary, a.canRemove])).toEqual([
      ["ana@example.org", false, 1, false, false, false],
      ["ana.souza@lakeside.example.edu", true, 0, true, false, true],
    ]);
  });

  test("an unverified address says badges may be waiting whether or not any are", () => {
    const school = address({ id: "e-school", email: "ana@school.example", verified: false, verifiedAt: null, primary: false });
    const withAwards = buildMyBadgesView({
      lookup: lookup({ addresses: [address(), school], awards: [awardRecord({ id: "w", recipientEmail: "ana@school.example", recipientHolder: "this_account_unverified" })] }),
      articles: [],
      now,
    });
    const without = buildMyBadgesView({ lookup: lookup({ addresses: [address(), school] }), articles: [], now });
    expect(withAwards).toEqual(without);
  });

  test("a misspelling of an unverified address shows nothing", () => {
    const unverified = address({ email: "ben.okafor@gmail.example", verified: false, verifiedAt: null, primary: false });
    const l = lookup({
      addresses: [unverified],
      awards: [awardRecord({ recipientEmail: "ben.okafor@gmial.example", recipientHolder: "no_account", via: "typo" })],
    });
    expect(learnerSnapshot(l).awards).toEqual([]);
  });

  test("Ben: a badge to his misspelt gmial address is explained, and he is offered Customer Care, not a link into the void", () => {
    const view = buildMyBadgesView({
      lookup: lookup({
        addresses: [address({ email: "ben.okafor@gmail.example" })],
        awards: [awardRecord({ badgeName: "3D Printing Safety", recipientEmail: "ben.okafor@gmial.example", recipientHolder: "no_account", via: "typo" })],
      }),
      articles: realArticles(),
      now,
    });
    const [typo] = view.notInBackpack;
    expect(typo.state).toBe("unclaimed");
    expect(typo.finding!.explanation).toContain("looks like a typo of ben.okafor@gmail.example");
    expect(typo.finding!.actions).toEqual([
      {
        kind: "contact_support",
        label: "Ask Customer Care to contact the issuer",
        ticket: {
          category: "missing_badge",
          subject: "My badge was sent to a misspelling of my address",
          badgeEmail: "ben.okafor@gmial.example",
          issuerOrBadge: "3D Printing Safety (Lakeside Institute)",
          description: expect.stringContaining("a misspelling of my address ben.okafor@gmail.example"),
        },
      },
    ]);
    expect(typo.finding!.article!.href).toBe("/faq/backpack-and-badges/badge-sent-to-misspelt-address");
  });

  test("Ben, after adding the misspelt address: told Customer Care confirms it, with the ticket form filled in", () => {
    const view = buildMyBadgesView({
      lookup: lookup({
        addresses: [
          address({ email: "ben.okafor@gmail.example" }),
          address({ id: "e-typo", email: "ben.okafor@gmial.example", verified: false, verifiedAt: null, primary: false }),
        ],
        awards: [awardRecord({ badgeName: "3D Printing Safety", recipientEmail: "ben.okafor@gmial.example", recipientHolder: "this_account_unverified", via: "own" })],
      }),
      articles: realArticles(),
      now,
    });
    // The badge stays unnamed (the address is unverified); the page says who can confirm it.
    expect(view.notInBackpack).toEqual([]);
    expect(view.summary).toEqual(["Badges may be waiting at ben.okafor@gmial.example, which looks like a misspelling of ben.okafor@gmail.example: Customer Care confirms such an address"]);
    const typo = view.addresses.find((a) => a.id === "e-typo")!;
    expect(typo.misspeltOf).toBe("ben.okafor@gmail.example");
    expect(typo.confirmTicket).toMatchObject({ category: "email_account", badgeEmail: "ben.okafor@gmial.example" });
    expect(view.addresses.find((a) => a.id === "e-main")!.misspeltOf).toBeNull();
  });

  test("Dev: a revoked badge is out of the backpack with the reason; an expired one stays in it, marked", () => {
    const view = buildMyBadgesView({
      lookup: lookup({
        awards: [
          awardRecord({ id: "r", badgeName: "Python Foundations", revocations: [{ id: "rv", reason: "Awarded by mistake", revokedBy: "Registrar", revokedAt: new Date("2025-06-10T00:00:00Z"), reinstatement: null }] }),
          awardRecord({ id: "x", badgeName: "First Aid", expiresAt: new Date("2025-04-01T00:00:00Z") }),
        ],
      }),
      articles: realArticles(),
      now,
    });
    expect(view.notInBackpack.map((b) => [b.badgeName, b.status, b.tone])).toEqual([["Python Foundations", "Revoked", "bad"]]);
    expect(view.notInBackpack[0].finding!.explanation).toContain("“Awarded by mistake”");
    expect(view.notInBackpack[0].finding!.article!.href).toBe("/faq/backpack-and-badges/badge-vanished-from-backpack");
    // "Think this is a mistake?" opens the ticket form about this badge, not an empty one.
    expect(view.notInBackpack[0].finding!.actions).toEqual([
      expect.objectContaining({
        kind: "contact_support",
        ticket: expect.objectContaining({ category: "revoked_badge", badgeEmail: "ana@example.org", issuerOrBadge: "Python Foundations (Lakeside Institute)" }),
      }),
    ]);
    expect(view.backpack.map((b) => [b.badgeName, b.status, b.expiresOn])).toEqual([["First Aid", "Expired", "1 April 2025"]]);
    expect(view.backpack[0].finding!.article!.href).toBe("/faq/backpack-and-badges/badge-shows-expired");
  });

  test("Emma: a removed badge has a restore button; her pending pathway invitation says where to find it", () => {
    const view = buildMyBadgesView({
      lookup: lookup({
        awards: [awardRecord({ id: "p", badgeName: "3D Printing Safety", removedByLearner: true, removedByLearnerAt: now })],
        invitations: [{ id: "i", pathwayName: "Maker Pathway", issuerName: "Makerspace", email: "ana@example.org", status: "pending", sentAt: now }],
      }),
      articles: realArticles(),
      now,
    });
    expect(view.notInBackpack[0].finding!.actions).toEqual([{ kind: "restore_award", label: "Restore to my backpack", awardId: "p" }]);
    expect(view.notInBackpack[0].canRemoveFromBackpack).toBe(false);
    expect(view.invitations).toHaveLength(1);
    expect(view.invitations[0].explanation).toContain("Apps → Pathways");
    expect(view.invitations[0].article!.href).toBe("/faq/pathways/lost-pathway-invitation");
  });

  test("an address moving here is listed with a link button; its badges stay hidden until it is verified here", () => {
    const moving = address({ id: "e-moving", email: "ana@old.example", verified: false, verifiedAt: null, primary: false, kind: "claim" });
    const view = buildMyBadgesView({
      lookup: lookup({ addresses: [address(), moving], awards: [awardRecord({ recipientEmail: "ana@old.example", recipientHolder: "this_account_unverified", via: "claim" })] }),
      articles: [],
      now,
      linksSentAt: new Map([["e-moving", new Date("2025-06-15T11:58:00Z")]]),
    });
    expect(view.addresses[1]).toMatchObject({ kind: "claim", canSendLink: true, canRemove: true, canMakePrimary: false, mayHaveBadgesWaiting: true, linkSentOn: "15 June 2025 at 11:58 UTC" });
    expect(view.notInBackpack).toEqual([]);
  });

  test("an empty account: no findings, nothing in either list, the primary address can't be removed", () => {
    const view = buildMyBadgesView({ lookup: lookup(), articles: [], now });
    expect(view).toMatchObject({ summary: [], accountFindings: [], backpack: [], notInBackpack: [], invitations: [], canAddAddress: true });
    expect(view.addresses[0]).toMatchObject({ canRemove: false, removeBlockedBecause: expect.stringMatching(/primary/) });
  });

  test("an account without a verified address hears about it first, with a link button per address", () => {
    const only = address({ verified: false, verifiedAt: null, primary: false });
    const view = buildMyBadgesView({ lookup: lookup({ addresses: [only] }), articles: realArticles(), now });
    expect(view.accountFindings.map((f) => f.code)).toEqual(["account_without_verified_email"]);
    expect(view.accountFindings[0].actions).toEqual([{ kind: "send_verification_link", label: "Send a verification link to ana@example.org", emailId: "e-main" }]);
    expect(view.accountFindings[0].article!.href).toBe("/faq/account-and-email/verification-email-not-received");
    expect(view.addresses[0]).toMatchObject({ canRemove: false, removeBlockedBecause: expect.stringMatching(/only address/) });
  });

  test("500 awards: each lands in exactly one list", () => {
    const awards = Array.from({ length: 500 }, (_, i) =>
      awardRecord({
        id: `a${i}`,
        recipientEmail: i % 3 === 0 ? "ana.souza@lakeside.example.edu" : "ana@example.org",
        recipientHolder: i % 3 === 0 ? "this_account_unverified" : "this_account_verified",
        removedByLearner: i % 7 === 0,
      }),
    );
    const view = buildMyBadgesView({ lookup: lookup({ addresses: [address(), school], awards }), articles: realArticles(), now });
    const ids = [...view.backpack, ...view.notInBackpack].map((b) => b.awardId);
    // The 167 at the unverified school address are not shown.
    expect(ids).toHaveLength(333);
    expect(new Set(ids).size).toBe(333);
    expect(view.addresses[1].mayHaveBadgesWaiting).toBe(true);
  });
});

describe("what the learner sees of awards to misspellings", () => {
  test("one on no account is shown; one another account holds is not", () => {
    const l = lookup({
      addresses: [address({ email: "ana@gmail.com" })],
      awards: [
        awardRecord({ id: "free", recipientEmail: "ana@gmial.com", recipientHolder: "no_account", via: "typo" }),
        awardRecord({ id: "not-a-slip-of-ours", recipientEmail: "bob@gmial.com", recipientHolder: "no_account", via: "typo" }),
        awardRecord({ id: "held", recipientEmail: "ana@gmal.com", recipientHolder: "other_account_verified", via: "typo" }),
        awardRecord({ id: "held-unverified", recipientEmail: "ana@gmail.co", recipientHolder: "other_account_unverified", via: "typo" }),
      ],
    });
    expect(learnerSnapshot(l).awards.map((a) => a.id)).toEqual(["free"]);
    expect(buildMyBadgesView({ lookup: l, articles: [], now }).notInBackpack.map((b) => b.awardId)).toEqual(["free"]);
  });
});

describe("learnerActions", () => {
  test("agent-only fixes never become learner buttons; Customer Care is offered where only it can help", () => {
    const snapshotFindings = diagnose(
      {
        accountId: "x",
        emails: [{ id: "e", email: "ana@gmail.com", verified: true, primary: true }],
        awards: [
          { ...awardRecord({ id: "o", recipientEmail: "ana@work.example", recipientHolder: "other_account_verified" }) },
          { ...awardRecord({ id: "u", recipientEmail: "someone@else.example", recipientHolder: "no_account" }) },
        ],
        invitations: [],
      },
      now,
    );
    const byAward = (id: string) => snapshotFindings.find((f) => f.subject.kind === "award" && f.subject.awardId === id)!;
    expect(learnerActions(byAward("o"))).toEqual([
      {
        kind: "contact_support",
        label: "Ask Customer Care to merge your accounts",
        ticket: expect.objectContaining({ category: "email_account", badgeEmail: "ana@work.example", subject: "Please merge my two accounts" }),
      },
    ]);
    // No likely typo: the address may really be the learner's, so adding it is offered.
    expect(learnerActions(byAward("u")).map((a) => a.kind)).toEqual(["add_email", "contact_support"]);
  });
});

describe("removalPreview", () => {
  const work = address({ id: "e-work", email: "ana@work.example", primary: false });
  const l = lookup({
    addresses: [address(), work],
    awards: [
      awardRecord({ id: "in", badgeName: "In", recipientEmail: "ANA@work.example" }),
      awardRecord({ id: "gone", badgeName: "Removed", recipientEmail: "ana@work.example", removedByLearner: true }),
      awardRecord({ id: "other", badgeName: "Elsewhere" }),
      awardRecord({ id: "typo", badgeName: "Typo", recipientEmail: "ana@work.example", via: "typo", recipientHolder: "no_account" }),
    ],
  });

  test("names the badges at that address (any case) that leave the backpack, and nothing else", () => {
    const preview = removalPreview(l, "e-work", now)!;
    expect(preview.leaving.map((b) => b.badgeName)).toEqual(["In"]);
    expect(preview.removedByYou.map((b) => b.badgeName)).toEqual(["Removed"]);
    expect(preview.blockedBecause).toBeNull();
  });

  test("the primary address is blocked with the reason; an unknown id gives null", () => {
    expect(removalPreview(l, "e-main", now)!.blockedBecause).toMatch(/primary/);
    expect(removalPreview(l, "nope", now)).toBeNull();
  });
});

describe("FAQ article links", () => {
  test("every code the engine produces (but data corruption) has an article in content/faq", () => {
    const articles = realArticles();
    for (const code of DIAGNOSIS_CODES.filter((c) => c !== "primary_email_unverified")) {
      const article = articleForFinding({ code, articleCodes: [code] } as Pick<Finding, "code" | "articleCodes">, articles);
      expect(article, code).not.toBeNull();
      expect(article!.codes, code).toContain(code);
      expect(article!.category, code).not.toBe("for-issuers");
    }
  });

  test("falls back to any article declaring the code when the preferred one no longer does", () => {
    const articles: FaqArticleRef[] = [
      { path: "/faq/backpack-and-badges/badge-shows-expired", title: "Old", category: "backpack-and-badges", codes: [] },
      { path: "/faq/for-issuers/expiry", title: "Issuers", category: "for-issuers", codes: ["award_expired"] },
      { path: "/faq/misc/expiry", title: "Learners", category: "misc", codes: ["award_expired", "award_revoked"] },
    ];
    expect(articleForFinding({ code: "award_expired", articleCodes: ["award_expired"] }, articles)!.title).toBe("Learners");
    expect(articleForFinding({ code: "award_expired", articleCodes: [] }, [])).toBeNull();
  });

});

describe("lookupFromRow", () => {
  test("turns the statement's JSON into records with real dates, and shrugs off junk", () => {
    const found = lookupFromRow({
      account_id: "acct",
      name: "Ana",
      disabled_at: null,
      emails: [{ id: "e", email: "ana@example.org", verifiedAt: "2025-01-01T00:00:00+00:00", primary: true, createdAt: "2024-12-01T00:00:00+00:00", kind: "own" }, null],
      awards: JSON.stringify([
        {
          id: "a",
          badgeClassId: "bc",
          recipientEmail: "ana@example.org",
          issuedOn: "2025-02-01T00:00:00+00:00",
          expiresAt: "not a date",
          removedByLearnerAt: null,
          holder: "weird",
          via: "own",
        },
      ]),
      revocations: [{ id: "r", awardId: "a", reason: "x", revokedBy: "y", revokedAt: "2025-03-01T00:00:00+00:00", reinstatedAt: "2025-03-02T00:00:00+00:00" }],
      invitations: { not: "a list" },
    } as never, { badgeClasses: new Map([["bc", { name: "B", description: "", issuerName: "I" }]]), pathways: new Map() });
    expect(found.addresses).toEqual([expect.objectContaining({ verified: true, verifiedAt: new Date("2025-01-01T00:00:00Z"), kind: "own" })]);
    expect(found.awards[0]).toMatchObject({ badgeName: "B", issuerName: "I", issuedOn: new Date("2025-02-01T00:00:00Z"), expiresAt: null, recipientHolder: "no_account", removedByLearner: false });
    expect(found.awards[0].revocations[0].reinstatement).toMatchObject({ recordedAt: new Date("2025-03-02T00:00:00Z") });
    expect(found.invitations).toEqual([]);
  });

  test("puts records in reading order, gives each award its revocations, and keeps an award found twice once", () => {
    const award = (id: string, issuedOn: string, via: string) => ({ id, badgeClassId: "bc", issuedOn, via, holder: "this_account_verified", recipientEmail: "ana@gmail.com" });
    const found = lookupFromRow({
      account_id: "acct",
      name: "Ana",
      disabled_at: null,
      emails: [
        { id: "e2", email: "ana@gmail.com", verifiedAt: null, primary: false, createdAt: "2025-01-02T00:00:00Z", kind: "own" },
        { id: "e3", email: "ana@gmial.com", verifiedAt: null, primary: false, createdAt: "2025-01-01T00:00:00Z", kind: "own" },
        { id: "e1", email: "ana@example.org", verifiedAt: "2025-01-01T00:00:00Z", primary: true, createdAt: "2025-01-03T00:00:00Z", kind: "own" },
      ],
      awards: [award("old", "2024-01-01T00:00:00Z", "own"), award("twice", "2025-06-01T00:00:00Z", "typo"), award("new", "2025-09-01T00:00:00Z", "own"), award("twice", "2025-06-01T00:00:00Z", "own")],
      revocations: [
        { id: "r2", awardId: "old", reason: "second", revokedAt: "2024-05-01T00:00:00Z" },
        { id: "r1", awardId: "old", reason: "first", revokedAt: "2024-02-01T00:00:00Z" },
      ],
      invitations: [
        { id: "i1", pathwayId: "p1", sentAt: "2024-01-01T00:00:00Z", status: "pending" },
        { id: "i2", pathwayId: "p2", sentAt: "2025-01-01T00:00:00Z", status: "pending" },
        { id: "i3", pathwayId: "gone", sentAt: "2023-01-01T00:00:00Z", status: "pending" },
      ],
    }, {
      badgeClasses: new Map([["bc", { name: "Data Literacy", description: "d", issuerName: "Lakeside" }]]),
      pathways: new Map([["p1", { name: "Older", issuerName: "Lakeside" }], ["p2", { name: "Newer", issuerName: "Lakeside" }]]),
    });
    expect(found.addresses.map((a) => a.email)).toEqual(["ana@example.org", "ana@gmial.com", "ana@gmail.com"]);
    expect(found.awards.map((a) => [a.id, a.via])).toEqual([["new", "own"], ["twice", "own"], ["old", "own"]]);
    expect(found.awards[2].revocations.map((r) => r.reason)).toEqual(["first", "second"]);
    expect(found.awards[0].revocations).toEqual([]);
    expect(found.awards[0]).toMatchObject({ badgeName: "Data Literacy", badgeDescription: "d", issuerName: "Lakeside" });
    // A pathway whose name can't be found still counts as an invitation, just without a name.
    expect(found.invitations.map((i) => i.pathwayName)).toEqual(["Newer", "Older", ""]);
  });
});

describe("the words after an action", () => {
  test("waits read naturally", () => {
    expect(waitText(1)).toBe("1 second");
    expect(waitText(45)).toBe("45 seconds");
    expect(waitText(61)).toBe("2 minutes");
    expect(waitText(60)).toBe("1 minute");
    expect(waitText(Number.NaN)).toBe("1 second");
  });

  test("the refusals say what happened and what to do", () => {
    expect(sendLinkOutcome({ ok: false, reason: "too_soon", retryAfterSeconds: 240 })).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("in 4 minutes") });
    expect(addEmailOutcome({ ok: false, reason: "verified_elsewhere", email: "x@y.org" })).toMatchObject({ ok: false, status: 409, mergeHelp: true, message: expect.stringContaining("already verified on another account") });
    expect(addEmailOutcome({ ok: true, outcome: "added", email: "x@y.org", linkSent: true })).toMatchObject({ ok: true, notice: expect.stringContaining("We sent a verification link to x@y.org") });
  });
});
