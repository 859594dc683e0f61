-- Two grains coarser than the month: a cell per calendar year and one for all time. A question over all time (or
-- over whole years) then sums a few cells per group where it summed a month cell per group and month: CSAT by
-- technician across every dealer reads some 3,000 cells where it read 80,000 month cells. The triggers keep all
-- four grains; the rebuild fills day and month cells from the facts as before (migration 0006) and the coarser
-- ones from the month cells, whose counts and histograms merge by adding.
--
-- A grain's period: the day, the month's first day, the year's first day, or one fixed day for all time.
CREATE OR REPLACE FUNCTION feedback.rollup_period(grain text, day date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE grain WHEN 'day' THEN day WHEN 'month' THEN date_trunc('month', day)::date
                          WHEN 'year' THEN date_trunc('year', day)::date ELSE date '0001-01-01' END $$;
--> statement-breakpoint
-- The grains a fact adds to, finest first.
CREATE FUNCTION feedback.rollup_grains() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY['day', 'month', 'year', 'all'] $$;
--> statement-breakpoint
-- The cuboids of each rollup, as in migration 0004 and src/db/rollups.ts.
CREATE FUNCTION feedback.rollup_cuboids(rollup text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE rollup
                 WHEN 'satisfaction' THEN ARRAY['', 'P', 'C', 'CT', 'PC', 'S', 'PS', 'CS', 'D', 'DP', 'DC', 'DCT', 'DS', 'DPS', 'DCS']
                 WHEN 'resolution' THEN ARRAY['', 'P', 'C', 'CT', 'PC', 'D', 'DP', 'DC', 'DCT']
                 WHEN 'failures' THEN ARRAY['P', 'PC', 'DP']
                 ELSE ARRAY['P', 'DP'] END $$;
--> statement-breakpoint
-- Two `{key: count}` maps as one, counts of a key added; a key whose counts add up to zero is left out.
CREATE FUNCTION feedback.counts_merged(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(jsonb_object_agg(key, n), '{}'::jsonb)
        FROM (SELECT key, sum(value::integer) AS n FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) e
              GROUP BY key HAVING sum(value::integer) <> 0) m $$;
--> statement-breakpoint
CREATE AGGREGATE feedback.counts_sum(jsonb) (SFUNC = feedback.counts_merged, STYPE = jsonb, INITCOND = '{}', PARALLEL = SAFE);
--> statement-breakpoint
-- Arrays end to end (a null array adds nothing).
CREATE AGGREGATE feedback.concatenated(double precision[]) (SFUNC = array_cat, STYPE = double precision[], INITCOND = '{}', PARALLEL = SAFE);
--> statement-breakpoint
-- The triggers' writes, one statement per rollup for every cuboid and grain of a fact (rather than one per cell).
CREATE OR REPLACE FUNCTION feedback.roll_up_survey(s feedback.surveys, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
BEGIN
  IF s.status <> 'ANSWERED' OR s.score IS NULL OR s.answered_at IS NULL THEN RETURN; END IF;
  INSERT INTO feedback.satisfaction_rollups AS r (cuboid, grain, period, kind, dealer_id, product_id, service_center_id, technician_id,
      sla_outcome, coverage, first_time_fix, responses, score_sum, satisfied, promoters, passives, detractors)
  SELECT c, g, feedback.rollup_period(g, (s.answered_at AT TIME ZONE 'UTC')::date), s.kind, feedback.rollup_dealer(c, s.dealer_id),
         feedback.rollup_dim(c, 'P', s.product_id), feedback.rollup_dim(c, 'C', s.service_center_id), feedback.rollup_dim(c, 'T', s.technician_id),
         feedback.rollup_dim(c, 'S', CASE WHEN s.sla_breached THEN 'BREACHED' ELSE 'MET' END), feedback.rollup_dim(c, 'S', coalesce(s.coverage, 'NONE')),
         feedback.rollup_dim(c, 'S', CASE WHEN s.first_time_fix THEN 'FIRST_TIME' ELSE 'NOT_FIRST_TIME' END),
         w, w * s.score, w * (s.score >= 4)::integer, w * (s.score >= 9)::integer, w * (s.score >= 7 AND s.score < 9)::integer, w * (s.score < 7)::integer
  FROM unnest(feedback.rollup_cuboids('satisfaction')) c, unnest(feedback.rollup_grains()) g
  -- Only CSAT answers are split by SLA outcome, coverage and first-time fix.
  WHERE strpos(c, 'S') = 0 OR s.kind = 'CSAT'
  ON CONFLICT (cuboid, kind, dealer_id, grain, period, product_id, service_center_id, technician_id, sla_outcome, coverage, first_time_fix)
  DO UPDATE SET responses = r.responses + excluded.responses, score_sum = r.score_sum + excluded.score_sum, satisfied = r.satisfied + excluded.satisfied,
      promoters = r.promoters + excluded.promoters, passives = r.passives + excluded.passives, detractors = r.detractors + excluded.detractors;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION feedback.roll_up_resolution(t feedback.ticket_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  h double precision;
  b text;
  gap integer;
  repair boolean;
  unit_repair boolean;
BEGIN
  IF t.resolved_at IS NULL THEN RETURN; END IF;
  h := extract(epoch FROM t.resolved_at - t.opened_at) / 3600;
  b := feedback.hour_bucket(h)::text;
  repair := t.kind = 'REPAIR';
  unit_repair := repair AND t.unit_id IS NOT NULL;
  -- Whole days, rounded up, until the unit's next repair: a repeat within N days is one with a gap of at most N.
  gap := CASE WHEN unit_repair AND t.next_repair_opened_at IS NOT NULL
              THEN greatest(1, ceil(extract(epoch FROM t.next_repair_opened_at - t.resolved_at) / 86400))::integer END;
  IF gap > 365 THEN gap := NULL; END IF;
  INSERT INTO feedback.resolution_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, technician_id,
      resolved, sla_met, repairs, first_time_fixes, hours, hours_exact, unit_repairs, repeat_gaps)
  SELECT c, g, feedback.rollup_period(g, (t.resolved_at AT TIME ZONE 'UTC')::date), feedback.rollup_dealer(c, t.dealer_id),
         feedback.rollup_dim(c, 'P', t.product_id), feedback.rollup_dim(c, 'C', t.service_center_id), feedback.rollup_dim(c, 'T', t.technician_id),
         w, w * (NOT t.sla_breached)::integer, w * repair::integer, w * (repair AND t.reopen_count = 0 AND NOT t.waited_for_parts)::integer,
         jsonb_build_object(b, w), ARRAY[h], w * unit_repair::integer, CASE WHEN gap IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(gap::text, w) END
  FROM unnest(feedback.rollup_cuboids('resolution')) c, unnest(feedback.rollup_grains()) g
  ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id, technician_id)
  DO UPDATE SET resolved = r.resolved + excluded.resolved, sla_met = r.sla_met + excluded.sla_met, repairs = r.repairs + excluded.repairs,
      first_time_fixes = r.first_time_fixes + excluded.first_time_fixes, hours = feedback.count_add(r.hours, b, w),
      -- The exact hours are kept up to 64 a cell; once more came, the cell has the histogram alone.
      hours_exact = CASE WHEN w > 0 THEN CASE WHEN cardinality(r.hours_exact) < 64 THEN r.hours_exact || h END
                         ELSE feedback.without_one(r.hours_exact, h) END,
      unit_repairs = r.unit_repairs + excluded.unit_repairs,
      repeat_gaps = CASE WHEN gap IS NULL THEN r.repeat_gaps ELSE feedback.count_add(r.repeat_gaps, gap::text, w) END;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION feedback.roll_up_failure(t feedback.ticket_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
BEGIN
  IF t.kind <> 'REPAIR' OR t.product_id IS NULL THEN RETURN; END IF;
  INSERT INTO feedback.failure_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, failure_code, tickets)
  SELECT c, g, feedback.rollup_period(g, (t.opened_at AT TIME ZONE 'UTC')::date), feedback.rollup_dealer(c, t.dealer_id), t.product_id,
         feedback.rollup_dim(c, 'C', t.service_center_id), coalesce(t.failure_code, 'UNKNOWN'), w
  FROM unnest(feedback.rollup_cuboids('failures')) c, unnest(feedback.rollup_grains()) g
  ON CONFLICT (cuboid, product_id, dealer_id, grain, period, service_center_id, failure_code) DO UPDATE SET tickets = r.tickets + excluded.tickets;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION feedback.roll_up_claim(f feedback.claim_facts, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
DECLARE
  approved boolean := f.status IN ('APPROVED', 'PARTIALLY_APPROVED', 'PAID');
BEGIN
  INSERT INTO feedback.claim_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, currency, claims, approved_claims, approved_cost)
  SELECT c, g, feedback.rollup_period(g, f.repair_on), feedback.rollup_dealer(c, f.dealer_id), f.product_id, '', f.currency,
         w, w * approved::integer, CASE WHEN approved THEN w * f.approved_total ELSE 0 END
  FROM unnest(feedback.rollup_cuboids('claims')) c, unnest(feedback.rollup_grains()) g
  ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id, currency)
  DO UPDATE SET claims = r.claims + excluded.claims, approved_claims = r.approved_claims + excluded.approved_claims,
      approved_cost = r.approved_cost + excluded.approved_cost;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION feedback.roll_up_unit_sale(u feedback.known_units, w integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
BEGIN
  IF u.sold_on IS NULL THEN RETURN; END IF;
  INSERT INTO feedback.unit_sale_rollups AS r (cuboid, grain, period, dealer_id, product_id, service_center_id, units)
  SELECT c, g, feedback.rollup_period(g, u.sold_on), feedback.rollup_dealer(c, u.dealer_id), u.product_id, '', w
  FROM unnest(feedback.rollup_cuboids('unit_sales')) c, unnest(feedback.rollup_grains()) g
  ON CONFLICT (cuboid, dealer_id, grain, period, product_id, service_center_id) DO UPDATE SET units = r.units + excluded.units;
END $$;
--> statement-breakpoint
-- The year cells from the month cells, and the all-time cells from the year cells: counts add, histograms and
-- repeat gaps merge, and a cell keeps its exact hours when it has 64 at most and every cell it sums kept its own
-- (as a cell the facts fill keeps them up to 64). Idempotent: the coarse cells are replaced whole.
CREATE FUNCTION feedback.roll_up_coarse_grains() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback SET work_mem = '256MB' AS $$
DECLARE
  step record;
BEGIN
  DELETE FROM feedback.satisfaction_rollups WHERE grain IN ('year', 'all');
  DELETE FROM feedback.resolution_rollups WHERE grain IN ('year', 'all');
  DELETE FROM feedback.failure_rollups WHERE grain IN ('year', 'all');
  DELETE FROM feedback.claim_rollups WHERE grain IN ('year', 'all');
  DELETE FROM feedback.unit_sale_rollups WHERE grain IN ('year', 'all');
  FOR step IN SELECT * FROM (VALUES ('month', 'year'), ('year', 'all')) s(finer, coarser) LOOP
    INSERT INTO feedback.satisfaction_rollups (cuboid, grain, period, kind, dealer_id, product_id, service_center_id, technician_id,
        sla_outcome, coverage, first_time_fix, responses, score_sum, satisfied, promoters, passives, detractors)
    SELECT r.cuboid, step.coarser, feedback.rollup_period(step.coarser, r.period), r.kind, r.dealer_id, r.product_id, r.service_center_id,
           r.technician_id, r.sla_outcome, r.coverage, r.first_time_fix,
           sum(r.responses), sum(r.score_sum), sum(r.satisfied), sum(r.promoters), sum(r.passives), sum(r.detractors)
    FROM feedback.satisfaction_rollups r WHERE r.grain = step.finer
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

    INSERT INTO feedback.resolution_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, technician_id,
        resolved, sla_met, repairs, first_time_fixes, hours, hours_exact, unit_repairs, repeat_gaps)
    SELECT r.cuboid, step.coarser, feedback.rollup_period(step.coarser, r.period), r.dealer_id, r.product_id, r.service_center_id, r.technician_id,
           sum(r.resolved), sum(r.sla_met), sum(r.repairs), sum(r.first_time_fixes), feedback.counts_sum(r.hours),
           CASE WHEN sum(r.resolved) <= 64 AND bool_and(r.hours_exact IS NOT NULL) THEN feedback.concatenated(r.hours_exact) END,
           sum(r.unit_repairs), feedback.counts_sum(r.repeat_gaps)
    FROM feedback.resolution_rollups r WHERE r.grain = step.finer
    GROUP BY 1, 2, 3, 4, 5, 6, 7;

    INSERT INTO feedback.failure_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, failure_code, tickets)
    SELECT r.cuboid, step.coarser, feedback.rollup_period(step.coarser, r.period), r.dealer_id, r.product_id, r.service_center_id, r.failure_code,
           sum(r.tickets)
    FROM feedback.failure_rollups r WHERE r.grain = step.finer
    GROUP BY 1, 2, 3, 4, 5, 6, 7;

    INSERT INTO feedback.claim_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, currency, claims, approved_claims, approved_cost)
    SELECT r.cuboid, step.coarser, feedback.rollup_period(step.coarser, r.period), r.dealer_id, r.product_id, r.service_center_id, r.currency,
           sum(r.claims), sum(r.approved_claims), sum(r.approved_cost)
    FROM feedback.claim_rollups r WHERE r.grain = step.finer
    GROUP BY 1, 2, 3, 4, 5, 6, 7;

    INSERT INTO feedback.unit_sale_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, units)
    SELECT r.cuboid, step.coarser, feedback.rollup_period(step.coarser, r.period), r.dealer_id, r.product_id, r.service_center_id, sum(r.units)
    FROM feedback.unit_sale_rollups r WHERE r.grain = step.finer
    GROUP BY 1, 2, 3, 4, 5, 6;
  END LOOP;
END $$;
--> statement-breakpoint
-- The rebuild: day and month cells from the facts, in one pass per rollup and grain (migration 0006's function,
-- renamed), then the coarser grains from the month cells.
ALTER FUNCTION feedback.rebuild_insight_rollups() RENAME TO rebuild_day_and_month_rollups;
--> statement-breakpoint
CREATE FUNCTION feedback.rebuild_insight_rollups() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback AS $$
BEGIN
  PERFORM feedback.rebuild_day_and_month_rollups();
  PERFORM feedback.roll_up_coarse_grains();
END $$;
--> statement-breakpoint
SELECT feedback.roll_up_coarse_grains();
