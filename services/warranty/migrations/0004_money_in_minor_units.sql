ALTER TABLE "warranty"."claim_lines" ALTER COLUMN "claimed_amount" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."claim_lines" ALTER COLUMN "approved_amount" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."contract_units" ALTER COLUMN "price" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."known_dealers" ALTER COLUMN "labor_rate" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."known_products" ALTER COLUMN "list_price" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."known_units" ALTER COLUMN "purchase_price" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."service_contracts" ALTER COLUMN "price" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."service_contracts" ALTER COLUMN "refund" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."warranty_claims" ALTER COLUMN "claimed_total" SET DATA TYPE numeric(13, 3);--> statement-breakpoint
ALTER TABLE "warranty"."warranty_claims" ALTER COLUMN "approved_total" SET DATA TYPE numeric(13, 3);