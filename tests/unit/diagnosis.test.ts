import { describe, test, expect } from "vitest";
import {
  DIAGNOSIS_CODES,
  diagnose,
  summarizeFindings,
  type AccountSnapshot,
  type AwardSnapshot,
  type DiagnosisCode,
  type EmailSnapshot,
  type Finding,
  type InvitationSnapshot,
  type RevocationSnapshot,
} from "~/modules/accounts/diagnosis";
import { awardState, type AwardState } from "~/modules/accounts/award-state";
import { awardSnapshot as award, seededRandom, RECIPIENT_HOLDERS } from "../support/snapshots";

const now = new Date("2025-06-15T12:00:00Z");

function email(overrides: Partial<EmailSnapshot> = {}): EmailSnapshot {
  return { id: "email-1", email: "ana@gmail.com", verified: true, primary: true, ...overrides };
}


function invitation(overrides: Partial<InvitationSnapshot> = {}): InvitationSnapshot {
  return {
    id: "inv-1",
    pathwayName: "Cloud Foundations",
    issuerName: "Skyline Academy",
    email: "ana@gmail.com",
    status: "pending",
    sentAt: new Date("2025-05-02T09:00:00Z"),
    ...overrides,
  };
}

function account(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return { accountId: "acct-1", emails: [email()], awards: [], invitations: [], ...overrides };
}

const revocation: RevocationSnapshot = {
  id: "rev-1",
  reason: "Assessment irregularity",
  revokedBy: "Dr. Grey",
  revokedAt: new Date("2025-03-04T10:00:00Z"),
  reinstatement: null,
};

const only = (findings: Finding[]) => {
  expect(findings).toHaveLength(1);
  return findings[0];
};
const actionKinds = (f: Finding) => f.actions.map((a) => `${a.kind}:${a.by}`);

describe("diagnose: a healthy account", () => {
  test("an account with a verified primary address and no awards has nothing to report", () => {
    expect(diagnose(account(), now)).toEqual([]);
  });

  test("badges plainly in the backpack produce no findings", () => {
    const awards = [award({ id: "a1" }), award({ id: "a2", expiresAt: new Date("2030-01-01T00:00:00Z") })];
    expect(diagnose(account({ awards }), now)).toEqual([]);
  });

  test("accepted and cancelled invitations produce no findings", () => {
    const invitations = [invitation({ id: "i1", status: "accepted" }), invitation({ id: "i2", status: "cancelled" })];
    expect(diagnose(account({ invitations }), now)).toEqual([]);
  });
});

describe("diagnose: one finding per code", () => {
  test("award_to_unverified_email: offers a verification link for that very address", () => {
    const emails = [email(), email({ id: "email-old", email: "old@school.edu", verified: false, primary: false })];
    const f = only(diagnose(account({ emails, awards: [award({ recipientEmail: "old@school.edu", recipientHolder: "this_account_unverified" })] }), now));
    expect(f.code).toBe("award_to_unverified_email");
    expect(f.severity).toBe("warning");
    expect(f.subject).toEqual({ kind: "award", awardId: "award-1" });
    expect(f.explanation).toContain("old@school.edu");
    expect(f.explanation).toContain("“Data Literacy” from Open University");
    expect(f.explanation).toMatch(/not verified/);
    expect(f.actions).toEqual([expect.objectContaining({ kind: "send_verification_link", emailId: "email-old", by: "both" })]);
    expect(f.articleCodes).toContain("award_to_unverified_email");
  });

  test("award_to_unknown_email: names the account address it is probably a typo of", () => {
    const f = only(diagnose(account({ awards: [award({ recipientEmail: "ana@gmial.com", recipientHolder: "no_account" })] }), now));
    expect(f.code).toBe("award_to_unknown_email");
    expect(f.explanation).toContain("ana@gmial.com");
    expect(f.explanation).toContain("This looks like a typo of ana@gmail.com");
    expect(f.explanation).toContain("Open University");
    expect(f.agentNote).toContain("ana@gmail.com");
  });

  test("award_to_unknown_email: the learner may add the address; the agent asks the issuer, never resends the notice", () => {
    const f = only(diagnose(account({ awards: [award({ recipientEmail: "ana@gmial.com", recipientHolder: "no_account" })] }), now));
    expect(actionKinds(f)).toEqual(["add_email:learner", "ask_issuer_to_reaward:agent"]);
    expect(f.actions.find((a) => a.kind === "add_email")?.email).toBe("ana@gmial.com");
    expect(f.actions.find((a) => a.kind === "ask_issuer_to_reaward")?.email).toBe("ana@gmail.com");
    expect(f.actions.some((a) => a.kind === "resend_award_notice")).toBe(false);
  });

  test("award_to_unknown_email without a likely typo just invites the learner to add the address", () => {
    const f = only(diagnose(account({ awards: [award({ recipientEmail: "someone.else@company.org", recipientHolder: "no_account" })] }), now));
    expect(f.explanation).toContain("someone.else@company.org");
    expect(f.explanation).not.toContain("typo");
    expect(f.explanation).toMatch(/add it to your account and verify it/);
  });

  test("an address unverified on another account is explained as not on this account, without revealing the other account", () => {
    const f = only(diagnose(account({ awards: [award({ recipientEmail: "ana@work.example", recipientHolder: "other_account_unverified" })] }), now));
    expect(f.code).toBe("award_to_unknown_email");
    expect(f.explanation).not.toMatch(/another account|other account/);
    expect(f.agentNote).toMatch(/unverified on another account/);
  });

  test("award_to_email_on_other_account: suggests merging the accounts", () => {
    const f = only(diagnose(account({ awards: [award({ recipientEmail: "ana@work.example", recipientHolder: "other_account_verified" })] }), now));
    expect(f.code).toBe("award_to_email_on_other_account");
    expect(f.explanation).toContain("ana@work.example");
    expect(f.explanation).toMatch(/different account/);
    expect(f.explanation).toMatch(/merge/);
    expect(actionKinds(f)).toContain("merge_accounts:agent");
    expect(f.articleCodes).toContain("award_to_email_on_other_account");
  });

  test("award_revoked: says why, who and when, and what support can do", () => {
    const f = only(diagnose(account({ awards: [award({ revocations: [revocation] })] }), now));
    expect(f.code).toBe("award_revoked");
    expect(f.explanation).toContain("Assessment irregularity");
    expect(f.explanation).toContain("Dr. Grey");
    expect(f.explanation).toContain("4 March 2025");
    expect(f.explanation).toContain("ana@gmail.com");
    expect(f.explanation).toMatch(/mistake/);
    expect(actionKinds(f)).toEqual(["record_reinstatement:agent", "ask_issuer_to_reaward:agent", "open_ticket:learner"]);
  });

  test("award_revoked without a reason says so instead of printing an empty quote", () => {
    const f = only(diagnose(account({ awards: [award({ revocations: [{ ...revocation, reason: "  " }] })] }), now));
    expect(f.explanation).toContain("No reason was given");
    expect(f.explanation).not.toContain("“”");
  });

  test("a revocation whose newest entry was reinstated yields no finding", () => {
    const reinstated = { ...revocation, reinstatement: { authorisedBy: "Dr. Grey", reference: "REF-9", recordedAt: new Date("2025-04-01T00:00:00Z") } };
    expect(diagnose(account({ awards: [award({ revocations: [reinstated] })] }), now)).toEqual([]);
  });

  test("a badge revoked again after a reinstatement reports the newest reason and notes the history for agents", () => {
    const reinstated = { ...revocation, reinstatement: { authorisedBy: "Dr. Grey", reference: "REF-9", recordedAt: new Date("2025-04-01T00:00:00Z") } };
    const again = { ...revocation, id: "rev-2", reason: "Issued in error", revokedAt: new Date("2025-05-20T00:00:00Z") };
    const f = only(diagnose(account({ awards: [award({ revocations: [reinstated, again] })] }), now));
    expect(f.explanation).toContain("Issued in error");
    expect(f.explanation).not.toContain("Assessment irregularity");
    expect(f.agentNote).toMatch(/1 earlier revocation was reinstated/);
  });

  test("award_expired: informs, shows the date and points to the issuer for renewal", () => {
    const f = only(diagnose(account({ awards: [award({ expiresAt: new Date("2025-01-31T00:00:00Z") })] }), now));
    expect(f.code).toBe("award_expired");
    expect(f.severity).toBe("info");
    expect(f.explanation).toContain("31 January 2025");
    expect(f.explanation).toMatch(/marked expired/);
    expect(f.explanation).toMatch(/Open University about renewing/);
    expect(f.actions).toEqual([]);
  });

  test("award_removed_by_learner: can be restored by learner or agent", () => {
    const f = only(diagnose(account({ awards: [award({ removedByLearner: true })] }), now));
    expect(f.code).toBe("award_removed_by_learner");
    expect(f.explanation).toMatch(/restore/);
    expect(f.actions).toEqual([expect.objectContaining({ kind: "restore_award", by: "both", awardId: "award-1" })]);
  });

  test("pathway_invitation_pending: tells the learner where to find it and lets the agent resend", () => {
    const f = only(diagnose(account({ invitations: [invitation()] }), now));
    expect(f.code).toBe("pathway_invitation_pending");
    expect(f.subject).toEqual({ kind: "invitation", invitationId: "inv-1" });
    expect(f.explanation).toContain("Cloud Foundations");
    expect(f.explanation).toContain("Skyline Academy");
    expect(f.explanation).toContain("ana@gmail.com");
    expect(f.explanation).toContain("Apps → Pathways");
    expect(f.explanation).toContain("My Pathways");
    expect(actionKinds(f)).toEqual(["open_pathways_app:learner", "resend_invitation:agent"]);
  });

  test("a pending invitation to an address not on the account is flagged for the agent", () => {
    const f = only(diagnose(account({ invitations: [invitation({ email: "elsewhere@school.edu" })] }), now));
    expect(f.agentNote).toMatch(/not on this account/);
  });

  test("account_without_verified_email: offers a link for each unverified address and counts waiting badges", () => {
    const emails = [email({ id: "e1", email: "ana@gmail.com", verified: false, primary: false }), email({ id: "e2", email: "ana@school.edu", verified: false, primary: false })];
    const awards = [
      award({ id: "a1", recipientHolder: "this_account_unverified" }),
      award({ id: "a2", recipientHolder: "this_account_unverified", recipientEmail: "ana@school.edu" }),
    ];
    const findings = diagnose(account({ emails, awards }), now);
    const accountFinding = findings.find((f) => f.code === "account_without_verified_email")!;
    expect(accountFinding.subject).toEqual({ kind: "account" });
    expect(accountFinding.explanation).toContain("ana@gmail.com, ana@school.edu");
    expect(accountFinding.explanation).toContain("2 badges are waiting");
    expect(accountFinding.actions.map((a) => a.emailId)).toEqual(["e1", "e2"]);
    // the waiting badges keep their own findings
    expect(findings.filter((f) => f.code === "award_to_unverified_email")).toHaveLength(2);
  });

  test("an account with no address at all is told to add one", () => {
    const f = only(diagnose(account({ emails: [] }), now));
    expect(f.code).toBe("account_without_verified_email");
    expect(f.explanation).toMatch(/no email address/);
    expect(actionKinds(f)).toEqual(["add_email:learner"]);
  });

  test("primary_email_unverified: a problem for agents, reassurance for the learner", () => {
    const emails = [email({ id: "e-primary", email: "ana@gmail.com", verified: false, primary: true }), email({ id: "e-ok", email: "ana@school.edu", verified: true, primary: false })];
    const f = only(diagnose(account({ emails }), now));
    expect(f.code).toBe("primary_email_unverified");
    expect(f.severity).toBe("problem");
    expect(f.subject).toEqual({ kind: "email", emailId: "e-primary" });
    expect(f.agentNote).toMatch(/corruption/i);
    expect(f.explanation).toContain("ana@gmail.com");
    expect(f.explanation).toContain("Customer Care will fix it");
    expect(f.actions).toEqual([
      expect.objectContaining({ kind: "make_primary", by: "agent", emailId: "e-ok" }),
      expect.objectContaining({ kind: "send_verification_link", by: "agent", emailId: "e-primary" }),
    ]);
  });

  test("every diagnosis code is produced by at least one of the cases above", () => {
    const emails = [email({ id: "e-primary", verified: false, primary: true }), email({ id: "e-old", email: "old@school.edu", verified: false, primary: false })];
    const awards = [
      award({ id: "a1", recipientEmail: "old@school.edu", recipientHolder: "this_account_unverified" }),
      award({ id: "a2", recipientEmail: "ana@gmial.com", recipientHolder: "no_account" }),
      award({ id: "a3", recipientEmail: "ana@work.example", recipientHolder: "other_account_verified" }),
      award({ id: "a4", recipientHolder: "this_account_verified", revocations: [revocation] }),
      award({ id: "a5", recipientHolder: "this_account_verified", expiresAt: new Date("2025-01-01T00:00:00Z") }),
      award({ id: "a6", recipientHolder: "this_account_verified", removedByLearner: true }),
    ];
    const codes = diagnose(account({ emails, awards, invitations: [invitation()] }), now).map((f) => f.code);
    expect([...new Set(codes)].sort()).toEqual([...DIAGNOSIS_CODES].sort());
  });
});

describe("diagnose: order", () => {
  test("problems come first, then warnings, then information; account before email before award before invitation", () => {
    const emails = [email({ id: "e-primary", verified: false, primary: true })];
    const awards = [
      award({ id: "a-expired", expiresAt: new Date("2025-01-01T00:00:00Z") }),
      award({ id: "a-removed", removedByLearner: true }),
      award({ id: "a-revoked", revocations: [revocation] }),
    ];
    const findings = diagnose(account({ emails, awards, invitations: [invitation()] }), now);
    // recipientHolder is this_account_verified in the fixtures, so the awards still have their own states
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual([
      "problem:primary_email_unverified",
      "warning:account_without_verified_email",
      "warning:award_revoked",
      "info:award_expired",
      "info:award_removed_by_learner",
      "info:pathway_invitation_pending",
    ]);
  });
});

describe("diagnose: odd data", () => {
  test("addresses that differ only in case count as one: a verified variant means the account has a verified address", () => {
    const emails = [
      email({ id: "e-upper", email: "Ana@Gmail.com", verified: false, primary: false }),
      email({ id: "e-lower", email: "ana@gmail.com", verified: true, primary: true }),
    ];
    const findings = diagnose(account({ emails, awards: [award({ recipientEmail: "ANA@gmail.com", recipientHolder: "this_account_unverified" })] }), now);
    expect(findings.map((f) => f.code)).toEqual(["award_to_unverified_email"]);
    // the unverified row is the one to verify, found despite the different capitals
    expect(findings[0].actions[0]).toEqual(expect.objectContaining({ kind: "send_verification_link", emailId: "e-upper" }));
  });

  test("duplicate unverified addresses differing only in case get one verification link, not two", () => {
    const emails = [email({ id: "e1", email: "Ana@Gmail.com", verified: false, primary: false }), email({ id: "e2", email: "ana@gmail.com", verified: false, primary: false })];
    const f = only(diagnose(account({ emails }), now));
    expect(f.actions).toHaveLength(1);
    expect(f.explanation).toContain("Ana@Gmail.com");
  });

  test("an award to a case variant of an account address is called out as a capital-letters problem", () => {
    const emails = [email({ email: "ana.silva@school.edu" })];
    const f = only(diagnose(account({ emails, awards: [award({ recipientEmail: "Ana.Silva@School.edu", recipientHolder: "no_account" })] }), now));
    expect(f.explanation).toContain("capital letters");
    expect(f.explanation).toContain("ana.silva@school.edu");
  });

  test("a badge waiting at an unverified address spelt with other capitals: the link goes to the address as the account has it", () => {
    const emails = [email(), email({ id: "email-school", email: "ana.souza@lakeside.edu", verified: false, primary: false })];
    const f = only(diagnose(account({ emails, awards: [award({ recipientEmail: "Ana.Souza@Lakeside.edu", recipientHolder: "this_account_unverified" })] }), now));
    expect(f.code).toBe("award_to_unverified_email");
    expect(f.explanation).toContain("Ana.Souza@Lakeside.edu");
    expect(f.explanation).toContain("Capital letters don't matter: it is the same address as ana.souza@lakeside.edu");
    expect(f.actions).toEqual([
      expect.objectContaining({ kind: "send_verification_link", emailId: "email-school", email: "ana.souza@lakeside.edu", label: "Send a verification link to ana.souza@lakeside.edu" }),
    ]);
    expect(summarizeFindings([f])).toEqual(["1 badge waits at ana.souza@lakeside.edu — verify it"]);
  });

  test("a duplicated award row yields a single finding", () => {
    const dup = award({ id: "same", removedByLearner: true });
    expect(diagnose(account({ awards: [dup, { ...dup }] }), now)).toHaveLength(1);
  });

  test("invalid dates, empty names and missing lists don't throw and read sensibly", () => {
    const odd = account({
      emails: null as unknown as EmailSnapshot[],
      awards: [
        award({ id: "a1", badgeName: "", issuerName: "", revocations: [{ ...revocation, revokedAt: new Date("nope"), revokedBy: "" }] }),
        award({ id: "a2", expiresAt: new Date(-8.64e15) }),
        null as unknown as AwardSnapshot,
      ],
      invitations: [invitation({ sentAt: new Date("nope"), pathwayName: "" })],
    });
    const findings = diagnose(odd, now);
    const revoked = findings.find((f) => f.code === "award_revoked")!;
    expect(revoked.explanation).toContain("an unknown date");
    expect(revoked.explanation).not.toContain("Invalid Date");
    expect(revoked.explanation).not.toContain("undefined");
    expect(findings.find((f) => f.code === "award_expired")).toBeDefined();
    expect(findings.find((f) => f.code === "pathway_invitation_pending")!.explanation).toContain("an unknown date");
    expect(findings.find((f) => f.code === "account_without_verified_email")).toBeDefined();
  });

  test("a snapshot that is entirely missing still yields the account finding rather than an error", () => {
    expect(diagnose(undefined as unknown as AccountSnapshot, now).map((f) => f.code)).toEqual(["account_without_verified_email"]);
  });
});

describe("diagnose: 500 awards", () => {
  test("each of 500 waiting badges gets its finding, and the summary groups them by address", () => {
    const emails = [email(), email({ id: "e-old", email: "old@school.edu", verified: false, primary: false })];
    const awards = Array.from({ length: 500 }, (_, i) =>
      award({
        id: `a${i}`,
        recipientEmail: i % 2 === 0 ? "old@school.edu" : "ana@gmail.com",
        recipientHolder: i % 2 === 0 ? "this_account_unverified" : "this_account_verified",
      }),
    );
    const findings = diagnose(account({ emails, awards }), now);
    expect(findings).toHaveLength(250);
    expect(summarizeFindings(findings)).toEqual(["250 badges wait at old@school.edu — verify it"]);
  });
});

describe("summarizeFindings", () => {
  test("groups badges waiting at the same address regardless of capitals", () => {
    const emails = [email(), email({ id: "e-old", email: "old@school.edu", verified: false, primary: false })];
    const awards = [
      award({ id: "a1", recipientEmail: "old@school.edu", recipientHolder: "this_account_unverified" }),
      award({ id: "a2", recipientEmail: "OLD@school.edu", recipientHolder: "this_account_unverified" }),
    ];
    expect(summarizeFindings(diagnose(account({ emails, awards }), now))).toEqual(["2 badges wait at old@school.edu — verify it"]);
  });

  test("one line per kind of trouble, most serious first", () => {
    const emails = [email({ id: "e-primary", verified: false, primary: true }), email({ id: "e-ok", email: "ana@school.edu", verified: true, primary: false })];
    const awards = [
      award({ id: "a1", recipientEmail: "ana@gmial.com", recipientHolder: "no_account" }),
      award({ id: "a2", recipientEmail: "ana@work.example", recipientHolder: "other_account_verified" }),
      award({ id: "a3", recipientEmail: "ana@school.edu", revocations: [revocation] }),
      award({ id: "a4", recipientEmail: "ana@school.edu", expiresAt: new Date("2025-01-01T00:00:00Z") }),
      award({ id: "a5", recipientEmail: "ana@school.edu", expiresAt: new Date("2025-02-01T00:00:00Z") }),
      award({ id: "a6", recipientEmail: "ana@school.edu", removedByLearner: true }),
    ];
    expect(summarizeFindings(diagnose(account({ emails, awards, invitations: [invitation()] }), now))).toEqual([
      "Your main address ana@gmail.com isn't verified — Customer Care will fix it",
      "1 badge went to ana@gmial.com, which isn't on your account — it looks like a typo of ana@gmail.com",
      "1 badge went to ana@work.example, which is on another account — ask us to merge them",
      "1 badge was revoked by the issuer",
      "2 badges have expired",
      "1 badge you removed can be restored",
      "1 pathway invitation is waiting — see Apps → Pathways → My Pathways",
    ]);
  });

  test("an account without a verified address gets a plain line", () => {
    expect(summarizeFindings(diagnose(account({ emails: [email({ verified: false, primary: false })] }), now))).toEqual([
      "No verified email address yet — verify one to see your badges",
    ]);
  });

  test("no findings, no lines", () => {
    expect(summarizeFindings([])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const LOCALS = ["ana", "Ana", "ben.okafor", "carla", "d", "jhon", "john"];
const DOMAINS = ["gmail.com", "gmial.com", "Gmail.COM", "school.edu", "cs.school.edu", "hotmail.con", "", "x"];
const HOLDERS = RECIPIENT_HOLDERS;
const STATE_CODE: Record<Exclude<AwardState, "in_backpack">, DiagnosisCode> = {
  revoked: "award_revoked",
  waiting_unverified: "award_to_unverified_email",
  unclaimed: "award_to_unknown_email",
  on_other_account: "award_to_email_on_other_account",
  removed: "award_removed_by_learner",
  expired: "award_expired",
};

function generatedAccount(random: () => number): AccountSnapshot {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const address = () => `${pick(LOCALS)}@${pick(DOMAINS)}`;
  const date = () => pick([new Date(now.getTime() - random() * 1e10), new Date(now.getTime() + random() * 1e10), new Date("bad")]);
  const emails = Array.from({ length: Math.floor(random() * 4) }, (_, i) =>
    email({ id: `e${i}`, email: address(), verified: random() < 0.6, primary: random() < 0.4 }),
  );
  const awards = Array.from({ length: Math.floor(random() * 12) }, (_, i) =>
    award({
      id: `a${i}`,
      badgeName: pick(["Data Literacy", "", "Safety 101"]),
      issuerName: pick(["Open University", "", "Skyline Academy"]),
      recipientEmail: address(),
      expiresAt: pick([null, date()]),
      removedByLearner: random() < 0.2,
      recipientHolder: pick(HOLDERS),
      revocations: Array.from({ length: Math.floor(random() * 3) }, (_, k) => ({
        ...revocation,
        id: `r${i}-${k}`,
        revokedAt: date(),
        reinstatement: random() < 0.5 ? { authorisedBy: "Dr. Grey", reference: "R", recordedAt: date() } : null,
      })),
    }),
  );
  const invitations = Array.from({ length: Math.floor(random() * 3) }, (_, i) =>
    invitation({ id: `i${i}`, email: address(), status: pick(["pending", "accepted", "cancelled"] as const), sentAt: date() }),
  );
  return { accountId: "acct", emails, awards, invitations };
}

describe("diagnose over generated accounts", () => {
  const accounts = [7, 11, 99, 1234, 31337].flatMap((seed) => {
    const random = seededRandom(seed);
    return Array.from({ length: 60 }, () => generatedAccount(random));
  });

  test("never throws, and every finding speaks in words (no undefined, no Invalid Date)", () => {
    for (const acct of accounts) {
      const findings = diagnose(acct, now);
      for (const f of findings) {
        expect(DIAGNOSIS_CODES).toContain(f.code);
        expect(f.explanation).not.toMatch(/undefined|Invalid Date|NaN/);
        expect(f.agentNote).not.toMatch(/undefined|Invalid Date|NaN/);
      }
      expect(summarizeFindings(findings).every((line) => line.length > 0 && !line.includes("undefined"))).toBe(true);
    }
  });

  test("every award not plainly in the backpack has exactly one finding, with the code its state calls for, naming its address", () => {
    let awardFindings = 0;
    for (const acct of accounts) {
      const findings = diagnose(acct, now);
      for (const a of acct.awards) {
        const mine = findings.filter((f) => f.subject.kind === "award" && f.subject.awardId === a.id);
        const state = awardState(a, now);
        if (state === "in_backpack") {
          expect(mine).toEqual([]);
        } else {
          expect(mine).toHaveLength(1);
          expect(mine[0].code).toBe(STATE_CODE[state]);
          expect(mine[0].explanation).toContain(a.recipientEmail);
          awardFindings += 1;
        }
      }
    }
    expect(awardFindings).toBeGreaterThan(100);
  });

  test("findings are ordered problem → warning → info", () => {
    const rank = { problem: 0, warning: 1, info: 2 };
    for (const acct of accounts) {
      const ranks = diagnose(acct, now).map((f) => rank[f.severity]);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    }
  });

  test("the account-level finding appears exactly when no address is verified", () => {
    for (const acct of accounts) {
      const hasAccountFinding = diagnose(acct, now).some((f) => f.code === "account_without_verified_email");
      expect(hasAccountFinding).toBe(!acct.emails.some((e) => e.verified));
    }
  });
});
