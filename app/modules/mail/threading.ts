// How our ticket mail threads: Message-IDs on APP_URL's domain, a per-ticket Reply-To signed
// with HMAC so it can be neither guessed nor forged, and the marker a reply is cut at.
// Pure, except for the HMAC (node:crypto), so tests exercise it directly.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** The first line of every ticket mail; everything from it down is what we sent, not their reply. */
export const REPLY_ABOVE_MARKER = "##- Please type your reply above this line -##";

/** The host of APP_URL: the right-hand side of our Message-IDs. */
export function messageIdDomain(appUrl: string): string {
  try {
    return new URL(appUrl).hostname || "badgedesk.local";
  } catch {
    return "badgedesk.local";
  }
}

export function newMessageId(appUrl: string): string {
  return `<${randomUUID()}@${messageIdDomain(appUrl)}>`;
}

/** The bare address of a From line: `badgedesk Customer Care <care@x.org>` → `care@x.org`. */
export function bareAddress(from: string): string {
  const angle = /<([^<>]+)>/.exec(from);
  return (angle ? angle[1] : from).trim();
}

const SIGNATURE_HEX_LENGTH = 20; // 80 bits: unguessable, short enough for an address

function signatureFor(reference: string, secret: string): string {
  return createHmac("sha256", secret).update(`reply-address:${reference.toLowerCase()}`).digest("hex").slice(0, SIGNATURE_HEX_LENGTH);
}

/** `care+bd-1234-abcd.<signature>@domain`, from the mailbox we send as (MAIL_FROM). */
export function replyAddressFor({ reference, mailFrom, secret }: { reference: string; mailFrom: string; secret: string }): string {
  const [local, domain] = splitAddress(bareAddress(mailFrom));
  return `${local}+${reference.toLowerCase()}.${signatureFor(reference, secret)}@${domain}`;
}

/**
 * The ticket reference a recipient address carries, when its signature is ours; null for any
 * other address, a forged or altered signature, or another mailbox's plus-address.
 */
export function referenceFromReplyAddress({ address, mailFrom, secret }: { address: string; mailFrom: string; secret: string }): string | null {
  const [ourLocal, ourDomain] = splitAddress(bareAddress(mailFrom));
  const [local, domain] = splitAddress(bareAddress(address));
  if (!domain || domain.toLowerCase() !== ourDomain.toLowerCase()) return null;
  const match = /^([^+]+)\+([a-z0-9-]{1,40})\.([0-9a-f]+)$/i.exec(local);
  if (!match || match[1].toLowerCase() !== ourLocal.toLowerCase()) return null;
  const reference = match[2].toUpperCase();
  const given = Buffer.from(match[3].toLowerCase());
  const expected = Buffer.from(signatureFor(reference, secret));
  // Constant time: how far a forged signature matches must not show in the timing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return reference;
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf("@");
  return at < 0 ? [address, ""] : [address.slice(0, at), address.slice(at + 1)];
}

/** The ticket reference in a subject ("Re: [BD-1234-ABCD] New reply: …"), if any. */
export function referenceInSubject(subject: string): string | null {
  const match = /\[(BD-[0-9A-Z]{4}-[0-9A-Z]{4})\]/i.exec(subject);
  return match ? match[1].toUpperCase() : null;
}

/** Message-IDs of an In-Reply-To or References header (or mailparser's parsed list), angle brackets kept. */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(" ") : (value ?? "");
  return Array.from(text.matchAll(/<[^<>\s]+>/g), (m) => m[0]);
}

/** References for a new message in a thread: the thread's first message, then the most recent, at most 10 (RFC 5322 allows trimming the middle). */
export function referencesFor(threadIds: string[]): string[] {
  const unique = [...new Set(threadIds)];
  return unique.length <= 10 ? unique : [unique[0], ...unique.slice(-9)];
}
