-- Technicians registered before their events existed are announced once, as
-- if just created, so the subgraphs that dispatch work learn of them. The
-- owner writes past row-level security here; the tenancy step after the
-- migrations forces it again.
ALTER TABLE "partners"."outbox" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO "partners"."outbox" ("id", "type", "version", "aggregate", "aggregate_id", "dealer_id", "payload")
SELECT gen_random_uuid(), 'technician.created', 1, 'technician', "id", "service_center_id",
	jsonb_build_object('id', "id", 'version', "version", 'serviceCenterId', "service_center_id", 'skills', to_jsonb("skills"), 'active', "active")
FROM "partners"."technicians"
ORDER BY "id";
