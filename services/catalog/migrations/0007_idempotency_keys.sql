ALTER TABLE "catalog"."consumable_purchases" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "catalog"."consumable_purchases" ADD COLUMN "input_hash" text;--> statement-breakpoint
ALTER TABLE "catalog"."part_stock_movements" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "catalog"."part_stock_movements" ADD COLUMN "input_hash" text;--> statement-breakpoint
ALTER TABLE "catalog"."unit_events" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "catalog"."unit_events" ADD COLUMN "input_hash" text;--> statement-breakpoint
ALTER TABLE "catalog"."units" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "catalog"."units" ADD COLUMN "input_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "consumable_purchases_idempotency_key" ON "catalog"."consumable_purchases" USING btree ("dealer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "part_stock_movements_idempotency_key" ON "catalog"."part_stock_movements" USING btree ("service_center_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_events_idempotency_key" ON "catalog"."unit_events" USING btree ("unit_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "units_idempotency_key" ON "catalog"."units" USING btree ("dealer_id","idempotency_key");