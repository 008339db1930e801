CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"source_path" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_content_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_content_state_single_row" CHECK ("kb_content_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "kb_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"revision_id" uuid,
	"voter_key" text NOT NULL,
	"comment" text NOT NULL,
	"contact_email" text,
	"wants_contact" boolean DEFAULT false NOT NULL,
	"ticket_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_feedback_comment_length" CHECK (char_length("kb_feedback"."comment") <= 2000),
	CONSTRAINT "kb_feedback_contact_has_email" CHECK (NOT "kb_feedback"."wants_contact" OR "kb_feedback"."contact_email" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "kb_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"origin" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"category" text NOT NULL,
	"tags" jsonb NOT NULL,
	"codes" jsonb NOT NULL,
	"updated_on" date NOT NULL,
	"source" text NOT NULL,
	"content_hash" text NOT NULL,
	"html" text NOT NULL,
	"headings" jsonb NOT NULL,
	"plain_text" text NOT NULL,
	"renderer_version" integer NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "kb_revisions_origin_known" CHECK ("kb_revisions"."origin" IN ('import', 'editor'))
);
--> statement-breakpoint
CREATE TABLE "kb_search_indexes" (
	"content_version" bigint PRIMARY KEY NOT NULL,
	"format" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"document_count" integer NOT NULL,
	"build_ms" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_search_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"searched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"query" text NOT NULL,
	"result_count" integer NOT NULL,
	"duration_ms" real NOT NULL,
	"surface" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_votes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"voter_key" text NOT NULL,
	"helpful" boolean NOT NULL,
	"revision_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_revision_id_kb_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."kb_revisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_revisions" ADD CONSTRAINT "kb_revisions_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_revisions" ADD CONSTRAINT "kb_revisions_author_id_accounts_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_votes" ADD CONSTRAINT "kb_votes_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_votes" ADD CONSTRAINT "kb_votes_revision_id_kb_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."kb_revisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_slug_unique" ON "kb_articles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "kb_feedback_article_idx" ON "kb_feedback" USING btree ("article_id","created_at");--> statement-breakpoint
CREATE INDEX "kb_feedback_contact_idx" ON "kb_feedback" USING btree ("wants_contact") WHERE "kb_feedback"."wants_contact" AND "kb_feedback"."ticket_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_revisions_article_number_unique" ON "kb_revisions" USING btree ("article_id","number");--> statement-breakpoint
CREATE INDEX "kb_revisions_live_idx" ON "kb_revisions" USING btree ("article_id","published_at");--> statement-breakpoint
CREATE INDEX "kb_search_log_searched_idx" ON "kb_search_log" USING btree ("searched_at");--> statement-breakpoint
CREATE INDEX "kb_search_log_zero_idx" ON "kb_search_log" USING btree ("result_count","searched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_votes_one_per_voter" ON "kb_votes" USING btree ("article_id","voter_key");