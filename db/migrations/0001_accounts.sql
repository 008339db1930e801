CREATE TABLE "account_email_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"email_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_email_claims" ADD CONSTRAINT "account_email_claims_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_email_claims" ADD CONSTRAINT "account_email_claims_email_id_account_emails_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."account_emails"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_email_claims_account_email_unique" ON "account_email_claims" USING btree ("account_id","email_id");--> statement-breakpoint
CREATE INDEX "account_email_claims_email_idx" ON "account_email_claims" USING btree ("email_id");