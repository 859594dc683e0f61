CREATE TABLE "outreach"."known_visits" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"contract_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"due_on" date NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."warranty_endings" (
	"unit_id" text PRIMARY KEY NOT NULL,
	"unit_version" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"warranty_ends_on" date NOT NULL,
	"offers" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outreach"."reasons" DROP CONSTRAINT "reasons_kind_check";--> statement-breakpoint
ALTER TABLE "outreach"."reasons" ADD COLUMN "offers" jsonb;--> statement-breakpoint
CREATE INDEX "known_visits_contract_idx" ON "outreach"."known_visits" USING btree ("contract_id");--> statement-breakpoint
ALTER TABLE "outreach"."reasons" ADD CONSTRAINT "reasons_kind_check" CHECK ("outreach"."reasons"."kind" in ('COMPLAINT', 'DETRACTOR', 'POST_SALE_CHECK_IN', 'MAINTENANCE_DUE', 'REFILL_DUE', 'WARRANTY_ENDING', 'PRODUCT_DISCONTINUED', 'PARTS_GUARANTEE_ENDING'));