import { check, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accountEmails, accounts } from "./accounts";
import { oneOf } from "./checks";
import { TOKEN_PURPOSES } from "./lists";

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the random token in the cookie: a database leak does not leak live sessions.
    id: text("id").primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_account_idx").on(t.accountId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: text("purpose", { enum: TOKEN_PURPOSES }).notNull(),
    // SHA-256 of the token in the link; the token itself is only ever in the email.
    tokenHash: text("token_hash").notNull().unique(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    emailId: uuid("email_id").references(() => accountEmails.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("email_tokens_email_idx").on(t.emailId, t.purpose), check("email_tokens_purpose_known", oneOf(t.purpose, TOKEN_PURPOSES))],
);
