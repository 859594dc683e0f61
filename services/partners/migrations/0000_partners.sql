CREATE SCHEMA "partners";
--> statement-breakpoint
CREATE TYPE "partners"."customer_kind" AS ENUM('CONSUMER', 'BUSINESS');--> statement-breakpoint
CREATE TYPE "partners"."dealer_kind" AS ENUM('DEALER', 'SERVICE_CENTER', 'BOTH');--> statement-breakpoint
CREATE TYPE "partners"."relationship_level" AS ENUM('BASIC', 'REACTIVE', 'RESPONSIBLE', 'ACTIVE');--> statement-breakpoint
CREATE TABLE "partners"."customers" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "partners"."customer_kind" NOT NULL,
	"name" text NOT NULL,
	"company_name" text,
	"email" text,
	"phone" text,
	"street" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"home_dealer_id" text NOT NULL,
	"relationship_level" "partners"."relationship_level" DEFAULT 'BASIC' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners"."dealer_business_hours" (
	"dealer_id" text NOT NULL,
	"weekday" smallint NOT NULL,
	"opens_minute" smallint NOT NULL,
	"closes_minute" smallint NOT NULL,
	CONSTRAINT "dealer_business_hours_dealer_id_weekday_opens_minute_pk" PRIMARY KEY("dealer_id","weekday","opens_minute"),
	CONSTRAINT "business_hours_weekday" CHECK ("partners"."dealer_business_hours"."weekday" between 1 and 7),
	CONSTRAINT "business_hours_window" CHECK (0 <= "partners"."dealer_business_hours"."opens_minute" and "partners"."dealer_business_hours"."opens_minute" < "partners"."dealer_business_hours"."closes_minute" and "partners"."dealer_business_hours"."closes_minute" <= 1440)
);
--> statement-breakpoint
CREATE TABLE "partners"."dealer_holidays" (
	"dealer_id" text NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "dealer_holidays_dealer_id_date_pk" PRIMARY KEY("dealer_id","date")
);
--> statement-breakpoint
CREATE TABLE "partners"."dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "partners"."dealer_kind" NOT NULL,
	"region" text NOT NULL,
	"email" text,
	"phone" text,
	"street" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"service_radius_km" integer DEFAULT 0 NOT NULL,
	"labor_rate" numeric(12, 2) NOT NULL,
	"labor_rate_currency" text NOT NULL,
	"workshop_authorized_from" date,
	"workshop_authorized_until" date,
	"time_zone" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dealers_radius_not_negative" CHECK ("partners"."dealers"."service_radius_km" >= 0),
	CONSTRAINT "dealers_workshop_dates_ordered" CHECK ("partners"."dealers"."workshop_authorized_until" is null or "partners"."dealers"."workshop_authorized_until" >= "partners"."dealers"."workshop_authorized_from")
);
--> statement-breakpoint
CREATE TABLE "partners"."technicians" (
	"id" text PRIMARY KEY NOT NULL,
	"service_center_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partners"."customers" ADD CONSTRAINT "customers_home_dealer_id_dealers_id_fk" FOREIGN KEY ("home_dealer_id") REFERENCES "partners"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners"."dealer_business_hours" ADD CONSTRAINT "dealer_business_hours_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "partners"."dealers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners"."dealer_holidays" ADD CONSTRAINT "dealer_holidays_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "partners"."dealers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners"."technicians" ADD CONSTRAINT "technicians_service_center_id_dealers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "partners"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "partners"."customers" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "customers_home_dealer_idx" ON "partners"."customers" USING btree ("home_dealer_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "partners"."customers" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "dealers_name_idx" ON "partners"."dealers" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "technicians_service_center_idx" ON "partners"."technicians" USING btree ("service_center_id","name","id");