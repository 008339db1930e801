-- The stored indexes are a cache rebuilt on demand; emptying it lets the new NOT NULL columns be added.
DELETE FROM "kb_search_indexes";--> statement-breakpoint
ALTER TABLE "kb_search_indexes" DROP COLUMN "data";
