// One pipeline for every received email (POST /inbound/email, IMAP, the development mailbox):
// 1. store the raw message (deduplicated on its Message-ID), so nothing is lost if a later step
//    fails; 2. in ONE transaction: classify it, find its ticket, write it there (or open a
//    ticket, or record a bounce) and mark it processed. A message left `stored` or `failed` is
//    processed again when it comes again (a retried POST, the next IMAP poll).
import { createHash } from "node:crypto";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { eq, sql } from "drizzle-orm";
import { db, rows, type Transaction } from "#db/client.server";
import { inboundEmails, type InboundEmail } from "#db/schema";
import type { InboundEmailKind, InboundEmailOutcome } from "#db/schema/lists";
import { config } from "~/lib/config.server";
import { describeErrorForLog } from "~/lib/log-redaction";
import { attachFiles, type IncomingFile } from "~/modules/attachments";
import { getSearchIndex, type SearchIndex } from "~/modules/kb";
import { notifyMailQueued, recordBounce, referenceFromReplyAddress, referenceInSubject, messageIdsIn } from "~/modules/mail";
import { automaticAnswersPerSender, hitRateLimit } from "~/modules/rate-limit";
import {
  addBounceNote,
  addEmailMessage,
  isRequesterAddress,
  lockTicketById,
  lockTicketByReference,
  openTicketFromEmail,
  ticketIdForMessageIds,
} from "~/modules/tickets";
import type { Ticket } from "#db/schema";
import { classifyMail, isPermanentFailure, parseDeliveryReport, type Classification } from "./classify";
import { replyText } from "./reply-text";

export type InboundVia = InboundEmail["via"];

export type ReceiveResult =
  | { ok: true; inboundEmailId: string; duplicate: boolean; status: InboundEmail["status"]; outcome: InboundEmailOutcome | null; ticketId: string | null }
  | { ok: false; reason: "empty" | "too_large" };

/** Receives one raw RFC 5322 message. `ok` means it is stored; processing problems stay on the row (status `failed`) for a retry. */
export async function receiveEmail({ raw, via }: { raw: Buffer; via: InboundVia }): Promise<ReceiveResult> {
  if (raw.length === 0) return { ok: false, reason: "empty" };
  if (raw.length > config.inboundEmailMaxBytes) return { ok: false, reason: "too_large" };
  let parsed: ParsedMail | null = null;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  } catch {
    parsed = null; // broken MIME: stored as it came, marked failed, for a person to look at
  }
  const messageId = messageIdsIn(parsed?.messageId ?? "")[0] ?? `<${createHash("sha256").update(raw).digest("hex")}@no-message-id.invalid>`;
  const stored = await storeRaw({ raw, via, messageId, parsed });
  if (stored.status === "processed") return { ok: true, inboundEmailId: stored.id, duplicate: !stored.fresh, status: "processed", outcome: stored.outcome, ticketId: stored.ticketId };
  if (!parsed) {
    await markFailed(stored.id, "The message could not be read as MIME.");
    return { ok: true, inboundEmailId: stored.id, duplicate: !stored.fresh, status: "failed", outcome: null, ticketId: null };
  }
  try {
    const processed = await processStored(stored.id, parsed, raw);
    return { ok: true, inboundEmailId: stored.id, duplicate: !stored.fresh, status: "processed", outcome: processed.outcome, ticketId: processed.ticketId };
  } catch (error) {
    console.error("inbound email %s: %s", stored.id, describeErrorForLog(error));
    await markFailed(stored.id, String((error as Error)?.message ?? error).slice(0, 500));
    return { ok: true, inboundEmailId: stored.id, duplicate: !stored.fresh, status: "failed", outcome: null, ticketId: null };
  }
}

/**
 * Stores the raw message once, or finds it stored: one statement either way. Its commit doesn't
 * wait for the disk (a lost row is harmless here): nothing is acknowledged until a later commit
 * that does wait (the processing transaction, or marking it failed), and PostgreSQL writes its log
 * in order, so that flush carries this row with it. It was one of two disk waits per message.
 */
async function storeRaw({ raw, via, messageId, parsed }: { raw: Buffer; via: InboundVia; messageId: string; parsed: ParsedMail | null }) {
  // The same message arriving twice at once: this insert waits for the other one's commit and then
  // does nothing, but the statement's snapshot was taken before that commit, so its select can't
  // see the row either. A second run of the statement has a new snapshot and finds it.
  for (let attempt = 1; ; attempt++) {
    const stored = await insertOrFindRaw({ raw, via, messageId, parsed });
    if (stored || attempt === 3) {
      if (!stored) throw new Error(`inbound email ${messageId}: neither stored nor found`);
      return stored;
    }
  }
}

async function insertOrFindRaw({ raw, via, messageId, parsed }: { raw: Buffer; via: InboundVia; messageId: string; parsed: ParsedMail | null }) {
  const from = parsed?.from?.value[0]?.address?.slice(0, 320) ?? null;
  const subject = parsed?.subject?.slice(0, 500) ?? null;
  const [row] = rows<{ id: string; fresh: boolean; status: InboundEmail["status"]; outcome: InboundEmailOutcome | null; ticket_id: string | null }>(
    await db.execute(sql`
      with no_flush_wait as (select set_config('synchronous_commit', 'off', true)),
      inserted as (
        insert into ${inboundEmails} (message_id, raw, size_bytes, via, from_address, subject)
        select ${messageId}, ${raw}, ${raw.length}, ${via}, ${from}, ${subject} from no_flush_wait
        on conflict (message_id) do nothing
        returning id)
      select id, true as fresh, 'stored' as status, null as outcome, null::uuid as ticket_id from inserted
      union all
      select id, false, status, outcome, ticket_id from ${inboundEmails} where message_id = ${messageId} and not exists (select 1 from inserted)`),
  );
  return row ? { id: row.id, fresh: row.fresh, status: row.status, outcome: row.outcome, ticketId: row.ticket_id } : null;
}

async function markFailed(id: string, error: string) {
  await db.update(inboundEmails).set({ status: "failed", error }).where(eq(inboundEmails.id, id));
}

/** Processes a stored message again (a person fixed what failed, or a test). */
export async function reprocessInboundEmail(id: string): Promise<ReceiveResult> {
  const [row] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, id)).limit(1);
  if (!row) return { ok: false, reason: "empty" };
  return receiveEmail({ raw: row.raw, via: row.via });
}

interface Outcome {
  kind: InboundEmailKind;
  outcome: InboundEmailOutcome;
  ticketId: string | null;
  ticketMessageId: string | null;
}

async function processStored(id: string, parsed: ParsedMail, raw: Buffer): Promise<Outcome> {
  const sender = parsed.from?.value[0];
  const fromAddress = sender?.address?.toLowerCase() ?? null;
  const fromName = sender?.name || "";
  const fullText = textOf(parsed);
  // Before the transaction: the search index may load from the database (PGlite has one connection).
  // Only a new ticket gets suggestions, so only then is it searched.
  const searchIndex = await getSearchIndex().catch(() => null);
  const suggestions = () => articleSuggestions(searchIndex, `${parsed.subject ?? ""} ${fullText.slice(0, 500)}`);
  let queuedMail = false;
  const outcome = await db.transaction(async (tx) => {
    const row = await lockInboundEmail(tx, id);
    // Another delivery of the same message got here first.
    if (row.status === "processed") return { kind: row.kind ?? "normal", outcome: row.outcome ?? "ignored", ticketId: row.ticketId, ticketMessageId: row.ticketMessageId } satisfies Outcome;
    const classification = classifyMail({
      header: headerReader(parsed),
      fromAddress,
      contentType: rawHeader(parsed, "content-type") ?? "text/plain",
      messageIdIsOurs: row.messageIdIsOurs,
    });
    const result = await routeMessage(tx, { id, parsed, raw, classification, fromAddress, fromName, fullText, suggestions });
    queuedMail = result.queuedMail;
    await tx
      .update(inboundEmails)
      .set({ status: "processed", kind: result.kind, outcome: result.outcome, ticketId: result.ticketId, ticketMessageId: result.ticketMessageId, error: null, processedAt: new Date() })
      .where(eq(inboundEmails.id, id));
    return result;
  });
  if (queuedMail) notifyMailQueued();
  return outcome;
}

async function routeMessage(
  tx: Transaction,
  input: {
    id: string;
    parsed: ParsedMail;
    raw: Buffer;
    classification: Classification;
    fromAddress: string | null;
    fromName: string;
    fullText: string;
    suggestions: () => { title: string; url: string }[];
  },
): Promise<Outcome & { queuedMail: boolean }> {
  const { id, parsed, classification, fromAddress, fromName, fullText } = input;
  const kind = classification.kind;
  if (kind === "bounce") return { ...(await handleBounce(tx, id, input.raw)), queuedMail: false };
  if (!fromAddress) return { kind, outcome: "ignored", ticketId: null, ticketMessageId: null, queuedMail: false };

  const ticket = await findTicket(tx, parsed, fromAddress);
  if (ticket) {
    const fromRequester = await isRequesterAddress(tx, ticket, fromAddress);
    // Automatic mail is kept on record and changes nothing; only the requester's own mail is their reply.
    const messageKind = kind === "automatic" ? "automatic" : fromRequester ? "reply" : "held";
    const written = await addEmailMessage(tx, {
      ticket,
      kind: messageKind,
      fromAddress,
      fromName,
      body: kind === "automatic" ? fullText : replyText(fullText),
      inboundEmailId: id,
      reason: kind === "automatic" ? classification.reason : undefined,
    });
    if (messageKind !== "automatic") await storeAttachments(tx, { ticketId: ticket.id, messageId: written.messageId, parsed, inboundEmailId: id });
    return { kind, outcome: messageKind === "held" ? "held" : messageKind === "reply" ? "reply" : "ignored", ticketId: ticket.id, ticketMessageId: written.messageId, queuedMail: false };
  }
  // Nobody answers a robot, and a robot opens no ticket: that is how mail loops start.
  if (kind === "automatic") return { kind, outcome: "ignored", ticketId: null, ticketMessageId: null, queuedMail: false };
  const answer = (await hitRateLimit(automaticAnswersPerSender(fromAddress), tx)).allowed;
  const opened = await openTicketFromEmail(tx, {
    fromAddress,
    fromName,
    subject: parsed.subject ?? "",
    body: fullText.split(/\n.*please type your reply above this line/i)[0],
    inboundEmailId: id,
    suggestions: input.suggestions(),
    answer,
  });
  await storeAttachments(tx, { ticketId: opened.ticketId, messageId: opened.messageId, parsed, inboundEmailId: id });
  return { kind, outcome: "new_ticket", ticketId: opened.ticketId, ticketMessageId: opened.messageId, queuedMail: answer };
}

/**
 * The ticket a message answers, in this order: our signed Reply-To in any recipient; then
 * In-Reply-To / References against the Message-IDs we sent or received; then the [BD-…]
 * reference in the subject, but only from the requester's own addresses (a stranger who types a
 * reference opens a ticket of their own instead).
 */
async function findTicket(tx: Transaction, parsed: ParsedMail, fromAddress: string): Promise<Ticket | null> {
  for (const address of recipientsOf(parsed)) {
    const reference = referenceFromReplyAddress({ address, mailFrom: config.mailFrom, secret: config.replyAddressSecret });
    if (reference) {
      const ticket = await lockTicketByReference(tx, reference);
      if (ticket) return ticket;
    }
  }
  const threadIds = [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references)];
  const byThread = await ticketIdForMessageIds(tx, threadIds);
  if (byThread) {
    const ticket = await lockTicketById(tx, byThread);
    if (ticket) return ticket;
  }
  const reference = referenceInSubject(parsed.subject ?? "");
  if (reference) {
    const ticket = await lockTicketByReference(tx, reference);
    if (ticket && (await isRequesterAddress(tx, ticket, fromAddress))) return ticket;
  }
  return null;
}

async function handleBounce(tx: Transaction, id: string, raw: Buffer): Promise<Outcome> {
  const report = parseDeliveryReport(raw.toString("utf8"));
  const recipient = report.recipients[0];
  if (!recipient) return { kind: "bounce", outcome: "ignored", ticketId: null, ticketMessageId: null };
  const permanent = isPermanentFailure(recipient.status);
  const row = await recordBounce(tx, { originalMessageIds: report.originalMessageIds, address: recipient.address, status: recipient.status, diagnostic: recipient.diagnostic, permanent, inboundEmailId: id });
  if (!row) return { kind: "bounce", outcome: "ignored", ticketId: null, ticketMessageId: null };
  let ticketMessageId: string | null = null;
  if (row.ticketId) {
    const why = recipient.diagnostic ? ` (${recipient.status}: ${recipient.diagnostic})` : ` (${recipient.status})`;
    const text = permanent
      ? `Mail to ${recipient.address} could not be delivered${why}. The address is marked undeliverable: no more mail goes to it until it is corrected.`
      : `Mail to ${recipient.address} is delayed${why}; the receiving server will keep trying.`;
    ticketMessageId = await addBounceNote(tx, { ticketId: row.ticketId, text, inboundEmailId: id });
  }
  return { kind: "bounce", outcome: "bounce", ticketId: row.ticketId, ticketMessageId };
}

async function storeAttachments(tx: Transaction, { ticketId, messageId, parsed, inboundEmailId }: { ticketId: string; messageId: string; parsed: ParsedMail; inboundEmailId: string }) {
  const files: IncomingFile[] = parsed.attachments
    .filter((a) => !a.related || a.contentId || a.contentDisposition === "inline" || a.contentType.startsWith("image/"))
    .filter((a) => !["message/delivery-status", "text/rfc822-headers"].includes(a.contentType))
    .map((a) => ({
      filename: a.filename || (a.contentType.startsWith("image/") ? "image" : "attachment"),
      bytes: a.content,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
      inline: Boolean(a.contentId) && (a.contentDisposition === "inline" || a.related),
    }));
  if (files.length === 0) return;
  const { refused } = await attachFiles(tx, { ticketId, messageId, files });
  if (refused.length) {
    await addBounceNote(tx, {
      ticketId,
      text: `Attachments not kept from this email (the original, with them, is one click away): ${refused.join(" ")}`,
      inboundEmailId,
    });
  }
}

/** The message's text: its plain part, or its HTML made into safe text; inline images as [image: name] where they were. */
function textOf(parsed: ParsedMail): string {
  let text = parsed.text ?? "";
  for (const attachment of parsed.attachments) {
    if (!attachment.contentId) continue;
    const cid = attachment.contentId.replace(/^<|>$/g, "");
    text = text.split(`[cid:${cid}]`).join(`[image: ${attachment.filename || "image"}]`);
  }
  return text.replace(/\[cid:[^\]]*\]/g, "[image]");
}

function recipientsOf(parsed: ParsedMail): string[] {
  const lists = [parsed.to, parsed.cc, parsed.bcc].flatMap((value) => (value ? (Array.isArray(value) ? value : [value]) : [])) as AddressObject[];
  const addresses = lists.flatMap((list) => list.value.map((v) => v.address ?? ""));
  for (const name of ["delivered-to", "x-original-to", "envelope-to"]) {
    for (const line of parsed.headerLines.filter((l) => l.key === name)) addresses.push(line.line.slice(line.line.indexOf(":") + 1).trim());
  }
  return addresses.filter(Boolean);
}

function rawHeader(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((l) => l.key === name);
  return line ? line.line.slice(line.line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim() : undefined;
}

function headerReader(parsed: ParsedMail) {
  return (name: string) => rawHeader(parsed, name);
}

/** The stored message, locked for this transaction, and whether its Message-ID is one we sent (a loop): one statement. */
async function lockInboundEmail(tx: Transaction, id: string) {
  const [row] = rows<{ status: InboundEmail["status"]; kind: InboundEmailKind | null; outcome: InboundEmailOutcome | null; ticket_id: string | null; ticket_message_id: string | null; ours: boolean }>(
    await tx.execute(sql`
      select status, kind, outcome, ticket_id, ticket_message_id, exists (select 1 from mail_outbox o where o.message_id = e.message_id) as ours
      from ${inboundEmails} e where id = ${id} for update of e`),
  );
  return { status: row.status, kind: row.kind, outcome: row.outcome, ticketId: row.ticket_id, ticketMessageId: row.ticket_message_id, messageIdIsOurs: row.ours };
}

function articleSuggestions(index: SearchIndex | null, query: string): { title: string; url: string }[] {
  if (!index) return []; // suggestions are a courtesy: the ticket opens without them
  try {
    return index.search(query, { limit: 3, offset: 0 }).results.map((r) => ({ title: r.title, url: `${config.appUrl}${r.url}` }));
  } catch {
    return [];
  }
}
