CREATE TABLE "feedback"."complaint_cases" (
	"id" text PRIMARY KEY NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"source" text NOT NULL,
	"feedback_id" text,
	"survey_id" text,
	"product_id" text,
	"unit_id" text,
	"ticket_id" text,
	"status" text NOT NULL,
	"owner_name" text,
	"owner_email" text,
	"assigned_at" timestamp with time zone,
	"opened_at" timestamp with time zone NOT NULL,
	"response_target_seconds" integer NOT NULL,
	"calendar" jsonb NOT NULL,
	"response_due_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"response" text,
	"breached_at" timestamp with time zone,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	"follow_up_survey_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_cases_source_check" CHECK ("feedback"."complaint_cases"."source" in ('FEEDBACK', 'SURVEY')),
	CONSTRAINT "complaint_cases_status_check" CHECK ("feedback"."complaint_cases"."status" in ('OPEN', 'RESPONDED', 'RESOLVED'))
);
--> statement-breakpoint
ALTER TABLE "feedback"."surveys" DROP CONSTRAINT "surveys_kind_check";--> statement-breakpoint
DROP INDEX "feedback"."surveys_one_open_per_customer";--> statement-breakpoint
ALTER TABLE "feedback"."known_dealers" ADD COLUMN "calendar" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_cases_feedback_key" ON "feedback"."complaint_cases" USING btree ("feedback_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_cases_survey_key" ON "feedback"."complaint_cases" USING btree ("survey_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_cases_follow_up_key" ON "feedback"."complaint_cases" USING btree ("follow_up_survey_id");--> statement-breakpoint
CREATE INDEX "complaint_cases_dealer_opened_idx" ON "feedback"."complaint_cases" USING btree ("dealer_id","opened_at");--> statement-breakpoint
CREATE INDEX "complaint_cases_due_idx" ON "feedback"."complaint_cases" USING btree ("response_due_at") WHERE "feedback"."complaint_cases"."responded_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_one_open_per_customer" ON "feedback"."surveys" USING btree ("customer_id") WHERE "feedback"."surveys"."status" = 'OPEN' and "feedback"."surveys"."kind" <> 'COMPLAINT_FOLLOW_UP';--> statement-breakpoint
ALTER TABLE "feedback"."surveys" ADD CONSTRAINT "surveys_kind_check" CHECK ("feedback"."surveys"."kind" in ('CSAT', 'POST_SALE', 'NPS', 'COMPLAINT_FOLLOW_UP'));