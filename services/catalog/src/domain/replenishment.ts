import { addDays, daysBetween } from "@aftersales/kit";

export type ReplenishmentMethod = "PRODUCT_CYCLE" | "CUSTOMER_HISTORY";

/** Purchases needed before a customer's own rhythm replaces the product's cycle. */
export const HISTORY_THRESHOLD = 3;

export interface Purchase {
  purchasedOn: string;
  quantity: number;
}

export interface Forecast {
  lastPurchasedOn: string;
  lastQuantity: number;
  purchaseCount: number;
  daysPerUnit: number;
  method: ReplenishmentMethod;
  runsOutOn: string;
}

/**
 * When a customer will run out of a consumable. With fewer than three
 * purchases: the product's cycle times the quantity last bought. From three
 * on, the customer's own rhythm: the median of (days until the next purchase
 * / quantity bought), times the quantity last bought. The median keeps one
 * holiday-long gap from skewing the forecast. Purchases on the same day count
 * as one.
 */
export function forecastRunOut(cycleDays: number, purchases: readonly Purchase[]): Forecast | null {
  const byDay = new Map<string, number>();
  for (const p of purchases) byDay.set(p.purchasedOn, (byDay.get(p.purchasedOn) ?? 0) + p.quantity);
  const history = [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([purchasedOn, quantity]) => ({ purchasedOn, quantity }));
  const last = history.at(-1);
  if (!last) return null;

  let daysPerUnit = cycleDays;
  let method: ReplenishmentMethod = "PRODUCT_CYCLE";
  if (history.length >= HISTORY_THRESHOLD) {
    const perUnit = history.slice(1).map((p, i) => daysBetween(history[i]!.purchasedOn, p.purchasedOn) / history[i]!.quantity);
    daysPerUnit = median(perUnit);
    method = "CUSTOMER_HISTORY";
  }
  return {
    lastPurchasedOn: last.purchasedOn,
    lastQuantity: last.quantity,
    purchaseCount: history.length,
    daysPerUnit,
    method,
    runsOutOn: addDays(last.purchasedOn, Math.round(daysPerUnit * last.quantity)),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How a forecast was computed, in a sentence a dealer can read to the customer. */
export function explainForecast(forecast: Forecast): string {
  const days = Number(forecast.daysPerUnit.toFixed(1));
  const units = forecast.lastQuantity === 1 ? "1 unit" : `${forecast.lastQuantity} units`;
  const basis =
    forecast.method === "CUSTOMER_HISTORY"
      ? `the customer's own median of ${days} days per unit over ${forecast.purchaseCount} purchases`
      : `the product's cycle of ${days} days per unit (fewer than ${HISTORY_THRESHOLD} purchases so far)`;
  return `Bought ${units} on ${forecast.lastPurchasedOn}; at ${basis}, that lasts until ${forecast.runsOutOn}.`;
}
