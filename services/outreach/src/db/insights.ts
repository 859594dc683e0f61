import { executeRows, floatsOf, moneyOf, type Database, type GroupPage } from "@aftersales/kit";
import { sql, type SQL } from "drizzle-orm";
import { CONTACTED_STATUSES, PASSIVES_FROM, PROMOTERS_FROM, SATISFIED_FROM, type ConversionSums, type LevelSums } from "../domain/insights.js";
import { REASON_KINDS, rankOf, type ReasonKind, type RelationshipLevel } from "../domain/reasons.js";
import type { OutreachInsightsDimension } from "../generated/graphql.js";

/**
 * The outreach insights' SQL: one aggregate statement per figure, over the
 * items and this subgraph's copies of the other subgraphs' events, under the
 * caller's row-level security (a DEALER's statements see its own rows only,
 * whatever the filter says).
 */

/** The slice asked for, validated; days are UTC. */
export interface OutreachInsightsScope {
  from: string | null;
  to: string | null;
  dealerIds: string[] | null;
  reasons: ReasonKind[] | null;
}

/** What an `OutreachInsights` object resolves from. */
export interface OutreachInsightsQuery {
  scope: OutreachInsightsScope;
}

export interface ConversionGroup {
  dimension: OutreachInsightsDimension;
  key: string;
  label: string;
  /** Grouped by REASON: the reason. */
  reason: ReasonKind | null;
}

const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
const allOf = (parts: readonly SQL[]) => (parts.length ? sql.join([...parts], sql` and `) : sql`true`);
const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(", ");
/** The first instant of a UTC day, and of the day after it. */
const startOf = (day: string) => `${day}T00:00:00Z`;
const dayAfter = (day: string) => new Date(Date.parse(startOf(day)) + 86_400_000).toISOString();

function periodOf(scope: OutreachInsightsScope, at: string): SQL[] {
  const where: SQL[] = [];
  if (scope.from) where.push(sql`${sql.raw(at)} >= ${startOf(scope.from)}::timestamptz`);
  if (scope.to) where.push(sql`${sql.raw(at)} < ${dayAfter(scope.to)}::timestamptz`);
  return where;
}

// ---------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------

function keyOf(dimension: OutreachInsightsDimension): SQL {
  switch (dimension) {
    case "TOTAL":
      return sql`'total'`;
    case "REASON":
      return sql`t.reason`;
    case "DEALER":
      return sql`t.dealer_id`;
    case "MONTH":
      return sql`to_char(t.opened_at at time zone 'UTC', 'YYYY-MM')`;
  }
}

/** Reasons in the order they lead an item: the converted offer is the most urgent priced one of those that still held. */
const RANK = sql.raw(`case r.kind ${REASON_KINDS.map((kind) => `when '${kind}' then ${rankOf(kind)}`).join(" ")} end`);

interface CurrencySum {
  currency: string;
  amount: string;
}

/** A jsonb list as either driver returns it: parsed (postgres.js) or as text (PGlite may). */
const sumsOf = (value: CurrencySum[] | string): CurrencySum[] => (typeof value === "string" ? (JSON.parse(value) as CurrencySum[]) : value);

interface ConversionRow {
  key: string;
  opened: number;
  contacted: number;
  converted: number;
  first_contacts: number;
  hours_percentiles: (number | string | null)[] | string | null;
  revenue: CurrencySum[] | string;
  total_groups: number;
}

/**
 * Items opened in the period, grouped by `dimension`: one statement for a
 * page of groups with their figures, revenue per currency (numeric sums,
 * exact) and the number of groups.
 */
export async function conversionGroups(db: Database, scope: OutreachInsightsScope, dimension: OutreachInsightsDimension, page: GroupPage) {
  const where = [...periodOf(scope, "t.opened_at")];
  if (scope.dealerIds) where.push(sql`t.dealer_id = any(${textArray(scope.dealerIds)})`);
  if (scope.reasons) where.push(sql`t.reason = any(${textArray(scope.reasons)})`);
  const order = dimension === "MONTH" ? sql`g.key asc` : sql`g.opened desc, g.key asc`;
  const rows = await executeRows<ConversionRow>(
    db,
    sql`with groups as (
          select ${keyOf(dimension)} as key,
            count(*)::int as opened,
            (count(*) filter (where t.status in (${sql.raw(quoted(CONTACTED_STATUSES))})))::int as contacted,
            (count(*) filter (where t.status = 'CONVERTED'))::int as converted,
            count(t.first_outcome_at)::int as first_contacts,
            percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from t.first_outcome_at - t.opened_at) / 3600)
              filter (where t.first_outcome_at is not null) as hours_percentiles
          from outreach.items t
          where ${allOf(where)}
          group by 1
        ),
        offers as (
          select distinct on (t.id) ${keyOf(dimension)} as key,
            r.offer #>> '{price,currency}' as currency, (r.offer #>> '{price,amount}')::numeric as amount
          from outreach.items t join outreach.reasons r on r.item_id = t.id
          where ${allOf([...where, sql`t.status = 'CONVERTED'`, sql`r.offer #>> '{price,amount}' is not null`])}
          order by t.id, r.moot_at is not null, ${RANK}, r.raised_at, r.id
        ),
        revenue as (
          select key, jsonb_agg(jsonb_build_object('currency', currency, 'amount', total::text) order by currency) as revenue
          from (select key, currency, sum(amount) as total from offers group by key, currency) sums
          group by key
        )
        select g.*, coalesce(r.revenue, '[]'::jsonb) as revenue, count(*) over () as total_groups
        from groups g left join revenue r on r.key = g.key
        order by ${order}
        limit ${page.limit} offset ${page.offset}`,
  );
  // The count comes with any row; past the last page it takes a statement of its own.
  const total = rows[0] ? Number(rows[0].total_groups) : page.offset === 0 ? 0 : await countGroups(db, dimension, where);
  return {
    total,
    rows: rows.map((row) => ({
      group: {
        dimension,
        key: row.key,
        label: row.key,
        reason: dimension === "REASON" ? (REASON_KINDS.find((kind) => kind === row.key) ?? null) : null,
      } satisfies ConversionGroup,
      sums: {
        opened: Number(row.opened),
        contacted: Number(row.contacted),
        converted: Number(row.converted),
        firstContacts: Number(row.first_contacts),
        hoursToFirstContact: floatsOf(row.hours_percentiles),
      } satisfies ConversionSums,
      revenue: sumsOf(row.revenue).map((sum) => moneyOf(sum.amount, sum.currency)),
    })),
  };
}

async function countGroups(db: Database, dimension: OutreachInsightsDimension, where: SQL[]): Promise<number> {
  const [row] = await executeRows<{ n: number }>(db, sql`select count(distinct ${keyOf(dimension)})::int as n from outreach.items t where ${allOf(where)}`);
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------
// By relationship level
// ---------------------------------------------------------------------------

interface LevelRow {
  level: RelationshipLevel;
  customers: number;
  csat_responses: number;
  csat_score_sum: number;
  csat_satisfied: number;
  nps_responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  buyers: number;
  repeat_buyers: number;
  owners: number;
  owners_under_contract: number;
  units: number;
  units_under_contract: number;
}

/**
 * The customers of the dealers in scope by their relationship level now, in
 * one statement: their CSAT and NPS answers in the period; who bought (a unit
 * sold to them, or a consumable) and who bought again on a later day; the
 * units they own and those an active contract covers.
 */
export async function levelSums(db: Database, scope: OutreachInsightsScope): Promise<LevelSums[]> {
  const dealers = scope.dealerIds ? sql`c.home_dealer_id = any(${textArray(scope.dealerIds)})` : sql`true`;
  // A few dealers' customers are looked up one by one; everyone's are aggregated whole (a lookup per customer would cost more).
  const ofDealers = scope.dealerIds ? sql`customer_id in (select c.id from outreach.known_customers c where ${dealers})` : sql`true`;
  const rows = await executeRows<LevelRow>(
    db,
    sql`with answers as (
          select c.relationship_level as level,
            (count(*) filter (where a.kind = 'CSAT'))::int as csat_responses,
            (coalesce(sum(a.score) filter (where a.kind = 'CSAT'), 0))::int as csat_score_sum,
            (count(*) filter (where a.kind = 'CSAT' and a.score >= ${SATISFIED_FROM}))::int as csat_satisfied,
            (count(*) filter (where a.kind = 'NPS'))::int as nps_responses,
            (count(*) filter (where a.kind = 'NPS' and a.score >= ${PROMOTERS_FROM}))::int as promoters,
            (count(*) filter (where a.kind = 'NPS' and a.score >= ${PASSIVES_FROM} and a.score < ${PROMOTERS_FROM}))::int as passives,
            (count(*) filter (where a.kind = 'NPS' and a.score < ${PASSIVES_FROM}))::int as detractors
          from outreach.survey_answers a join outreach.known_customers c on c.id = a.customer_id
          where ${allOf([dealers, ...periodOf(scope, "a.answered_at")])}
          group by 1
        ),
        bases as (
          select c.relationship_level as level,
            count(*)::int as customers,
            count(p.customer_id)::int as buyers,
            (count(*) filter (where p.again))::int as repeat_buyers,
            count(o.customer_id)::int as owners,
            (count(*) filter (where o.covered > 0))::int as owners_under_contract,
            coalesce(sum(o.units), 0)::int as units,
            coalesce(sum(o.covered), 0)::int as units_under_contract
          from outreach.known_customers c
          -- Whole aggregates joined by hash: one pass over the purchases and the units, not a lookup per customer.
          left join (
            select customer_id, min(on_day) < max(on_day) as again
            from (select customer_id, sold_on as on_day from outreach.unit_sales
                  union all
                  select customer_id, purchased_on from outreach.known_purchases) bought
            where ${ofDealers}
            group by customer_id
          ) p on p.customer_id = c.id
          left join (
            select u.customer_id, count(*)::int as units, count(cu.unit_id)::int as covered
            from outreach.known_units u
            left join (select distinct unit_id from outreach.covered_units where active) cu on cu.unit_id = u.id
            where u.customer_id is not null and u.status <> 'RETIRED' and ${ofDealers}
            group by u.customer_id
          ) o on o.customer_id = c.id
          where ${dealers}
          group by 1
        )
        select b.*,
          coalesce(a.csat_responses, 0) as csat_responses, coalesce(a.csat_score_sum, 0) as csat_score_sum,
          coalesce(a.csat_satisfied, 0) as csat_satisfied, coalesce(a.nps_responses, 0) as nps_responses,
          coalesce(a.promoters, 0) as promoters, coalesce(a.passives, 0) as passives, coalesce(a.detractors, 0) as detractors
        from bases b left join answers a on a.level = b.level`,
  );
  return rows.map((row) => ({
    level: row.level,
    customers: Number(row.customers),
    csatResponses: Number(row.csat_responses),
    csatScoreSum: Number(row.csat_score_sum),
    csatSatisfied: Number(row.csat_satisfied),
    npsResponses: Number(row.nps_responses),
    promoters: Number(row.promoters),
    passives: Number(row.passives),
    detractors: Number(row.detractors),
    buyers: Number(row.buyers),
    repeatBuyers: Number(row.repeat_buyers),
    owners: Number(row.owners),
    ownersUnderContract: Number(row.owners_under_contract),
    units: Number(row.units),
    unitsUnderContract: Number(row.units_under_contract),
  }));
}
