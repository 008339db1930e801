// The audit log page's filters and the actions it knows how to name. Pure, shared by the page,
// its CSV export and their tests.
import { isUuid } from "~/lib/uuid";
import { z } from "zod";

/** Actions written by the app, with the words the audit page shows for them. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "account.lookup": "Looked at an account",
  "account.search": "Searched accounts",
  "email.verification_sent": "Sent a verification link",
  "email.verify_manual": "Marked an address verified by hand",
  "email.verify": "Verified an address (link)",
  "email.add": "Added an address",
  "email.remove": "Removed an address",
  "email.make_primary": "Made an address primary",
  "email.move": "Moved an address here",
  "email.move_out": "Moved an address away",
  "award.notice_resent": "Resent an award notice",
  "award.restore": "Restored a badge",
  "award.issuer_asked": "Asked the issuer",
  "award.reinstated": "Recorded the issuer's authorisation",
  "invitation.resent": "Resent a pathway invitation",
  "email.move_requested": "Started moving an address (learner)",
  "email.move_cancelled": "Stopped moving an address (learner)",
  "award.remove_from_backpack": "Removed a badge from the backpack (learner)",
  "account.signup": "Signed up",
  "account.password_reset_requested": "Asked for a password reset",
  "account.password_reset": "Reset a password",
  "ticket.create": "Opened a ticket",
  "ticket.reply": "Replied on a ticket",
  "ticket.status": "Changed a ticket's status",
  "role.grant": "Granted a role",
  "role.revoke": "Revoked a role",
  "kb.revision_published": "Published an article",
  "kb.article_imported": "Imported an article",
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const optionalDay = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || (DAY.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())), `Enter the ${label} date like 2026-03-05.`);
const optionalUuid = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || isUuid(v), message);

export const AuditFilterInput = z
  .object({
    agent: optionalUuid("Choose an agent from the list."),
    /** An account's id, or any of its addresses (any case): agents know people by their address. */
    account: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || isUuid(v) || /^[^\s@]+@[^\s@]+$/.test(v), "Enter one of the account's email addresses or its id, or leave it empty."),
    /** A ticket's reference (e.g. BD-7K2QX) or id. */
    ticket: z
      .string()
      .trim()
      .max(100, "That is not a ticket reference.")
      .optional()
      .transform((v) => v || undefined),
    action: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || /^[a-z_.]{1,60}$/.test(v), "Choose an action from the list."),
    from: optionalDay("first"),
    to: optionalDay("last"),
    before: z.coerce.number().int().positive().optional().catch(undefined),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The last date can't be before the first.", path: ["to"] });
export type AuditFilters = z.infer<typeof AuditFilterInput>;

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: unknown): string {
  let text = value == null ? "" : typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * An entry's before and after state in words for the page ("verified: no → yes"); the CSV keeps
 * the JSON. Keys both sides share are shown as a change, the others as they are.
 */
export function describeChange(before: unknown, after: unknown): string[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) return [before, after].filter((v) => v != null).map(wordsFor);
  const lines: string[] = [];
  for (const key of new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])) {
    const was = b && key in b ? wordsFor(b[key]) : null;
    const now = a && key in a ? wordsFor(a[key]) : null;
    const label = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
    if (was !== null && now !== null) lines.push(was === now ? `${label}: ${now}` : `${label}: ${was} → ${now}`);
    else lines.push(`${label}: ${was ?? now}${was !== null ? " (before)" : ""}`);
  }
  return lines;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function wordsFor(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (value === true) return "yes";
  if (value === false) return "no";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(wordsFor).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
