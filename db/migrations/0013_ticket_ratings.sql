CREATE TABLE "ticket_ratings" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"first_rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_ratings_rating_known" CHECK ("ticket_ratings"."rating" IN ('good', 'bad')),
	CONSTRAINT "ticket_ratings_comment_length" CHECK (char_length("ticket_ratings"."comment") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "ticket_ratings" ADD CONSTRAINT "ticket_ratings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_ratings_rated_idx" ON "ticket_ratings" USING btree ("rated_at");