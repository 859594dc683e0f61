import { anyOf, pagePerParent, present, sortKey, type Database, type Page } from "@aftersales/kit";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { forecastRunOut, type Forecast } from "../domain/replenishment.js";
import { purchaseHistory } from "./purchases.js";
import { replenishmentForecasts, type ForecastRow, type ProductRow } from "./schema.js";

/** A forecast as listed for a reference date (`daysLeft` counts from it). */
export type DueForecast = ForecastRow & { asOf: string };

/** Refills are listed soonest first. */
export const forecastOrder = sortKey(
  [replenishmentForecasts.runsOutOn, replenishmentForecasts.customerId, replenishmentForecasts.productId],
  (row: ForecastRow) => [row.runsOutOn, row.customerId, row.productId],
);

/** Writes the forecast of one customer and product, replacing the previous one. */
export async function saveForecast(
  tx: Database,
  key: { customerId: string; productId: string; dealerId: string },
  forecast: Forecast,
): Promise<ForecastRow> {
  const values = { ...key, ...forecast, updatedAt: new Date() };
  const [row] = await tx
    .insert(replenishmentForecasts)
    .values(values)
    .onConflictDoUpdate({ target: [replenishmentForecasts.customerId, replenishmentForecasts.productId], set: values })
    .returning();
  if (!row) throw new Error("upsert returned no forecast");
  return row;
}

/** Recomputes a customer's forecast for a consumable from their whole purchase history. */
export async function refreshForecast(tx: Database, customerId: string, product: ProductRow): Promise<ForecastRow> {
  const history = await purchaseHistory(tx, customerId, product.id);
  const forecast = present(
    forecastRunOut(present(product.replenishmentCycleDays, "consumable's cycle"), history),
    "forecast of a customer with purchases",
  );
  const latest = present(history.at(-1), "latest purchase");
  return saveForecast(tx, { customerId, productId: product.id, dealerId: latest.dealerId }, forecast);
}

/**
 * After a consumable's cycle changed: moves the run-out date of every
 * forecast that rests on the cycle (fewer than three purchases), in one
 * statement. Same rule as `forecastRunOut`: cycle × quantity last bought;
 * both are whole numbers, so no rounding differs.
 */
export async function refreshForecastsOnProductCycle(tx: Database, product: ProductRow): Promise<void> {
  const cycle = product.replenishmentCycleDays;
  if (!cycle) return;
  const f = replenishmentForecasts;
  await tx
    .update(f)
    .set({ daysPerUnit: cycle, runsOutOn: sql`${f.lastPurchasedOn} + ${cycle}::int * ${f.lastQuantity}`, updatedAt: sql`now()` })
    .where(and(eq(f.productId, product.id), eq(f.method, "PRODUCT_CYCLE")));
}

/** Forecasts by `customerId|productId`, looked up on the primary key. */
export function findForecastsByKeys(db: Database, keys: readonly string[]) {
  const pairs = keys.map((key) => key.split("|"));
  const customerIds = pairs.map(([customerId]) => customerId ?? "");
  const productIds = pairs.map(([, productId]) => productId ?? "");
  const f = replenishmentForecasts;
  return db
    .select()
    .from(f)
    .where(
      sql`(${f.customerId}, ${f.productId}) in (select * from unnest(${sql.param(customerIds)}::text[], ${sql.param(productIds)}::text[]))`,
    );
}

export const forecastKeyOf = (row: { customerId: string; productId: string }) => `${row.customerId}|${row.productId}`;

/** Each customer's forecasts that run out on or before `until`, soonest first. */
export function findDueForecastsByCustomerIds(db: Database, customerIds: readonly string[], until: string) {
  return db
    .select()
    .from(replenishmentForecasts)
    .where(and(anyOf(replenishmentForecasts.customerId, customerIds), lte(replenishmentForecasts.runsOutOn, until)))
    .orderBy(asc(replenishmentForecasts.runsOutOn), asc(replenishmentForecasts.productId));
}

export const findDueForecastPagesByDealerIds = (db: Database, dealerIds: readonly string[], until: string, page: Page) =>
  pagePerParent(
    db,
    replenishmentForecasts,
    replenishmentForecasts.dealerId,
    dealerIds,
    forecastOrder,
    page,
    lte(replenishmentForecasts.runsOutOn, until),
  );
