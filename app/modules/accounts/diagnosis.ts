// The engine of the helpdesk: an account's emails, awards, revocations and invitations in,
// findings out. The same findings drive the learner's My badges page, the agent's account
// panel, article suggestions when filing a ticket, and the actions offered.
// Pure, no I/O, never throws: odd data (duplicates, empty lists, invalid dates, addresses
// differing only in case) yields fewer or vaguer findings, not an error.

import { formatDay } from "~/lib/dates";
import { activeRevocation, awardState, type AwardSnapshot, type RevocationSnapshot } from "./award-state";
import { likelyTypoMatches, normalizeEmail } from "./email-typos";

export type { AwardSnapshot, AwardState, RevocationSnapshot } from "./award-state";

// The codes live in one shared file: the knowledge base declares articles against them too.
export { DIAGNOSIS_CODES, type DiagnosisCode } from "~/lib/diagnosis-codes";
import type { DiagnosisCode } from "~/lib/diagnosis-codes";

export interface EmailSnapshot {
  id: string;
  email: string;
  verified: boolean;
  primary: boolean;
}
export interface InvitationSnapshot {
  id: string;
  pathwayName: string;
  issuerName: string;
  email: string;
  status: "pending" | "accepted" | "cancelled";
  sentAt: Date;
}
export interface AccountSnapshot {
  accountId: string;
  emails: EmailSnapshot[];
  awards: AwardSnapshot[];
  invitations: InvitationSnapshot[];
}

export type Severity = "info" | "warning" | "problem";
export type FindingSubject =
  | { kind: "award"; awardId: string }
  | { kind: "email"; emailId: string }
  | { kind: "invitation"; invitationId: string }
  | { kind: "account" };
export type ActionKind =
  | "send_verification_link"
  | "make_primary"
  | "add_email"
  | "restore_award"
  | "resend_award_notice"
  | "resend_invitation"
  | "record_reinstatement"
  | "ask_issuer_to_reaward"
  | "merge_accounts"
  | "open_ticket"
  | "open_pathways_app";
export interface FindingAction {
  kind: ActionKind;
  label: string;
  by: "learner" | "agent" | "both";
  emailId?: string;
  awardId?: string;
  invitationId?: string;
  email?: string;
}
export interface Finding {
  code: DiagnosisCode;
  severity: Severity;
  subject: FindingSubject;
  /** Short heading, learner language. */
  title: string;
  /** Plain learner language naming the badge, issuer and address. */
  explanation: string;
  /** Terse note for support staff. */
  agentNote: string;
  actions: FindingAction[];
  /** Codes whose FAQ articles answer this finding (articles declare codes in front matter). */
  articleCodes: DiagnosisCode[];
  /**
   * The award's address looks like a misspelling of this verified address on the account:
   * nobody receives mail at it, so only Customer Care can confirm it.
   */
  misspeltOf?: string;
}

/**
 * Everything about the account a learner or agent should know, most serious first
 * (problem, warning, info), then account, email, award and invitation findings in the
 * order the snapshot lists them. A healthy account yields [].
 */
export function diagnose(account: AccountSnapshot, now: Date): Finding[] {
  const emails = objects<EmailSnapshot>(account?.emails);
  const awards = uniqueById(objects<AwardSnapshot>(account?.awards));
  const invitations = uniqueById(objects<InvitationSnapshot>(account?.invitations));

  const findings: Finding[] = [];
  const awardStates = awards.map((award) => ({ award, state: awardState(award, now) }));
  // Many awards share a recipient: work out each recipient's likely typos once.
  const accountAddresses = emails.map((e) => e.email);
  const typoCache = new Map<string, string[]>();
  const typosOf = (recipient: string) => {
    let typos = typoCache.get(recipient);
    if (!typos) typoCache.set(recipient, (typos = likelyTypoMatches(recipient, accountAddresses)));
    return typos;
  };
  // An unverified address of the account that is a slip of one of its verified addresses.
  const verifiedAddresses = emails.filter((e) => e.verified === true).map((e) => e.email);
  const verifiedTyposOf = (recipient: string) => likelyTypoMatches(recipient, verifiedAddresses).filter((t) => !sameAddress(t, recipient));

  for (const { award, state } of awardStates) {
    switch (state) {
      case "revoked":
        findings.push(revokedFinding(award));
        break;
      case "waiting_unverified":
        findings.push(waitingUnverifiedFinding(award, emails, verifiedTyposOf(award.recipientEmail)));
        break;
      case "unclaimed":
        findings.push(unknownEmailFinding(award, typosOf(award.recipientEmail)));
        break;
      case "on_other_account":
        findings.push(otherAccountFinding(award));
        break;
      case "removed":
        findings.push(removedFinding(award));
        break;
      case "expired":
        findings.push(expiredFinding(award));
        break;
      case "in_backpack":
        break;
    }
  }

  for (const invitation of invitations) {
    if (invitation.status === "pending") findings.push(invitationFinding(invitation, emails));
  }

  const waitingCount = awardStates.filter((a) => a.state === "waiting_unverified").length;
  if (!emails.some((e) => e.verified === true)) findings.push(noVerifiedEmailFinding(emails, waitingCount));
  findings.push(...unverifiedPrimaryFindings(emails));

  return findings.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || SUBJECT_ORDER[a.subject.kind] - SUBJECT_ORDER[b.subject.kind],
  );
}

const SEVERITY_ORDER: Record<Severity, number> = { problem: 0, warning: 1, info: 2 };
const SUBJECT_ORDER: Record<FindingSubject["kind"], number> = { account: 0, email: 1, award: 2, invitation: 3 };

/** A finding answered by the FAQ articles of its own code (every finding but "no verified address"). */
function finding(code: DiagnosisCode, severity: Severity, subject: FindingSubject, text: Pick<Finding, "title" | "explanation" | "agentNote" | "actions" | "misspeltOf">): Finding {
  return { code, severity, subject, ...text, articleCodes: [code] };
}

// ---------------------------------------------------------------------------------------------
// Award findings

/** `misspeltOf`: the account's verified addresses the recipient looks like a typo of, closest first. */
function waitingUnverifiedFinding(award: AwardSnapshot, emails: EmailSnapshot[], misspeltOf: string[] = []): Finding {
  const address = addressOf(award.recipientEmail);
  const matching = emails.filter((e) => sameAddress(e.email, award.recipientEmail));
  // With duplicate rows differing only in case, the unverified one is the one to verify.
  const unverified = matching.find((e) => e.verified !== true);
  // The link goes to the address as the account stores it; the award may spell it with other capitals.
  const stored = unverified ? addressOf(unverified.email) : address;
  const actions: FindingAction[] = unverified
    ? [{ kind: "send_verification_link", label: `Send a verification link to ${stored}`, by: "both", emailId: unverified.id, email: stored, awardId: award.id }]
    : [{ kind: "add_email", label: `Add ${address} to your account and verify it`, by: "learner", email: address, awardId: award.id }];
  const capitals =
    stored !== address ? ` Capital letters don't matter: it is the same address as ${stored} on your account.` : "";
  const meant = misspeltOf[0];
  if (unverified && meant) {
    // Added to the account, but a slip of a verified address: a link sent there reaches nobody.
    return {
      code: "award_to_unverified_email",
      severity: "warning",
      subject: { kind: "award", awardId: award.id },
      title: "Badge at a misspelt address: Customer Care confirms it",
      explanation:
        `Your badge ${badgeOf(award)} was awarded to ${address}, which is on your account but not verified. ` +
        `It looks like a misspelling of your address ${meant}, and nobody can receive mail there, so a verification link can't reach you. ` +
        `Customer Care confirms such an address: send us a ticket and we'll move the badge to ${meant} or ask ${issuerOf(award)} to award it again.`,
      agentNote:
        `Recipient ${address} is unverified on this account and looks like a typo of the verified ${meant}. ` +
        `A link can't reach it: check the learner's identity, then mark it verified with the evidence, or ask the issuer to re-award to ${meant}.`,
      actions: [
        { kind: "open_ticket", label: "Ask Customer Care to confirm this address", by: "learner", email: address, awardId: award.id },
        { kind: "send_verification_link", label: `Send a verification link to ${stored}`, by: "agent", emailId: unverified.id, email: stored, awardId: award.id },
      ],
      articleCodes: ["award_to_unverified_email", "award_to_unknown_email"],
      misspeltOf: meant,
    };
  }
  const mismatch = unverified
    ? matching.some((e) => e.verified === true)
      ? " Account also lists a verified case-variant of this address: duplicate rows, check the data."
      : ""
    : " Address not found in this account's email list: lookup and account disagree.";
  return finding("award_to_unverified_email", "warning", { kind: "award", awardId: award.id }, {
    title: "Badge waiting for you to verify an address",
    explanation:
      `Your badge ${badgeOf(award)} was awarded to ${address}.${capitals} That address is on your account but not verified yet, ` +
      `so the badge waits, hidden, until it is. Open the verification link we send to ${stored} and the badge will appear in your backpack.`,
    agentNote: `Recipient ${address} is unverified on this account: awards to it show once it is verified.${mismatch}`,
    actions,
  });
}

/** `typos`: the account's addresses that look like a typo of the recipient, closest first. */
function unknownEmailFinding(award: AwardSnapshot, typos: string[]): Finding {
  const address = addressOf(award.recipientEmail);
  const issuer = issuerOf(award);
  const caseOnly = typos.filter((t) => sameAddress(t, address));
  const suggestion = typos[0];

  let hint: string;
  if (caseOnly.length > 0) {
    hint = ` It is the address ${caseOnly[0]} on your account written with different capital letters; Customer Care will link it for you.`;
  } else if (typos.length > 0) {
    hint =
      ` This looks like a typo of ${orList(typos)}, ${typos.length === 1 ? "an address" : "addresses"} on your account. ` +
      `The address on a badge can't be changed, so ${issuer} needs to award it again to ${suggestion}; Customer Care can ask them for you.`;
  } else {
    hint = "";
  }
  const ifYours =
    caseOnly.length > 0
      ? ""
      : typos.length > 0
        ? ` If ${address} really is yours, add it to your account and verify it instead.`
        : ` If ${address} is yours, add it to your account and verify it: the badge will then appear in your backpack.`;

  const holderNote =
    award.recipientHolder === "other_account_unverified"
      ? "sits unverified on another account (don't reveal that to the learner)"
      : "is on no account";
  const typoNote =
    caseOnly.length > 0
      ? ` Case-only mismatch with ${caseOnly[0]}: lookups should ignore case, check the data.`
      : typos.length > 0
        ? ` Likely typo of ${typos.join(", ")}.`
        : "";

  return finding("award_to_unknown_email", "warning", { kind: "award", awardId: award.id }, {
    title: "Badge sent to an address that isn't on your account",
    explanation: `The badge ${badgeOf(award)} was awarded to ${address}, which isn't on your account.${hint}${ifYours}`,
    agentNote:
      `Recipient ${address} ${holderNote}.${typoNote} The recipient address never changes after issue: ` +
      `don't resend the award notice, ask the issuer to re-award${suggestion ? ` to ${suggestion}` : ""} or have the learner add and verify ${address}.`,
    actions: [
      {
        kind: "add_email",
        label: `Add ${address} to your account`,
        by: "learner",
        email: address,
        awardId: award.id,
      },
      {
        kind: "ask_issuer_to_reaward",
        label: suggestion ? `Ask ${issuer} to award it again to ${suggestion}` : `Ask ${issuer} to award it again to the right address`,
        by: "agent",
        awardId: award.id,
        ...(suggestion ? { email: suggestion } : {}),
      },
    ],
    ...(suggestion && caseOnly.length === 0 ? { misspeltOf: suggestion } : {}),
  });
}

function otherAccountFinding(award: AwardSnapshot): Finding {
  const address = addressOf(award.recipientEmail);
  return finding("award_to_email_on_other_account", "warning", { kind: "award", awardId: award.id }, {
    title: "Badge on another account",
    explanation:
      `Your badge ${badgeOf(award)} was awarded to ${address}, which is verified on a different account, so it shows in that account's backpack, not this one. ` +
      `If both accounts are yours, Customer Care can merge them so all your badges are in one place.`,
    agentNote: `Recipient ${address} is verified on another account. Confirm the learner controls both, then merge.`,
    actions: [
      { kind: "merge_accounts", label: `Merge the account holding ${address} into this one`, by: "agent", email: address, awardId: award.id },
      { kind: "open_ticket", label: "Ask Customer Care to merge my accounts", by: "learner", email: address, awardId: award.id },
    ],
  });
}

function revokedFinding(award: AwardSnapshot): Finding {
  const address = addressOf(award.recipientEmail);
  const issuer = issuerOf(award);
  // awardState only says "revoked" when there is an active revocation; the fallback keeps
  // this function total if it is ever called on its own.
  const revocation: Partial<RevocationSnapshot> = activeRevocation(award) ?? {};
  const who = textOr(revocation.revokedBy, issuer);
  const when = formatDay(revocation.revokedAt);
  const reason = textOr(revocation.reason, "");
  const reinstatedBefore = objects<RevocationSnapshot>(award.revocations).filter((r) => r.reinstatement).length;
  return finding("award_revoked", "warning", { kind: "award", awardId: award.id }, {
    title: "Badge revoked by the issuer",
    explanation:
      `Your badge ${badgeOf(award)}, awarded to ${address}, was revoked by ${who} on ${when}. ` +
      (reason ? `Reason given: “${reason}”. ` : "No reason was given. ") +
      `A revoked badge leaves your backpack. If you think this is a mistake, contact Customer Care: ` +
      `we can't undo a revocation ourselves, but we can ask ${issuer} to reinstate the badge or award it again.`,
    agentNote:
      `Revoked ${when} by ${who}: ${reason.replace(/[.!?]+$/, "") || "no reason given"}.` +
      (reinstatedBefore > 0 ? ` ${plural(reinstatedBefore, "earlier revocation was", "earlier revocations were")} reinstated.` : "") +
      ` Support can't un-revoke: record the issuer's written authorisation (who, when, reference) or ask the issuer to re-award.`,
    actions: [
      { kind: "record_reinstatement", label: "Record the issuer's authorisation to reinstate", by: "agent", awardId: award.id },
      { kind: "ask_issuer_to_reaward", label: `Ask ${issuer} to award it again`, by: "agent", awardId: award.id, email: address },
      { kind: "open_ticket", label: "This is a mistake — contact Customer Care", by: "learner", awardId: award.id },
    ],
  });
}

function removedFinding(award: AwardSnapshot): Finding {
  const address = addressOf(award.recipientEmail);
  return finding("award_removed_by_learner", "info", { kind: "award", awardId: award.id }, {
    title: "Badge you removed from your backpack",
    explanation: `You removed your badge ${badgeOf(award)}, awarded to ${address}, from your backpack. It isn't lost: you can restore it at any time.`,
    agentNote: `Learner removed it from the backpack; restore on request.`,
    actions: [{ kind: "restore_award", label: "Restore the badge to the backpack", by: "both", awardId: award.id }],
  });
}

function expiredFinding(award: AwardSnapshot): Finding {
  const address = addressOf(award.recipientEmail);
  const when = formatDay(award.expiresAt);
  return finding("award_expired", "info", { kind: "award", awardId: award.id }, {
    title: "Badge expired",
    explanation:
      `Your badge ${badgeOf(award)}, awarded to ${address}, expired on ${when}. It still shows in your backpack, marked expired. ` +
      `If you need a current one, ask ${issuerOf(award)} about renewing it.`,
    agentNote: `Expired ${when}. Nothing to fix; renewal is the issuer's call.`,
    actions: [],
  });
}

// ---------------------------------------------------------------------------------------------
// Invitation, account and email findings

function invitationFinding(invitation: InvitationSnapshot, emails: EmailSnapshot[]): Finding {
  const address = addressOf(invitation.email);
  const pathway = `“${textOr(invitation.pathwayName, "a pathway")}”`;
  const issuer = textOr(invitation.issuerName, "The issuer");
  const held = emails.filter((e) => sameAddress(e.email, invitation.email));
  const addressNote =
    held.length === 0
      ? ` Invitation address ${address} is not on this account.`
      : held.some((e) => e.verified === true)
        ? ""
        : ` Invitation address ${address} is unverified on this account.`;
  return finding("pathway_invitation_pending", "info", { kind: "invitation", invitationId: invitation.id }, {
    title: "Pathway invitation not accepted yet",
    explanation:
      `${issuer} invited you to the pathway ${pathway} at ${address} on ${formatDay(invitation.sentAt)}, and the invitation hasn't been accepted yet. ` +
      `You don't need the email: sign in, open Apps → Pathways, allow the Pathways app if asked, and look under My Pathways.`,
    agentNote: `Pending invitation sent ${formatDay(invitation.sentAt)} to ${address}.${addressNote} Resend if the learner can't find it.`,
    actions: [
      { kind: "open_pathways_app", label: "Open Apps → Pathways → My Pathways", by: "learner", invitationId: invitation.id },
      { kind: "resend_invitation", label: `Resend the invitation to ${address}`, by: "agent", invitationId: invitation.id, email: address },
    ],
  });
}

function noVerifiedEmailFinding(emails: EmailSnapshot[], waitingCount: number): Finding {
  const unverified = uniqueByAddress(emails);
  const addresses = unverified.map((e) => addressOf(e.email));
  const waiting =
    waitingCount > 0 ? ` ${plural(waitingCount, "badge is", "badges are")} waiting until you do.` : "";
  return {
    code: "account_without_verified_email",
    severity: "warning",
    subject: { kind: "account" },
    title: "No verified email address",
    explanation:
      addresses.length === 0
        ? "Your account has no email address. Add one and verify it so your badges can reach your backpack."
        : `${addresses.length === 1 ? `The email address on your account, ${addresses[0]}, isn't` : `None of the email addresses on your account (${addresses.join(", ")}) is`} verified yet. ` +
          `Badges only reach your backpack through a verified address: open the verification link we send you.${waiting}`,
    agentNote:
      `No verified address (${plural(addresses.length, "unverified address", "unverified addresses")}); ` +
      `${plural(waitingCount, "award waits", "awards wait")} on verification.`,
    actions:
      unverified.length === 0
        ? [{ kind: "add_email", label: "Add an email address", by: "learner" }]
        : unverified.map((e) => ({
            kind: "send_verification_link" as const,
            label: `Send a verification link to ${addressOf(e.email)}`,
            by: "both" as const,
            emailId: e.id,
            email: addressOf(e.email),
          })),
    articleCodes: waitingCount > 0 ? ["account_without_verified_email", "award_to_unverified_email"] : ["account_without_verified_email"],
  };
}

function unverifiedPrimaryFindings(emails: EmailSnapshot[]): Finding[] {
  const alternative = emails.find((e) => e.verified === true);
  return uniqueByAddress(emails.filter((e) => e.primary === true && e.verified !== true)).map((primary) => {
    const address = addressOf(primary.email);
    const actions: FindingAction[] = [];
    if (alternative) {
      const other = addressOf(alternative.email);
      actions.push({ kind: "make_primary", label: `Make ${other} primary`, by: "agent", emailId: alternative.id, email: other });
    }
    actions.push({ kind: "send_verification_link", label: `Send a verification link to ${address}`, by: "agent", emailId: primary.id, email: address });
    return finding("primary_email_unverified", "problem", { kind: "email", emailId: primary.id }, {
      title: "Your main email address needs our attention",
      explanation:
        `Your main email address ${address} is marked as not verified, which shouldn't happen. ` +
        `This is a fault on our side and Customer Care will fix it; you don't need to do anything.`,
      agentNote:
        `Data corruption: primary email ${address} (${primary.id}) is unverified; only a verified address may be primary. ` +
        (alternative ? `Make ${addressOf(alternative.email)} primary, or verify ${address}.` : `Verify ${address}.`),
      actions,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

/**
 * Grouped one-liners for the top of My badges and the account panel, in finding order,
 * e.g. "2 badges wait at old@school.edu — verify it". Addresses group case-insensitively.
 */
export function summarizeFindings(findings: Finding[]): string[] {
  const groups = new Map<string, { finding: Finding; address: string; count: number }>();
  for (const finding of objects<Finding>(findings)) {
    const address = summaryAddress(finding);
    const key = `${finding.code}|${normalizeEmail(address)}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { finding, address, count: 1 });
  }
  return [...groups.values()].map(({ finding, address, count }) => summaryLine(finding, address, count));
}

function summaryAddress(finding: Finding): string {
  const actions = objects<FindingAction>(finding.actions);
  const byKind = (kind: ActionKind) => actions.find((a) => a.kind === kind)?.email ?? "";
  switch (finding.code) {
    case "award_to_unverified_email":
      return byKind("send_verification_link") || byKind("add_email");
    case "award_to_unknown_email":
      return byKind("add_email");
    case "award_to_email_on_other_account":
      return byKind("merge_accounts");
    case "primary_email_unverified":
      return byKind("send_verification_link");
    default:
      return "";
  }
}

function summaryLine(finding: Finding, address: string, count: number): string {
  const badges = plural(count, "badge", "badges");
  switch (finding.code) {
    case "award_to_unverified_email":
      return `${badges} ${count === 1 ? "waits" : "wait"} at ${address} — verify it`;
    case "award_to_unknown_email": {
      const suggestion = objects<FindingAction>(finding.actions).find((a) => a.kind === "ask_issuer_to_reaward")?.email;
      return suggestion && !sameAddress(suggestion, address)
        ? `${badges} went to ${address}, which isn't on your account — it looks like a typo of ${suggestion}`
        : `${badges} went to ${address}, which isn't on your account — add it if it's yours`;
    }
    case "award_to_email_on_other_account":
      return `${badges} went to ${address}, which is on another account — ask us to merge them`;
    case "award_revoked":
      return `${badges} ${count === 1 ? "was" : "were"} revoked by the issuer`;
    case "award_expired":
      return `${badges} ${count === 1 ? "has" : "have"} expired`;
    case "award_removed_by_learner":
      return `${badges} you removed can be restored`;
    case "pathway_invitation_pending":
      return `${plural(count, "pathway invitation is", "pathway invitations are")} waiting — see Apps → Pathways → My Pathways`;
    case "account_without_verified_email":
      return "No verified email address yet — verify one to see your badges";
    case "primary_email_unverified":
      return `Your main address ${address} isn't verified — Customer Care will fix it`;
    default:
      // A code this version doesn't know (a newer producer): its title still reads well.
      return textOr((finding as Finding).title, "");
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function objects<T>(value: readonly T[] | null | undefined): T[] {
  return Array.isArray(value) ? value.filter((v): v is T => v !== null && typeof v === "object") : [];
}

/** Keeps the first of several rows sharing an id, so each award gets exactly one finding. */
function uniqueById<T extends { id: string }>(rows: T[]): T[] {
  const seen = new Set<unknown>();
  return rows.filter((row) => {
    if (seen.has(row.id)) return false;
    seen.add(row.id);
    return true;
  });
}

/** Keeps the first of several rows whose addresses differ only in case. */
function uniqueByAddress(emails: EmailSnapshot[]): EmailSnapshot[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const key = normalizeEmail(e.email);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sameAddress(a: string, b: string): boolean {
  const na = normalizeEmail(a);
  return na !== "" && na === normalizeEmail(b);
}

function textOr(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : fallback;
}

function addressOf(email: unknown): string {
  return textOr(email, "an unknown address");
}

function issuerOf(award: AwardSnapshot): string {
  return textOr(award.issuerName, "the issuer");
}

function badgeOf(award: AwardSnapshot): string {
  return `“${textOr(award.badgeName, "Untitled badge")}” from ${issuerOf(award)}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
