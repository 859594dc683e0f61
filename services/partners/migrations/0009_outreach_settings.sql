ALTER TABLE "partners"."customers" ADD COLUMN "phone_consent" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "partners"."customers" ADD COLUMN "email_consent" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "partners"."customers" ADD COLUMN "consent_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partners"."dealers" ADD COLUMN "default_relationship_level" "partners"."relationship_level" DEFAULT 'BASIC' NOT NULL;--> statement-breakpoint
ALTER TABLE "partners"."dealers" ADD COLUMN "contact_interval_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "partners"."dealers" ADD CONSTRAINT "dealers_contact_interval_in_range" CHECK ("partners"."dealers"."contact_interval_days" between 1 and 365);