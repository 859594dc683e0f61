CREATE TABLE "feedback"."claim_facts" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"product_id" text NOT NULL,
	"failure_code" text NOT NULL,
	"failure_on" date NOT NULL,
	"repair_on" date NOT NULL,
	"status" text NOT NULL,
	"claimed_total" numeric(12, 2) NOT NULL,
	"approved_total" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"coverage_kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."event_cursors" (
	"producer" text NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	CONSTRAINT "event_cursors_producer_pk" PRIMARY KEY("producer")
);
--> statement-breakpoint
CREATE TABLE "feedback"."event_dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"producer" text NOT NULL,
	"type" text NOT NULL,
	"event" jsonb NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."event_inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."feedback_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"product_id" text,
	"unit_id" text,
	"ticket_id" text,
	"about_dealer_id" text,
	"comment" text NOT NULL,
	"language" text NOT NULL,
	"themes" text[] NOT NULL,
	"sentiment" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"idempotency_key" text,
	"input_hash" text,
	CONSTRAINT "feedback_entries_kind_check" CHECK ("feedback"."feedback_entries"."kind" in ('COMPLAINT', 'SUGGESTION', 'PRAISE'))
);
--> statement-breakpoint
CREATE TABLE "feedback"."known_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"home_dealer_id" text NOT NULL,
	"known_since" timestamp with time zone NOT NULL,
	"nps_due_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "feedback"."known_dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."known_products" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."known_units" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"status" text NOT NULL,
	"sold_on" date,
	"delivered_on" date,
	"installed_on" date
);
--> statement-breakpoint
CREATE TABLE "feedback"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"dealer_id" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "feedback"."survey_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"csat_delay_hours" integer NOT NULL,
	"post_sale_delay_days" integer NOT NULL,
	"nps_first_after_days" integer NOT NULL,
	"nps_interval_days" integer NOT NULL,
	"answer_within_days" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."surveys" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"ticket_id" text,
	"unit_id" text,
	"product_id" text,
	"service_center_id" text,
	"technician_id" text,
	"sla_breached" boolean,
	"first_time_fix" boolean,
	"coverage" text,
	"token" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"score" smallint,
	"comment" text,
	"language" text,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"sentiment" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "surveys_kind_check" CHECK ("feedback"."surveys"."kind" in ('CSAT', 'POST_SALE', 'NPS')),
	CONSTRAINT "surveys_status_check" CHECK ("feedback"."surveys"."status" in ('SCHEDULED', 'OPEN', 'ANSWERED', 'EXPIRED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "feedback"."ticket_facts" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"number" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"unit_id" text,
	"product_id" text,
	"service_center_id" text,
	"technician_id" text,
	"kind" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"failure_code" text,
	"sla_source" text,
	"sla_breached" boolean DEFAULT false NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"next_repair_opened_at" timestamp with time zone,
	"waited_for_parts" boolean DEFAULT false NOT NULL,
	"coverage" text DEFAULT 'NONE' NOT NULL
);
--> statement-breakpoint
CREATE INDEX "claim_facts_product_repair_idx" ON "feedback"."claim_facts" USING btree ("product_id","repair_on");--> statement-breakpoint
CREATE INDEX "claim_facts_unit_idx" ON "feedback"."claim_facts" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_entries_idempotency_key" ON "feedback"."feedback_entries" USING btree ("dealer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "feedback_entries_dealer_idx" ON "feedback"."feedback_entries" USING btree ("dealer_id","received_at");--> statement-breakpoint
CREATE INDEX "feedback_entries_customer_idx" ON "feedback"."feedback_entries" USING btree ("customer_id","received_at");--> statement-breakpoint
CREATE INDEX "feedback_entries_product_idx" ON "feedback"."feedback_entries" USING btree ("product_id","received_at");--> statement-breakpoint
CREATE INDEX "known_customers_dealer_idx" ON "feedback"."known_customers" USING btree ("home_dealer_id");--> statement-breakpoint
CREATE INDEX "known_customers_nps_due_idx" ON "feedback"."known_customers" USING btree ("nps_due_at");--> statement-breakpoint
CREATE INDEX "known_units_sold_idx" ON "feedback"."known_units" USING btree ("product_id","sold_on","dealer_id") WHERE "feedback"."known_units"."sold_on" is not null;--> statement-breakpoint
CREATE INDEX "known_units_dealer_sold_idx" ON "feedback"."known_units" USING btree ("dealer_id","sold_on") WHERE "feedback"."known_units"."sold_on" is not null;--> statement-breakpoint
CREATE INDEX "outbox_transaction_idx" ON "feedback"."outbox" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_token_key" ON "feedback"."surveys" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_one_csat_per_ticket" ON "feedback"."surveys" USING btree ("ticket_id") WHERE "feedback"."surveys"."kind" = 'CSAT';--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_one_post_sale_per_unit_owner" ON "feedback"."surveys" USING btree ("unit_id","customer_id") WHERE "feedback"."surveys"."kind" = 'POST_SALE';--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_one_open_per_customer" ON "feedback"."surveys" USING btree ("customer_id") WHERE "feedback"."surveys"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "surveys_due_idx" ON "feedback"."surveys" USING btree ("due_at") WHERE "feedback"."surveys"."status" = 'SCHEDULED';--> statement-breakpoint
CREATE INDEX "surveys_expiring_idx" ON "feedback"."surveys" USING btree ("expires_at") WHERE "feedback"."surveys"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "surveys_customer_idx" ON "feedback"."surveys" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "surveys_answered_idx" ON "feedback"."surveys" USING btree ("kind","answered_at") WHERE "feedback"."surveys"."status" = 'ANSWERED';--> statement-breakpoint
CREATE INDEX "surveys_dealer_answered_idx" ON "feedback"."surveys" USING btree ("dealer_id","kind","answered_at") WHERE "feedback"."surveys"."status" = 'ANSWERED';--> statement-breakpoint
CREATE INDEX "surveys_dealer_idx" ON "feedback"."surveys" USING btree ("dealer_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_facts_resolved_idx" ON "feedback"."ticket_facts" USING btree ("resolved_at") WHERE "feedback"."ticket_facts"."resolved_at" is not null;--> statement-breakpoint
CREATE INDEX "ticket_facts_dealer_resolved_idx" ON "feedback"."ticket_facts" USING btree ("dealer_id","resolved_at");--> statement-breakpoint
CREATE INDEX "ticket_facts_product_opened_idx" ON "feedback"."ticket_facts" USING btree ("product_id","opened_at") WHERE "feedback"."ticket_facts"."kind" = 'REPAIR';--> statement-breakpoint
CREATE INDEX "ticket_facts_unit_opened_idx" ON "feedback"."ticket_facts" USING btree ("unit_id","opened_at") WHERE "feedback"."ticket_facts"."kind" = 'REPAIR';