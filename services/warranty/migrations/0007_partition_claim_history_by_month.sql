-- A claim's history is partitioned by the month of `at`, so old months are dropped whole (kit's maintainPartitions,
-- run by the pruning job, which also makes the months ahead). Its rows so far go to the default partition; the first
-- maintenance gives each of their months a partition of its own.
ALTER TABLE "warranty"."claim_history" RENAME TO "claim_history_unpartitioned";--> statement-breakpoint
ALTER TABLE "warranty"."claim_history_unpartitioned" RENAME CONSTRAINT "claim_history_claim_id_sequence_pk" TO "claim_history_unpartitioned_pk";--> statement-breakpoint
CREATE TABLE "warranty"."claim_history" (
	"claim_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"dealer_id" text NOT NULL,
	"action" text NOT NULL,
	"status_after" "warranty"."claim_status" NOT NULL,
	"comment" text,
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_history_claim_id_sequence_at_pk" PRIMARY KEY("claim_id","sequence","at")
) PARTITION BY RANGE ("at");--> statement-breakpoint
CREATE TABLE "warranty"."claim_history_default" PARTITION OF "warranty"."claim_history" DEFAULT;--> statement-breakpoint
INSERT INTO "warranty"."claim_history" SELECT "claim_id", "sequence", "dealer_id", "action", "status_after", "comment", "actor", "actor_role", "at" FROM "warranty"."claim_history_unpartitioned";--> statement-breakpoint
DROP TABLE "warranty"."claim_history_unpartitioned";--> statement-breakpoint
ALTER TABLE "warranty"."claim_history" ADD CONSTRAINT "claim_history_claim_id_warranty_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "warranty"."warranty_claims"("id") ON DELETE no action ON UPDATE no action;
