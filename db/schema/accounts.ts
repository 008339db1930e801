import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { ROLES } from "./lists";

export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  // Null for accounts that only ever signed in through the platform (none yet) or were imported.
  passwordHash: text("password_hash"),
  // A disabled account cannot sign in; it gets the same answer as a wrong password.
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Account = typeof accounts.$inferSelect;

export const accountEmails = pgTable(
  "account_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    // Stored as typed; compared on lower(email).
    email: text("email").notNull(),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    isPrimary: boolean("is_primary").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("account_emails_email_lower_unique").on(sql`lower(${t.email})`),
    uniqueIndex("account_emails_one_primary_per_account").on(t.accountId).where(sql`${t.isPrimary}`),
    index("account_emails_account_idx").on(t.accountId),
    check("account_emails_primary_is_verified", sql`NOT ${t.isPrimary} OR ${t.verifiedAt} IS NOT NULL`),
  ],
);
export type AccountEmail = typeof accountEmails.$inferSelect;

export const accountRoles = pgTable(
  "account_roles",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.role] }), check("account_roles_role_known", oneOf(t.role, ROLES))],
);
