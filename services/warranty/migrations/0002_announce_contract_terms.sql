-- Contracts announced before their events carried units and SLA targets are
-- announced once more, with them, so the tickets subgraph can hold a ticket
-- to its contract's targets. The owner writes past row-level security here;
-- the tenancy step after the migrations forces it again. Amounts as the
-- columns then held them, with 2 decimals, also where this is run again on
-- a later schema (the event catalog's test does).
ALTER TABLE "warranty"."outbox" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO "warranty"."outbox" ("id", "type", "version", "aggregate", "aggregate_id", "dealer_id", "payload")
SELECT gen_random_uuid(),
	CASE WHEN c."status" = 'ACTIVE' THEN 'contract.activated' ELSE 'contract.ended' END,
	1, 'contract', c."id", c."dealer_id",
	jsonb_build_object(
		'id', c."id", 'number', c."number", 'version', c."version", 'planId', c."plan_id", 'dealerId', c."dealer_id",
		'customerId', c."customer_id", 'status', c."status", 'startsOn', c."starts_on", 'endsOn', c."ends_on",
		'cancelledFrom', c."cancelled_from",
		'price', jsonb_build_object('amount', round(c."price", 2)::text, 'currency', c."currency"),
		'refund', CASE WHEN c."refund" IS NULL THEN NULL ELSE jsonb_build_object('amount', round(c."refund", 2)::text, 'currency', c."currency") END,
		'unitIds', coalesce((SELECT jsonb_agg(u."unit_id" ORDER BY u."unit_id") FROM "warranty"."contract_units" u WHERE u."contract_id" = c."id"), '[]'::jsonb),
		'plan', jsonb_build_object('responseHours', p."response_hours", 'resolutionHours', p."resolution_hours"))
FROM "warranty"."service_contracts" c
JOIN "warranty"."contract_plans" p ON p."id" = c."plan_id"
WHERE c."status" <> 'DRAFT'
ORDER BY c."id";
