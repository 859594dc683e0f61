CREATE TABLE "catalog"."event_cursors" (
	"producer" text NOT NULL,
	"transaction_id" "xid8" NOT NULL,
	"position" bigint NOT NULL,
	CONSTRAINT "event_cursors_producer_pk" PRIMARY KEY("producer")
);
--> statement-breakpoint
CREATE TABLE "catalog"."event_inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
