// Pure rules about tickets: the words learners see and which status follows which action.
// No I/O: pages (browser bundle included) and the server module import this file directly.

import { TICKET_CATEGORIES, type TicketCategory, type TicketStatus } from "#db/schema/lists";

// The lists themselves are the database's (one source for columns, CHECKs, zod and pages).
export {
  MESSAGE_VISIBILITIES,
  TICKET_CATEGORIES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  type MessageVisibility,
  type TicketCategory,
  type TicketSource,
  type TicketStatus,
} from "#db/schema/lists";

export const CATEGORY_LABELS: Record<TicketCategory, string> = {
  missing_badge: "Missing badge",
  email_account: "Email & account",
  revoked_badge: "Revoked badge",
  pathways: "Pathways",
  verification_sharing: "Verification & sharing",
  other: "Other",
};

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Waiting for your reply",
  resolved: "Resolved",
  closed: "Closed",
};

/** What each status means to the learner, shown under the ticket's heading. */
export const STATUS_EXPLANATIONS: Record<TicketStatus, string> = {
  new: "We have your request; someone from Customer Care will pick it up soon.",
  open: "Customer Care is working on it.",
  pending: "Customer Care is waiting for your answer. Reply below and we'll carry on.",
  resolved: "We think this is solved. If it isn't, reply or reopen it.",
  closed: "This ticket is closed. Reopen it if the problem comes back.",
};

export type StatusTone = "ok" | "warn" | "bad" | "neutral";
export const STATUS_TONES: Record<TicketStatus, StatusTone> = {
  new: "neutral",
  open: "neutral",
  pending: "warn",
  resolved: "ok",
  closed: "neutral",
};

export const DESCRIPTION_MAX_LENGTH = 10_000;

// Characters as a person counts them: an emoji, a flag or a letter with its accent is one, where
// JavaScript's length would say 2 or more. The counter beside a field and the server's limit
// both count this way.
const graphemes = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter("en", { granularity: "grapheme" }) : null;

/** How many characters a person sees in `text` (user-perceived characters, "graphemes"). */
export function countCharacters(text: string): number {
  if (!graphemes) return Array.from(text).length;
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}
export const SUBJECT_MAX_LENGTH = 150;
export const REPLY_MAX_LENGTH = 10_000;

export type RequesterStatusAction = "close" | "reopen";

/** A reply from the learner puts the ticket back in Customer Care's hands. */
export function statusAfterRequesterReply(current: TicketStatus): TicketStatus {
  return current === "new" ? "new" : "open";
}

/** The status a learner's close/reopen leads to, or null when it does not apply to the current status. */
export function statusAfterRequesterAction(action: RequesterStatusAction, current: TicketStatus): TicketStatus | null {
  if (action === "close") return current === "closed" ? null : "closed";
  return current === "resolved" || current === "closed" ? "open" : null;
}

export function canRequesterClose(status: TicketStatus): boolean {
  return statusAfterRequesterAction("close", status) !== null;
}

export function canRequesterReopen(status: TicketStatus): boolean {
  return statusAfterRequesterAction("reopen", status) !== null;
}

/** An agent may move a ticket to any other status except back to "new". */
export function canAgentSetStatus(from: TicketStatus, to: TicketStatus): boolean {
  return from !== to && to !== "new";
}

/** An agent's reply takes a new ticket into work unless the agent chose a status. */
export function statusAfterAgentReply(current: TicketStatus, requested?: TicketStatus | null): TicketStatus {
  if (requested && canAgentSetStatus(current, requested)) return requested;
  return current === "new" ? "open" : current;
}

/**
 * Text as a person typed it, safe to store: line breaks normalised (browsers send CRLF, which
 * would make 10,000 typed characters count as more), NUL and other control characters dropped
 * (PostgreSQL refuses NUL), outer whitespace trimmed.
 */
export function cleanMultilineText(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .trim();
}

/** One line (subjects, names): every run of whitespace becomes one space, so no header can be smuggled into an email. */
export function cleanSingleLineText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001F\u007F\s]+/g, " ").trim();
}

/** The words typed so far, as a search query for article suggestions (short enough for a URL). */
export function suggestionQuery(subject: string, description: string, maxLength = 200): string {
  const text = cleanSingleLineText(`${subject} ${description}`);
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut;
}


// Fields another page may fill in when it links to the ticket form (/tickets/new?category=…),
// e.g. My badges' misspelt-address answer. Anything else in the address is ignored; the learner
// still reads and sends the form, and it is validated as if typed.
const PREFILL_LIMITS = { subject: SUBJECT_MAX_LENGTH, description: DESCRIPTION_MAX_LENGTH, issuerOrBadge: 200, badgeEmail: 254 } as const;

export function ticketFormPrefill(params: URLSearchParams): Record<string, string> {
  const prefill: Record<string, string> = {};
  const category = params.get("category");
  if (category && (TICKET_CATEGORIES as readonly string[]).includes(category)) prefill.category = category;
  for (const [field, max] of Object.entries(PREFILL_LIMITS)) {
    const value = params.get(field);
    if (value) prefill[field] = value.slice(0, max);
  }
  return prefill;
}

/** A link to the ticket form with these fields filled in. */
export function ticketFormLink(fields: { category?: TicketCategory } & Partial<Record<keyof typeof PREFILL_LIMITS, string>>): string {
  const params = new URLSearchParams();
  for (const [field, value] of Object.entries(fields)) if (value) params.set(field, value);
  const query = params.toString();
  return query ? `/tickets/new?${query}` : "/tickets/new";
}
