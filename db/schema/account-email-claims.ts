import { index, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountEmails, accounts } from "./accounts";

// An address someone is adding to their account while it sits, unverified, on another account.
// Nobody has proved they own it yet, so it stays where it is until the claimant opens the
// verification link; then it moves (see verifyEmailWithToken). Cancelling the claim deletes the
// row, which also kills the links already sent: a link only moves an address with a live claim.
export const accountEmailClaims = pgTable(
  "account_email_claims",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    emailId: uuid("email_id").notNull().references(() => accountEmails.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("account_email_claims_account_email_unique").on(t.accountId, t.emailId), index("account_email_claims_email_idx").on(t.emailId)],
);
export type AccountEmailClaim = typeof accountEmailClaims.$inferSelect;
