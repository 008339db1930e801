// The agent's account panel as data: the diagnosis at the top with the actions that fix each
// finding, then addresses, awards, revocation history and pathway invitations. Pure (no I/O);
// dates are formatted here so the server and the browser render the same text.
import { agentSnapshot, withStates, type AccountLookup, type AddressKind } from "./account-lookup";
import { activeRevocation, AWARD_STATE_TONES, type AwardState, type AwardTone } from "./award-state";
import { diagnose, type Finding, type Severity } from "./diagnosis";
import { normalizeEmail } from "./email-typos";
import { formatDay, formatMoment } from "~/lib/dates";
import { MAX_ADDRESSES_PER_ACCOUNT } from "./my-badges";

/** What an agent can do from the panel; each is one form posting to /agent/accounts/<id>. */
export type AgentActionButton =
  | { kind: "send_verification_link"; label: string; emailId: string }
  | { kind: "mark_verified"; label: string; emailId: string }
  | { kind: "make_primary"; label: string; emailId: string }
  | { kind: "add_email"; label: string; email: string }
  | { kind: "move_address"; label: string; email: string }
  | { kind: "restore_award"; label: string; awardId: string }
  | { kind: "resend_award_notice"; label: string; awardId: string }
  | { kind: "ask_issuer"; label: string; awardId: string }
  | { kind: "record_authorisation"; label: string; awardId: string }
  | { kind: "resend_invitation"; label: string; invitationId: string };

export interface PanelFinding {
  code: Finding["code"];
  severity: Severity;
  title: string;
  /** The note for support staff. */
  note: string;
  /** The badges the finding is about ("Spreadsheet Skills (Lakeside Technical Institute)"); empty for an account or address finding. */
  badges: string[];
  actions: AgentActionButton[];
}

export interface PanelAddress {
  id: string;
  email: string;
  kind: AddressKind;
  verified: boolean;
  primary: boolean;
  addedOn: string;
  verifiedOn: string | null;
  awardCount: number;
  canSendLink: boolean;
  canMarkVerified: boolean;
  canMakePrimary: boolean;
  canRemove: boolean;
  /** Mail to it bounced for good (a 5.x.x delivery report): nothing more is sent to it. */
  undeliverable: PanelBounce | null;
}

export interface PanelBounce {
  /** "4 December 2026 at 18:30 UTC" */
  since: string;
  status: string;
  /** The receiving server's words, e.g. "550 5.1.1 User unknown". */
  reason: string | null;
}

/** A permanent bounce of one address, as bounces record it. */
export interface AddressBounce {
  email: string;
  status: string;
  diagnostic: string | null;
  at: Date;
}

export interface PanelRevocation {
  id: string;
  reason: string;
  revokedBy: string;
  revokedOn: string;
  reinstatement: { authorisedBy: string; authorisedOn: string | null; reference: string; recordedOn: string } | null;
}

export interface PanelAward {
  id: string;
  badgeName: string;
  issuerName: string;
  recipientEmail: string;
  issuedOn: string;
  expiresOn: string | null;
  state: AwardState;
  stateLabel: string;
  tone: AwardTone;
  /** Found through a likely misspelling of one of the account's addresses, not an address it holds. */
  viaTypo: boolean;
  revocations: PanelRevocation[];
  revoked: boolean;
  canRestore: boolean;
  canResendNotice: boolean;
}

export interface PanelInvitation {
  id: string;
  pathwayName: string;
  issuerName: string;
  email: string;
  status: "pending" | "accepted" | "cancelled";
  sentOn: string;
  canResend: boolean;
}

export interface AccountPanelView {
  account: { id: string; name: string; disabled: boolean };
  findings: PanelFinding[];
  addresses: PanelAddress[];
  awards: PanelAward[];
  invitations: PanelInvitation[];
  canAddAddress: boolean;
}

const STATE_LABELS: Record<AwardState, string> = {
  in_backpack: "In the backpack",
  expired: "Expired (still shown)",
  waiting_unverified: "Waiting: address unverified",
  unclaimed: "Sent to an address on no account",
  on_other_account: "On another account",
  revoked: "Revoked",
  removed: "Removed by the learner",
};

export function buildAccountPanel(lookup: AccountLookup, now: Date, bounces: AddressBounce[] = []): AccountPanelView {
  const findings = diagnose(agentSnapshot(lookup), now);
  const states = withStates(lookup.awards, now);
  const own = lookup.addresses.filter((a) => a.kind === "own");

  const addresses = lookup.addresses.map((address): PanelAddress => {
    const isOwn = address.kind === "own";
    const key = normalizeEmail(address.email);
    return {
      id: address.id,
      email: address.email,
      kind: address.kind,
      verified: isOwn && address.verified,
      primary: isOwn && address.primary,
      addedOn: formatDay(address.createdAt),
      verifiedOn: isOwn && address.verifiedAt ? formatDay(address.verifiedAt) : null,
      awardCount: lookup.awards.filter((a) => a.via !== "typo" && normalizeEmail(a.recipientEmail) === key).length,
      canSendLink: isOwn && !address.verified,
      canMarkVerified: isOwn && !address.verified,
      canMakePrimary: isOwn && address.verified && !address.primary,
      canRemove: isOwn && !address.primary && own.length > 1,
      undeliverable: bounceOf(address.email, bounces),
    };
  });

  const awards = states.map(({ award, state }): PanelAward => {
    const held = award.via !== "typo";
    return {
      id: award.id,
      badgeName: award.badgeName,
      issuerName: award.issuerName,
      recipientEmail: award.recipientEmail,
      issuedOn: formatDay(award.issuedOn),
      expiresOn: award.expiresAt ? formatDay(award.expiresAt) : null,
      state,
      stateLabel: STATE_LABELS[state],
      tone: AWARD_STATE_TONES[state],
      viaTypo: !held,
      revoked: activeRevocation(award) !== null,
      revocations: award.revocations.map((r) => ({
        id: r.id,
        reason: r.reason,
        revokedBy: r.revokedBy,
        revokedOn: formatDay(r.revokedAt),
        reinstatement: r.reinstatement
          ? {
              authorisedBy: r.reinstatement.authorisedBy,
              authorisedOn: r.reinstatement.authorisedOn ? formatIsoDay(r.reinstatement.authorisedOn) : null,
              reference: r.reinstatement.reference,
              recordedOn: formatMoment(r.reinstatement.recordedAt),
            }
          : null,
      })),
      canRestore: state === "removed",
      // The notice goes to the recipient address; only worth it when that address is the learner's.
      canResendNotice: held && award.via === "own" && (state === "in_backpack" || state === "waiting_unverified" || state === "expired"),
    };
  });

  const invitations = lookup.invitations.map(
    (i): PanelInvitation => ({
      id: i.id,
      pathwayName: i.pathwayName,
      issuerName: i.issuerName,
      email: i.email,
      status: i.status,
      sentOn: formatDay(i.sentAt),
      canResend: i.status === "pending",
    }),
  );

  return {
    account: lookup.account,
    findings: oneFindingPerFix(findings, lookup),
    addresses,
    awards,
    invitations,
    canAddAddress: lookup.addresses.filter((a) => a.kind !== "claim_taken").length < MAX_ADDRESSES_PER_ACCOUNT,
  };
}

function bounceOf(email: string, bounces: AddressBounce[]): PanelBounce | null {
  const bounce = bounces.find((b) => b.email.toLowerCase() === email.toLowerCase());
  return bounce ? { since: formatMoment(bounce.at), status: bounce.status, reason: bounce.diagnostic } : null;
}

/**
 * The diagnosis has a finding per award; the panel shows one per fix. Two badges waiting for the
 * same unverified address are one finding naming both, with one "Send a verification link", so
 * the agent never sees the same buttons twice.
 */
function oneFindingPerFix(findings: Finding[], lookup: AccountLookup): PanelFinding[] {
  const badgeNames = new Map(lookup.awards.map((a) => [a.id, `${a.badgeName} (${a.issuerName})`]));
  const byFix = new Map<string, PanelFinding>();
  for (const f of findings) {
    const actions = agentActions(f);
    const badge = f.subject.kind === "award" ? badgeNames.get(f.subject.awardId) : undefined;
    // Findings whose fixes act on the award itself (restore, ask the issuer) never share a key.
    const key = actions.length > 0 ? `${f.code}\u0000${JSON.stringify(actions)}` : `${f.code}\u0000${byFix.size}`;
    const same = byFix.get(key);
    if (same) {
      if (badge) same.badges.push(badge);
      continue;
    }
    byFix.set(key, { code: f.code, severity: f.severity, title: agentTitle(f), note: f.agentNote, badges: badge ? [badge] : [], actions });
  }
  return [...byFix.values()].map((f) => (f.badges.length > 1 ? { ...f, title: f.title.replace(/^Badge /, `${f.badges.length} badges `) } : f));
}

/** The diagnosis speaks to the learner in its titles; the panel names the badge below the title. */
function agentTitle(finding: Finding): string {
  return finding.title
    .replace(/^Badge waiting for you to verify an address$/, "Badge waiting for an address to be verified")
    .replace(/^Your main email address/, "Primary address")
    .replace(/your account/g, "this account")
    .replace(/ you removed from your backpack/, " removed from the backpack by the learner")
    .replace(/^Your /, "");
}

/**
 * The finding's fixes an agent can make from the panel. A typo'd address nobody can receive mail
 * at is fixed by adding it and marking it verified with evidence; an address verified elsewhere by
 * moving it here.
 */
export function agentActions(finding: Finding): AgentActionButton[] {
  const actions: AgentActionButton[] = [];
  for (const action of finding.actions) {
    if (action.by === "learner" && action.kind !== "add_email") continue;
    switch (action.kind) {
      case "send_verification_link":
        if (action.emailId) {
          actions.push({ kind: "send_verification_link", label: action.label, emailId: action.emailId });
          actions.push({ kind: "mark_verified", label: `Mark ${action.email ?? "it"} verified (with evidence)`, emailId: action.emailId });
        }
        break;
      case "make_primary":
        if (action.emailId) actions.push({ kind: "make_primary", label: action.label, emailId: action.emailId });
        break;
      case "add_email":
        if (action.email) actions.push({ kind: "add_email", label: `Add ${action.email} to this account`, email: action.email });
        break;
      case "merge_accounts":
        if (action.email) actions.push({ kind: "move_address", label: `Move ${action.email} to this account`, email: action.email });
        break;
      case "restore_award":
        if (action.awardId) actions.push({ kind: "restore_award", label: "Restore the badge to the backpack", awardId: action.awardId });
        break;
      case "resend_invitation":
        if (action.invitationId) actions.push({ kind: "resend_invitation", label: action.label, invitationId: action.invitationId });
        break;
      case "record_reinstatement":
        if (action.awardId) actions.push({ kind: "record_authorisation", label: "Record the issuer's authorisation", awardId: action.awardId });
        break;
      case "ask_issuer_to_reaward":
        // For a revoked badge the hand-off asks the issuer to reinstate it; for a badge sent to a
        // wrong address the agent adds that address instead (above).
        if (action.awardId && finding.code === "award_revoked") actions.push({ kind: "ask_issuer", label: "Ask the issuer", awardId: action.awardId });
        break;
      default:
        break;
    }
  }
  return actions;
}

/** "2026-03-05" → "5 March 2026" */
function formatIsoDay(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return formatDay(date);
}
