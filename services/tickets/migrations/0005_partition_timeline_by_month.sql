-- The timeline is partitioned by the month of `at`, so old months are dropped whole (kit's maintainPartitions, run by
-- the pruning job, which also makes the months ahead). Its rows so far go to the default partition; the first
-- maintenance gives each of their months a partition of its own.
ALTER TABLE "tickets"."ticket_timeline" RENAME TO "ticket_timeline_unpartitioned";--> statement-breakpoint
ALTER TABLE "tickets"."ticket_timeline_unpartitioned" RENAME CONSTRAINT "ticket_timeline_ticket_id_sequence_pk" TO "ticket_timeline_unpartitioned_pk";--> statement-breakpoint
CREATE TABLE "tickets"."ticket_timeline" (
	"ticket_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"change" jsonb NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_timeline_ticket_id_sequence_at_pk" PRIMARY KEY("ticket_id","sequence","at")
) PARTITION BY RANGE ("at");--> statement-breakpoint
CREATE TABLE "tickets"."ticket_timeline_default" PARTITION OF "tickets"."ticket_timeline" DEFAULT;--> statement-breakpoint
INSERT INTO "tickets"."ticket_timeline" SELECT "ticket_id", "sequence", "dealer_id", "change", "note", "actor", "actor_role", "at" FROM "tickets"."ticket_timeline_unpartitioned";--> statement-breakpoint
DROP TABLE "tickets"."ticket_timeline_unpartitioned";--> statement-breakpoint
ALTER TABLE "tickets"."ticket_timeline" ADD CONSTRAINT "ticket_timeline_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;
