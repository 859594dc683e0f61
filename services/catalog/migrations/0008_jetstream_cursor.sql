ALTER TABLE "catalog"."event_cursors" ALTER COLUMN "transaction_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."event_cursors" ALTER COLUMN "position" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."event_cursors" ADD COLUMN "stream" text;--> statement-breakpoint
ALTER TABLE "catalog"."event_cursors" ADD COLUMN "stream_sequence" bigint;