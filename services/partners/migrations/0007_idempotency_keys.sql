ALTER TABLE "partners"."customers" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "partners"."customers" ADD COLUMN "input_hash" text;--> statement-breakpoint
ALTER TABLE "partners"."technicians" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "partners"."technicians" ADD COLUMN "input_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_idempotency_key" ON "partners"."customers" USING btree ("home_dealer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "technicians_idempotency_key" ON "partners"."technicians" USING btree ("service_center_id","idempotency_key");