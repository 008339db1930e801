// The account panel's pure parts: which fixes an agent is offered for each finding, how each
// award and address reads, and the audit export's cells.
import { describe, expect, test } from "vitest";
import type { AccountLookup, AwardRecord } from "~/modules/accounts/account-lookup";
import { actionKeyFor, AgentActionInput } from "~/modules/accounts/agent-action-schemas";
import { buildAccountPanel } from "~/modules/accounts/agent-panel";
import { AuditFilterInput, csvCell, describeChange } from "~/modules/audit/audit-filters";
import { accountAddress, accountLookup, awardRecord } from "../support/snapshots";

const now = new Date("2026-11-28T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

function lookup(overrides: Partial<AccountLookup> = {}): AccountLookup {
  return accountLookup({
    account: { id: "acc-1", name: "Dev Patel", disabled: false },
    addresses: [
      accountAddress({ id: "e1", email: "dev@example.net", verifiedAt: day("2025-01-01"), createdAt: day("2025-01-01") }),
      accountAddress({ id: "e2", email: "dev@uni.example", verified: false, verifiedAt: null, primary: false, createdAt: day("2026-02-01") }),
    ],
    ...overrides,
  });
}

const award = (id: string, recipientEmail: string, extra: Partial<AwardRecord> = {}): AwardRecord =>
  awardRecord({ id, badgeName: `Badge ${id}`, badgeDescription: "", issuerName: "Northfield University", recipientEmail, issuedOn: day("2026-03-05"), ...extra });

describe("buildAccountPanel", () => {
  test("a revoked badge offers the issuer hand-off; its history reads with the reinstatement date", () => {
    const panel = buildAccountPanel(
      lookup({
        awards: [
          award("a1", "dev@example.net", {
            revocations: [
              { id: "r1", reason: "Mistake", revokedBy: "Registrar", revokedAt: day("2026-01-10"), reinstatement: { authorisedBy: "Dr Lee", reference: "NU-1", recordedAt: day("2026-01-20"), authorisedOn: "2026-01-18" } },
              { id: "r2", reason: "Again", revokedBy: "Registrar", revokedAt: day("2026-11-01"), reinstatement: null },
            ],
          }),
        ],
      }),
      now,
    );
    expect(panel.findings.find((f) => f.code === "award_revoked")?.actions.map((a) => a.kind)).toEqual(["record_authorisation", "ask_issuer"]);
    expect(panel.awards[0]).toMatchObject({ state: "revoked", revoked: true, canResendNotice: false });
    expect(panel.awards[0].revocations[0].reinstatement).toMatchObject({ authorisedOn: "18 January 2026", recordedOn: "20 January 2026 at 10:00 UTC" });
  });

  test("a badge waiting at an unverified address offers the link and marking it verified; the address can be removed, the primary can't", () => {
    const panel = buildAccountPanel(lookup({ awards: [award("a1", "dev@uni.example", { recipientHolder: "this_account_unverified" })] }), now);
    const waiting = panel.findings.find((f) => f.code === "award_to_unverified_email")!;
    expect(waiting.title).toBe("Badge waiting for an address to be verified");
    expect(waiting.actions.map((a) => a.kind)).toEqual(["send_verification_link", "mark_verified"]);
    expect(panel.addresses.map((a) => [a.email, a.canRemove, a.canMarkVerified, a.canMakePrimary])).toEqual([
      ["dev@example.net", false, false, false],
      ["dev@uni.example", true, true, false],
    ]);
    expect(panel.addresses[1]).toMatchObject({ addedOn: "1 February 2026", verifiedOn: null, awardCount: 1 });
  });

  test("two badges waiting for one unverified address are one finding naming both, with one set of buttons", () => {
    const panel = buildAccountPanel(
      lookup({
        awards: [
          award("a1", "Dev@Uni.example", { recipientHolder: "this_account_unverified" }),
          award("a2", "dev@uni.example", { recipientHolder: "this_account_unverified" }),
        ],
      }),
      now,
    );
    const waiting = panel.findings.filter((f) => f.code === "award_to_unverified_email");
    expect(waiting).toHaveLength(1);
    expect(waiting[0].title).toBe("2 badges waiting for an address to be verified");
    expect(waiting[0].badges).toEqual(["Badge a1 (Northfield University)", "Badge a2 (Northfield University)"]);
    expect(waiting[0].actions.map((a) => a.kind)).toEqual(["send_verification_link", "mark_verified"]);
    // The note speaks to people: no internal ids.
    expect(waiting[0].note).not.toMatch(/[0-9a-f]{8}-|\(email /);
  });

  test("two revoked badges stay two findings: each hand-off acts on its own award", () => {
    const revoked = { revocations: [{ id: "r", reason: "Mistake", revokedBy: "Registrar", revokedAt: day("2026-10-01"), reinstatement: null }] };
    const panel = buildAccountPanel(lookup({ awards: [award("a1", "dev@example.net", revoked), award("a2", "dev@example.net", revoked)] }), now);
    const findings = panel.findings.filter((f) => f.code === "award_revoked");
    expect(findings.map((f) => [f.title, f.badges])).toEqual([
      ["Badge revoked by the issuer", ["Badge a1 (Northfield University)"]],
      ["Badge revoked by the issuer", ["Badge a2 (Northfield University)"]],
    ]);
  });

  test("a badge found through a likely misspelling is marked so, and its notice is never resent", () => {
    const panel = buildAccountPanel(lookup({ awards: [award("a1", "dev@exmple.net", { via: "typo", recipientHolder: "no_account" })] }), now);
    expect(panel.awards[0]).toMatchObject({ viaTypo: true, canResendNotice: false, stateLabel: "Sent to an address on no account" });
    expect(panel.findings[0].title).toBe("Badge sent to an address that isn't on this account");
  });
});

describe("agent action forms", () => {
  test("each rendered form gets its own key; evidence and dates are checked", () => {
    expect(actionKeyFor("render-1", "send-link", "e2")).toBe("render-1:send-link:e2");
    const base = { actionKey: "render-1:x:y", ticketId: "" };
    expect(AgentActionInput.safeParse({ ...base, intent: "mark-verified", emailId: "9c2b8f6e-1d2a-4c3b-8e9f-0a1b2c3d4e5f", evidence: "short" }).success).toBe(false);
    const parsed = AgentActionInput.parse({ ...base, intent: "send-link", emailId: "9c2b8f6e-1d2a-4c3b-8e9f-0a1b2c3d4e5f", reason: "  " });
    expect(parsed).toMatchObject({ ticketId: null, reason: null });
    expect(AgentActionInput.safeParse({ ...base, intent: "record-authorisation", awardId: "9c2b8f6e-1d2a-4c3b-8e9f-0a1b2c3d4e5f", authorisedBy: "Dr Lee", authorisedOn: "2026-02-30x", reference: "NU-1" }).success).toBe(false);
  });
});

describe("audit export and filters", () => {
  test("CSV cells are quoted when needed and never start a formula", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe("");
  });

  test("an entry's state reads as words on the page: what changed, from what to what", () => {
    expect(describeChange({ email: "ana@school.example", verified: false }, { email: "ana@school.example", verified: true })).toEqual(["email: ana@school.example", "verified: no → yes"]);
    expect(describeChange(null, { query: "ana", results: 1 })).toEqual(["query: ana", "results: 1"]);
    expect(describeChange({ primaryEmail: "a@x.example" }, null)).toEqual(["primary email: a@x.example (before)"]);
    expect(describeChange(null, { badges: [] , reason: null })).toEqual(["badges: none", "reason: none"]);
    expect(describeChange(null, null)).toEqual([]);
  });

  test("the last day can't come before the first", () => {
    const result = AuditFilterInput.safeParse({ from: "2026-03-05", to: "2026-03-01" });
    expect(result.success).toBe(false);
    expect(AuditFilterInput.parse({ from: "", to: "", agent: "" })).toEqual({ from: undefined, to: undefined, agent: undefined, account: undefined, ticket: undefined, action: undefined, before: undefined });
  });
});

describe("addresses mail can't reach", () => {
  test("an address that bounced for good carries when and why, matched in any case; the others carry nothing", () => {
    const panel = buildAccountPanel(lookup(), now, [{ email: "DEV@example.net", status: "5.1.1", diagnostic: "550 5.1.1 User unknown", at: new Date("2026-11-27T09:05:00Z") }]);
    expect(panel.addresses.map((a) => [a.email, a.undeliverable])).toEqual([
      ["dev@example.net", { since: "27 November 2026 at 09:05 UTC", status: "5.1.1", reason: "550 5.1.1 User unknown" }],
      ["dev@uni.example", null],
    ]);
  });
});
