import nodemailer from "nodemailer";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "#db/client.server";
import { mailOutbox, type OutboxMessage } from "#db/schema";
import { attachmentsOfMessages, blobStore } from "~/modules/attachments";
import { isUndeliverable } from "./bounces.server";
import { onMailQueued } from "./outbox.server";
import { describeErrorForLog } from "~/lib/log-redaction";
import { config } from "~/lib/config.server";
import { messageIdDomain, replyAddressFor } from "./threading";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface MailTransport {
  sendMail(message: OutgoingMail): Promise<unknown>;
}

/** The threading headers of an outbox row, as sent (see threading.ts). */
export function threadingHeaders(
  message: Pick<DueMessage, "id" | "messageId" | "inReplyTo" | "referencesHeader" | "automatic" | "ticketReference">,
  { from, appUrl, secret }: { from: string; appUrl: string; secret: string },
): Pick<OutgoingMail, "messageId" | "inReplyTo" | "references" | "replyTo" | "headers"> {
  return {
    messageId: message.messageId ?? `<${message.id}@${messageIdDomain(appUrl)}>`,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.referencesHeader ? { references: message.referencesHeader } : {}),
    ...(message.ticketReference ? { replyTo: replyAddressFor({ reference: message.ticketReference, mailFrom: from, secret }) } : {}),
    ...(message.automatic ? { headers: { "Auto-Submitted": "auto-replied" } } : {}),
  };
}

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;

/** Back-off before attempt n+1: 30 s, 1 min, 2 min, … capped at 1 hour. */
export function retryDelaySeconds(attemptsSoFar: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attemptsSoFar - 1));
}

/**
 * Claims due messages one at a time (SKIP LOCKED, so several instances can deliver side by side)
 * and sends them. A message is marked sent right after the SMTP server accepted it; a lease keeps
 * other workers off it meanwhile, and the stable Message-ID lets receivers drop a rare duplicate.
 */
export async function deliverDueMail({ transport, from, batchSize = 20 }: { transport: MailTransport; from: string; batchSize?: number }) {
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < batchSize; i++) {
    const message = await claimNextDueMessage();
    if (!message) break;
    const bounced = await isUndeliverable(db, message.toAddress);
    if (bounced) {
      // A permanent bounce said this address does not exist: sending again would only bounce again.
      await db
        .update(mailOutbox)
        .set({ status: "failed", leasedUntil: null, lastError: `not sent: the address bounced for good (${bounced.status})` })
        .where(eq(mailOutbox.id, message.id));
      failed++;
      continue;
    }
    try {
      await transport.sendMail({
        from,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        ...threadingHeaders(message, { from, appUrl: config.appUrl, secret: config.replyAddressSecret }),
        ...(message.ticketMessageId ? { attachments: await attachmentsForMail(message.ticketMessageId) } : {}),
      });
      await db
        .update(mailOutbox)
        .set({ status: "sent", sentAt: new Date(), leasedUntil: null, lastError: null })
        .where(and(eq(mailOutbox.id, message.id), eq(mailOutbox.status, "sending")));
      sent++;
    } catch (error) {
      const attempts = message.attempts;
      const giveUp = attempts >= MAX_ATTEMPTS;
      await db
        .update(mailOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          leasedUntil: null,
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(Date.now() + retryDelaySeconds(attempts) * 1000),
        })
        .where(eq(mailOutbox.id, message.id));
      failed++;
    }
  }
  return { sent, failed };
}

type DueMessage = Pick<OutboxMessage, "id" | "toAddress" | "subject" | "textBody" | "attempts" | "messageId" | "inReplyTo" | "referencesHeader" | "automatic" | "ticketMessageId"> & {
  ticketReference: string | null;
};

async function claimNextDueMessage(): Promise<DueMessage | null> {
  const result = await db.execute(sql`
    with claimed as (
      update mail_outbox set status = 'sending', attempts = attempts + 1,
        leased_until = now() + make_interval(secs => ${LEASE_SECONDS})
      where id = (
        select id from mail_outbox
        where (status = 'pending' and next_attempt_at <= now())
           or (status = 'sending' and leased_until < now())
        order by next_attempt_at
        limit 1
        for update skip locked)
      returning id, to_address, subject, text_body, attempts, message_id, in_reply_to, references_header, automatic, ticket_id, ticket_message_id)
    select claimed.*, t.reference as ticket_reference from claimed left join tickets t on t.id = claimed.ticket_id`);
  const [row] = rows<{
    id: string;
    to_address: string;
    subject: string;
    text_body: string;
    attempts: number;
    message_id: string | null;
    in_reply_to: string | null;
    references_header: string | null;
    automatic: boolean;
    ticket_message_id: string | null;
    ticket_reference: string | null;
  }>(result);
  if (!row) return null;
  return {
    id: row.id,
    toAddress: row.to_address,
    subject: row.subject,
    textBody: row.text_body,
    attempts: Number(row.attempts),
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    referencesHeader: row.references_header,
    automatic: Boolean(row.automatic),
    ticketMessageId: row.ticket_message_id,
    ticketReference: row.ticket_reference,
  };
}

/**
 * The files of the agent's message a reply mail carries. The outbox row names the message only,
 * so the outbox stays small; the bytes come from the blob store when the mail is sent.
 */
async function attachmentsForMail(ticketMessageId: string): Promise<NonNullable<OutgoingMail["attachments"]>> {
  const files = await attachmentsOfMessages([ticketMessageId]);
  const loaded = await Promise.all(files.map(async (file) => ({ file, bytes: await blobStore.get(file.blobSha256) })));
  return loaded.flatMap(({ file, bytes }) => (bytes ? [{ filename: file.filename, contentType: file.contentType, content: bytes }] : []));
}

/** Starts delivering over SMTP when SMTP_URL is set; returns a function that stops it. */
export function startMailDelivery({ smtpUrl, from }: { smtpUrl: string; from: string }): () => Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { sent } = await deliverDueMail({ transport, from });
        if (sent > 0) again = true;
      } while (again && !stopped);
    } catch (error) {
      console.error("mail delivery: %s", describeErrorForLog(error));
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, 5_000);
  timer.unref();
  const unsubscribe = onMailQueued(() => setTimeout(run, 50));
  void run();
  return async () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
    transport.close();
  };
}
