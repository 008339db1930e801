CREATE TABLE "ticket_macros" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"sets_status" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_macros_sets_status_known" CHECK ("ticket_macros"."sets_status" IN ('new', 'open', 'pending', 'resolved', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "ticket_viewers" (
	"ticket_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_viewers_ticket_id_agent_id_pk" PRIMARY KEY("ticket_id","agent_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "awaiting_since" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "ticket_macros" ADD CONSTRAINT "ticket_macros_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_viewers" ADD CONSTRAINT "ticket_viewers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_viewers" ADD CONSTRAINT "ticket_viewers_agent_id_accounts_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_macros_title_unique" ON "ticket_macros" USING btree (lower("title"));--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_accounts_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_queue_active_wait_idx" ON "tickets" USING btree (coalesce("awaiting_since", 'infinity'::timestamptz),"id") WHERE "tickets"."status" in ('new', 'open');--> statement-breakpoint
CREATE INDEX "tickets_queue_active_activity_idx" ON "tickets" USING btree ("last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."status" in ('new', 'open');--> statement-breakpoint
CREATE INDEX "tickets_queue_pending_wait_idx" ON "tickets" USING btree (coalesce("awaiting_since", 'infinity'::timestamptz),"id") WHERE "tickets"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "tickets_queue_pending_activity_idx" ON "tickets" USING btree ("last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "tickets_queue_solved_activity_idx" ON "tickets" USING btree ("last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."status" in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queue_solved_wait_idx" ON "tickets" USING btree (coalesce("awaiting_since", 'infinity'::timestamptz),"id") WHERE "tickets"."status" in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queue_assignee_wait_idx" ON "tickets" USING btree ("assignee_id",coalesce("awaiting_since", 'infinity'::timestamptz),"id") WHERE "tickets"."status" in ('new', 'open', 'pending');--> statement-breakpoint
CREATE INDEX "tickets_subject_words_idx" ON "tickets" USING gin (to_tsvector('simple', "subject"));--> statement-breakpoint
-- Written by hand (drizzle can't declare triggers). awaiting_since follows the thread: a
-- requester message starts the wait unless one is already running; a public agent reply ends it.
-- Internal notes and system lines don't touch it. Kept by the database so that every writer of
-- ticket_messages (web form, email, agent desk, tests) keeps the queue's order right.
CREATE OR REPLACE FUNCTION tickets_track_awaiting_since() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.author_kind = 'requester' THEN
    UPDATE tickets SET awaiting_since = coalesce(awaiting_since, NEW.created_at) WHERE id = NEW.ticket_id AND awaiting_since IS NULL;
  ELSIF NEW.author_kind = 'agent' AND NEW.visibility = 'public' THEN
    UPDATE tickets SET awaiting_since = NULL WHERE id = NEW.ticket_id AND awaiting_since IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_track_awaiting_since AFTER INSERT ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION tickets_track_awaiting_since();
--> statement-breakpoint
-- Tickets written before this migration: the oldest requester message after the last public agent reply.
UPDATE tickets t SET awaiting_since = (
  SELECT min(m.created_at) FROM ticket_messages m
  WHERE m.ticket_id = t.id AND m.author_kind = 'requester'
    AND m.created_at > coalesce((SELECT max(a.created_at) FROM ticket_messages a
                                 WHERE a.ticket_id = t.id AND a.author_kind = 'agent' AND a.visibility = 'public'), '-infinity'::timestamptz));
