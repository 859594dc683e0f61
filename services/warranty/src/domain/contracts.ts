import { addAmounts, addDays, anniversary, daysBetween, exactRatio, multiplyAmountBy, scaleAmount } from "@aftersales/kit";

/**
 * Price of a contract: for each unit, purchase price × share (percent, up to
 * 2 decimals, e.g. 5.5) × term months / 12, rounded half-up to the
 * currency's minor unit (the cent, the yen), summed. Each unit is rounded on
 * its own so that the per-unit prices on the invoice add up to its total.
 */
export function contractPrice(input: { priceSharePercent: number; months: number; purchasePrices: readonly string[]; currency: string }): {
  perUnit: string[];
  total: string;
} {
  const { priceSharePercent, months } = input;
  if (exactRatio(priceSharePercent).denominator > 100n) {
    throw new RangeError(`A price share has at most 2 decimals, not ${priceSharePercent}.`);
  }
  const perUnit = input.purchasePrices.map((price) => multiplyAmountBy(input.currency, price, [priceSharePercent, months], 100 * 12, "half-up"));
  return { perUnit, total: addAmounts(input.currency, ...perUnit) };
}

/** Term end (last day) for a term of `months` from startsOn: anniversary − 1 day. */
export function termEnd(startsOn: string, months: number): string {
  return addDays(anniversary(startsOn, months), -1);
}

/**
 * Pro-rata refund when a contract is cancelled from `cancelledFrom` (first day
 * no longer covered): price × days from cancelledFrom to endsOn inclusive /
 * days from startsOn to endsOn inclusive, rounded down to the currency's
 * minor unit (never refund a cent that was not paid for); 0 when
 * cancelledFrom > endsOn; the full price when cancelledFrom <= startsOn.
 */
export function proRataRefund(input: { price: string; currency: string; startsOn: string; endsOn: string; cancelledFrom: string }): {
  refund: string;
  unusedDays: number;
  termDays: number;
} {
  const { price, currency, startsOn, endsOn, cancelledFrom } = input;
  const termDays = daysBetween(startsOn, endsOn) + 1;
  if (cancelledFrom > endsOn) return { refund: addAmounts(currency), unusedDays: 0, termDays };
  if (cancelledFrom <= startsOn) return { refund: addAmounts(currency, price), unusedDays: termDays, termDays };
  const unusedDays = daysBetween(cancelledFrom, endsOn) + 1;
  return { refund: scaleAmount(currency, price, unusedDays, termDays, "down"), unusedDays, termDays };
}

/** Two terms overlap when they share a day (both ends are covered days). */
export function termsOverlap(a: { startsOn: string; endsOn: string }, b: { startsOn: string; endsOn: string }): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}
