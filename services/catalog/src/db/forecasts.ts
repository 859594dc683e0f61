import {
  anyOf,
  countPerParent,
  dealerFilter,
  lockUntilCommit,
  pagePerParent,
  present,
  sortKey,
  type Database,
  type Identity,
  type Page,
} from "@aftersales/kit";
import { and, asc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { forecastRunOut, type Forecast } from "../domain/replenishment.js";
import { purchaseHistory } from "./purchases.js";
import { replenishmentForecasts, type ForecastRow, type ProductRow } from "./schema.js";

/**
 * Which refills a `replenishmentDue(within, asOf, overdue)` list includes:
 * run-out dates up to `until`, and with `overdue` given, only those before
 * `asOf` (true: the customer has already run out) or only those on or after
 * it (false: still ahead); null, both.
 */
export interface DueWindow {
  asOf: string;
  until: string;
  overdue: boolean | null;
}

/** The forecasts in a window, as one condition (the lists and their counts share it). */
function inWindow(window: DueWindow): SQL | undefined {
  const f = replenishmentForecasts;
  const side = window.overdue === null ? undefined : window.overdue ? lt(f.runsOutOn, window.asOf) : gte(f.runsOutOn, window.asOf);
  return and(lte(f.runsOutOn, window.until), side);
}

/** A forecast as listed for a reference date (`daysLeft` counts from it, `overdue` compares with it). */
export type DueForecast = ForecastRow & { asOf: string };

/** Whose forecast of what: one customer's need for one consumable, as one dealer forecasts it. */
export type ForecastKey = Pick<ForecastRow, "customerId" | "productId" | "dealerId">;

/** Refills are listed soonest first. */
export const forecastOrder = sortKey(
  [replenishmentForecasts.runsOutOn, replenishmentForecasts.customerId, replenishmentForecasts.productId],
  (row: ForecastRow) => [row.runsOutOn, row.customerId, row.productId],
);

/** Writes a dealer's forecast of one customer and product, replacing the previous one. */
export async function saveForecast(tx: Database, key: ForecastKey, forecast: Forecast): Promise<ForecastRow> {
  const f = replenishmentForecasts;
  const values = { ...key, ...forecast, updatedAt: new Date() };
  const [row] = await tx
    .insert(f)
    .values(values)
    .onConflictDoUpdate({ target: [f.customerId, f.productId, f.dealerId], set: values })
    .returning();
  if (!row) throw new Error("upsert returned no forecast");
  return row;
}

/**
 * Recomputes a dealer's forecast of a customer's need for a consumable from
 * that dealer's own sales to the customer, in the caller's scope: the caller
 * records a purchase for that dealer, so it sees every purchase the forecast
 * rests on, and the row it writes is that dealer's. Purchases the customer
 * made at other dealers are theirs: they neither count here nor change, nor
 * are changed by, this dealer's forecast.
 *
 * Recomputations of one customer, product and dealer take turns (an advisory
 * lock on the key, in a space of the table's own, held until the request's
 * transaction ends): two purchases recorded at once would otherwise each read
 * the history without the other's, and the later write would drop one of them
 * from the forecast. The second waits for the first to commit, then reads the
 * history with it.
 */
export async function refreshForecast(tx: Database, of: ForecastKey, product: ProductRow): Promise<ForecastRow> {
  const key: ForecastKey = { customerId: of.customerId, productId: of.productId, dealerId: of.dealerId };
  await lockUntilCommit(tx, "catalog.replenishment_forecasts", forecastKeyOf(key));
  const history = await purchaseHistory(tx, key);
  const forecast = present(forecastRunOut(present(product.replenishmentCycleDays, "consumable's cycle"), history), "forecast of a customer with purchases");
  return saveForecast(tx, key, forecast);
}

/**
 * After a consumable's cycle changed: moves the run-out date of every
 * forecast that rests on the cycle (fewer than three purchases), in one
 * statement. Same rule as `forecastRunOut`: cycle × quantity last bought;
 * both are whole numbers, so no rounding differs. Runs in the caller's scope:
 * only ADMINs change products (`MANAGES_PRODUCTS`), and an ADMIN's scope holds
 * every dealer's forecasts, all of which rest on the one product's cycle.
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

/** Forecasts by their key (see `forecastKeyOf`), looked up on the primary key; for a DEALER only its own rows. */
export function findForecastsByKeys(db: Database, identity: Identity, keys: readonly string[]) {
  const triples = keys.map((key) => JSON.parse(key) as unknown[]);
  const part = (triple: unknown[], i: number) => String(triple[i] ?? "");
  const customerIds = triples.map((triple) => part(triple, 0));
  const productIds = triples.map((triple) => part(triple, 1));
  const dealerIds = triples.map((triple) => part(triple, 2));
  const f = replenishmentForecasts;
  return db
    .select()
    .from(f)
    .where(
      and(
        sql`(${f.customerId}, ${f.productId}, ${f.dealerId}) in (select * from unnest(${sql.param(customerIds)}::text[], ${sql.param(productIds)}::text[], ${sql.param(dealerIds)}::text[]))`,
        dealerFilter(f.dealerId, identity),
      ),
    );
}

/**
 * A forecast's key as one string, for loaders and the recomputation lock. As
 * JSON, because a customer id is whatever the partners subgraph holds: any
 * separator could be part of it.
 */
export const forecastKeyOf = (row: ForecastKey) => JSON.stringify([row.customerId, row.productId, row.dealerId]);

/**
 * Each customer's forecasts in the window, soonest first: one per product and
 * dealer that sold it to them; for a DEALER only its own.
 */
export function findDueForecastsByCustomerIds(db: Database, identity: Identity, customerIds: readonly string[], window: DueWindow) {
  return db
    .select()
    .from(replenishmentForecasts)
    .where(and(anyOf(replenishmentForecasts.customerId, customerIds), inWindow(window), dealerFilter(replenishmentForecasts.dealerId, identity)))
    .orderBy(asc(replenishmentForecasts.runsOutOn), asc(replenishmentForecasts.productId), asc(replenishmentForecasts.dealerId));
}

/** Each dealer's forecasts in the window; a DEALER asking about another dealer finds nothing. */
export const findDueForecastPagesByDealerIds = (db: Database, identity: Identity, dealerIds: readonly string[], window: DueWindow, page: Page) =>
  pagePerParent(
    db,
    replenishmentForecasts,
    replenishmentForecasts.dealerId,
    dealerIds,
    forecastOrder,
    page,
    and(inWindow(window), dealerFilter(replenishmentForecasts.dealerId, identity)),
  );

/** How many forecasts each dealer's list in the window holds, whole. */
export const countDueForecastsByDealerIds = (db: Database, identity: Identity, dealerIds: readonly string[], window: DueWindow) =>
  countPerParent(
    db,
    replenishmentForecasts,
    replenishmentForecasts.dealerId,
    dealerIds,
    and(inWindow(window), dealerFilter(replenishmentForecasts.dealerId, identity)),
  );
