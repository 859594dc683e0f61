CREATE TABLE "warranty"."known_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"home_dealer_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warranty"."known_tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"number" text NOT NULL,
	"dealer_id" text NOT NULL,
	"service_center_id" text,
	"unit_id" text
);
