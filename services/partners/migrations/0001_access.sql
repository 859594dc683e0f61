CREATE TYPE "partners"."caller_role" AS ENUM('DEALER', 'AGENT', 'ANALYST', 'ADMIN');--> statement-breakpoint
CREATE TABLE "partners"."api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"role" "partners"."caller_role" NOT NULL,
	"dealer_id" text,
	"operations_only" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_dealer_iff_dealer_role" CHECK (("partners"."api_keys"."role" = 'DEALER') = ("partners"."api_keys"."dealer_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "partners"."persisted_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"name" text NOT NULL,
	"document" text NOT NULL,
	"dealer_id" text,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persisted_operations_hash_scope_key" UNIQUE NULLS NOT DISTINCT("hash","dealer_id")
);
--> statement-breakpoint
ALTER TABLE "partners"."api_keys" ADD CONSTRAINT "api_keys_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "partners"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners"."persisted_operations" ADD CONSTRAINT "persisted_operations_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "partners"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "partners"."api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_dealer_idx" ON "partners"."api_keys" USING btree ("dealer_id","id");--> statement-breakpoint
CREATE INDEX "persisted_operations_dealer_idx" ON "partners"."persisted_operations" USING btree ("dealer_id","id");