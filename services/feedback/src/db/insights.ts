import { executeRows, floatsOf, groupConnection, moneyOf, type Database, type GroupPage } from "@aftersales/kit";
import { sql, type SQL } from "drizzle-orm";
import type { InsightsDimension, SatisfactionMeasure, SatisfactionSplit } from "../generated/graphql.js";
import { histogramPercentiles } from "../domain/sketch.js";
import { DAY_MS, PASSIVES_FROM, PROMOTERS_FROM, SATISFIED_FROM } from "../domain/survey.js";
import { cellConditions, cellKeyOf, cuboidFor, neededDimensions } from "./rollups.js";

/**
 * The insights' SQL. Every figure is one aggregate statement over this
 * subgraph's projections (`ticket_facts`, `surveys`, `claim_facts`,
 * `known_units`), under the caller's row-level security: a DEALER's
 * statements see only its own rows, whatever the filter says.
 */

/** The slice asked for, validated; days are UTC. */
export interface InsightsScope {
  from: string | null;
  to: string | null;
  productIds: string[] | null;
  dealerIds: string[] | null;
  serviceCenterIds: string[] | null;
}

/** What an `Insights` object resolves from. */
export interface InsightsQuery {
  scope: InsightsScope;
}

export interface GroupRow {
  dimension: InsightsDimension;
  key: string | null;
  label: string;
}

/** How many rows `query` gives. */
async function countRows(db: Database, query: SQL): Promise<number> {
  const [row] = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from (${query}) counted`);
  return Number(row?.n ?? 0);
}

const startOf = (day: string) => new Date(`${day}T00:00:00Z`);
const endOf = (day: string) => new Date(startOf(day).getTime() + DAY_MS);

/** The filter's conditions on a table whose rows carry these columns (by name); `at` dates the rows. */
function conditions(scope: InsightsScope, columns: { at: string; atIsDate?: boolean; product: string; dealer: string; serviceCenter: string | null }): SQL[] {
  const column = (name: string) => sql.raw(name);
  const bound = (day: string, edge: (day: string) => Date) => (columns.atIsDate ? sql`${day}::date` : sql`${edge(day).toISOString()}::timestamptz`);
  const where: SQL[] = [];
  if (scope.from) where.push(sql`${column(columns.at)} >= ${bound(scope.from, startOf)}`);
  if (scope.to) where.push(columns.atIsDate ? sql`${column(columns.at)} <= ${sql`${scope.to}::date`}` : sql`${column(columns.at)} < ${bound(scope.to, endOf)}`);
  if (scope.productIds) where.push(sql`${column(columns.product)} = any(${textArray(scope.productIds)})`);
  if (scope.dealerIds) where.push(sql`${column(columns.dealer)} = any(${textArray(scope.dealerIds)})`);
  if (scope.serviceCenterIds && columns.serviceCenter) where.push(sql`${column(columns.serviceCenter)} = any(${textArray(scope.serviceCenterIds)})`);
  return where;
}

const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
const and = (parts: readonly SQL[]) => (parts.length ? sql.join([...parts], sql` and `) : sql`true`);

/** The SQL of a group's key, by dimension, over a table aliased `t` whose rows are dated by `at`. */
function keyOf(dimension: InsightsDimension, at: string): SQL {
  switch (dimension) {
    case "TOTAL":
      return sql`'total'`;
    case "PRODUCT":
      return sql.raw("t.product_id");
    case "DEALER":
      return sql.raw("t.dealer_id");
    case "SERVICE_CENTER":
      return sql.raw("t.service_center_id");
    case "TECHNICIAN":
      return sql.raw("t.technician_id");
    case "MONTH":
      return sql.raw(`to_char(${at} at time zone 'UTC', 'YYYY-MM')`);
    case "WEEK":
      return sql.raw(`to_char(${at} at time zone 'UTC', 'IYYY-"W"IW')`);
  }
}

/** Months and weeks read in time order; everything else largest first. */
const groupOrder = (dimension: InsightsDimension, size: string, alias = "g") =>
  dimension === "MONTH" || dimension === "WEEK" ? sql.raw(`${alias}.key asc`) : sql.raw(`${alias}.${size} desc, ${alias}.key asc nulls last`);

/** Readable names for the page's keys, joined from the projections of products and dealers. */
function labelJoin(dimension: InsightsDimension): { join: SQL; label: SQL } {
  if (dimension === "PRODUCT") return { join: sql`left join feedback.known_products named on named.id = g.key`, label: sql`named.name` };
  if (dimension === "DEALER" || dimension === "SERVICE_CENTER")
    return { join: sql`left join feedback.known_dealers named on named.id = g.key`, label: sql`named.name` };
  return { join: sql``, label: sql`null::text` };
}

/**
 * Groups the rows `from` selects (aliased `t`) by `dimension` and computes
 * `figures` per group: one statement for a page of groups and their count.
 */
async function groupedPage<Figures>(
  db: Database,
  options: { dimension: InsightsDimension; key: SQL; from: SQL; where: SQL[]; figures: SQL; having?: SQL; size: string; page: GroupPage },
): Promise<{ rows: (Figures & { group: GroupRow })[]; total: number }> {
  const { dimension, page } = options;
  const { join, label } = labelJoin(dimension);
  // Cells of a rollup can be left empty by a fact that moved away: a group is there when something is counted in it.
  const having = options.having ? sql`having ${options.having}` : sql``;
  const groups = sql`select ${options.key} as key, ${options.figures} from ${options.from} where ${and(options.where)} group by 1 ${having}`;
  const rows = await executeRows<Figures & { key: string | null; label: string | null; total_groups: number }>(
    db,
    sql`select g.*, ${label} as label, count(*) over () as total_groups
        from (${groups}) g
        ${join}
        order by ${groupOrder(dimension, options.size)}
        limit ${page.limit} offset ${page.offset}`,
  );
  // The count comes with any row; an empty page asks for it alone, unless it is the first of a list with nothing in it.
  const total = rows[0] ? Number(rows[0].total_groups) : page.offset === 0 && page.limit > 0 ? 0 : await countRows(db, groups);
  return {
    total,
    rows: rows.map(({ key, label: name, total_groups: _total, ...figures }) => ({
      ...(figures as unknown as Figures),
      group: { dimension, key, label: name ?? key ?? "none" },
    })),
  };
}

// ---------------------------------------------------------------------------
// Satisfaction
// ---------------------------------------------------------------------------

export interface SatisfactionSums {
  responses: number;
  score_sum: number;
  satisfied: number;
  promoters: number;
  passives: number;
  detractors: number;
}

const SATISFACTION_SUMS = sql.raw(`count(*)::int as responses, coalesce(sum(t.score), 0)::int as score_sum,
  (count(*) filter (where t.score >= ${SATISFIED_FROM}))::int as satisfied,
  (count(*) filter (where t.score >= ${PROMOTERS_FROM}))::int as promoters,
  (count(*) filter (where t.score >= ${PASSIVES_FROM} and t.score < ${PROMOTERS_FROM}))::int as passives,
  (count(*) filter (where t.score < ${PASSIVES_FROM}))::int as detractors`);

/** The same sums from satisfaction rollups, whose cells count with the same bands. */
const ROLLED_SATISFACTION_SUMS = sql.raw(`sum(t.responses)::int as responses, sum(t.score_sum)::int as score_sum,
  sum(t.satisfied)::int as satisfied, sum(t.promoters)::int as promoters, sum(t.passives)::int as passives, sum(t.detractors)::int as detractors`);

const answeredSurveys = (scope: InsightsScope, measure: SatisfactionMeasure) => [
  sql`t.status = 'ANSWERED'`,
  sql`t.kind = ${measure}`,
  ...conditions(scope, { at: "t.answered_at", product: "t.product_id", dealer: "t.dealer_id", serviceCenter: "t.service_center_id" }),
];

export function satisfactionGroups(db: Database, scope: InsightsScope, measure: SatisfactionMeasure, dimension: InsightsDimension, page: GroupPage) {
  const cuboid = cuboidFor("satisfaction", neededDimensions(scope, dimension));
  if (cuboid === null) {
    return groupedPage<SatisfactionSums>(db, {
      dimension,
      key: keyOf(dimension, "t.answered_at"),
      from: sql`feedback.surveys t`,
      where: answeredSurveys(scope, measure),
      figures: SATISFACTION_SUMS,
      size: "responses",
      page,
    });
  }
  return groupedPage<SatisfactionSums>(db, {
    dimension,
    key: cellKeyOf(dimension),
    from: sql`feedback.satisfaction_rollups t`,
    where: [sql`t.kind = ${measure}`, ...cellConditions(cuboid, scope, { groupBy: dimension })],
    figures: ROLLED_SATISFACTION_SUMS,
    having: sql`sum(t.responses) > 0`,
    size: "responses",
    page,
  });
}

const SPLITS: Record<SatisfactionSplit, SQL> = {
  SLA_OUTCOME: sql.raw(`case when t.sla_breached then 'BREACHED' else 'MET' end`),
  COVERAGE: sql.raw(`coalesce(t.coverage, 'NONE')`),
  FIRST_TIME_FIX: sql.raw(`case when t.first_time_fix then 'FIRST_TIME' else 'NOT_FIRST_TIME' end`),
};

/** The splits' keys as satisfaction rollups keep them (the triggers compute them as SPLITS does). */
const ROLLED_SPLITS: Record<SatisfactionSplit, SQL> = {
  SLA_OUTCOME: sql.raw("t.sla_outcome"),
  COVERAGE: sql.raw("t.coverage"),
  FIRST_TIME_FIX: sql.raw("t.first_time_fix"),
};

export function satisfactionSplit(db: Database, scope: InsightsScope, by: SatisfactionSplit) {
  const cuboid = cuboidFor("satisfaction", neededDimensions(scope, "SPLIT"));
  if (cuboid === null) {
    return executeRows<SatisfactionSums & { key: string }>(
      db,
      sql`select ${SPLITS[by]} as key, ${SATISFACTION_SUMS} from feedback.surveys t
          where ${and(answeredSurveys(scope, "CSAT"))} group by 1 order by 1`,
    );
  }
  return executeRows<SatisfactionSums & { key: string }>(
    db,
    sql`select ${ROLLED_SPLITS[by]} as key, ${ROLLED_SATISFACTION_SUMS} from feedback.satisfaction_rollups t
        where ${and([sql`t.kind = 'CSAT'`, ...cellConditions(cuboid, scope)])} group by 1 having sum(t.responses) > 0 order by 1`,
  );
}

/** The figures a measure shows, from the sums of its answers. */
export function satisfactionFigures(measure: SatisfactionMeasure, sums: SatisfactionSums) {
  const n = Number(sums.responses);
  const share = (count: number) => (n ? Number(count) / n : null);
  const nps = measure === "NPS";
  return {
    responses: n,
    averageScore: n ? Number(sums.score_sum) / n : null,
    satisfiedShare: nps ? null : share(sums.satisfied),
    promoters: nps ? Number(sums.promoters) : null,
    passives: nps ? Number(sums.passives) : null,
    detractors: nps ? Number(sums.detractors) : null,
    nps: nps && n ? ((Number(sums.promoters) - Number(sums.detractors)) * 100) / n : null,
  };
}

// ---------------------------------------------------------------------------
// Resolution, first-time fix, repeat repairs
// ---------------------------------------------------------------------------

export interface ResolutionSums {
  resolved: number;
  sla_met: number;
  /** The median and the 90th percentile, exact: from one sort of the group's hours. */
  hours_percentiles: (number | string)[] | string | null;
  /** Or, where the group's hours are too many to keep, their histogram as `[[bucket, count], ...]` (domain/sketch). */
  hours_histogram?: [number, number][] | null;
  repairs: number;
  first_time_fixes: number;
}

const resolvedTickets = (scope: InsightsScope) => [
  sql`t.resolved_at is not null`,
  ...conditions(scope, { at: "t.resolved_at", product: "t.product_id", dealer: "t.dealer_id", serviceCenter: "t.service_center_id" }),
];

export async function resolutionGroups(db: Database, scope: InsightsScope, dimension: InsightsDimension, page: GroupPage) {
  const cuboid = cuboidFor("resolution", neededDimensions(scope, dimension));
  if (cuboid === null) {
    return groupedPage<ResolutionSums>(db, {
      dimension,
      key: keyOf(dimension, "t.resolved_at"),
      from: sql`feedback.ticket_facts t`,
      where: resolvedTickets(scope),
      figures: sql.raw(`count(*)::int as resolved,
        (count(*) filter (where not t.sla_breached))::int as sla_met,
        percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from t.resolved_at - t.opened_at) / 3600) as hours_percentiles,
        (count(*) filter (where t.kind = 'REPAIR'))::int as repairs,
        (count(*) filter (where t.kind = 'REPAIR' and t.reopen_count = 0 and not t.waited_for_parts))::int as first_time_fixes`),
      size: "resolved",
      page,
    });
  }
  // One statement: the page of groups from the cells' counts, then for its groups alone the exact percentiles where
  // every cell still holds its hours, and the merged histogram where not.
  const { join, label } = labelJoin(dimension);
  const where = cellConditions(cuboid, scope, { groupBy: dimension });
  const rows = await executeRows<ResolutionSums & { key: string | null; label: string | null; total_groups: number }>(
    db,
    sql`with cells as materialized (
          select ${cellKeyOf(dimension)} as key, t.resolved, t.sla_met, t.repairs, t.first_time_fixes, t.hours, t.hours_exact
          from feedback.resolution_rollups t where ${and(where)}),
        page as (
          select g.*, ${label} as label, count(*) over () as total_groups
          from (select key, sum(resolved)::int as resolved, sum(sla_met)::int as sla_met, sum(repairs)::int as repairs,
                       sum(first_time_fixes)::int as first_time_fixes, bool_and(hours_exact is not null) as exact
                from cells group by 1 having sum(resolved) > 0) g
          ${join}
          order by ${groupOrder(dimension, "resolved")}
          limit ${page.limit} offset ${page.offset}),
        exact as (
          select c.key, percentile_cont(array[0.5, 0.9]) within group (order by v.hour) as hours_percentiles
          from cells c join page p on p.key is not distinct from c.key and p.exact, unnest(c.hours_exact) v(hour) group by 1),
        histogram as (
          select key, json_agg(json_build_array(bucket, n)) as hours_histogram
          from (select c.key, b.key::int as bucket, sum(b.value::int)::int as n
                from cells c join page p on p.key is not distinct from c.key and not p.exact, jsonb_each_text(c.hours) b group by 1, 2) b
          group by 1)
        select page.key, page.label, page.total_groups, page.resolved, page.sla_met, page.repairs, page.first_time_fixes,
               exact.hours_percentiles, histogram.hours_histogram
        from page left join exact on exact.key is not distinct from page.key left join histogram on histogram.key is not distinct from page.key
        order by ${groupOrder(dimension, "resolved", "page")}`,
  );
  const total = rows[0]
    ? Number(rows[0].total_groups)
    : page.offset === 0 && page.limit > 0
      ? 0
      : await countRows(db, sql`select ${cellKeyOf(dimension)} from feedback.resolution_rollups t where ${and(where)} group by 1 having sum(t.resolved) > 0`);
  return {
    total,
    rows: rows.map(({ key, label: name, total_groups: _total, ...figures }) => ({ ...figures, group: { dimension, key, label: name ?? key ?? "none" } })),
  };
}

export function resolutionFigures(sums: ResolutionSums) {
  const [median = null, p90 = null] = sums.hours_histogram ? histogramPercentiles(sums.hours_histogram, [0.5, 0.9]) : floatsOf(sums.hours_percentiles);
  const resolved = Number(sums.resolved);
  const repairs = Number(sums.repairs);
  return {
    resolved,
    slaMet: Number(sums.sla_met),
    slaCompliance: resolved ? Number(sums.sla_met) / resolved : null,
    medianHoursToResolve: median,
    p90HoursToResolve: p90,
    firstTimeFixes: Number(sums.first_time_fixes),
    repairs,
    firstTimeFixRate: repairs ? Number(sums.first_time_fixes) / repairs : null,
  };
}

export function repeatRepairGroups(db: Database, scope: InsightsScope, withinDays: number, dimension: InsightsDimension, page: GroupPage) {
  const cuboid = cuboidFor("resolution", neededDimensions(scope, dimension));
  if (cuboid === null) {
    return groupedPage<{ repairs: number; repeated: number }>(db, {
      dimension,
      key: keyOf(dimension, "t.resolved_at"),
      from: sql`feedback.ticket_facts t`,
      where: [sql`t.kind = 'REPAIR'`, sql`t.unit_id is not null`, ...resolvedTickets(scope)],
      figures: sql`count(*)::int as repairs,
        (count(*) filter (where t.next_repair_opened_at <= t.resolved_at + make_interval(days => ${withinDays}::int)))::int as repeated`,
      size: "repairs",
      page,
    });
  }
  // A cell counts its repairs' next repairs by whole days after (rounded up): within N days is up to N of them.
  return groupedPage<{ repairs: number; repeated: number }>(db, {
    dimension,
    key: cellKeyOf(dimension),
    from: sql`feedback.resolution_rollups t cross join lateral (
      select coalesce(sum(gap.value::int), 0) as repeated from jsonb_each_text(t.repeat_gaps) gap where gap.key::int <= ${withinDays}::int) r`,
    where: cellConditions(cuboid, scope, { groupBy: dimension }),
    figures: sql`sum(t.unit_repairs)::int as repairs, sum(r.repeated)::int as repeated`,
    having: sql`sum(t.unit_repairs) > 0`,
    size: "repairs",
    page,
  });
}

// ---------------------------------------------------------------------------
// Failure Pareto, warranty claims
// ---------------------------------------------------------------------------

export async function failurePareto(db: Database, scope: InsightsScope, productId: string, page: GroupPage) {
  const productScope = { ...scope, productIds: [productId] };
  const cuboid = cuboidFor("failures", neededDimensions(productScope, null));
  const counts =
    cuboid === null
      ? sql`select coalesce(t.failure_code, 'UNKNOWN') as failure_code, count(*)::int as tickets from feedback.ticket_facts t
            where ${and([
              sql`t.kind = 'REPAIR'`,
              sql`t.product_id = ${productId}`,
              ...conditions(
                { ...scope, productIds: null },
                { at: "t.opened_at", product: "t.product_id", dealer: "t.dealer_id", serviceCenter: "t.service_center_id" },
              ),
            ])}
            group by 1`
      : sql`select t.failure_code, sum(t.tickets)::int as tickets from feedback.failure_rollups t
            where ${and(cellConditions(cuboid, productScope))} group by 1 having sum(t.tickets) > 0`;
  const rows = await executeRows<{ failure_code: string; tickets: number; total_tickets: number; cumulative: number; total_groups: number }>(
    db,
    sql`select g.*, sum(g.tickets) over () as total_tickets,
               sum(g.tickets) over (order by g.tickets desc, g.failure_code rows unbounded preceding) as cumulative,
               count(*) over () as total_groups
        from (${counts}) g
        order by g.tickets desc, g.failure_code
        limit ${page.limit} offset ${page.offset}`,
  );
  // The totals come with any row; an empty page asks for them alone, unless it is the first of a list with nothing in it.
  const totals = rows[0]
    ? { groups: Number(rows[0].total_groups), tickets: Number(rows[0].total_tickets) }
    : page.offset === 0 && page.limit > 0
      ? { groups: 0, tickets: 0 }
      : (
          await executeRows<{ groups: number; tickets: number }>(
            db,
            sql`select count(*)::int as groups, coalesce(sum(g.tickets), 0)::int as tickets from (${counts}) g`,
          )
        ).map((r) => ({ groups: Number(r.groups), tickets: Number(r.tickets) }))[0]!;
  const modes = rows.map((row) => ({
    failureCode: row.failure_code,
    tickets: Number(row.tickets),
    share: Number(row.tickets) / totals.tickets,
    cumulativeShare: Number(row.cumulative) / totals.tickets,
  }));
  return { ...groupConnection(modes, page, totals.groups), totalTickets: totals.tickets };
}

export interface ClaimRateRow {
  productId: string;
  productName: string;
  unitsSold: number;
  claims: number;
  approvedCost: { amount: string; currency: string }[];
}

/** Claims count by the workshop that filed them, units by the dealer that sold them; both from their rollups. */
export async function warrantyClaimRates(db: Database, scope: InsightsScope, page: GroupPage) {
  // A claim's dealer is the workshop that repaired the unit: a dealer or a service center filter both name it.
  const workshops = [...(scope.dealerIds ?? []), ...(scope.serviceCenterIds ?? [])];
  const claimDealers = workshops.length ? workshops : null;
  const claimCells = and(cellConditions(claimDealers ? "DP" : "P", { ...scope, dealerIds: claimDealers }, { serviceCenterFilter: false }));
  const unitCells = and(cellConditions(scope.dealerIds ? "DP" : "P", scope, { serviceCenterFilter: false }));
  const products = sql`with claims as (
          select t.product_id, sum(t.claims)::int as claims from feedback.claim_rollups t where ${claimCells} group by 1 having sum(t.claims) > 0),
        costs as (
          select cost.product_id, json_agg(json_build_object('amount', cost.amount::text, 'currency', cost.currency) order by cost.currency) as cost
          from (select t.product_id, t.currency, sum(t.approved_cost) as amount from feedback.claim_rollups t
                where ${claimCells} group by 1, 2 having sum(t.approved_claims) > 0) cost
          group by cost.product_id),
        sold as (
          select t.product_id, sum(t.units)::int as units_sold from feedback.unit_sale_rollups t where ${unitCells} group by 1 having sum(t.units) > 0)
        select ids.product_id, p.name as product_name, coalesce(sold.units_sold, 0) as units_sold, coalesce(claims.claims, 0) as claims, costs.cost
        from (select product_id from claims union select product_id from sold) ids
        left join claims using (product_id) left join sold using (product_id) left join costs using (product_id)
        left join feedback.known_products p on p.id = ids.product_id`;
  const rows = await executeRows<{
    product_id: string;
    product_name: string | null;
    units_sold: number;
    claims: number;
    cost: { amount: string; currency: string }[] | null;
    total_groups: number;
  }>(
    db,
    sql`select page.*, count(*) over () as total_groups from (${products}) page
        order by page.claims desc, page.product_id limit ${page.limit} offset ${page.offset}`,
  );
  const total = rows[0] ? Number(rows[0].total_groups) : page.offset === 0 && page.limit > 0 ? 0 : await countRows(db, products);
  const nodes: ClaimRateRow[] = rows.map((row) => ({
    productId: row.product_id,
    productName: row.product_name ?? row.product_id,
    unitsSold: Number(row.units_sold),
    claims: Number(row.claims),
    approvedCost: (row.cost ?? []).map((cost) => moneyOf(cost.amount, cost.currency)),
  }));
  return groupConnection(nodes, page, total);
}
