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
 * the insight reads the facts. The lists match the ones the triggers and
 * `feedback.rebuild_insight_rollups()` use (migration 0004), smallest first.
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

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (day: string) => monthStart(addDays(monthStart(day), 31));

/**
 * The cells of a period: whole months from the month cells, the days before
 * and after them from the day cells. Grouping by week reads day cells only,
 * as weeks straddle months.
 */
export function periodCells(scope: Pick<InsightsScope, "from" | "to">, byWeek: boolean): SQL {
  const { from, to } = scope;
  const days = (lo: string | null, hi: string | null) =>
    sql.join([sql`t.grain = 'day'`, ...(lo ? [sql`t.period >= ${lo}::date`] : []), ...(hi ? [sql`t.period <= ${hi}::date`] : [])], sql` and `);
  if (byWeek) return days(from, to);
  // Months from `firstMonth` up to (not including) `afterMonths` are whole within the period.
  const firstMonth = from === null ? null : from === monthStart(from) ? from : nextMonth(from);
  const afterMonths = to === null ? null : monthStart(addDays(to, 1));
  if (firstMonth && afterMonths && firstMonth >= afterMonths) return days(from, to);
  const months = sql.join(
    [sql`t.grain = 'month'`, ...(firstMonth ? [sql`t.period >= ${firstMonth}::date`] : []), ...(afterMonths ? [sql`t.period < ${afterMonths}::date`] : [])],
    sql` and `,
  );
  const parts = [sql`(${months})`];
  if (from && firstMonth && from < firstMonth) parts.push(sql`(${days(from, addDays(firstMonth, -1))})`);
  if (to && afterMonths && afterMonths <= to) parts.push(sql`(${days(afterMonths, to)})`);
  return sql`(${sql.join(parts, sql` or `)})`;
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
  options: { byWeek?: boolean; serviceCenterFilter?: boolean; dealerIds?: string[] | null } = {},
): SQL[] {
  const dealerIds = options.dealerIds === undefined ? scope.dealerIds : options.dealerIds;
  const where = [sql`t.cuboid = ${cuboid}`];
  // A cuboid with the dealer has every dealer's cells (those the caller may see); one without, the cells across all dealers.
  if (!cuboid.includes("D")) where.push(sql`t.dealer_id = '*'`);
  else if (dealerIds) where.push(sql`t.dealer_id = any(${textArray(dealerIds)})`);
  if (scope.productIds) where.push(sql`t.product_id = any(${textArray(scope.productIds)})`);
  if (scope.serviceCenterIds && options.serviceCenterFilter !== false) where.push(sql`t.service_center_id = any(${textArray(scope.serviceCenterIds)})`);
  where.push(periodCells(scope, options.byWeek ?? false));
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
