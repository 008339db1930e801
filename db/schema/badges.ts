import { sql } from "drizzle-orm";
import { check, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { oneOf } from "./checks";

export const issuers = pgTable("issuers", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  url: text("url"),
  contactEmail: text("contact_email"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const badgeClasses = pgTable(
  "badge_classes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    issuerId: uuid("issuer_id").notNull().references(() => issuers.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("badge_classes_issuer_idx").on(t.issuerId)],
);

// An assertion. The recipient email is as issued and never changes afterwards; which account
// sees the award is decided at read time by who holds that address verified.
export const awards = pgTable(
  "awards",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    badgeClassId: uuid("badge_class_id").notNull().references(() => badgeClasses.id),
    recipientEmail: text("recipient_email").notNull(),
    issuedOn: timestamp("issued_on", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Set when the learner removed the award from their backpack; clearing it restores the badge.
    removedByLearnerAt: timestamp("removed_by_learner_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Awards are found by lower(recipient_email) through awards_recipient_lookup_idx, which also
  // carries the columns the award-state lookup reads (INCLUDE, so it never visits the table).
  // drizzle can't declare INCLUDE, so that index lives in migration 0008 only.
  (t) => [index("awards_badge_class_idx").on(t.badgeClassId)],
);
export type Award = typeof awards.$inferSelect;

// Revocation history: rows are never deleted. A reinstatement is recorded on the revocation it
// answers, with the issuer's written authorisation.
export const revocations = pgTable(
  "revocations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    awardId: uuid("award_id").notNull().references(() => awards.id),
    reason: text("reason").notNull(),
    revokedBy: text("revoked_by").notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull(),
    reinstatedAt: timestamp("reinstated_at", { withTimezone: true }),
    reinstatementAuthorisedBy: text("reinstatement_authorised_by"),
    reinstatementReference: text("reinstatement_reference"),
    // The day the issuer gave its authorisation (reinstated_at is when support recorded it).
    reinstatementAuthorisedOn: date("reinstatement_authorised_on", { mode: "string" }),
    reinstatementRecordedBy: uuid("reinstatement_recorded_by").references(() => accounts.id),
  },
  (t) => [
    index("revocations_award_idx").on(t.awardId),
    check(
      "revocations_reinstatement_complete",
      sql`${t.reinstatedAt} IS NULL OR (${t.reinstatementAuthorisedBy} IS NOT NULL AND ${t.reinstatementReference} IS NOT NULL)`,
    ),
  ],
);

export const pathways = pgTable("pathways", {
  id: uuid("id").primaryKey().defaultRandom(),
  issuerId: uuid("issuer_id").notNull().references(() => issuers.id),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const INVITATION_STATUSES = ["pending", "accepted", "cancelled"] as const;

export const pathwayInvitations = pgTable(
  "pathway_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pathwayId: uuid("pathway_id").notNull().references(() => pathways.id),
    email: text("email").notNull(),
    status: text("status", { enum: INVITATION_STATUSES }).notNull().default("pending"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
  },
  (t) => [
    index("pathway_invitations_email_lower_idx").on(sql`lower(${t.email})`),
    index("pathway_invitations_pathway_idx").on(t.pathwayId),
    check("pathway_invitations_status_known", oneOf(t.status, INVITATION_STATUSES)),
  ],
);
