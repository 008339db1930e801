// The email channel: every message received (raw, first), the addresses mail can no longer reach,
// and attachments (web form, composer and email alike), stored once per content.
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { bytea } from "./bytes";
import { oneOf } from "./checks";
import { INBOUND_EMAIL_KINDS, INBOUND_EMAIL_OUTCOMES, INBOUND_EMAIL_STATUSES, INBOUND_EMAIL_VIAS } from "./lists";
import { mailOutbox } from "./platform";
import { ticketMessages, tickets } from "./tickets";

// Stored before anything else is done with it, so a failure later loses nothing: a message
// still `stored` (or `failed`) is processed again. The Message-ID is the import key: the same
// message from IMAP and the webhook, or a retried POST, is one row.
export const inboundEmails = pgTable(
  "inbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The message's own Message-ID, or one derived from its bytes when it has none.
    messageId: text("message_id").notNull(),
    raw: bytea("raw").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    via: text("via", { enum: INBOUND_EMAIL_VIAS }).notNull(),
    fromAddress: text("from_address"),
    subject: text("subject"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status", { enum: INBOUND_EMAIL_STATUSES }).notNull().default("stored"),
    kind: text("kind", { enum: INBOUND_EMAIL_KINDS }),
    outcome: text("outcome", { enum: INBOUND_EMAIL_OUTCOMES }),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    ticketMessageId: uuid("ticket_message_id").references(() => ticketMessages.id, { onDelete: "set null" }),
    error: text("error"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("inbound_emails_message_id_unique").on(t.messageId),
    index("inbound_emails_ticket_idx").on(t.ticketId),
    index("inbound_emails_unprocessed_idx").on(t.receivedAt).where(sql`${t.status} <> 'processed'`),
    check("inbound_emails_status_known", oneOf(t.status, INBOUND_EMAIL_STATUSES)),
    check("inbound_emails_kind_known", oneOf(t.kind, INBOUND_EMAIL_KINDS)),
    check("inbound_emails_outcome_known", oneOf(t.outcome, INBOUND_EMAIL_OUTCOMES)),
    check("inbound_emails_via_known", oneOf(t.via, INBOUND_EMAIL_VIAS)),
  ],
);
export type InboundEmail = typeof inboundEmails.$inferSelect;

// An address a permanent bounce (5.x.x) said does not exist: no mail is sent to it until an
// agent clears it. Keyed on the lower-cased address.
export const undeliverableAddresses = pgTable("undeliverable_addresses", {
  email: text("email").primaryKey(),
  status: text("status").notNull(),
  diagnostic: text("diagnostic"),
  outboxId: uuid("outbox_id").references(() => mailOutbox.id, { onDelete: "set null" }),
  inboundEmailId: uuid("inbound_email_id").references(() => inboundEmails.id, { onDelete: "set null" }),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

// The bytes of an attachment, once per content (sha256): the same screenshot sent twice is stored once.
export const attachmentBlobs = pgTable("attachment_blobs", {
  sha256: text("sha256").primaryKey(),
  contentType: text("content_type").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  bytes: bytea("bytes").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// A file on a ticket message. `contentId` is the cid: an HTML mail referred to it by, `inline`
// whether it was shown inside the text (then the thread shows it where it was).
export const ticketAttachments = pgTable(
  "ticket_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => ticketMessages.id, { onDelete: "cascade" }),
    blobSha256: text("blob_sha256")
      .notNull()
      .references(() => attachmentBlobs.sha256),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    contentId: text("content_id"),
    inline: boolean("inline").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ticket_attachments_ticket_idx").on(t.ticketId), index("ticket_attachments_message_idx").on(t.messageId)],
);
export type TicketAttachment = typeof ticketAttachments.$inferSelect;
