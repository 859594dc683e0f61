CREATE TYPE "tickets"."sla_clock" AS ENUM('RESPONSE', 'RESOLUTION');--> statement-breakpoint
CREATE TYPE "tickets"."sla_event_kind" AS ENUM('STARTED', 'PAUSED', 'RESUMED', 'MET', 'BREACHED', 'STOPPED');--> statement-breakpoint
CREATE TYPE "tickets"."sla_source" AS ENUM('CONTRACT', 'DEALER_POLICY', 'STANDARD');--> statement-breakpoint
CREATE TABLE "tickets"."known_contracts" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"number" text NOT NULL,
	"status" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"cancelled_from" date,
	"unit_ids" text[] NOT NULL,
	"response_hours" integer,
	"resolution_hours" integer
);
--> statement-breakpoint
CREATE TABLE "tickets"."known_products" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."known_technicians" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"service_center_id" text NOT NULL,
	"skills" text[] NOT NULL,
	"active" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."sla_policies" (
	"dealer_id" text PRIMARY KEY NOT NULL,
	"targets" jsonb NOT NULL,
	"pauses_on_waiting_parts" boolean NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_assignments" (
	"ticket_id" text PRIMARY KEY NOT NULL,
	"service_center_id" text NOT NULL,
	"technician_id" text,
	"open" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_loaners" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"returned_at" timestamp with time zone,
	"returned_by" text
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_parts" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"part_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"service_center_id" text NOT NULL,
	"used_at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_sla_events" (
	"ticket_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"clock" "tickets"."sla_clock" NOT NULL,
	"kind" "tickets"."sla_event_kind" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_sla_events_ticket_id_sequence_pk" PRIMARY KEY("ticket_id","sequence")
);
--> statement-breakpoint
ALTER TABLE "tickets"."known_customers" ADD COLUMN "area_latitude" double precision;--> statement-breakpoint
ALTER TABLE "tickets"."known_customers" ADD COLUMN "area_longitude" double precision;--> statement-breakpoint
-- The copies of dealers made before dealers' events were read in full lack
-- what dispatch and SLA clocks need: drop them and read the partners' events
-- again from the start (the inbox forgets them, so they apply once more).
DELETE FROM "tickets"."known_dealers";--> statement-breakpoint
DELETE FROM "tickets"."event_inbox" WHERE "type" LIKE 'dealer.%';--> statement-breakpoint
DELETE FROM "tickets"."event_cursors" WHERE "producer" = 'partners';--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "name" text NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "latitude" double precision NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "longitude" double precision NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "service_radius_km" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "workshop_authorized_from" date;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "workshop_authorized_until" date;--> statement-breakpoint
ALTER TABLE "tickets"."known_dealers" ADD COLUMN "calendar" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_source" "tickets"."sla_source";--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_contract_id" text;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_contract_number" text;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_pauses_on_waiting_parts" boolean;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_calendar_dealer_id" text;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_calendar" jsonb;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "response_target_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "resolution_target_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "resolution_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "sla_breached" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD COLUMN "dispatch" jsonb;--> statement-breakpoint
-- Tickets opened before SLA clocks existed: the standard targets for their
-- priority, around the clock in UTC, both clocks started when they were opened.
-- The owner reads every dealer's rows here; the tenancy step after the
-- migrations forces row-level security again.
ALTER TABLE "tickets"."tickets" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "tickets"."tickets" SET
	"sla_source" = 'STANDARD',
	"sla_pauses_on_waiting_parts" = false,
	"sla_calendar_dealer_id" = coalesce("service_center_id", "dealer_id"),
	"sla_calendar" = '{"timeZone":"UTC","windows":[{"weekday":1,"opensMinute":0,"closesMinute":1440},{"weekday":2,"opensMinute":0,"closesMinute":1440},{"weekday":3,"opensMinute":0,"closesMinute":1440},{"weekday":4,"opensMinute":0,"closesMinute":1440},{"weekday":5,"opensMinute":0,"closesMinute":1440},{"weekday":6,"opensMinute":0,"closesMinute":1440},{"weekday":7,"opensMinute":0,"closesMinute":1440}],"holidays":[]}'::jsonb,
	"response_target_seconds" = 60 * CASE "priority" WHEN 'P1' THEN 60 WHEN 'P2' THEN 240 WHEN 'P3' THEN 480 ELSE 960 END,
	"resolution_target_seconds" = 60 * CASE "priority" WHEN 'P1' THEN 480 WHEN 'P2' THEN 960 WHEN 'P3' THEN 2400 ELSE 4800 END;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "sla_source" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "sla_pauses_on_waiting_parts" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "sla_calendar_dealer_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "sla_calendar" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "response_target_seconds" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ALTER COLUMN "resolution_target_seconds" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_loaners" ADD CONSTRAINT "ticket_loaners_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_parts" ADD CONSTRAINT "ticket_parts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_sla_events" ADD CONSTRAINT "ticket_sla_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "known_contracts_units_idx" ON "tickets"."known_contracts" USING gin ("unit_ids");--> statement-breakpoint
CREATE INDEX "known_technicians_service_center_idx" ON "tickets"."known_technicians" USING btree ("service_center_id");--> statement-breakpoint
CREATE INDEX "ticket_assignments_service_center_idx" ON "tickets"."ticket_assignments" USING btree ("service_center_id") WHERE open;--> statement-breakpoint
CREATE INDEX "ticket_assignments_technician_idx" ON "tickets"."ticket_assignments" USING btree ("technician_id") WHERE open;--> statement-breakpoint
CREATE INDEX "ticket_loaners_ticket_idx" ON "tickets"."ticket_loaners" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_loaners_unit_out" ON "tickets"."ticket_loaners" USING btree ("unit_id") WHERE returned_at is null;--> statement-breakpoint
CREATE INDEX "ticket_parts_ticket_idx" ON "tickets"."ticket_parts" USING btree ("ticket_id","id");--> statement-breakpoint
INSERT INTO "tickets"."ticket_sla_events" ("ticket_id", "sequence", "dealer_id", "clock", "kind", "at")
	SELECT "id", 1, "dealer_id", 'RESPONSE'::"tickets"."sla_clock", 'STARTED'::"tickets"."sla_event_kind", "opened_at" FROM "tickets"."tickets"
	UNION ALL SELECT "id", 2, "dealer_id", 'RESOLUTION'::"tickets"."sla_clock", 'STARTED'::"tickets"."sla_event_kind", "opened_at" FROM "tickets"."tickets";--> statement-breakpoint
-- Resolved and closed ones met both clocks when they were resolved; cancelled ones stopped them.
INSERT INTO "tickets"."ticket_sla_events" ("ticket_id", "sequence", "dealer_id", "clock", "kind", "at")
	SELECT "id", 2 + c.n, "dealer_id", c.clock::"tickets"."sla_clock",
		(CASE WHEN "status" = 'CANCELLED' THEN 'STOPPED' ELSE 'MET' END)::"tickets"."sla_event_kind",
		coalesce("resolved_at", "closed_at", "updated_at")
	FROM "tickets"."tickets", (VALUES (1, 'RESPONSE'), (2, 'RESOLUTION')) AS c(n, clock)
	WHERE "status" IN ('RESOLVED', 'CLOSED', 'CANCELLED');--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_sla_events_one_breach" ON "tickets"."ticket_sla_events" USING btree ("ticket_id","clock") WHERE kind = 'BREACHED';--> statement-breakpoint
CREATE INDEX "tickets_technician_idx" ON "tickets"."tickets" USING btree ("technician_id","id");--> statement-breakpoint
CREATE INDEX "tickets_service_center_idx" ON "tickets"."tickets" USING btree ("service_center_id","id");--> statement-breakpoint
CREATE INDEX "tickets_response_due_idx" ON "tickets"."tickets" USING btree ("response_due_at") WHERE response_due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_resolution_due_idx" ON "tickets"."tickets" USING btree ("resolution_due_at","id") WHERE resolution_due_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_priority_idx" ON "tickets"."tickets" USING btree ("priority","id");