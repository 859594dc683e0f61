CREATE TYPE "tickets"."priority" AS ENUM('P1', 'P2', 'P3', 'P4');--> statement-breakpoint
CREATE TYPE "tickets"."ticket_channel" AS ENUM('PHONE', 'EMAIL', 'CHAT', 'PORTAL', 'DEALER_API', 'FIELD');--> statement-breakpoint
CREATE TYPE "tickets"."ticket_kind" AS ENUM('REPAIR', 'INSTALLATION', 'MAINTENANCE', 'COMPLAINT', 'QUESTION', 'TRAINING', 'RETURN');--> statement-breakpoint
CREATE TYPE "tickets"."ticket_status" AS ENUM('NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER', 'WAITING_PARTS', 'RESOLVED', 'CLOSED', 'CANCELLED');--> statement-breakpoint
CREATE SEQUENCE "tickets"."ticket_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "tickets"."event_cursors" (
	"producer" text NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	CONSTRAINT "event_cursors_producer_pk" PRIMARY KEY("producer")
);
--> statement-breakpoint
CREATE TABLE "tickets"."event_inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."known_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"home_dealer_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."known_dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."known_units" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"serial_number" text NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"status" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."outbox" (
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
CREATE TABLE "tickets"."tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"unit_id" text,
	"product_id" text,
	"kind" "tickets"."ticket_kind" NOT NULL,
	"channel" "tickets"."ticket_channel" NOT NULL,
	"priority" "tickets"."priority" NOT NULL,
	"status" "tickets"."ticket_status" NOT NULL,
	"subject" text NOT NULL,
	"description" text,
	"failure_code" text,
	"service_center_id" text,
	"technician_id" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"resolution" text,
	"idempotency_key" text,
	"input_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_timeline" (
	"ticket_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"change" jsonb NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_timeline_ticket_id_sequence_pk" PRIMARY KEY("ticket_id","sequence")
);
--> statement-breakpoint
ALTER TABLE "tickets"."ticket_timeline" ADD CONSTRAINT "ticket_timeline_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "known_units_serial_number_key" ON "tickets"."known_units" USING btree ("serial_number");--> statement-breakpoint
CREATE INDEX "outbox_transaction_idx" ON "tickets"."outbox" USING btree ("transaction_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_number_key" ON "tickets"."tickets" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_idempotency_key" ON "tickets"."tickets" USING btree ("dealer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "tickets_dealer_idx" ON "tickets"."tickets" USING btree ("dealer_id","id");--> statement-breakpoint
CREATE INDEX "tickets_customer_idx" ON "tickets"."tickets" USING btree ("customer_id","id");--> statement-breakpoint
CREATE INDEX "tickets_unit_idx" ON "tickets"."tickets" USING btree ("unit_id","id");--> statement-breakpoint
CREATE INDEX "tickets_status_idx" ON "tickets"."tickets" USING btree ("status","id");