ALTER TABLE "kb_search_indexes" ADD COLUMN "header" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_search_indexes" ADD COLUMN "postings" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_search_indexes" ADD COLUMN "texts" text NOT NULL;