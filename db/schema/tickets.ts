import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

import { oneOf } from "./checks";
import { MESSAGE_CHANNELS, MESSAGE_VISIBILITIES, TICKET_ACTOR_KINDS, TICKET_CATEGORIES, TICKET_RATINGS, TICKET_SOURCES, TICKET_STATUSES } from "./lists";

// A ticket is addressed by its random uuid (unguessable); `reference` is a short code for people
// to quote on the phone or in an email subject, and grants nothing.
export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    // The signed-in requester, if any. Guest tickets (null) reach an account at read time
    // through a verified address equal to requester_email.
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "set null" }),
    requesterName: text("requester_name").notNull(),
    requesterEmail: text("requester_email").notNull(),
    category: text("category", { enum: TICKET_CATEGORIES }).notNull(),
    subject: text("subject").notNull(),
    issuerOrBadge: text("issuer_or_badge"),
    badgeEmail: text("badge_email"),
    articleSlug: text("article_slug"),
    source: text("source", { enum: TICKET_SOURCES }).notNull(),
    status: text("status", { enum: TICKET_STATUSES }).notNull().default("new"),
    // From the form (one per rendered form) or the caller: a second submission with the same key
    // returns the first ticket instead of creating another.
    idempotencyKey: text("idempotency_key"),
    // sha256 of address + subject + description: catches a back-and-resubmit that got a new key.
    fingerprint: text("fingerprint").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Newest public message or status change: My tickets sorts on it.
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    // Newest thing Customer Care did that the requester should see: drives the unread marker.
    lastStaffActivityAt: timestamp("last_staff_activity_at", { withTimezone: true }),
    // The agent working on it (agent desk); null = unassigned.
    assigneeId: uuid("assignee_id").references(() => accounts.id, { onDelete: "set null" }),
    // The oldest requester message no public agent reply has answered yet; null when Customer
    // Care spoke last. The queue's default order ("longest wait first") and its "requester wrote
    // last" mark. A trigger on ticket_messages keeps it (migration 0010), so every way a message
    // is written (form, email, the agent desk) agrees without each remembering to.
    awaitingSince: timestamp("awaiting_since", { withTimezone: true }).defaultNow(),
  },
  (t) => [
    uniqueIndex("tickets_reference_unique").on(t.reference),
    uniqueIndex("tickets_idempotency_key_unique").on(t.idempotencyKey),
    index("tickets_account_activity_idx").on(t.accountId, t.lastActivityAt),
    index("tickets_requester_email_activity_idx").on(sql`lower(${t.requesterEmail})`, t.lastActivityAt),
    index("tickets_fingerprint_idx").on(t.fingerprint, t.createdAt),
    index("tickets_status_activity_idx").on(t.status, t.lastActivityAt),
    // The agent queue: one ordered index per view and sort, so a page is a short index scan
    // whatever the size of the table. The queries repeat these predicates literally.
    index("tickets_queue_active_wait_idx")
      .on(sql`coalesce(${t.awaitingSince}, 'infinity'::timestamptz)`, t.id)
      .where(sql`${t.status} in ('new', 'open')`),
    // Unassigned, longest wait first: the Unassigned view, its count and "Take next" read only this.
    index("tickets_queue_unassigned_wait_idx")
      .on(sql`coalesce(${t.awaitingSince}, 'infinity'::timestamptz)`, t.id)
      .where(sql`${t.status} in ('new', 'open') and ${t.assigneeId} is null`),
    index("tickets_queue_active_activity_idx").on(t.lastActivityAt.desc(), t.id.desc()).where(sql`${t.status} in ('new', 'open')`),
    index("tickets_queue_pending_wait_idx").on(sql`coalesce(${t.awaitingSince}, 'infinity'::timestamptz)`, t.id).where(sql`${t.status} = 'pending'`),
    index("tickets_queue_pending_activity_idx").on(t.lastActivityAt.desc(), t.id.desc()).where(sql`${t.status} = 'pending'`),
    index("tickets_queue_solved_activity_idx").on(t.lastActivityAt.desc(), t.id.desc()).where(sql`${t.status} in ('resolved', 'closed')`),
    index("tickets_queue_solved_wait_idx").on(sql`coalesce(${t.awaitingSince}, 'infinity'::timestamptz)`, t.id).where(sql`${t.status} in ('resolved', 'closed')`),
    index("tickets_queue_assignee_wait_idx")
      .on(t.assigneeId, sql`coalesce(${t.awaitingSince}, 'infinity'::timestamptz)`, t.id)
      .where(sql`${t.status} in ('new', 'open', 'pending')`),
    index("tickets_subject_words_idx").using("gin", sql`to_tsvector('simple', ${t.subject})`),
    check("tickets_status_known", oneOf(t.status, TICKET_STATUSES)),
    check("tickets_category_known", oneOf(t.category, TICKET_CATEGORIES)),
    check("tickets_source_known", oneOf(t.source, TICKET_SOURCES)),
  ],
);
export type Ticket = typeof tickets.$inferSelect;

// The thread. Internal notes live here too (visibility = 'internal') and never reach a learner's page or inbox.
export const ticketMessages = pgTable(
  "ticket_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorKind: text("author_kind", { enum: TICKET_ACTOR_KINDS }).notNull(),
    authorAccountId: uuid("author_account_id").references(() => accounts.id, { onDelete: "set null" }),
    authorName: text("author_name").notNull(),
    // Plain text as typed; always rendered as text.
    body: text("body").notNull(),
    visibility: text("visibility", { enum: MESSAGE_VISIBILITIES }).notNull().default("public"),
    // A double-clicked reply is stored once.
    idempotencyKey: text("idempotency_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    channel: text("channel", { enum: MESSAGE_CHANNELS }).notNull().default("web"),
    // Email only: the received message (inbound_emails; no foreign key, that table's file refers
    // to this one), kept whole for the agent behind "Show the original".
    inboundEmailId: uuid("inbound_email_id"),
    // The sender's address of an emailed message.
    emailFrom: text("email_from"),
    // An auto-reply, stored for the record: never answered and it reopens nothing.
    automatic: boolean("automatic").notNull().default(false),
    // Mail from someone other than the requester: internal until an agent accepts it.
    held: boolean("held").notNull().default(false),
  },
  (t) => [
    index("ticket_messages_ticket_idx").on(t.ticketId, t.createdAt),
    index("ticket_messages_author_account_idx").on(t.authorAccountId),
    uniqueIndex("ticket_messages_idempotency_unique").on(t.ticketId, t.idempotencyKey),
    check("ticket_messages_visibility_known", oneOf(t.visibility, MESSAGE_VISIBILITIES)),
    check("ticket_messages_channel_known", oneOf(t.channel, MESSAGE_CHANNELS)),
    check("ticket_messages_requester_public", sql`${t.authorKind} <> 'requester' OR ${t.visibility} = 'public'`),
  ],
);
export type TicketMessage = typeof ticketMessages.$inferSelect;

// Every status change, timestamped; the ticket's status column is the latest of these.
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorKind: text("actor_kind", { enum: TICKET_ACTOR_KINDS }).notNull(),
    actorAccountId: uuid("actor_account_id").references(() => accounts.id, { onDelete: "set null" }),
    fromStatus: text("from_status", { enum: TICKET_STATUSES }),
    toStatus: text("to_status", { enum: TICKET_STATUSES }).notNull(),
  },
  (t) => [index("ticket_events_ticket_idx").on(t.ticketId, t.at)],
);
export type TicketEvent = typeof ticketEvents.$inferSelect;

// Private links for guests: only the SHA-256 of the token is stored. Every email to a guest
// carries a fresh token (the old ones keep working until revoked).
export const ticketGuestLinks = pgTable(
  "ticket_guest_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("ticket_guest_links_token_unique").on(t.tokenHash), index("ticket_guest_links_ticket_idx").on(t.ticketId)],
);

// When the requester last looked at a ticket, for the unread marker on My tickets.
export const ticketReads = pgTable(
  "ticket_reads",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.accountId] })],
);

export const SUGGESTION_EVENT_KINDS = ["shown", "opened"] as const;

// Article suggestions beside the ticket form, once per (form draft, article, kind). A draft whose
// idempotency key never became a ticket after a suggestion was opened counts as deflected.
export const ticketSuggestionEvents = pgTable(
  "ticket_suggestion_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    draftId: text("draft_id").notNull(),
    articleSlug: text("article_slug").notNull(),
    kind: text("kind", { enum: SUGGESTION_EVENT_KINDS }).notNull(),
    query: text("query").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ticket_suggestion_events_once").on(t.draftId, t.articleSlug, t.kind),
    index("ticket_suggestion_events_at_idx").on(t.at),
  ],
);

// Saved replies for the agent desk. Placeholders ({{requester.name}}, {{article:<slug>}}, …) are
// filled in when the macro is inserted into a draft (see macro-rules.ts); `setsStatus` is the
// status the send buttons then propose.
export const ticketMacros = pgTable(
  "ticket_macros",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    setsStatus: text("sets_status", { enum: TICKET_STATUSES }),
    createdBy: uuid("created_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ticket_macros_title_unique").on(sql`lower(${t.title})`), check("ticket_macros_sets_status_known", oneOf(t.setsStatus, TICKET_STATUSES))],
);
export type TicketMacro = typeof ticketMacros.$inferSelect;

// Which agent has which ticket open right now (refreshed by the ticket page while it is open),
// for the "Ben is also looking at this ticket" notice. Rows older than a minute mean nothing.
export const ticketViewers = pgTable(
  "ticket_viewers",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.agentId] })],
);

// "How did we do?": one rating per ticket (the primary key), changeable for 7 days after it was
// first given. The agent desk's weekly CSAT share is counted from these rows.
export const ticketRatings = pgTable(
  "ticket_ratings",
  {
    ticketId: uuid("ticket_id")
      .primaryKey()
      .references(() => tickets.id, { onDelete: "cascade" }),
    rating: text("rating", { enum: TICKET_RATINGS }).notNull(),
    comment: text("comment"),
    firstRatedAt: timestamp("first_rated_at", { withTimezone: true }).notNull().defaultNow(),
    ratedAt: timestamp("rated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ticket_ratings_rated_idx").on(t.ratedAt),
    check("ticket_ratings_rating_known", oneOf(t.rating, TICKET_RATINGS)),
    check("ticket_ratings_comment_length", sql`char_length(${t.comment}) <= 2000`),
  ],
);

// How many tickets each status holds, per assignee for the statuses of the queue's working views
// (new, open, pending; null = unassigned), so the queue's view counts are one read of a few
// hundred small rows instead of counting up to 1,000 index entries per view on every page. Kept by
// a statement-level trigger on tickets (migration 0016), so every writer (web form, email, agent
// desk, maintenance, cascades) keeps it right, in the same transaction as the change: an agent
// sees counts that agree with the tickets listed. Each row is one part of a count: a change adds
// its +1/-1 to the row of its connection's slot (backend pid mod 16), so replies on different
// connections don't queue on one hot counter row; a count is the sum over the slots.
export const ticketQueueCounts = pgTable(
  "ticket_queue_counts",
  {
    status: text("status", { enum: TICKET_STATUSES }).notNull(),
    assigneeId: uuid("assignee_id"),
    slot: smallint("slot").notNull(),
    tickets: integer("tickets").notNull().default(0),
  },
  (t) => [unique("ticket_queue_counts_key").on(t.status, t.assigneeId, t.slot).nullsNotDistinct()],
);

// Which version of the list of agents (everyone with the agent or admin role, by name) the
// database holds: one row, set to the changing transaction's id by triggers on account_roles
// and on a staff member's name (migration 0016). The queue and ticket pages read it in their
// statement and compute the list only when it differs from the version the app instance holds,
// so each instance's copy is right the moment a role or a name changes, wherever it changed.
export const staffListVersion = pgTable("staff_list_version", {
  id: smallint("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
});
