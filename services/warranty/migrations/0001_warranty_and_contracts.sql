CREATE TYPE "warranty"."claim_line_kind" AS ENUM('PART', 'LABOR', 'TRAVEL');--> statement-breakpoint
CREATE TYPE "warranty"."claim_status" AS ENUM('SUBMITTED', 'IN_REVIEW', 'SENT_BACK', 'APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'PAID');--> statement-breakpoint
CREATE TYPE "warranty"."contract_status" AS ENUM('DRAFT', 'ACTIVE', 'EXPIRED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "warranty"."claim_line_status" AS ENUM('APPROVED', 'REDUCED', 'REJECTED', 'PENDING');--> statement-breakpoint
CREATE TYPE "warranty"."service_mode" AS ENUM('ON_SITE', 'CARRY_IN');--> statement-breakpoint
CREATE TYPE "warranty"."start_basis" AS ENUM('PURCHASE', 'DELIVERY', 'INSTALLATION');--> statement-breakpoint
CREATE TYPE "warranty"."visit_status" AS ENUM('PLANNED', 'SCHEDULED', 'DONE', 'MISSED', 'CANCELLED');--> statement-breakpoint
CREATE SEQUENCE "warranty"."claim_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "warranty"."contract_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "warranty"."claim_history" (
	"claim_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"action" text NOT NULL,
	"status_after" "warranty"."claim_status" NOT NULL,
	"comment" text,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_history_claim_id_sequence_pk" PRIMARY KEY("claim_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "warranty"."claim_lines" (
	"claim_id" text NOT NULL,
	"line_number" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"kind" "warranty"."claim_line_kind" NOT NULL,
	"part_id" text,
	"quantity" integer,
	"hours" double precision,
	"km" double precision,
	"currency" text NOT NULL,
	"claimed_amount" numeric(12, 2) NOT NULL,
	"status" "warranty"."claim_line_status" NOT NULL,
	"approved_amount" numeric(12, 2),
	"reason" text,
	"explanation" text NOT NULL,
	"decided_by" text NOT NULL,
	CONSTRAINT "claim_lines_claim_id_line_number_pk" PRIMARY KEY("claim_id","line_number")
);
--> statement-breakpoint
CREATE TABLE "warranty"."claimed_failures" (
	"unit_id" text NOT NULL,
	"failure_on" date NOT NULL,
	"claim_number" text NOT NULL,
	CONSTRAINT "claimed_failures_unit_id_failure_on_pk" PRIMARY KEY("unit_id","failure_on")
);
--> statement-breakpoint
CREATE TABLE "warranty"."contract_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price_share_percent" numeric(5, 2) NOT NULL,
	"term_months" integer NOT NULL,
	"response_hours" integer NOT NULL,
	"resolution_hours" integer NOT NULL,
	"visits_per_year" integer NOT NULL,
	"floating_visits" boolean NOT NULL,
	"parts_covered" boolean NOT NULL,
	"labor_covered" boolean NOT NULL,
	"loaner_included" boolean NOT NULL,
	"max_cases" integer,
	"max_labor_hours" double precision,
	"offered" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."contract_units" (
	"contract_id" text NOT NULL,
	"contract_number" text NOT NULL,
	"unit_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"price" numeric(12, 2) NOT NULL,
	"status" "warranty"."contract_status" NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"cancelled_from" date,
	"parts_covered" boolean NOT NULL,
	"labor_covered" boolean NOT NULL,
	"max_cases" integer,
	"max_labor_hours" double precision,
	"cases_used" integer DEFAULT 0 NOT NULL,
	"labor_hours_used" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "contract_units_contract_id_unit_id_pk" PRIMARY KEY("contract_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "warranty"."event_cursors" (
	"producer" text NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	CONSTRAINT "event_cursors_producer_pk" PRIMARY KEY("producer")
);
--> statement-breakpoint
CREATE TABLE "warranty"."event_inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."known_dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"name" text NOT NULL,
	"labor_rate" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"workshop_authorized_from" date,
	"workshop_authorized_until" date,
	"time_zone" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."known_products" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"list_price" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"bill_of_materials" jsonb NOT NULL,
	"repair_standards" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."known_units" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"serial_number" text NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"status" text NOT NULL,
	"purchase_price" numeric(12, 2),
	"currency" text,
	"sold_on" date,
	"delivered_on" date,
	"installed_on" date,
	"retired_on" date,
	"transferred_on" date,
	"warranty_ends_on" date
);
--> statement-breakpoint
CREATE TABLE "warranty"."maintenance_visits" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"due_on" date NOT NULL,
	"status" "warranty"."visit_status" DEFAULT 'PLANNED' NOT NULL,
	"scheduled_for" timestamp with time zone,
	"completed_on" date,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."outbox" (
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
CREATE TABLE "warranty"."service_contracts" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"plan_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"status" "warranty"."contract_status" NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"price" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"activated_at" timestamp with time zone,
	"cancelled_from" date,
	"cancellation_reason" text,
	"refund" numeric(12, 2),
	"idempotency_key" text,
	"input_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."warranty_claims" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"dealer_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"product_id" text NOT NULL,
	"ticket_id" text,
	"failure_on" date NOT NULL,
	"repair_on" date NOT NULL,
	"failure_code" text NOT NULL,
	"status" "warranty"."claim_status" NOT NULL,
	"currency" text NOT NULL,
	"claimed_total" numeric(12, 2) NOT NULL,
	"approved_total" numeric(12, 2) NOT NULL,
	"coverage_kind" text NOT NULL,
	"contract_id" text,
	"policy_id" text,
	"duplicate_of" text,
	"idempotency_key" text,
	"input_hash" text NOT NULL,
	"decided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"payment_reference" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."warranty_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"months" integer NOT NULL,
	"start_basis" "warranty"."start_basis" NOT NULL,
	"parts_share" integer NOT NULL,
	"labor_share" integer NOT NULL,
	"service_mode" "warranty"."service_mode" NOT NULL,
	"transferable" boolean NOT NULL,
	"exclusions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "warranty_policies_shares" CHECK ("warranty"."warranty_policies"."parts_share" between 0 and 100 and "warranty"."warranty_policies"."labor_share" between 0 and 100),
	CONSTRAINT "warranty_policies_months" CHECK ("warranty"."warranty_policies"."months" between 1 and 240)
);
--> statement-breakpoint
ALTER TABLE "warranty"."claim_history" ADD CONSTRAINT "claim_history_claim_id_warranty_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "warranty"."warranty_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty"."claim_lines" ADD CONSTRAINT "claim_lines_claim_id_warranty_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "warranty"."warranty_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty"."contract_units" ADD CONSTRAINT "contract_units_contract_id_service_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "warranty"."service_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty"."maintenance_visits" ADD CONSTRAINT "maintenance_visits_contract_id_service_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "warranty"."service_contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warranty"."service_contracts" ADD CONSTRAINT "service_contracts_plan_id_contract_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "warranty"."contract_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_units_unit_idx" ON "warranty"."contract_units" USING btree ("unit_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "known_units_serial_number_key" ON "warranty"."known_units" USING btree ("serial_number");--> statement-breakpoint
CREATE INDEX "known_units_warranty_end_idx" ON "warranty"."known_units" USING btree ("dealer_id","warranty_ends_on");--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_visits_sequence_key" ON "warranty"."maintenance_visits" USING btree ("contract_id","unit_id","sequence");--> statement-breakpoint
CREATE INDEX "maintenance_visits_unit_idx" ON "warranty"."maintenance_visits" USING btree ("unit_id","due_on");--> statement-breakpoint
CREATE INDEX "maintenance_visits_dealer_due_idx" ON "warranty"."maintenance_visits" USING btree ("dealer_id","due_on");--> statement-breakpoint
CREATE INDEX "outbox_transaction_idx" ON "warranty"."outbox" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "service_contracts_number_key" ON "warranty"."service_contracts" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "service_contracts_idempotency_key" ON "warranty"."service_contracts" USING btree ("dealer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "service_contracts_dealer_idx" ON "warranty"."service_contracts" USING btree ("dealer_id","id");--> statement-breakpoint
CREATE INDEX "service_contracts_customer_idx" ON "warranty"."service_contracts" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "warranty_claims_number_key" ON "warranty"."warranty_claims" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "warranty_claims_idempotency_key" ON "warranty"."warranty_claims" USING btree ("dealer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "warranty_claims_dealer_idx" ON "warranty"."warranty_claims" USING btree ("dealer_id","id");--> statement-breakpoint
CREATE INDEX "warranty_claims_unit_failure_idx" ON "warranty"."warranty_claims" USING btree ("unit_id","failure_on");--> statement-breakpoint
CREATE INDEX "warranty_claims_product_idx" ON "warranty"."warranty_claims" USING btree ("product_id","failure_code");--> statement-breakpoint
CREATE UNIQUE INDEX "warranty_policies_version_key" ON "warranty"."warranty_policies" USING btree ("product_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "warranty_policies_effective_key" ON "warranty"."warranty_policies" USING btree ("product_id","effective_from");