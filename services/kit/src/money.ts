/** Money amounts are decimal strings; arithmetic on them runs in integer cents, never in floats. */

const toCents = (amount: string): bigint => {
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
  return amount.startsWith("-") ? -cents : cents;
};

const fromCents = (cents: bigint): string => {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};

/** `amount` × a whole number, e.g. a part's price times the quantity on the shelf. */
export function multiplyAmount(amount: string, times: number): string {
  return fromCents(toCents(amount) * BigInt(Math.trunc(times)));
}

/** Amount and currency columns as the shared GraphQL `Money` type. */
export const moneyOf = (amount: string, currency: string) => ({ amount, currency });

/** The sum of any number of amounts; "0.00" for none. */
export function addAmounts(...amounts: readonly string[]): string {
  return fromCents(amounts.reduce((sum, amount) => sum + toCents(amount), 0n));
}

/** `a` − `b`; negative when `b` is larger. */
export function subtractAmount(a: string, b: string): string {
  return fromCents(toCents(a) - toCents(b));
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, whatever their formatting ("5" equals "5.00"). */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const diff = toCents(a) - toCents(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

export function minAmount(a: string, b: string): string {
  return compareAmounts(a, b) <= 0 ? addAmounts(a) : addAmounts(b);
}

export function maxAmount(a: string, b: string): string {
  return compareAmounts(a, b) >= 0 ? addAmounts(a) : addAmounts(b);
}

/**
 * How a result between two cents is settled: "half-up" is commercial rounding
 * (halves away from zero, 0.005 → 0.01), "down" drops the fraction (towards
 * zero), so a refund never pays out a cent that was not owed.
 */
export type Rounding = "half-up" | "down";

const asWhole = (value: bigint | number, name: string): bigint => {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, not ${value}; use exactRatio for decimals.`);
  return BigInt(value);
};

/** `amount` × numerator / denominator, rounded once at the end to the cent. */
export function scaleAmount(amount: string, numerator: bigint | number, denominator: bigint | number, rounding: Rounding): string {
  let num = toCents(amount) * asWhole(numerator, "numerator");
  let den = asWhole(denominator, "denominator");
  if (den === 0n) throw new RangeError("Cannot scale an amount by a zero denominator.");
  if (den < 0n) [num, den] = [-num, -den];
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let cents = abs / den;
  // Compare twice the remainder with the denominator to find a half without fractions.
  if (rounding === "half-up" && (abs % den) * 2n >= den) cents += 1n;
  return fromCents(negative ? -cents : cents);
}

/**
 * A decimal number as an exact fraction, 1.5 → 15/10, 5.5 → 55/10, 3 → 3/1.
 * Hours, quantities and percentages arrive as JS numbers; reading their
 * shortest decimal spelling keeps 0.1 as one tenth instead of the binary
 * float just below it.
 */
export function exactRatio(value: number): { numerator: bigint; denominator: bigint } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`${value} is not a plain decimal number.`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const numerator = BigInt(`${whole}${fraction}`);
  return { numerator: sign ? -numerator : numerator, denominator: 10n ** BigInt(fraction.length) };
}

/** `amount` × every factor (decimals allowed) / `divisor`, rounded once: e.g. list price × 1.5 h × 50 % is `(price, [1.5, 50], 100)`. */
export function multiplyAmountBy(amount: string, factors: readonly number[], divisor: bigint | number, rounding: Rounding): string {
  let numerator = 1n;
  let denominator = asWhole(divisor, "divisor");
  for (const factor of factors) {
    const ratio = exactRatio(factor);
    numerator *= ratio.numerator;
    denominator *= ratio.denominator;
  }
  return scaleAmount(amount, numerator, denominator, rounding);
}
