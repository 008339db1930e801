// Submitting a ticket: validation, the per-address and per-client limits, and the one-statement
// insert of the ticket with its first message, event, private link, confirmation mail and audit row.
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { db, rows, type Executor } from "#db/client.server";
import { attachFiles, attachmentLimits, filesProblem, type IncomingFile } from "~/modules/attachments";
import { tickets } from "#db/schema";
import { config } from "~/lib/config.server";
import type { FieldErrors } from "~/lib/forms";
import { sha256 } from "~/modules/auth";
import { auditRowFrom } from "~/modules/audit";
import { notifyMailQueued, outboxRowFrom } from "~/modules/mail";
import { countTicketSubmission } from "~/modules/rate-limit";
import { newGuestToken } from "./guest-links.server";
import { ticketReceivedMessage } from "./mail-templates";
import { requesterEmail, requesterName, ticketContentShape } from "./schemas";
import { TICKET_SOURCES, type TicketCategory, type TicketSource } from "./ticket-rules";

export interface OpenTicketInput {
  requester: { accountId: string | null; name: string; email: string };
  category: TicketCategory;
  subject: string;
  description: string;
  issuerOrBadge?: string | null;
  /** The address the badge was sent to, if the learner knows it. */
  badgeEmail?: string | null;
  /** The FAQ article the learner came from (article feedback "contact me"). */
  articleSlug?: string | null;
  source: TicketSource;
  /** Same key, same ticket: a double submit, refresh or back-and-resubmit creates one ticket. */
  idempotencyKey?: string;
  /** Who is asking (IP address), for the per-client rate limit; omit for trusted callers. */
  clientKey?: string | null;
  /** Files on the first message (the web form's screenshots). Any refused file refuses the ticket, with `errors.files`. */
  files?: IncomingFile[];
}

export type OpenTicketResult =
  | { ok: true; ticketId: string; reference: string; created: boolean; requesterEmail: string }
  | { ok: false; errors: FieldErrors; retryAfterSeconds?: number };

const OpenTicketSchema = z.object({
  ...ticketContentShape,
  name: requesterName,
  email: requesterEmail,
  articleSlug: z.string().max(200).nullish(),
  source: z.enum(TICKET_SOURCES),
  idempotencyKey: z.string().min(8).max(200).optional(),
});

// A back-and-resubmit may come with a fresh form key; the same words from the same address
// within this window are the same ticket.
const DUPLICATE_WINDOW_MINUTES = 10;

/**
 * Opens a ticket for a guest (accountId null) or a signed-in learner. Guests get a private link
 * by email; signed-in learners a link to the ticket page. Errors are keyed by form field
 * (name, email, category, subject, description, issuerOrBadge, badgeEmail) or `form`.
 */
export async function openTicket(input: OpenTicketInput): Promise<OpenTicketResult> {
  const parsed = OpenTicketSchema.safeParse({
    ...input,
    name: input.requester?.name,
    email: input.requester?.email,
    issuerOrBadge: input.issuerOrBadge ?? undefined,
    badgeEmail: input.badgeEmail ?? undefined,
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const fields = parsed.data;
  const files = input.files ?? [];
  const refusedFiles = filesProblem(files, attachmentLimits());
  if (refusedFiles) return { ok: false, errors: { files: refusedFiles } };
  const accountId = input.requester.accountId ?? null;
  const fingerprint = sha256([fields.email.toLowerCase(), fields.subject, fields.description].join("\n"));

  // The common case is two statements: count the submission, write the ticket. Only a refusal or
  // a resubmission (nothing written) looks for the earlier ticket to answer with.
  const { byAddress, byClient } = await countTicketSubmission({ email: fields.email, clientKey: input.clientKey ?? null });
  if (!byAddress.allowed || !byClient.allowed) {
    const earlier = await findEarlierSubmission(db, { idempotencyKey: fields.idempotencyKey, fingerprint });
    const answer = earlier && answerForEarlier(earlier, fields.email, accountId);
    if (answer) return answer; // a refresh of a ticket already sent is answered, not refused
    const retryAfterSeconds = Math.max(byAddress.retryAfterSeconds, byClient.retryAfterSeconds);
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    return {
      ok: false,
      retryAfterSeconds,
      errors: {
        form: `We have received many tickets ${byAddress.allowed ? "from your network" : "from this address"} in the last hour. Please wait about ${minutes} minute${minutes === 1 ? "" : "s"} and send it again; nothing you typed is lost.`,
      },
    };
  }

  // A new reference collides about once in a trillion; then the statement is simply tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await insertTicketWithItsRows({ ...fields, accountId, fingerprint }, files);
      if (created) return { ok: true, ticketId: created.id, reference: created.reference, created: true, requesterEmail: fields.email };
      // Nothing written: this form (a double click, a refresh) or these words from this requester
      // (back and resubmit) already made a ticket.
      const earlier = await findEarlierSubmission(db, { idempotencyKey: fields.idempotencyKey, fingerprint });
      const answer = earlier && answerForEarlier(earlier, fields.email, accountId);
      if (answer) return answer;
      throw new Error("A ticket was neither written nor found for this submission");
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, "tickets_reference_unique")) continue;
      throw error;
    }
  }
}

/**
 * The ticket, its first message, its "new" event, the guest's private-link hash, the confirmation
 * in the mail outbox and the audit row, written by ONE statement: atomic like a transaction, but a
 * single round trip and a single commit, which is what lets submissions sustain hundreds per
 * second (see BENCHMARKS.md). The outbox and audit rows carry exactly what enqueueMail() and
 * audit() would write, and the delivery loop is woken once the statement has committed. Returns null when
 * nothing was written: the form key already has a ticket, or the requester sent the same words
 * moments ago.
 */
async function insertTicketWithItsRows(
  fields: {
  accountId: string | null;
  name: string;
  email: string;
  category: TicketCategory;
  subject: string;
  description: string;
  issuerOrBadge?: string;
  badgeEmail?: string;
  articleSlug?: string | null;
  source: TicketSource;
  idempotencyKey?: string;
  fingerprint: string;
  },
  files: IncomingFile[],
): Promise<{ id: string; reference: string } | null> {
  const id = randomUUID();
  // Named here so that the files can join the first message in the same transaction.
  const firstMessageId = randomUUID();
  const reference = newReference();
  const guest = fields.accountId ? null : newGuestToken();
  const link = guest ? guest.link : `${config.appUrl}/tickets/${id}`;
  const mail = ticketReceivedMessage({
    to: fields.email,
    name: fields.name,
    ticket: { id, reference, subject: fields.subject },
    description: fields.description,
    link,
    isGuestLink: guest !== null,
  });
  const audited = { reference, category: fields.category, source: fields.source, guest: guest !== null };
  const statement = sql`
    with ticket as (
      insert into tickets (id, reference, account_id, requester_name, requester_email, category, subject,
                           issuer_or_badge, badge_email, article_slug, source, idempotency_key, fingerprint)
      select ${id}::uuid, ${reference}::text, ${fields.accountId}::uuid, ${fields.name}::text, ${fields.email}::text, ${fields.category}::text,
             ${fields.subject}::text, ${fields.issuerOrBadge ?? null}::text, ${fields.badgeEmail ?? null}::text, ${fields.articleSlug ?? null}::text,
             ${fields.source}::text, ${fields.idempotencyKey ?? null}::text, ${fields.fingerprint}::text
      -- Back and resubmit with a fresh form: the same words from the same requester just now.
      where not exists (
        select 1 from tickets earlier
        where earlier.fingerprint = ${fields.fingerprint}::text
          and earlier.created_at > now() - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES})
          and earlier.account_id is not distinct from ${fields.accountId}::uuid)
      -- The same form again (double click, refresh): its key is taken.
      on conflict (idempotency_key) do nothing
      returning id, created_at
    ),
    first_message as (
      insert into ticket_messages (id, ticket_id, author_kind, author_account_id, author_name, body, visibility, created_at)
      select ${firstMessageId}::uuid, id, 'requester', ${fields.accountId}::uuid, ${fields.name}::text, ${fields.description}::text, 'public', created_at from ticket
    ),
    created_event as (
      insert into ticket_events (ticket_id, at, actor_kind, actor_account_id, from_status, to_status)
      select id, created_at, 'requester', ${fields.accountId}::uuid, null, 'new' from ticket
    ),
    private_link as (
      insert into ticket_guest_links (ticket_id, token_hash)
      select id, ${guest?.tokenHash ?? null}::text from ticket where ${guest?.tokenHash ?? null}::text is not null
    ),
    confirmation as (${outboxRowFrom("ticket", mail)}),
    audit_row as (${auditRowFrom("ticket", { actorId: fields.accountId, action: "ticket.create", targetType: "ticket", targetId: sql`id::text`, after: audited })})
    select id from ticket`;
  // Without files (nearly every ticket) the statement is the whole write; with files it and the
  // files are one transaction, so a ticket never shows without the screenshot it was sent with.
  const written =
    files.length === 0
      ? rows<{ id: string }>(await db.execute(statement)).length > 0
      : await db.transaction(async (tx) => {
          if (rows<{ id: string }>(await tx.execute(statement)).length === 0) return false;
          await attachFiles(tx, { ticketId: id, messageId: firstMessageId, files });
          return true;
        });
  if (!written) return null;
  notifyMailQueued();
  return { id, reference };
}

interface EarlierSubmission {
  id: string;
  reference: string;
  accountId: string | null;
  requesterEmail: string;
  /** Found by the form key (the same form sent again), not only by the same words. */
  sameKey: boolean;
}

async function findEarlierSubmission(
  tx: Executor,
  { idempotencyKey, fingerprint }: { idempotencyKey: string | undefined; fingerprint: string | null },
): Promise<EarlierSubmission | null> {
  const byKey = idempotencyKey ? sql`${tickets.idempotencyKey} = ${idempotencyKey}` : sql`false`;
  const byWords = fingerprint
    ? sql`(${tickets.fingerprint} = ${fingerprint} and ${tickets.createdAt} > now() - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES}))`
    : sql`false`;
  const [row] = await tx
    .select({
      id: tickets.id,
      reference: tickets.reference,
      accountId: tickets.accountId,
      requesterEmail: tickets.requesterEmail,
      sameKey: sql<boolean>`coalesce(${byKey}, false)`,
    })
    .from(tickets)
    .where(sql`${byKey} or ${byWords}`)
    .orderBy(sql`coalesce(${byKey}, false) desc`) // the same form before the same words
    .limit(1);
  return row ?? null;
}

/** The earlier ticket as this submission's answer, an error for someone else's form key, or null to go ahead. */
function answerForEarlier(earlier: EarlierSubmission, email: string, accountId: string | null): OpenTicketResult | null {
  const sameRequester = earlier.requesterEmail.toLowerCase() === email.toLowerCase() && earlier.accountId === accountId;
  if (sameRequester) return { ok: true, ticketId: earlier.id, reference: earlier.reference, created: false, requesterEmail: earlier.requesterEmail };
  // A form key belongs to the person it was rendered for: someone else's key opens nothing.
  if (earlier.sameKey) return { ok: false, errors: { form: "This form was already used. Please reload the page and send your ticket again." } };
  return null;
}

// Crockford's base32: no I, L, O or U, so a reference read out on the phone is unambiguous.
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Always at least one digit: typed without its "BD-", a reference is then told apart from two
// words of a subject ("sent-back") by the agent queue's search. Eight letters alone came up once
// in twenty references.
export function newReference(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes.subarray(0, 8), (b) => REFERENCE_ALPHABET[b % 32]);
  if (!chars.some((c) => c >= "0" && c <= "9")) chars[bytes[8] % 8] = String(bytes[9] % 10);
  return `BD-${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown; message?: string };
  if (e?.code === "23505") return (e.constraint_name ?? e.constraint ?? e.message ?? "").includes(constraint);
  return e?.cause ? isUniqueViolation(e.cause, constraint) : false;
}
