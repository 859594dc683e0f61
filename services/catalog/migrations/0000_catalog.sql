CREATE SCHEMA "catalog";
--> statement-breakpoint
CREATE TYPE "catalog"."forecast_method" AS ENUM('PRODUCT_CYCLE', 'CUSTOMER_HISTORY');--> statement-breakpoint
CREATE TYPE "catalog"."lifecycle_stage" AS ENUM('INTRODUCTION', 'GROWTH', 'MATURITY', 'DECLINE', 'DISCONTINUED');--> statement-breakpoint
CREATE TYPE "catalog"."product_kind" AS ENUM('EQUIPMENT', 'CONSUMABLE', 'SPARE_PART', 'ACCESSORY');--> statement-breakpoint
CREATE TYPE "catalog"."stock_change_reason" AS ENUM('RECEIVED', 'COUNTED', 'USED', 'RETURNED', 'SCRAPPED');--> statement-breakpoint
CREATE TYPE "catalog"."unit_event_kind" AS ENUM('REGISTERED', 'SOLD', 'DELIVERED', 'INSTALLED', 'COMMISSIONED', 'OWNER_TRAINED', 'REPAIR_STARTED', 'REPAIRED', 'UPGRADED', 'TRANSFERRED', 'RETIRED');--> statement-breakpoint
CREATE TYPE "catalog"."unit_status" AS ENUM('IN_STOCK', 'SOLD', 'DELIVERED', 'INSTALLED', 'IN_REPAIR', 'RETIRED');--> statement-breakpoint
CREATE TABLE "catalog"."bom_lines" (
	"product_id" text NOT NULL,
	"part_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"serviceable_separately" boolean DEFAULT true NOT NULL,
	CONSTRAINT "bom_lines_product_id_part_id_pk" PRIMARY KEY("product_id","part_id"),
	CONSTRAINT "bom_lines_quantity_positive" CHECK ("catalog"."bom_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."consumable_purchases" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"purchased_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consumable_purchases_quantity_positive" CHECK ("catalog"."consumable_purchases"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."part_stock" (
	"service_center_id" text NOT NULL,
	"part_id" text NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"reorder_point" integer DEFAULT 0 NOT NULL,
	"max_level" integer DEFAULT 0 NOT NULL,
	"shortage" boolean GENERATED ALWAYS AS (on_hand - reserved < 0 or (reorder_point > 0 and on_hand - reserved <= reorder_point)) STORED NOT NULL,
	"overstock" boolean GENERATED ALWAYS AS (max_level > 0 and on_hand > max_level) STORED NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "part_stock_service_center_id_part_id_pk" PRIMARY KEY("service_center_id","part_id"),
	CONSTRAINT "part_stock_levels" CHECK ("catalog"."part_stock"."on_hand" >= 0 and "catalog"."part_stock"."reserved" >= 0 and "catalog"."part_stock"."reorder_point" >= 0 and "catalog"."part_stock"."max_level" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."part_stock_movements" (
	"id" text PRIMARY KEY NOT NULL,
	"service_center_id" text NOT NULL,
	"part_id" text NOT NULL,
	"change" integer NOT NULL,
	"reason" "catalog"."stock_change_reason" NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_fittings" (
	"equipment_id" text NOT NULL,
	"fitting_id" text NOT NULL,
	CONSTRAINT "product_fittings_equipment_id_fitting_id_pk" PRIMARY KEY("equipment_id","fitting_id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_lifecycle_changes" (
	"product_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"from_stage" "catalog"."lifecycle_stage",
	"to_stage" "catalog"."lifecycle_stage" NOT NULL,
	"effective_on" date NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_lifecycle_changes_product_id_sequence_pk" PRIMARY KEY("product_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "catalog"."products" (
	"id" text PRIMARY KEY NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"kind" "catalog"."product_kind" NOT NULL,
	"category" text NOT NULL,
	"lifecycle_stage" "catalog"."lifecycle_stage" DEFAULT 'INTRODUCTION' NOT NULL,
	"discontinued_on" date,
	"parts_guaranteed_until" date,
	"successor_id" text,
	"list_price" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"replenishment_cycle_days" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_cycle_positive" CHECK ("catalog"."products"."replenishment_cycle_days" is null or "catalog"."products"."replenishment_cycle_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."repair_standards" (
	"product_id" text NOT NULL,
	"failure_code" text NOT NULL,
	"hours" double precision NOT NULL,
	CONSTRAINT "repair_standards_product_id_failure_code_pk" PRIMARY KEY("product_id","failure_code"),
	CONSTRAINT "repair_standards_hours_positive" CHECK ("catalog"."repair_standards"."hours" > 0)
);
--> statement-breakpoint
CREATE TABLE "catalog"."replenishment_forecasts" (
	"customer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"dealer_id" text NOT NULL,
	"last_purchased_on" date NOT NULL,
	"last_quantity" integer NOT NULL,
	"purchase_count" integer NOT NULL,
	"days_per_unit" double precision NOT NULL,
	"method" "catalog"."forecast_method" NOT NULL,
	"runs_out_on" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replenishment_forecasts_customer_id_product_id_pk" PRIMARY KEY("customer_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."unit_events" (
	"unit_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"kind" "catalog"."unit_event_kind" NOT NULL,
	"occurred_on" date NOT NULL,
	"status_after" "catalog"."unit_status" NOT NULL,
	"customer_id" text,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_events_unit_id_sequence_pk" PRIMARY KEY("unit_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "catalog"."units" (
	"id" text PRIMARY KEY NOT NULL,
	"serial_number" text NOT NULL,
	"product_id" text NOT NULL,
	"status" "catalog"."unit_status" NOT NULL,
	"dealer_id" text NOT NULL,
	"customer_id" text,
	"purchase_price" numeric(12, 2),
	"purchase_currency" text,
	"sold_on" date,
	"delivered_on" date,
	"installed_on" date,
	"retired_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog"."bom_lines" ADD CONSTRAINT "bom_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."bom_lines" ADD CONSTRAINT "bom_lines_part_id_products_id_fk" FOREIGN KEY ("part_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."consumable_purchases" ADD CONSTRAINT "consumable_purchases_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."part_stock" ADD CONSTRAINT "part_stock_part_id_products_id_fk" FOREIGN KEY ("part_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_fittings" ADD CONSTRAINT "product_fittings_equipment_id_products_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_fittings" ADD CONSTRAINT "product_fittings_fitting_id_products_id_fk" FOREIGN KEY ("fitting_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_lifecycle_changes" ADD CONSTRAINT "product_lifecycle_changes_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD CONSTRAINT "products_successor_id_products_id_fk" FOREIGN KEY ("successor_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."repair_standards" ADD CONSTRAINT "repair_standards_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."replenishment_forecasts" ADD CONSTRAINT "replenishment_forecasts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."unit_events" ADD CONSTRAINT "unit_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "catalog"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."units" ADD CONSTRAINT "units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bom_lines_part_idx" ON "catalog"."bom_lines" USING btree ("part_id");--> statement-breakpoint
CREATE INDEX "consumable_purchases_customer_idx" ON "catalog"."consumable_purchases" USING btree ("customer_id","product_id","purchased_on");--> statement-breakpoint
CREATE INDEX "consumable_purchases_customer_page_idx" ON "catalog"."consumable_purchases" USING btree ("customer_id","purchased_on","id");--> statement-breakpoint
CREATE INDEX "part_stock_shortage_idx" ON "catalog"."part_stock" USING btree ("service_center_id","part_id") WHERE shortage;--> statement-breakpoint
CREATE INDEX "part_stock_overstock_idx" ON "catalog"."part_stock" USING btree ("service_center_id","part_id") WHERE overstock;--> statement-breakpoint
CREATE INDEX "part_stock_movements_stock_idx" ON "catalog"."part_stock_movements" USING btree ("service_center_id","part_id","recorded_at");--> statement-breakpoint
CREATE INDEX "product_fittings_fitting_idx" ON "catalog"."product_fittings" USING btree ("fitting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_key" ON "catalog"."products" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "products_name_idx" ON "catalog"."products" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "replenishment_forecasts_dealer_idx" ON "catalog"."replenishment_forecasts" USING btree ("dealer_id","runs_out_on","customer_id","product_id");--> statement-breakpoint
CREATE INDEX "replenishment_forecasts_product_idx" ON "catalog"."replenishment_forecasts" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_serial_number_key" ON "catalog"."units" USING btree ("serial_number");--> statement-breakpoint
CREATE INDEX "units_customer_idx" ON "catalog"."units" USING btree ("customer_id","serial_number");--> statement-breakpoint
CREATE INDEX "units_dealer_idx" ON "catalog"."units" USING btree ("dealer_id","serial_number");--> statement-breakpoint
CREATE INDEX "units_product_idx" ON "catalog"."units" USING btree ("product_id","serial_number");