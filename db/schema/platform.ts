import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { oneOf } from "./checks";
import { MAIL_STATUSES } from "./lists";

// Written in the same transaction as the change that causes the message; delivered later.
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    // A claimed message is leased; a worker that dies lets the lease run out.
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Threading. The Message-ID it is sent with (on APP_URL's domain): a reply's In-Reply-To or
    // References finds its ticket here, and a bounce its row. Null only on rows older than it.
    messageId: text("message_id"),
    // The ticket a mail is about (its Reply-To then carries the ticket's signed address), and the
    // agent's message whose attachments go with it.
    ticketId: uuid("ticket_id"),
    ticketMessageId: uuid("ticket_message_id"),
    // In-Reply-To / References of the thread, and whether it is an automatic notice
    // (Auto-Submitted: auto-replied) rather than a person's reply.
    inReplyTo: text("in_reply_to"),
    referencesHeader: text("references_header"),
    automatic: boolean("automatic").notNull().default(false),
    // A delivery status notification came back for it: the status code (5.1.1) and when.
    bounceStatus: text("bounce_status"),
    bouncedAt: timestamp("bounced_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("mail_outbox_message_id_unique").on(t.messageId),
    index("mail_outbox_ticket_idx").on(t.ticketId),
    index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("mail_outbox_created_idx").on(t.createdAt),
    check("mail_outbox_status_known", oneOf(t.status, MAIL_STATUSES)),
  ],
);
export type OutboxMessage = typeof mailOutbox.$inferSelect;

// Append-only: a trigger (migration 0012) refuses UPDATE and DELETE, so not even a bug or a
// hand-typed statement can rewrite history. Whose account and which ticket are columns (not
// buried in before/after) because the audit log page filters on them.
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => accounts.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    // No foreign keys: the log outlives accounts and tickets, and must never be rewritten by a cascade.
    accountId: uuid("account_id"),
    ticketId: uuid("ticket_id"),
    // The agent form's one-per-render key: a second submission finds the first row and changes nothing.
    actionKey: text("action_key"),
  },
  (t) => [
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    index("audit_log_actor_idx").on(t.actorId, t.at),
    index("audit_log_account_idx").on(t.accountId, t.at),
    index("audit_log_ticket_idx").on(t.ticketId, t.at),
    index("audit_log_action_idx").on(t.action, t.at),
    uniqueIndex("audit_log_action_key_unique").on(t.actionKey),
  ],
);

// Fixed-window counters shared by every app instance.
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});
