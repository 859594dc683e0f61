CREATE TABLE "outreach"."survey_answers" (
	"id" text PRIMARY KEY NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"score" integer NOT NULL,
	"answered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."unit_sales" (
	"unit_id" text PRIMARY KEY NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"sold_on" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outreach"."items" ADD COLUMN "first_outcome_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "survey_answers_customer_idx" ON "outreach"."survey_answers" USING btree ("customer_id","answered_at");--> statement-breakpoint
CREATE INDEX "unit_sales_customer_idx" ON "outreach"."unit_sales" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "items_opened_idx" ON "outreach"."items" USING btree ("dealer_id","opened_at");--> statement-breakpoint
-- Items closed or tried before the first outcome was kept: the outcome on
-- them is the first where nothing was recorded before it (no attempt before
-- a closing one, or the one unanswered attempt). Others stay without one and
-- count in no time to first contact. Items force row-level security, which
-- binds the owner too: lifted for this statement, forced again after it (the
-- tenancy step after the migrations forces it as well).
ALTER TABLE "outreach"."items" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "outreach"."items" SET "first_outcome_at" = "outcome_at"
WHERE "outcome_at" IS NOT NULL AND ("attempts" = 0 OR ("outcome" = 'NO_ANSWER' AND "attempts" = 1));--> statement-breakpoint
ALTER TABLE "outreach"."items" FORCE ROW LEVEL SECURITY;
