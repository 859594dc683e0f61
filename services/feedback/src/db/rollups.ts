import { addDays } from "@aftersales/kit";
import { sql, type SQL } from "drizzle-orm";
import type { InsightsDimension } from "../generated/graphql.js";
import type { InsightsScope } from "./insights.js";

/**
 * Which rollup cells answer an insight (see the rollup tables in schema.ts).
 * A cuboid is the set of dimensions its cells keep, as letters: D dealer,
 * P product, C service center, T technician, S the CSAT splits. An insight
 * needs the dimensions it groups or filters by; the smallest cuboid that has
 * them all (and the dealer exactly when the insight is about named dealers,
 * the cells across all dealers otherwise) answers it. When none has them,
 * the insight reads the facts. The lists match the ones the triggers
 * (`feedback.rollup_cuboids()`, migration 0008) and
 * `feedback.rebuild_insight_rollups()` use (migration 0006), smallest first.
 */
export const CUBOIDS = {
  satisfaction: ["", "P", "C", "S", "PS", "CS", "CT", "PC", "D", "DS", "DC", "DP", "DCS", "DPS", "DCT"],
  resolution: ["", "P", "C", "CT", "PC", "D", "DC", "DP", "DCT"],
  failures: ["P", "PC", "DP"],
  claims: ["P", "DP"],
  unitSales: ["P", "DP"],
} as const;

export type RollupFamily = keyof typeof CUBOIDS;

/** The letters an insight needs: those its grouping and its filter name. */
export function neededDimensions(scope: InsightsScope, grouping: InsightsDimension | "SPLIT" | null, serviceCenterFilter = true): string {
  const letters = new Set<string>();
  if (scope.dealerIds) letters.add("D");
  if (scope.productIds) letters.add("P");
  if (scope.serviceCenterIds && serviceCenterFilter) letters.add("C");
  if (grouping === "DEALER") letters.add("D");
  if (grouping === "PRODUCT") letters.add("P");
  if (grouping === "SERVICE_CENTER") letters.add("C");
  if (grouping === "TECHNICIAN") letters.add("T");
  if (grouping === "SPLIT") letters.add("S");
  return [...letters].join("");
}

/** The cuboid of `family` that answers an insight needing `needs`, or null when only the facts can. */
export function cuboidFor(family: RollupFamily, needs: string): string | null {
  const byDealer = needs.includes("D");
  const found = CUBOIDS[family].find((cuboid) => cuboid.includes("D") === byDealer && [...needs].every((letter) => cuboid.includes(letter)));
  return found ?? null;
}

/** The rollups' grains, finest first; `day` has none coarser below it. */
export type Grain = "day" | "month" | "year" | "all";

/** The coarsest grain whose cells still tell a grouping's groups apart: weeks straddle months, months need month cells. */
export function coarsestGrainFor(dimension: InsightsDimension | null): Grain {
  if (dimension === "WEEK") return "day";
  if (dimension === "MONTH") return "month";
  return "all";
}

/** Where a month's or a year's cells start, and the next one's. */
const PERIODS = [
  { grain: "month", start: (day: string) => `${day.slice(0, 7)}-01`, next: (start: string) => `${addDays(start, 31).slice(0, 7)}-01` },
  { grain: "year", start: (day: string) => `${day.slice(0, 4)}-01-01`, next: (start: string) => `${Number(start.slice(0, 4)) + 1}-01-01` },
] as const;

const grainCells = (grain: Grain, lo: string | null, hi: string | null, hiExclusive: boolean) =>
  sql.join(
    [
      sql`t.grain = ${grain}`,
      ...(lo ? [sql`t.period >= ${lo}::date`] : []),
      ...(hi ? [hiExclusive ? sql`t.period < ${hi}::date` : sql`t.period <= ${hi}::date`] : []),
    ],
    sql` and `,
  );

/**
 * The cells of `from`..`to` (days, either open): the whole periods of the
 * coarsest of `periods` inside it, and what is left on either side from the
 * finer ones, down to days.
 */
function coveringCells(from: string | null, to: string | null, periods: readonly (typeof PERIODS)[number][]): SQL[] {
  const coarsest = periods.at(-1);
  if (!coarsest) return [grainCells("day", from, to, false)];
  const finer = periods.slice(0, -1);
  // Periods from `first` up to (not including) `after` are whole within from..to.
  const first = from === null ? null : from === coarsest.start(from) ? from : coarsest.next(coarsest.start(from));
  const after = to === null ? null : coarsest.start(addDays(to, 1));
  if (first && after && first >= after) return coveringCells(from, to, finer);
  const parts = [grainCells(coarsest.grain, first, after, true)];
  if (from && first && from < first) parts.push(...coveringCells(from, addDays(first, -1), finer));
  if (to && after && after <= to) parts.push(...coveringCells(after, to, finer));
  return parts;
}

/**
 * The cells of a period, no coarser than `coarsest`: all time from the
 * all-time cells; otherwise whole years from the year cells, whole months
 * from the month cells and the days before and after them from the day
 * cells, so a year costs one cell per group where its days would cost 365.
 */
export function periodCells(scope: Pick<InsightsScope, "from" | "to">, coarsest: Grain): SQL {
  const { from, to } = scope;
  if (coarsest === "all" && from === null && to === null) return sql`(t.grain = 'all')`;
  const periods = PERIODS.slice(0, coarsest === "day" ? 0 : coarsest === "month" ? 1 : 2);
  return sql`(${sql.join(
    coveringCells(from, to, periods).map((part) => sql`(${part})`),
    sql` or `,
  )})`;
}

const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;

/**
 * The conditions on a rollup (aliased `t`) for an insight answered by
 * `cuboid`: its cells, the dealers (or all of them), products and service
 * centers asked for, and the period.
 */
export function cellConditions(
  cuboid: string,
  scope: InsightsScope,
  options: { groupBy?: InsightsDimension; serviceCenterFilter?: boolean; dealerIds?: string[] | null } = {},
): SQL[] {
  const dealerIds = options.dealerIds === undefined ? scope.dealerIds : options.dealerIds;
  const where = [sql`t.cuboid = ${cuboid}`];
  // A cuboid with the dealer has every dealer's cells (those the caller may see); one without, the cells across all dealers.
  if (!cuboid.includes("D")) where.push(sql`t.dealer_id = '*'`);
  else if (dealerIds) where.push(sql`t.dealer_id = any(${textArray(dealerIds)})`);
  if (scope.productIds) where.push(sql`t.product_id = any(${textArray(scope.productIds)})`);
  if (scope.serviceCenterIds && options.serviceCenterFilter !== false) where.push(sql`t.service_center_id = any(${textArray(scope.serviceCenterIds)})`);
  where.push(periodCells(scope, coarsestGrainFor(options.groupBy ?? null)));
  return where;
}

/** A group's key in a rollup's cells; '' (a fact without the dimension) is the null key. */
export function cellKeyOf(dimension: InsightsDimension): SQL {
  switch (dimension) {
    case "TOTAL":
      return sql`'total'`;
    case "PRODUCT":
      return sql.raw("nullif(t.product_id, '')");
    case "DEALER":
      return sql.raw("t.dealer_id");
    case "SERVICE_CENTER":
      return sql.raw("nullif(t.service_center_id, '')");
    case "TECHNICIAN":
      return sql.raw("nullif(t.technician_id, '')");
    case "MONTH":
      return sql.raw(`to_char(t.period, 'YYYY-MM')`);
    case "WEEK":
      return sql.raw(`to_char(t.period, 'IYYY-"W"IW')`);
  }
}
