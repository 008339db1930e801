-- The award-state lookup reads every award to an account's addresses: about 5 per account, each
-- on its own page of a table of millions. This index holds those columns beside the key
-- (INCLUDE), so the lookup reads one index page per address instead of a table page per award
-- (an index-only scan; vacuum keeps the table's visibility map current). It replaces the plain
-- index on lower(recipient_email), which it covers. Declared here only: drizzle can't express
-- INCLUDE (see db/schema/badges.ts).
CREATE INDEX IF NOT EXISTS "awards_recipient_lookup_idx" ON "awards" USING btree (lower("recipient_email"))
  INCLUDE ("id", "badge_class_id", "recipient_email", "issued_on", "expires_at", "removed_by_learner_at");
--> statement-breakpoint
DROP INDEX IF EXISTS "awards_recipient_email_lower_idx";
