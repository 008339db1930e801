// The learner's My badges page as data: addresses, the backpack, what is not in it and why, and
// the fixes the learner can make. Pure (no I/O), so the page renders exactly what is tested here.
import { formatDay, formatMoment } from "~/lib/dates";
import { isVisibleToLearner, learnerSnapshot, mayBeWaitingLines, withStates, type AccountLookup, type AddressKind, type AwardRecord } from "./account-lookup";
import { articleForFinding, type FaqArticleRef } from "./article-links";
import { AWARD_STATE_TONES, type AwardState, type AwardTone } from "./award-state";
import { diagnose, summarizeFindings, type Finding, type Severity } from "./diagnosis";
import { likelyTypoMatches, normalizeEmail } from "./email-typos";
import type { TicketCategory } from "#db/schema/lists";

/** An account may hold this many addresses (own ones and pending moves together). */
export const MAX_ADDRESSES_PER_ACCOUNT = 10;

export type LearnerAction =
  | { kind: "send_verification_link"; label: string; emailId: string }
  | { kind: "restore_award"; label: string; awardId: string }
  | { kind: "add_email"; label: string; email: string }
  | { kind: "contact_support"; label: string; ticket: TicketDraft };

/** What a "Contact Customer Care" button fills in on the ticket form; the learner reads it and sends it. */
export interface TicketDraft {
  category: TicketCategory;
  subject: string;
  description: string;
  /** The address the badge was sent to (or the address in question). */
  badgeEmail?: string;
  issuerOrBadge?: string;
}

export interface ArticleLink {
  href: string;
  title: string;
}

export interface FindingView {
  code: Finding["code"];
  severity: Severity;
  title: string;
  explanation: string;
  actions: LearnerAction[];
  article: ArticleLink | null;
}

export interface BadgeView {
  awardId: string;
  badgeName: string;
  badgeDescription: string;
  issuerName: string;
  recipientEmail: string;
  issuedOn: string;
  expiresOn: string | null;
  state: AwardState;
  /** Short status for the tag beside the badge. */
  status: string;
  tone: AwardTone;
  finding: FindingView | null;
  canRemoveFromBackpack: boolean;
}

export interface AddressView {
  id: string;
  email: string;
  kind: AddressKind;
  verified: boolean;
  primary: boolean;
  /**
   * Unverified (or moving here): badges may be waiting. Said of every such address, whatever it
   * holds, so that the page tells nothing about an address nobody has proved they own.
   */
  mayHaveBadgesWaiting: boolean;
  /** Badges in the backpack (expired ones included) thanks to this address. */
  backpackCount: number;
  canSendLink: boolean;
  canMakePrimary: boolean;
  canRemove: boolean;
  /** Why Remove isn't offered, for own addresses that can't be removed. */
  removeBlockedBecause: string | null;
  /** When the last verification link went out, if it was recently enough to matter. */
  linkSentOn: string | null;
  /**
   * Unverified, and it looks like a misspelling of this verified address of the account: a link
   * sent there reaches nobody, so Customer Care confirms it (`confirmTicket` fills in the form).
   */
  misspeltOf: string | null;
  confirmTicket: TicketDraft | null;
}

export interface MyBadgesView {
  summary: string[];
  accountFindings: FindingView[];
  addresses: AddressView[];
  backpack: BadgeView[];
  notInBackpack: BadgeView[];
  invitations: FindingView[];
  canAddAddress: boolean;
}

const STATUS: Record<AwardState, string> = {
  in_backpack: "In your backpack",
  expired: "Expired",
  waiting_unverified: "Waiting for verification",
  unclaimed: "Sent to another address",
  on_other_account: "On another account",
  revoked: "Revoked",
  removed: "Removed by you",
};

// Things only Customer Care can do; the learner gets a way to ask.
const NEEDS_SUPPORT: ReadonlySet<Finding["code"]> = new Set(["award_to_unknown_email", "award_to_email_on_other_account", "award_revoked", "primary_email_unverified"]);

export function buildMyBadgesView({
  lookup,
  articles,
  now,
  linksSentAt = new Map(),
}: {
  lookup: AccountLookup;
  articles: readonly FaqArticleRef[];
  now: Date;
  /** Email id → when its newest verification link was sent. */
  linksSentAt?: ReadonlyMap<string, Date>;
}): MyBadgesView {
  const snapshot = learnerSnapshot(lookup);
  const findings = diagnose(snapshot, now);
  const states = withStates(lookup.awards.filter(isVisibleToLearner(lookup)), now);
  const awardFindings = new Map<string, Finding>();
  for (const finding of findings) if (finding.subject.kind === "award") awardFindings.set(finding.subject.awardId, finding);

  const addressesByKey = new Map(lookup.addresses.map((a) => [normalizeEmail(a.email), a]));
  const findingView = (finding: Finding, award?: AwardRecord): FindingView => {
    const holder = award ? addressesByKey.get(normalizeEmail(award.recipientEmail)) : undefined;
    const capitalLettersDiffer = Boolean(award && holder && holder.email !== award.recipientEmail.trim());
    const article = articleForFinding(finding, articles, { capitalLettersDiffer });
    return {
      code: finding.code,
      severity: finding.severity,
      title: finding.title,
      explanation: finding.explanation,
      actions: learnerActions(finding, award),
      article: article ? { href: article.path, title: article.title } : null,
    };
  };

  const badges = states.map(({ award, state }): BadgeView => {
    const finding = awardFindings.get(award.id);
    return {
      awardId: award.id,
      badgeName: award.badgeName,
      badgeDescription: award.badgeDescription,
      issuerName: award.issuerName,
      recipientEmail: award.recipientEmail,
      issuedOn: formatDay(award.issuedOn),
      expiresOn: award.expiresAt ? formatDay(award.expiresAt) : null,
      state,
      status: STATUS[state],
      tone: AWARD_STATE_TONES[state],
      finding: finding ? findingView(finding, award) : null,
      canRemoveFromBackpack: state === "in_backpack" || state === "expired",
    };
  });

  const ownCount = lookup.addresses.filter((a) => a.kind === "own").length;
  const verifiedAddresses = lookup.addresses.filter((a) => a.kind === "own" && a.verified).map((a) => a.email);
  const addresses = lookup.addresses.map((address): AddressView => {
    const key = normalizeEmail(address.email);
    const atAddress = states.filter((s) => s.award.via !== "typo" && normalizeEmail(s.award.recipientEmail) === key);
    const own = address.kind === "own";
    const removeBlockedBecause = !own
      ? null
      : address.primary
        ? "This is your primary address. To remove it, first make another verified address primary."
        : ownCount <= 1
          ? "This is the only address on your account, so it can't be removed."
          : null;
    const sentAt = linksSentAt.get(address.id);
    const unverified = address.kind === "claim" || (own && !address.verified);
    const misspeltOf = unverified ? (likelyTypoMatches(address.email, verifiedAddresses).find((t) => normalizeEmail(t) !== key) ?? null) : null;
    return {
      id: address.id,
      email: address.email,
      kind: address.kind,
      verified: own && address.verified,
      primary: own && address.primary,
      mayHaveBadgesWaiting: address.kind === "claim" || (own && !address.verified),
      backpackCount: atAddress.filter((s) => s.state === "in_backpack" || s.state === "expired").length,
      canSendLink: address.kind === "claim" || (own && !address.verified),
      canMakePrimary: own && address.verified && !address.primary,
      canRemove: address.kind === "claim" || (own && removeBlockedBecause === null),
      removeBlockedBecause,
      linkSentOn: sentAt && (address.kind === "claim" || !address.verified) ? formatMoment(sentAt) : null,
      misspeltOf,
      confirmTicket: misspeltOf
        ? {
            category: "email_account",
            subject: "Please confirm an address nobody can receive mail at",
            description: `I added ${address.email} to my account: it is a misspelling of my address ${misspeltOf}, and badges were sent to it. Nobody can receive mail there, so I can't verify it. Please confirm it or move its badges to ${misspeltOf}.`,
            badgeEmail: address.email,
          }
        : null,
    };
  });

  return {
    summary: [...mayBeWaitingLines(lookup), ...summarizeFindings(findings)],
    accountFindings: findings.filter((f) => f.subject.kind === "account" || f.subject.kind === "email").map((f) => findingView(f)),
    addresses,
    backpack: badges.filter((b) => b.state === "in_backpack" || b.state === "expired"),
    notInBackpack: badges.filter((b) => b.state !== "in_backpack" && b.state !== "expired"),
    invitations: findings.filter((f) => f.subject.kind === "invitation").map((f) => findingView(f)),
    canAddAddress: lookup.addresses.filter((a) => a.kind !== "claim_taken").length < MAX_ADDRESSES_PER_ACCOUNT,
  };
}

/** The finding's fixes the learner can make here, as buttons and links; `award`: the award it is about. */
export function learnerActions(finding: Finding, award?: Pick<AwardRecord, "badgeName" | "issuerName" | "recipientEmail">): LearnerAction[] {
  const actions: LearnerAction[] = [];
  const typoSuggested = finding.actions.some((a) => a.kind === "ask_issuer_to_reaward" && a.email);
  for (const action of finding.actions) {
    if (action.by === "agent") continue;
    if (action.kind === "send_verification_link" && action.emailId) {
      actions.push({ kind: "send_verification_link", label: action.label, emailId: action.emailId });
    } else if (action.kind === "restore_award" && action.awardId) {
      actions.push({ kind: "restore_award", label: "Restore to my backpack", awardId: action.awardId });
    } else if (action.kind === "add_email" && action.email && !typoSuggested) {
      // A misspelt address reaches nobody: adding it would only send a link into the void.
      actions.push({ kind: "add_email", label: action.label, email: action.email });
    }
  }
  const asksForTicket = finding.actions.some((a) => a.kind === "open_ticket" && a.by !== "agent");
  if (NEEDS_SUPPORT.has(finding.code) || asksForTicket) {
    actions.push({ kind: "contact_support", label: supportLabel(finding), ticket: ticketDraftFor(finding, award) });
  }
  return actions;
}

/** The ticket a finding's "Contact Customer Care" opens: category, the address, the badge and its issuer, filled in. */
export function ticketDraftFor(finding: Finding, award?: Pick<AwardRecord, "badgeName" | "issuerName" | "recipientEmail">): TicketDraft {
  const address = award?.recipientEmail.trim() ?? finding.actions.find((a) => a.email)?.email ?? "";
  const badge = award ? `${award.badgeName} (${award.issuerName})` : undefined;
  const which = award ? `my badge “${award.badgeName}” from ${award.issuerName}` : "";
  const base: Pick<TicketDraft, "badgeEmail" | "issuerOrBadge"> = {
    ...(address ? { badgeEmail: address } : {}),
    ...(badge ? { issuerOrBadge: badge.slice(0, 200) } : {}),
  };
  switch (finding.code) {
    case "award_to_unknown_email":
    case "award_to_unverified_email":
      return finding.misspeltOf
        ? {
            ...base,
            category: "missing_badge",
            subject: "My badge was sent to a misspelling of my address",
            description: `The issuer sent ${which} to ${address}, a misspelling of my address ${finding.misspeltOf}. Nobody can receive mail there. Please move the badge to ${finding.misspeltOf}.`,
          }
        : {
            ...base,
            category: "missing_badge",
            subject: "My badge was sent to an address that isn't on my account",
            description: `The issuer sent ${which} to ${address}, which isn't on my account. Please help me get it into my backpack.`,
          };
    case "award_to_email_on_other_account":
      return {
        ...base,
        category: "email_account",
        subject: "Please merge my two accounts",
        description: `${which ? `${which[0].toUpperCase()}${which.slice(1)}` : "A badge"} was sent to ${address}, which is verified on another account of mine. Please merge that account into this one.`,
      };
    case "award_revoked":
      return {
        ...base,
        category: "revoked_badge",
        subject: `My badge “${award?.badgeName ?? "badge"}” was revoked`,
        description: `${which ? `${which[0].toUpperCase()}${which.slice(1)}` : "My badge"}, awarded to ${address}, shows as revoked. I think this is a mistake because: `,
      };
    case "primary_email_unverified":
      return {
        ...base,
        category: "email_account",
        subject: "My main email address shows as not verified",
        description: `My badges says my main email address ${address} is marked as not verified. Please fix my account.`,
      };
    default:
      return { ...base, category: "other", subject: finding.title.slice(0, 150), description: finding.explanation };
  }
}

function supportLabel(finding: Finding): string {
  if (finding.misspeltOf && finding.code === "award_to_unverified_email") return "Ask Customer Care to confirm this address";
  switch (finding.code) {
    case "award_to_unknown_email":
      return "Ask Customer Care to contact the issuer";
    case "award_to_email_on_other_account":
      return "Ask Customer Care to merge your accounts";
    case "award_revoked":
      return "Think this is a mistake? Contact Customer Care";
    default:
      return "Contact Customer Care";
  }
}

/**
 * What removing an address would change, for the confirm step: badges that leave the backpack,
 * badges that stop waiting for it, and removed badges that could no longer be restored. For an
 * address still moving here, removing it means no longer moving it. Null if it is neither.
 */
export function removalPreview(lookup: AccountLookup, emailId: string, now: Date) {
  const address = lookup.addresses.find((a) => a.id === emailId && (a.kind === "own" || a.kind === "claim"));
  if (!address) return null;
  const key = normalizeEmail(address.email);
  const via = address.kind === "own" ? "own" : "claim";
  // Only what the learner may see: an unverified address's badges stay unnamed (learnerSnapshot).
  const visible = isVisibleToLearner(lookup);
  const atAddress = withStates(
    lookup.awards.filter((a) => visible(a) && a.via === via && normalizeEmail(a.recipientEmail) === key),
    now,
  );
  const describe = ({ award }: { award: AwardRecord }) => ({ awardId: award.id, badgeName: award.badgeName, issuerName: award.issuerName });
  const ownCount = lookup.addresses.filter((a) => a.kind === "own").length;
  return {
    emailId: address.id,
    email: address.email,
    kind: address.kind === "own" ? ("own" as const) : ("moving" as const),
    verified: address.kind === "own" && address.verified,
    mayHaveBadgesWaiting: address.kind === "claim" || !address.verified,
    blockedBecause:
      address.kind !== "own"
        ? null
        : address.primary
          ? "This is your primary address. To remove it, first make another verified address primary."
          : ownCount <= 1
            ? "This is the only address on your account, so it can't be removed."
            : null,
    leaving: atAddress.filter((s) => s.state === "in_backpack" || s.state === "expired").map(describe),
    stopWaiting: atAddress.filter((s) => s.state === "waiting_unverified").map(describe),
    removedByYou: atAddress.filter((s) => s.state === "removed").map(describe),
  };
}
export type RemovalPreview = NonNullable<ReturnType<typeof removalPreview>>;

