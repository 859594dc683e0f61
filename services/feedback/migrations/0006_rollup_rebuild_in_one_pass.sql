-- The rollups' rebuild in one pass over the facts per rollup and grain: every cuboid's cells come from one
-- INSERT ... SELECT ... GROUP BY GROUPING SETS (one set per cuboid), where the first rebuild (migration 0004) read
-- the facts again for each cuboid. The rollups' indexes are dropped for the fill and built again over the
-- finished tables: one sort each, rather than a btree insertion per cell (at a million tickets the rollups hold
-- some ten million cells). The cuboid lists are the ones of migration 0004 and src/db/rollups.ts.
--
-- The columns a cuboid's letter stands for, in the order letters are written (D, P, C, T, S).
CREATE FUNCTION feedback.rollup_letter_columns() RETURNS TABLE (ord integer, letter text, columns text) LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ VALUES (1, 'D', 'dealer_id'), (2, 'P', 'product_id'), (3, 'C', 'service_center_id'), (4, 'T', 'technician_id'),
               (5, 'S', 'sla_outcome, coverage, first_time_fix') $$;
--> statement-breakpoint
-- `GROUPING SETS (...)` with one set per cuboid: the columns its letters name.
CREATE FUNCTION feedback.rollup_grouping_sets(cuboids text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'GROUPING SETS (' || string_agg(
           '(' || coalesce((SELECT string_agg(m.columns, ', ' ORDER BY m.ord) FROM feedback.rollup_letter_columns() m WHERE strpos(c, m.letter) > 0), '')
               || ')', ', ') || ')'
        FROM unnest(cuboids) c $$;
--> statement-breakpoint
-- An expression naming the cuboid of a grouping set's row: the letters of the columns it groups by, of those in `letters`.
CREATE FUNCTION feedback.rollup_cuboid_name(letters text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT string_agg(format('CASE WHEN grouping(%s) = 0 THEN %L ELSE '''' END', split_part(m.columns, ',', 1), m.letter), ' || ' ORDER BY m.ord)
        FROM feedback.rollup_letter_columns() m WHERE strpos(letters, m.letter) > 0 $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION feedback.rebuild_insight_rollups() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, feedback SET enable_nestloop = off SET work_mem = '256MB' SET maintenance_work_mem = '512MB' AS $$
DECLARE
  rollups regclass[] := ARRAY['feedback.satisfaction_rollups', 'feedback.resolution_rollups', 'feedback.failure_rollups',
                              'feedback.claim_rollups', 'feedback.unit_sale_rollups']::regclass[];
  satisfaction text[] := ARRAY['', 'P', 'C', 'CT', 'PC', 'S', 'PS', 'CS', 'D', 'DP', 'DC', 'DCT', 'DS', 'DPS', 'DCS'];
  resolution text[] := ARRAY['', 'P', 'C', 'CT', 'PC', 'D', 'DP', 'DC', 'DCT'];
  failures text[] := ARRAY['P', 'PC', 'DP'];
  claims_and_sales text[] := ARRAY['P', 'DP'];
  definitions text[];
  index_name text;
  definition text;
  g text;
BEGIN
  TRUNCATE feedback.satisfaction_rollups, feedback.resolution_rollups, feedback.failure_rollups, feedback.claim_rollups, feedback.unit_sale_rollups;
  -- The indexes as they are defined now, to build again once the cells are in (none backs a constraint).
  SELECT array_agg(pg_get_indexdef(i.indexrelid)) INTO definitions FROM pg_index i WHERE i.indrelid = ANY (rollups);
  FOR index_name IN SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = ANY (rollups) LOOP
    EXECUTE format('DROP INDEX %s', index_name);
  END LOOP;
  FOREACH g IN ARRAY ARRAY['day', 'month'] LOOP
    -- A column a grouping set leaves out is null in its rows: '' in the cell (all dealers: '*'), as the triggers write it.
    EXECUTE format($q$
      INSERT INTO feedback.satisfaction_rollups (cuboid, grain, period, kind, dealer_id, product_id, service_center_id, technician_id,
          sla_outcome, coverage, first_time_fix, responses, score_sum, satisfied, promoters, passives, detractors)
      SELECT %s, $1, period, kind, coalesce(dealer_id, '*'), coalesce(product_id, ''), coalesce(service_center_id, ''), coalesce(technician_id, ''),
             coalesce(sla_outcome, ''), coalesce(coverage, ''), coalesce(first_time_fix, ''),
             count(*), sum(score), count(*) FILTER (WHERE score >= 4), count(*) FILTER (WHERE score >= 9),
             count(*) FILTER (WHERE score >= 7 AND score < 9), count(*) FILTER (WHERE score < 7)
      FROM (SELECT feedback.rollup_period($1, (s.answered_at AT TIME ZONE 'UTC')::date) AS period, s.kind::text AS kind, s.dealer_id,
                   coalesce(s.product_id, '') AS product_id, coalesce(s.service_center_id, '') AS service_center_id,
                   coalesce(s.technician_id, '') AS technician_id, CASE WHEN s.sla_breached THEN 'BREACHED' ELSE 'MET' END AS sla_outcome,
                   coalesce(s.coverage, 'NONE') AS coverage, CASE WHEN s.first_time_fix THEN 'FIRST_TIME' ELSE 'NOT_FIRST_TIME' END AS first_time_fix, s.score
            FROM feedback.surveys s WHERE s.status = 'ANSWERED' AND s.score IS NOT NULL AND s.answered_at IS NOT NULL) s
      GROUP BY period, kind, %s
      -- Only CSAT answers are split by SLA outcome, coverage and first-time fix.
      HAVING grouping(sla_outcome) = 1 OR kind = 'CSAT'
      $q$, feedback.rollup_cuboid_name('DPCTS'), feedback.rollup_grouping_sets(satisfaction)) USING g;

    EXECUTE format($q$
      INSERT INTO feedback.resolution_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, technician_id,
          resolved, sla_met, repairs, first_time_fixes, hours, hours_exact, unit_repairs, repeat_gaps)
      WITH facts AS MATERIALIZED (
        SELECT period, dealer_id, product_id, service_center_id, technician_id, sla_breached, repair, first_time_fix, h,
               feedback.hour_bucket(h)::text AS bucket, unit_repair, gap
        FROM (SELECT feedback.rollup_period($1, (t.resolved_at AT TIME ZONE 'UTC')::date) AS period, t.dealer_id,
                     coalesce(t.product_id, '') AS product_id, coalesce(t.service_center_id, '') AS service_center_id,
                     coalesce(t.technician_id, '') AS technician_id,
                     t.sla_breached, t.kind = 'REPAIR' AS repair, t.kind = 'REPAIR' AND t.reopen_count = 0 AND NOT t.waited_for_parts AS first_time_fix,
                     (extract(epoch FROM t.resolved_at - t.opened_at) / 3600)::double precision AS h,
                     t.kind = 'REPAIR' AND t.unit_id IS NOT NULL AS unit_repair,
                     CASE WHEN t.kind = 'REPAIR' AND t.unit_id IS NOT NULL AND t.next_repair_opened_at IS NOT NULL
                          THEN greatest(1, ceil(extract(epoch FROM t.next_repair_opened_at - t.resolved_at) / 86400))::integer END AS gap
              FROM feedback.ticket_facts t WHERE t.resolved_at IS NOT NULL) t),
      cells AS (
        SELECT %1$s AS cuboid, period, coalesce(dealer_id, '*') AS dealer_id, coalesce(product_id, '') AS product_id,
               coalesce(service_center_id, '') AS service_center_id, coalesce(technician_id, '') AS technician_id, count(*)::integer AS resolved,
               (count(*) FILTER (WHERE NOT sla_breached))::integer AS sla_met, (count(*) FILTER (WHERE repair))::integer AS repairs,
               (count(*) FILTER (WHERE first_time_fix))::integer AS first_time_fixes,
               CASE WHEN count(*) <= 64 THEN array_agg(h) END AS hours_exact, (count(*) FILTER (WHERE unit_repair))::integer AS unit_repairs
        FROM facts GROUP BY period, %2$s),
      buckets AS (
        SELECT cuboid, period, dealer_id, product_id, service_center_id, technician_id, jsonb_object_agg(bucket, n) AS hours
        FROM (SELECT %1$s AS cuboid, period, coalesce(dealer_id, '*') AS dealer_id, coalesce(product_id, '') AS product_id,
                     coalesce(service_center_id, '') AS service_center_id, coalesce(technician_id, '') AS technician_id, bucket, count(*) AS n
              FROM facts GROUP BY period, bucket, %2$s) b
        GROUP BY 1, 2, 3, 4, 5, 6),
      gaps AS (
        SELECT cuboid, period, dealer_id, product_id, service_center_id, technician_id, jsonb_object_agg(gap, n) AS repeat_gaps
        FROM (SELECT %1$s AS cuboid, period, coalesce(dealer_id, '*') AS dealer_id, coalesce(product_id, '') AS product_id,
                     coalesce(service_center_id, '') AS service_center_id, coalesce(technician_id, '') AS technician_id, gap::text AS gap, count(*) AS n
              FROM facts WHERE gap <= 365 GROUP BY period, gap, %2$s) b
        GROUP BY 1, 2, 3, 4, 5, 6)
      SELECT cuboid, $1, period, dealer_id, product_id, service_center_id, technician_id, cells.resolved, cells.sla_met, cells.repairs,
             cells.first_time_fixes, buckets.hours, cells.hours_exact, cells.unit_repairs, coalesce(gaps.repeat_gaps, '{}'::jsonb)
      FROM cells JOIN buckets USING (cuboid, period, dealer_id, product_id, service_center_id, technician_id)
      LEFT JOIN gaps USING (cuboid, period, dealer_id, product_id, service_center_id, technician_id)
      $q$, feedback.rollup_cuboid_name('DPCT'), feedback.rollup_grouping_sets(resolution)) USING g;

    EXECUTE format($q$
      INSERT INTO feedback.failure_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, failure_code, tickets)
      SELECT %s, $1, period, coalesce(dealer_id, '*'), product_id, coalesce(service_center_id, ''), failure_code, count(*)
      FROM (SELECT feedback.rollup_period($1, (t.opened_at AT TIME ZONE 'UTC')::date) AS period, t.dealer_id, t.product_id,
                   coalesce(t.service_center_id, '') AS service_center_id, coalesce(t.failure_code, 'UNKNOWN') AS failure_code
            FROM feedback.ticket_facts t WHERE t.kind = 'REPAIR' AND t.product_id IS NOT NULL) t
      GROUP BY period, failure_code, %s
      $q$, feedback.rollup_cuboid_name('DPC'), feedback.rollup_grouping_sets(failures)) USING g;

    EXECUTE format($q$
      INSERT INTO feedback.claim_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, currency, claims, approved_claims, approved_cost)
      SELECT %s, $1, period, coalesce(dealer_id, '*'), product_id, '', currency, count(*), count(*) FILTER (WHERE approved),
             coalesce(sum(approved_total) FILTER (WHERE approved), 0)
      FROM (SELECT feedback.rollup_period($1, f.repair_on) AS period, f.dealer_id, f.product_id, f.currency,
                   f.status IN ('APPROVED', 'PARTIALLY_APPROVED', 'PAID') AS approved, f.approved_total
            FROM feedback.claim_facts f) f
      GROUP BY period, currency, %s
      $q$, feedback.rollup_cuboid_name('DP'), feedback.rollup_grouping_sets(claims_and_sales)) USING g;

    EXECUTE format($q$
      INSERT INTO feedback.unit_sale_rollups (cuboid, grain, period, dealer_id, product_id, service_center_id, units)
      SELECT %s, $1, period, coalesce(dealer_id, '*'), product_id, '', count(*)
      FROM (SELECT feedback.rollup_period($1, u.sold_on) AS period, u.dealer_id, u.product_id FROM feedback.known_units u WHERE u.sold_on IS NOT NULL) u
      GROUP BY period, %s
      $q$, feedback.rollup_cuboid_name('DP'), feedback.rollup_grouping_sets(claims_and_sales)) USING g;
  END LOOP;
  FOREACH definition IN ARRAY definitions LOOP
    EXECUTE definition;
  END LOOP;
END $$;
