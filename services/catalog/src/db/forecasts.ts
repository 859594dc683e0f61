import { anyOf, asSystem, dealerFilter, pagePerParent, present, sortKey, type Database, type Identity, type Page } from "@aftersales/kit";
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

/**
 * Recomputes a customer's forecast for a consumable from their whole purchase
 * history, and gives the row to the dealer of the latest purchase (the one to
 * offer the refill).
 *
 * A customer may buy at two dealers, and a DEALER sees only its own
 * purchases and forecast rows: computed in its scope, the forecast would
 * leave out the other dealer's purchases, and the upsert could neither
 * replace the other dealer's row nor hand the row over to it. So the
 * projection is computed as the system, whole, whoever records the purchase.
 * It returns nothing: the caller reads the forecast back in its own scope,
 * where a row that now belongs to another dealer is simply absent.
 */
export async function refreshForecast(tx: Database, identity: Identity, customerId: string, product: ProductRow): Promise<void> {
  await asSystem(tx, identity, async () => {
    const history = await purchaseHistory(tx, customerId, product.id);
    const forecast = present(
      forecastRunOut(present(product.replenishmentCycleDays, "consumable's cycle"), history),
      "forecast of a customer with purchases",
    );
    const latest = present(history.at(-1), "latest purchase");
    await saveForecast(tx, { customerId, productId: product.id, dealerId: latest.dealerId }, forecast);
  });
}

/**
 * After a consumable's cycle changed: moves the run-out date of every
 * forecast that rests on the cycle (fewer than three purchases), in one
 * statement. Same rule as `forecastRunOut`: cycle × quantity last bought;
 * both are whole numbers, so no rounding differs. Every dealer's forecasts
 * move, whoever changed the product, so the update runs as the system.
 */
export async function refreshForecastsOnProductCycle(tx: Database, identity: Identity, product: ProductRow): Promise<void> {
  const cycle = product.replenishmentCycleDays;
  if (!cycle) return;
  const f = replenishmentForecasts;
  await asSystem(tx, identity, () =>
    tx
      .update(f)
      .set({ daysPerUnit: cycle, runsOutOn: sql`${f.lastPurchasedOn} + ${cycle}::int * ${f.lastQuantity}`, updatedAt: sql`now()` })
      .where(and(eq(f.productId, product.id), eq(f.method, "PRODUCT_CYCLE"))),
  );
}

/** Forecasts by `customerId|productId`, looked up on the primary key; for a DEALER only its own rows. */
export function findForecastsByKeys(db: Database, identity: Identity, keys: readonly string[]) {
  const pairs = keys.map((key) => key.split("|"));
  const customerIds = pairs.map(([customerId]) => customerId ?? "");
  const productIds = pairs.map(([, productId]) => productId ?? "");
  const f = replenishmentForecasts;
  return db
    .select()
    .from(f)
    .where(
      and(
        sql`(${f.customerId}, ${f.productId}) in (select * from unnest(${sql.param(customerIds)}::text[], ${sql.param(productIds)}::text[]))`,
        dealerFilter(f.dealerId, identity),
      ),
    );
}

export const forecastKeyOf = (row: { customerId: string; productId: string }) => `${row.customerId}|${row.productId}`;

/** Each customer's forecasts that run out on or before `until`, soonest first; for a DEALER only its own rows. */
export function findDueForecastsByCustomerIds(db: Database, identity: Identity, customerIds: readonly string[], until: string) {
  return db
    .select()
    .from(replenishmentForecasts)
    .where(
      and(
        anyOf(replenishmentForecasts.customerId, customerIds),
        lte(replenishmentForecasts.runsOutOn, until),
        dealerFilter(replenishmentForecasts.dealerId, identity),
      ),
    )
    .orderBy(asc(replenishmentForecasts.runsOutOn), asc(replenishmentForecasts.productId));
}

/** Each dealer's forecasts due by `until`; a DEALER asking about another dealer finds nothing. */
export const findDueForecastPagesByDealerIds = (db: Database, identity: Identity, dealerIds: readonly string[], until: string, page: Page) =>
  pagePerParent(
    db,
    replenishmentForecasts,
    replenishmentForecasts.dealerId,
    dealerIds,
    forecastOrder,
    page,
    and(lte(replenishmentForecasts.runsOutOn, until), dealerFilter(replenishmentForecasts.dealerId, identity)),
  );
