CREATE SCHEMA "outreach";
--> statement-breakpoint
CREATE TABLE "outreach"."covered_units" (
	"contract_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"source_version" integer NOT NULL,
	"active" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."event_cursors" (
	"producer" text NOT NULL,
	"transaction_id" "xid8",
	"position" bigint,
	"stream" text,
	"stream_sequence" bigint,
	CONSTRAINT "event_cursors_producer_pk" PRIMARY KEY("producer")
);
--> statement-breakpoint
CREATE TABLE "outreach"."event_dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"producer" text NOT NULL,
	"type" text NOT NULL,
	"event" jsonb NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."event_inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."items" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"rank" integer NOT NULL,
	"due_on" date NOT NULL,
	"channels" text[] NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_because" text,
	"outcome" text,
	"outcome_channel" text,
	"outcome_note" text,
	"outcome_at" timestamp with time zone,
	"recorded_by" text,
	"conversion_kind" text,
	"conversion_id" text,
	CONSTRAINT "items_status_check" CHECK ("outreach"."items"."status" in ('OPEN', 'CONTACTED', 'DECLINED', 'CONVERTED', 'NOT_APPLICABLE', 'MOOT'))
);
--> statement-breakpoint
CREATE TABLE "outreach"."known_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"home_dealer_id" text NOT NULL,
	"relationship_level" text NOT NULL,
	"phone_consent" boolean NOT NULL,
	"email_consent" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."known_dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"contact_interval_days" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."known_products" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"lifecycle_stage" text NOT NULL,
	"list_price" numeric(13, 3) NOT NULL,
	"currency" text NOT NULL,
	"successor_id" text,
	"discontinued_on" date,
	"parts_guaranteed_until" date
);
--> statement-breakpoint
CREATE TABLE "outreach"."known_purchases" (
	"id" text PRIMARY KEY NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"purchased_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach"."known_units" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"serial_number" text NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"status" text NOT NULL,
	"delivered_on" date,
	"installed_on" date
);
--> statement-breakpoint
CREATE TABLE "outreach"."outbox" (
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
CREATE TABLE "outreach"."reasons" (
	"id" text PRIMARY KEY NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"unit_id" text,
	"product_id" text,
	"survey_id" text,
	"feedback_id" text,
	"explanation" text NOT NULL,
	"facts" jsonb NOT NULL,
	"offer" jsonb,
	"due_on" date NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"item_id" text,
	"moot_at" timestamp with time zone,
	"moot_because" text,
	CONSTRAINT "reasons_kind_check" CHECK ("outreach"."reasons"."kind" in ('COMPLAINT', 'DETRACTOR', 'POST_SALE_CHECK_IN', 'REFILL_DUE', 'PRODUCT_DISCONTINUED', 'PARTS_GUARANTEE_ENDING'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "covered_units_key" ON "outreach"."covered_units" USING btree ("contract_id","unit_id");--> statement-breakpoint
CREATE INDEX "covered_units_unit_idx" ON "outreach"."covered_units" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "items_one_open_per_customer" ON "outreach"."items" USING btree ("dealer_id","customer_id") WHERE "outreach"."items"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "items_worklist_idx" ON "outreach"."items" USING btree ("dealer_id","status","due_on","rank","id");--> statement-breakpoint
CREATE INDEX "items_customer_idx" ON "outreach"."items" USING btree ("customer_id","closed_at");--> statement-breakpoint
CREATE INDEX "known_customers_dealer_idx" ON "outreach"."known_customers" USING btree ("home_dealer_id");--> statement-breakpoint
CREATE INDEX "known_purchases_customer_idx" ON "outreach"."known_purchases" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "known_units_product_idx" ON "outreach"."known_units" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "known_units_customer_idx" ON "outreach"."known_units" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "outbox_transaction_idx" ON "outreach"."outbox" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "reasons_subject_key" ON "outreach"."reasons" USING btree ("customer_id","kind","subject_id");--> statement-breakpoint
CREATE INDEX "reasons_item_idx" ON "outreach"."reasons" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "reasons_unit_idx" ON "outreach"."reasons" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "reasons_dealer_idx" ON "outreach"."reasons" USING btree ("dealer_id");