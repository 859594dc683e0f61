CREATE TABLE "catalog"."known_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"home_dealer_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."known_dealers" (
	"id" text PRIMARY KEY NOT NULL,
	"source_version" integer NOT NULL,
	"kind" text NOT NULL
);
