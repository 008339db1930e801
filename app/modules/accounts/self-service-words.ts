// The words a learner reads after each self-service action: a notice on success, an answer beside
// the button or field otherwise. Pure, so every wording is tested once and reused by the routes.
import { formatDay } from "~/lib/dates";
import type { AddEmailResult, BackpackResult, MakePrimaryResult, MisspeltSearchResult, RemoveAddressResult, SendLinkResult } from "./self-service.server";

export type Outcome =
  | { ok: true; notice: string }
  | { ok: false; message: string; status: number; /** Show the link to the merge article. */ mergeHelp?: boolean; /** With a 429: when to try again. */ retryAfterSeconds?: number };

export const MERGE_ARTICLE = "/faq/account-and-email/merge-two-accounts";

/** "45 seconds", "1 minute", "4 minutes": how long until the learner may try again. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(Number.isFinite(seconds) ? seconds : 1));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const minutes = Math.ceil(s / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

const LINK_HINT = "Open it from that mailbox within 24 hours; check the spam folder if it doesn't arrive.";

export function addEmailOutcome(result: AddEmailResult): Outcome {
  if (result.ok) {
    if (result.linkSent) return { ok: true, notice: `We sent a verification link to ${result.email}. ${LINK_HINT} Badges awarded to it then appear in your backpack.` };
    return {
      ok: true,
      notice: `${result.email} was added and waits for verification. A link went to it less than 5 minutes ago; you can ask for a new one in ${waitText(result.retryAfterSeconds)}.`,
    };
  }
  switch (result.reason) {
    case "already_yours":
      return result.verified
        ? { ok: false, status: 400, message: `${result.email} is already on your account and verified.` }
        : { ok: false, status: 400, message: `${result.email} is already on your account, waiting for verification. Use “Send a verification link” beside it.` };
    case "already_moving":
      return { ok: false, status: 400, message: `${result.email} is already being added, waiting for verification. Use “Send a verification link” beside it.` };
    case "verified_elsewhere":
      return {
        ok: false,
        status: 409,
        mergeHelp: true,
        message: `${result.email} is already verified on another account, so it can't be added here. If that account is yours too, you can merge the two accounts.`,
      };
    case "too_many_addresses":
      return { ok: false, status: 400, message: `An account can have at most ${result.limit} addresses. Remove one you no longer use, then add this one.` };
    case "rate_limited":
      return { ok: false, status: 429, retryAfterSeconds: result.retryAfterSeconds, message: `You have added many addresses in the last hour. Please try again in ${waitText(result.retryAfterSeconds)}.` };
  }
}

export function sendLinkOutcome(result: SendLinkResult): Outcome {
  if (result.ok) return { ok: true, notice: `We sent a verification link to ${result.email}. ${LINK_HINT}` };
  switch (result.reason) {
    case "too_soon":
      return {
        ok: false,
        status: 429,
        retryAfterSeconds: result.retryAfterSeconds,
        message: `A verification link went to this address less than 5 minutes ago. Check that mailbox (and its spam folder); you can ask for a new link in ${waitText(result.retryAfterSeconds)}.`,
      };
    case "already_verified":
      return { ok: false, status: 400, message: "This address is already verified: nothing more to do." };
    case "verified_elsewhere":
      return { ok: false, status: 409, mergeHelp: true, message: "This address was verified on another account in the meantime, so it can't move here. If that account is yours too, you can merge the two accounts." };
    case "not_found":
      return { ok: false, status: 404, message: "That address is no longer on your account. Reload the page to see your addresses." };
  }
}

export function makePrimaryOutcome(result: MakePrimaryResult): Outcome {
  if (result.ok) return { ok: true, notice: `${result.email} is now your primary address.` };
  switch (result.reason) {
    case "not_verified":
      return { ok: false, status: 400, message: "Only a verified address can be primary. Verify it first with the link we send you." };
    case "already_primary":
      return { ok: false, status: 400, message: "This address is already your primary address." };
    case "not_found":
      return { ok: false, status: 404, message: "That address is no longer on your account. Reload the page to see your addresses." };
  }
}

export function removeAddressOutcome(result: RemoveAddressResult): Outcome {
  if (result.ok) {
    if (result.stoppedMoving) return { ok: true, notice: `${result.email} won't be added to your account; links already sent for it no longer work.` };
    const left = result.leftBackpack.length;
    return {
      ok: true,
      notice:
        `${result.email} was removed from your account.` +
        (left > 0 ? ` ${left} ${left === 1 ? "badge" : "badges"} left your backpack; add and verify the address again to bring them back.` : ""),
    };
  }
  switch (result.reason) {
    case "primary":
      return { ok: false, status: 400, message: "Your primary address can't be removed. Make another verified address primary first." };
    case "only_address":
      return { ok: false, status: 400, message: "The only address on your account can't be removed." };
    case "not_found":
      return { ok: false, status: 404, message: "That address is no longer on your account." };
  }
}

export function cancelMoveOutcome(result: { ok: true; email: string } | { ok: false; reason: "not_found" }): Outcome {
  return result.ok
    ? { ok: true, notice: `${result.email} was taken off your list.` }
    : { ok: false, status: 404, message: "That address is no longer on your list." };
}

export function backpackOutcome(result: BackpackResult, action: "restore" | "remove"): Outcome {
  if (result.ok) {
    return action === "restore"
      ? { ok: true, notice: `“${result.badgeName}” is back in your backpack.` }
      : { ok: true, notice: `“${result.badgeName}” was removed from your backpack. You can restore it at any time under “Not in your backpack”.` };
  }
  switch (result.reason) {
    case "not_removed":
      return { ok: false, status: 400, message: "This badge is already in your backpack." };
    case "not_in_backpack":
      return { ok: false, status: 400, message: "This badge is already out of your backpack." };
    case "not_found":
      return { ok: false, status: 404, message: "This badge isn't awarded to a verified address on your account." };
  }
}

export interface MisspeltSearchView {
  /** Beside the field: the address can't be looked into as typed. */
  error: string | null;
  /** The answer under the form. */
  message: string | null;
  badges: { id: string; badgeName: string; issuerName: string; issuedOn: string }[];
  /** Only Customer Care can move the badges: what the learner's ticket to them would say. */
  ticketDraft: { subject: string; description: string; badgeEmail: string; issuerOrBadge: string } | null;
}

/** What "A badge sent to a misspelt address?" shows for a search. */
export function misspeltSearchView(result: MisspeltSearchResult): MisspeltSearchView {
  const none = { error: null, message: null, badges: [], ticketDraft: null };
  if (!result.ok) {
    if (result.reason === "invalid") return { ...none, error: result.message };
    return { ...none, error: `You have looked up many addresses in the last hour. Please try again in ${waitText(result.retryAfterSeconds)}.` };
  }
  if (result.verdict === "own_address") {
    return { ...none, message: `${result.address} is one of your addresses: its badges are listed on this page.` };
  }
  if (result.verdict === "not_shown") {
    return {
      ...none,
      message:
        "We can't show badges for that address here. We show them only for an address that looks like a misspelling of one of your verified addresses and belongs to no account. If the address is yours, add it under Email addresses and verify it: its badges then join your backpack.",
    };
  }
  if (result.awards.length === 0) {
    return { ...none, message: `No badges were sent to ${result.address}.` };
  }
  const count = result.awards.length === 1 ? "1 badge was" : `${result.awards.length} badges were`;
  return {
    error: null,
    message: `${count} sent to ${result.address}, which looks like a misspelling of your address ${result.meant}. Nobody can receive mail there, so only Customer Care can move them to ${result.meant}. Send us a ticket with both addresses and we will.`,
    badges: result.awards.map((a) => ({ id: a.id, badgeName: a.badgeName, issuerName: a.issuerName, issuedOn: formatDay(a.issuedOn) })),
    ticketDraft: {
      subject: "Badges sent to a misspelling of my address",
      badgeEmail: result.address,
      issuerOrBadge: [...new Set(result.awards.map((a) => a.issuerName))].join(", ").slice(0, 200),
      description: `An issuer sent ${result.awards.length === 1 ? "a badge" : "badges"} to ${result.address}, a misspelling of my address ${result.meant}: ${result.awards.map((a) => `${a.badgeName} (${a.issuerName}, ${formatDay(a.issuedOn)})`).join("; ")}. Please move ${result.awards.length === 1 ? "it" : "them"} to ${result.meant}.`,
    },
  };
}
