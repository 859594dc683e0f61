ALTER TABLE "warranty"."known_units" ADD COLUMN "warranty_ending_announced_for" date;--> statement-breakpoint
-- Visits planned before their creation was announced are announced once, so
-- outreach can ask their customers to book them. Warranties ending soon are
-- announced by the next daily planning run (it prices the plans on offer).
-- The owner writes past row-level security here; the tenancy step after the
-- migrations forces it again.
ALTER TABLE "warranty"."outbox" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO "warranty"."outbox" ("id", "type", "version", "aggregate", "aggregate_id", "dealer_id", "payload")
SELECT gen_random_uuid(), 'visit.planned', 1, 'visit', v."id", v."dealer_id",
	jsonb_build_object(
		'id', v."id", 'version', v."version", 'contractId', v."contract_id", 'unitId', v."unit_id", 'dealerId', v."dealer_id",
		'sequence', v."sequence", 'dueOn', v."due_on", 'status', 'PLANNED', 'completedOn', NULL, 'scheduledFor', NULL)
FROM "warranty"."maintenance_visits" v
WHERE v."status" = 'PLANNED'
ORDER BY v."id";
