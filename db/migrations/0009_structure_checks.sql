-- A feedback row may point at a ticket that no longer exists (no key held it before): forget the link.
UPDATE "kb_feedback" SET "ticket_id" = NULL WHERE "ticket_id" IS NOT NULL AND "ticket_id" NOT IN (SELECT "id" FROM "tickets");--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pathway_invitations_pathway_idx" ON "pathway_invitations" USING btree ("pathway_id");--> statement-breakpoint
CREATE INDEX "ticket_messages_author_account_idx" ON "ticket_messages" USING btree ("author_account_id");--> statement-breakpoint
CREATE INDEX "kb_revisions_author_idx" ON "kb_revisions" USING btree ("author_id");--> statement-breakpoint
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_purpose_known" CHECK ("email_tokens"."purpose" IN ('verify_email', 'reset_password'));--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_status_known" CHECK ("mail_outbox"."status" IN ('pending', 'sending', 'sent', 'failed'));--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_category_known" CHECK ("tickets"."category" IN ('missing_badge', 'email_account', 'revoked_badge', 'pathways', 'verification_sharing', 'other'));--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_source_known" CHECK ("tickets"."source" IN ('web', 'article_feedback'));