CREATE TABLE "feedback"."claim_rollups" (
	"cuboid" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"dealer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"service_center_id" text NOT NULL,
	"currency" text NOT NULL,
	"claims" integer NOT NULL,
	"approved_claims" integer NOT NULL,
	"approved_cost" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."failure_rollups" (
	"cuboid" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"dealer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"service_center_id" text NOT NULL,
	"failure_code" text NOT NULL,
	"tickets" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."resolution_rollups" (
	"cuboid" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"dealer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"service_center_id" text NOT NULL,
	"technician_id" text NOT NULL,
	"resolved" integer NOT NULL,
	"sla_met" integer NOT NULL,
	"repairs" integer NOT NULL,
	"first_time_fixes" integer NOT NULL,
	"hours" jsonb NOT NULL,
	"hours_exact" double precision[],
	"unit_repairs" integer NOT NULL,
	"repeat_gaps" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."satisfaction_rollups" (
	"cuboid" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"dealer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"service_center_id" text NOT NULL,
	"kind" text NOT NULL,
	"technician_id" text NOT NULL,
	"sla_outcome" text NOT NULL,
	"coverage" text NOT NULL,
	"first_time_fix" text NOT NULL,
	"responses" integer NOT NULL,
	"score_sum" integer NOT NULL,
	"satisfied" integer NOT NULL,
	"promoters" integer NOT NULL,
	"passives" integer NOT NULL,
	"detractors" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback"."unit_sale_rollups" (
	"cuboid" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"dealer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"service_center_id" text NOT NULL,
	"units" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "claim_rollups_cell" ON "feedback"."claim_rollups" USING btree ("cuboid","dealer_id","grain","period","product_id","service_center_id","currency");--> statement-breakpoint
CREATE UNIQUE INDEX "failure_rollups_cell" ON "feedback"."failure_rollups" USING btree ("cuboid","product_id","dealer_id","grain","period","service_center_id","failure_code");--> statement-breakpoint
CREATE UNIQUE INDEX "resolution_rollups_cell" ON "feedback"."resolution_rollups" USING btree ("cuboid","dealer_id","grain","period","product_id","service_center_id","technician_id");--> statement-breakpoint
CREATE INDEX "resolution_rollups_product_idx" ON "feedback"."resolution_rollups" USING btree ("cuboid","product_id","grain","period") WHERE "feedback"."resolution_rollups"."product_id" <> '';--> statement-breakpoint
CREATE UNIQUE INDEX "satisfaction_rollups_cell" ON "feedback"."satisfaction_rollups" USING btree ("cuboid","kind","dealer_id","grain","period","product_id","service_center_id","technician_id","sla_outcome","coverage","first_time_fix");--> statement-breakpoint
CREATE INDEX "satisfaction_rollups_product_idx" ON "feedback"."satisfaction_rollups" USING btree ("cuboid","kind","product_id","grain","period") WHERE "feedback"."satisfaction_rollups"."product_id" <> '';--> statement-breakpoint
CREATE UNIQUE INDEX "unit_sale_rollups_cell" ON "feedback"."unit_sale_rollups" USING btree ("cuboid","dealer_id","grain","period","product_id","service_center_id");--> statement-breakpoint
-- Hand-written from here: how the rollups are kept. A fact adds to one cell per grain (its UTC day and month)
-- and per cuboid; a change takes the old row's share out and puts the new one's in, in the same transaction.
-- The cuboid lists here and in src/db/rollups.ts are the same.
CREATE FUNCTION feedback.rollup_period(grain text, day date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE grain WHEN 'day' THEN day ELSE date_trunc('month', day)::date END $$;
--> statement-breakpoint
-- A dimension as a cell keeps it: the value ('' for none) when the cuboid keeps it, else ''; all dealers are '*'.
CREATE FUNCTION feedback.rollup_dim(cuboid text, letter text, value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN strpos(cuboid, letter) > 0 THEN coalesce(value, '') ELSE '' END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.rollup_dealer(cuboid text, dealer_id text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN strpos(cuboid, 'D') > 0 THEN dealer_id ELSE '*' END $$;
--> statement-breakpoint
-- The log histogram's bucket of a number of hours: values within 1 % of each other share one
-- (gamma = 1.01 / 0.99); a bucket's midpoint 2 gamma^i / (gamma + 1) is within 1 % of every value in it.
-- Up to 3.6 seconds (and anything negative) counts as zero, bucket -9999.
CREATE FUNCTION feedback.hour_bucket(hours double precision) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN hours <= 0.001 THEN -9999 ELSE ceil(ln(hours) / ln(1.01 / 0.99))::integer END $$;
--> statement-breakpoint
-- A `{key: count}` map with `delta` added to `key`'s count; a count that reaches zero leaves the map.
CREATE FUNCTION feedback.count_add(counts jsonb, key text, delta integer) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN coalesce((counts ->> key)::integer, 0) + delta = 0 THEN counts - key
                    ELSE counts || jsonb_build_object(key, coalesce((counts ->> key)::integer, 0) + delta) END $$;
--> statement-breakpoint
-- `values` without one occurrence of `value` (null stays null).
CREATE FUNCTION feedback.without_one(vals double precision[], value double precision) RETURNS double precision[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN array_position(vals, value) IS NULL THEN vals
                    ELSE vals[:array_position(vals, value) - 1] || vals[array_position(vals, value) + 1:] END $$;
--> statement-breakpoint
-- The functions that write the rollups run as their owner (SECURITY DEFINER): a DEALER answering a survey adds
-- to the cells across all dealers too, which its own row-level security neither shows nor lets it write.
CREATE FUNCTION feedback.roll_up_survey(s feedback.surveys, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  c text;
  g text;
  day date;
BEGIN
  IF s.status <> 'ANSWERED' OR s.score IS NULL OR s.answered_at IS NULL THEN RETURN; END IF;
  day := (s.answered_at AT TIME ZONE 'UTC')::date;
  FOREACH c IN ARRAY ARRAY['', 'P', 'C', 'CT', 'PC', 'S', 'PS', 'CS', 'D', 'DP', 'DC', 'DCT', 'DS', 'DPS', 'DCS'] LOOP
    -- Only CSAT answers are split by SLA outcome, coverage and first-time fix.
    CONTINUE WHEN strpos(c, 'S') > 0 AND s.kind <> 'CSAT';
    FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
      INSERT INTO feedback.satisfaction_rollups AS r (cuboid, grain, period, kind, dealer_id, product_id, service_center_id, technician_id,
          sla_outcome, coverage, first_time_fix, responses, score_sum, satisfied, promoters, passives, detractors)
      VALUES (c, g, feedback.rollup_period(g, day), s.kind, feedback.rollup_dealer(c, s.dealer_id), feedback.rollup_dim(c, 'P', s.product_id),
          feedback.rollup_dim(c, 'C', s.service_center_id), feedback.rollup_dim(c, 'T', s.technician_id),
          feedback.rollup_dim(c, 'S', CASE WHEN s.sla_breached THEN 'BREACHED' ELSE 'MET' END),
          feedback.rollup_dim(c, 'S', coalesce(s.coverage, 'NONE')),
          feedback.rollup_dim(c, 'S', CASE WHEN s.first_time_fix THEN 'FIRST_TIME' ELSE 'NOT_FIRST_TIME' END),
          w, w * s.score, w * (s.score >= 4)::integer, w * (s.score >= 9)::integer, w * (s.score >= 7 AND s.score < 9)::integer, w * (s.score < 7)::integer)
      ON CONFLICT (cuboid, kind, dealer_id, grain, period, product_id, service_center_id, technician_id, sla_outcome, coverage, first_time_fix)
      DO UPDATE SET responses = r.responses + excluded.responses, score_sum = r.score_sum + excluded.score_sum,
          satisfied = r.satisfied + excluded.satisfied, promoters = r.promoters + excluded.promoters,
          passives = r.passives + excluded.passives, detractors = r.detractors + excluded.detractors;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.roll_up_resolution(t feedback.ticket_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  c text;
  g text;
  day date;
  h double precision;
  b text;
  gap integer;
  repair boolean;
  unit_repair boolean;
BEGIN
  IF t.resolved_at IS NULL THEN RETURN; END IF;
  day := (t.resolved_at AT TIME ZONE 'UTC')::date;
  h := extract(epoch FROM t.resolved_at - t.opened_at) / 3600;
  b := feedback.hour_bucket(h)::text;
  repair := t.kind = 'REPAIR';
  unit_repair := repair AND t.unit_id IS NOT NULL;
  -- Whole days, rounded up, until the unit's next repair: a repeat within N days is one with a gap of at most N.
  gap := CASE WHEN unit_repair AND t.next_repair_opened_at IS NOT NULL
              THEN greatest(1, ceil(extract(epoch FROM t.next_repair_opened_at - t.resolved_at) / 86400))::integer END;
  IF gap > 365 THEN gap := NULL; END IF;
  FOREACH c IN ARRAY ARRAY['', 'P', 'C', 'CT', 'PC', 'D', 'DP', 'DC', 'DCT'] LOOP
    FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
      INSERT INTO feedback.resolution_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, technician_id,
          resolved, sla_met, repairs, first_time_fixes, hours, hours_exact, unit_repairs, repeat_gaps)
      VALUES (c, g, feedback.rollup_period(g, day), feedback.rollup_dealer(c, t.dealer_id), feedback.rollup_dim(c, 'P', t.product_id),
          feedback.rollup_dim(c, 'C', t.service_center_id), feedback.rollup_dim(c, 'T', t.technician_id),
          w, w * (NOT t.sla_breached)::integer, w * repair::integer, w * (repair AND t.reopen_count = 0 AND NOT t.waited_for_parts)::integer,
          jsonb_build_object(b, w), ARRAY[h], w * unit_repair::integer,
          CASE WHEN gap IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(gap::text, w) END)
      ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id, technician_id)
      DO UPDATE SET resolved = r.resolved + excluded.resolved, sla_met = r.sla_met + excluded.sla_met,
          repairs = r.repairs + excluded.repairs, first_time_fixes = r.first_time_fixes + excluded.first_time_fixes,
          hours = feedback.count_add(r.hours, b, w),
          -- The exact hours are kept up to 64 a cell; once more came, the cell has the histogram alone.
          hours_exact = CASE WHEN w > 0 THEN CASE WHEN cardinality(r.hours_exact) < 64 THEN r.hours_exact || h END
                             ELSE feedback.without_one(r.hours_exact, h) END,
          unit_repairs = r.unit_repairs + excluded.unit_repairs,
          repeat_gaps = CASE WHEN gap IS NULL THEN r.repeat_gaps ELSE feedback.count_add(r.repeat_gaps, gap::text, w) END;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.roll_up_failure(t feedback.ticket_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  c text;
  g text;
  day date;
BEGIN
  IF t.kind <> 'REPAIR' OR t.product_id IS NULL THEN RETURN; END IF;
  day := (t.opened_at AT TIME ZONE 'UTC')::date;
  FOREACH c IN ARRAY ARRAY['P', 'PC', 'DP'] LOOP
    FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
      INSERT INTO feedback.failure_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, failure_code, tickets)
      VALUES (c, g, feedback.rollup_period(g, day), feedback.rollup_dealer(c, t.dealer_id), t.product_id,
          feedback.rollup_dim(c, 'C', t.service_center_id), coalesce(t.failure_code, 'UNKNOWN'), w)
      ON CONFLICT (cuboid, product_id, dealer_id, grain, period, service_center_id, failure_code)
      DO UPDATE SET tickets = r.tickets + excluded.tickets;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.roll_up_claim(f feedback.claim_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  c text;
  g text;
  approved boolean := f.status IN ('APPROVED', 'PARTIALLY_APPROVED', 'PAID');
BEGIN
  FOREACH c IN ARRAY ARRAY['P', 'DP'] LOOP
    FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
      INSERT INTO feedback.claim_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, currency, claims, approved_claims, approved_cost)
      VALUES (c, g, feedback.rollup_period(g, f.repair_on), feedback.rollup_dealer(c, f.dealer_id), f.product_id, '', f.currency,
          w, w * approved::integer, CASE WHEN approved THEN w * f.approved_total ELSE 0 END)
      ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id, currency)
      DO UPDATE SET claims = r.claims + excluded.claims, approved_claims = r.approved_claims + excluded.approved_claims,
          approved_cost = r.approved_cost + excluded.approved_cost;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.roll_up_unit_sale(u feedback.known_units, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  c text;
  g text;
BEGIN
  IF u.sold_on IS NULL THEN RETURN; END IF;
  FOREACH c IN ARRAY ARRAY['P', 'DP'] LOOP
    FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
      INSERT INTO feedback.unit_sale_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, units)
      VALUES (c, g, feedback.rollup_period(g, u.sold_on), feedback.rollup_dealer(c, u.dealer_id), u.product_id, '', w)
      ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id) DO UPDATE SET units = r.units + excluded.units;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.surveys_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (old.status, old.score, old.answered_at, old.kind, old.dealer_id, old.product_id, old.service_center_id, old.technician_id,
                           old.sla_breached, old.first_time_fix, old.coverage)
      IS NOT DISTINCT FROM (new.status, new.score, new.answered_at, new.kind, new.dealer_id, new.product_id, new.service_center_id, new.technician_id,
                            new.sla_breached, new.first_time_fix, new.coverage) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM feedback.roll_up_survey(old, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM feedback.roll_up_survey(new, 1); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.ticket_facts_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR (old.resolved_at, old.opened_at, old.kind, old.dealer_id, old.product_id, old.service_center_id, old.technician_id,
                           old.sla_breached, old.reopen_count, old.waited_for_parts, old.unit_id, old.next_repair_opened_at)
      IS DISTINCT FROM (new.resolved_at, new.opened_at, new.kind, new.dealer_id, new.product_id, new.service_center_id, new.technician_id,
                        new.sla_breached, new.reopen_count, new.waited_for_parts, new.unit_id, new.next_repair_opened_at) THEN
    IF TG_OP <> 'INSERT' THEN PERFORM feedback.roll_up_resolution(old, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM feedback.roll_up_resolution(new, 1); END IF;
  END IF;
  IF TG_OP <> 'UPDATE' OR (old.opened_at, old.kind, old.dealer_id, old.product_id, old.service_center_id, old.failure_code)
      IS DISTINCT FROM (new.opened_at, new.kind, new.dealer_id, new.product_id, new.service_center_id, new.failure_code) THEN
    IF TG_OP <> 'INSERT' THEN PERFORM feedback.roll_up_failure(old, -1); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM feedback.roll_up_failure(new, 1); END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.claim_facts_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (old.repair_on, old.dealer_id, old.product_id, old.status, old.approved_total, old.currency)
      IS NOT DISTINCT FROM (new.repair_on, new.dealer_id, new.product_id, new.status, new.approved_total, new.currency) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM feedback.roll_up_claim(old, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM feedback.roll_up_claim(new, 1); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION feedback.known_units_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (old.sold_on, old.dealer_id, old.product_id) IS NOT DISTINCT FROM (new.sold_on, new.dealer_id, new.product_id) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM feedback.roll_up_unit_sale(old, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM feedback.roll_up_unit_sale(new, 1); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER surveys_roll_up AFTER INSERT OR UPDATE OR DELETE ON feedback.surveys FOR EACH ROW EXECUTE FUNCTION feedback.surveys_roll_up();
--> statement-breakpoint
CREATE TRIGGER ticket_facts_roll_up AFTER INSERT OR UPDATE OR DELETE ON feedback.ticket_facts FOR EACH ROW EXECUTE FUNCTION feedback.ticket_facts_roll_up();
--> statement-breakpoint
CREATE TRIGGER claim_facts_roll_up AFTER INSERT OR UPDATE OR DELETE ON feedback.claim_facts FOR EACH ROW EXECUTE FUNCTION feedback.claim_facts_roll_up();
--> statement-breakpoint
CREATE TRIGGER known_units_roll_up AFTER INSERT OR UPDATE OR DELETE ON feedback.known_units FOR EACH ROW EXECUTE FUNCTION feedback.known_units_roll_up();
--> statement-breakpoint
-- The rollups' owner writes them through the functions above whatever the caller; requests read them under the
-- row-level security the tenancy puts on every tenant table (a DEALER sees its own dealer's cells, never '*').
CREATE POLICY rollup_upkeep ON feedback.satisfaction_rollups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY rollup_upkeep ON feedback.resolution_rollups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY rollup_upkeep ON feedback.failure_rollups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY rollup_upkeep ON feedback.claim_rollups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY rollup_upkeep ON feedback.unit_sale_rollups TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
-- Every rollup again from the facts, set-based: for a database that had facts before the rollups (this
-- migration runs it once), and for facts written with triggers off (a bulk load). Run as the owner.
-- Its statements group up to a million facts into cells the planner cannot count ahead (the cuboid is a
-- parameter): hash joins and memory enough for the hash tables, rather than a nested loop over misjudged sizes.
CREATE FUNCTION feedback.rebuild_insight_rollups() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback SET enable_nestloop = off SET work_mem = '256MB' AS $$
DECLARE
  c text;
  g text;
BEGIN
  TRUNCATE feedback.satisfaction_rollups, feedback.resolution_rollups, feedback.failure_rollups, feedback.claim_rollups, feedback.unit_sale_rollups;
  FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
    FOREACH c IN ARRAY ARRAY['', 'P', 'C', 'CT', 'PC', 'S', 'PS', 'CS', 'D', 'DP', 'DC', 'DCT', 'DS', 'DPS', 'DCS'] LOOP
      INSERT INTO feedback.satisfaction_rollups (cuboid, grain, period, kind, dealer_id, product_id, service_center_id, technician_id,
          sla_outcome, coverage, first_time_fix, responses, score_sum, satisfied, promoters, passives, detractors)
      SELECT c, g, feedback.rollup_period(g, (s.answered_at AT TIME ZONE 'UTC')::date), s.kind, feedback.rollup_dealer(c, s.dealer_id),
             feedback.rollup_dim(c, 'P', s.product_id), feedback.rollup_dim(c, 'C', s.service_center_id), feedback.rollup_dim(c, 'T', s.technician_id),
             feedback.rollup_dim(c, 'S', CASE WHEN s.sla_breached THEN 'BREACHED' ELSE 'MET' END),
             feedback.rollup_dim(c, 'S', coalesce(s.coverage, 'NONE')),
             feedback.rollup_dim(c, 'S', CASE WHEN s.first_time_fix THEN 'FIRST_TIME' ELSE 'NOT_FIRST_TIME' END),
             count(*), sum(s.score), count(*) FILTER (WHERE s.score >= 4), count(*) FILTER (WHERE s.score >= 9),
             count(*) FILTER (WHERE s.score >= 7 AND s.score < 9), count(*) FILTER (WHERE s.score < 7)
      FROM feedback.surveys s
      WHERE s.status = 'ANSWERED' AND s.score IS NOT NULL AND s.answered_at IS NOT NULL AND (strpos(c, 'S') = 0 OR s.kind = 'CSAT')
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
    END LOOP;
    FOREACH c IN ARRAY ARRAY['', 'P', 'C', 'CT', 'PC', 'D', 'DP', 'DC', 'DCT'] LOOP
      INSERT INTO feedback.resolution_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, technician_id,
          resolved, sla_met, repairs, first_time_fixes, hours, hours_exact, unit_repairs, repeat_gaps)
      WITH facts AS MATERIALIZED (
        SELECT feedback.rollup_period(g, (t.resolved_at AT TIME ZONE 'UTC')::date) AS period, feedback.rollup_dealer(c, t.dealer_id) AS dealer_id,
               feedback.rollup_dim(c, 'P', t.product_id) AS product_id, feedback.rollup_dim(c, 'C', t.service_center_id) AS service_center_id,
               feedback.rollup_dim(c, 'T', t.technician_id) AS technician_id,
               t.sla_breached, t.kind = 'REPAIR' AS repair, t.kind = 'REPAIR' AND t.reopen_count = 0 AND NOT t.waited_for_parts AS first_time_fix,
               extract(epoch FROM t.resolved_at - t.opened_at) / 3600 AS h,
               t.kind = 'REPAIR' AND t.unit_id IS NOT NULL AS unit_repair,
               CASE WHEN t.kind = 'REPAIR' AND t.unit_id IS NOT NULL AND t.next_repair_opened_at IS NOT NULL
                    THEN greatest(1, ceil(extract(epoch FROM t.next_repair_opened_at - t.resolved_at) / 86400))::integer END AS gap
        FROM feedback.ticket_facts t WHERE t.resolved_at IS NOT NULL),
      cells AS (
        SELECT period, dealer_id, product_id, service_center_id, technician_id, count(*)::integer AS resolved,
               (count(*) FILTER (WHERE NOT sla_breached))::integer AS sla_met, (count(*) FILTER (WHERE repair))::integer AS repairs,
               (count(*) FILTER (WHERE first_time_fix))::integer AS first_time_fixes,
               CASE WHEN count(*) <= 64 THEN array_agg(h) END AS hours_exact, (count(*) FILTER (WHERE unit_repair))::integer AS unit_repairs
        FROM facts GROUP BY 1, 2, 3, 4, 5),
      buckets AS (
        SELECT period, dealer_id, product_id, service_center_id, technician_id, jsonb_object_agg(bucket, n) AS hours
        FROM (SELECT period, dealer_id, product_id, service_center_id, technician_id, feedback.hour_bucket(h)::text AS bucket, count(*) AS n
              FROM facts GROUP BY 1, 2, 3, 4, 5, 6) b GROUP BY 1, 2, 3, 4, 5),
      gaps AS (
        SELECT period, dealer_id, product_id, service_center_id, technician_id, jsonb_object_agg(gap, n) AS repeat_gaps
        FROM (SELECT period, dealer_id, product_id, service_center_id, technician_id, gap::text, count(*) AS n
              FROM facts WHERE gap <= 365 GROUP BY 1, 2, 3, 4, 5, 6) b GROUP BY 1, 2, 3, 4, 5)
      SELECT c, g, period, dealer_id, product_id, service_center_id, technician_id, cells.resolved, cells.sla_met, cells.repairs, cells.first_time_fixes,
             buckets.hours, cells.hours_exact, cells.unit_repairs, coalesce(gaps.repeat_gaps, '{}'::jsonb)
      FROM cells JOIN buckets USING (period, dealer_id, product_id, service_center_id, technician_id)
      LEFT JOIN gaps USING (period, dealer_id, product_id, service_center_id, technician_id);
    END LOOP;
    FOREACH c IN ARRAY ARRAY['P', 'PC', 'DP'] LOOP
      INSERT INTO feedback.failure_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, failure_code, tickets)
      SELECT c, g, feedback.rollup_period(g, (t.opened_at AT TIME ZONE 'UTC')::date), feedback.rollup_dealer(c, t.dealer_id), t.product_id,
             feedback.rollup_dim(c, 'C', t.service_center_id), coalesce(t.failure_code, 'UNKNOWN'), count(*)
      FROM feedback.ticket_facts t WHERE t.kind = 'REPAIR' AND t.product_id IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7;
    END LOOP;
    FOREACH c IN ARRAY ARRAY['P', 'DP'] LOOP
      INSERT INTO feedback.claim_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, currency, claims, approved_claims, approved_cost)
      SELECT c, g, feedback.rollup_period(g, f.repair_on), feedback.rollup_dealer(c, f.dealer_id), f.product_id, '', f.currency, count(*),
             count(*) FILTER (WHERE f.status IN ('APPROVED', 'PARTIALLY_APPROVED', 'PAID')),
             coalesce(sum(f.approved_total) FILTER (WHERE f.status IN ('APPROVED', 'PARTIALLY_APPROVED', 'PAID')), 0)
      FROM feedback.claim_facts f GROUP BY 1, 2, 3, 4, 5, 6, 7;
      INSERT INTO feedback.unit_sale_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, units)
      SELECT c, g, feedback.rollup_period(g, u.sold_on), feedback.rollup_dealer(c, u.dealer_id), u.product_id, '', count(*)
      FROM feedback.known_units u WHERE u.sold_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
SELECT feedback.rebuild_insight_rollups();
