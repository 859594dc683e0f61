/**
 * Money amounts are decimal strings in a currency, with that currency's own
 * minor units (ISO 4217 as Intl knows it: JPY 0 decimals, EUR 2, KWD 3).
 * Arithmetic is exact, in integers, never in floats; a result is rounded
 * once, to the currency's minor unit, and written with exactly its decimals
 * ("1200" yen, "12.50" euros, "12.500" dinars).
 */

/**
 * The most decimals any accepted currency has (KWD, BHD, JOD, OMR, TND...):
 * the scale of the amount columns. Currencies with more (CLF, UYW: units of
 * account) are not accepted.
 */
export const MOST_MINOR_UNITS = 3;

const minorUnitsByCurrency = new Map<string, number>();

/** How many decimals `currency` (an ISO 4217 code) is written with: JPY 0, EUR 2, KWD 3. */
export function minorUnits(currency: string): number {
  const known = minorUnitsByCurrency.get(currency);
  if (known !== undefined) return known;
  // Intl always resolves a currency format's digits; 2 is ISO 4217's usual answer should it not.
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  minorUnitsByCurrency.set(currency, digits);
  return digits;
}

/** `currency`'s decimals, in words, for messages: "at most 2 decimals, as EUR has" or "no decimals, as JPY has none". */
export function decimalsRule(currency: string): string {
  const digits = minorUnits(currency);
  if (digits === 0) return `no decimals, as ${currency} has none`;
  return `at most ${digits} decimal${digits === 1 ? "" : "s"}, as ${currency} has`;
}

/** Whether `amount` is a plain amount: not negative, at most 10 digits before the point and `decimals` after it. */
export function isPlainAmount(amount: string, decimals: number): boolean {
  return (decimals === 0 ? /^\d{1,10}$/ : new RegExp(`^\\d{1,10}(\\.\\d{1,${decimals}})?$`)).test(amount);
}

/** Whether `amount` is a plain amount of `currency`, with no more decimals than it has. */
export const isAmountOf = (amount: string, currency: string): boolean => isPlainAmount(amount, minorUnits(currency));

/** A decimal read exactly: `units` / 10^`scale`. */
interface Exact {
  units: bigint;
  scale: number;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function exact(amount: string): Exact {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`${amount} is not a decimal amount.`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** Both at the larger scale, so their units compare and add. */
function aligned(a: Exact, b: Exact): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale), scale];
}

/**
 * How a result between two minor units is settled: "half-up" is commercial
 * rounding (halves away from zero, 0.005 € → 0.01 €), "down" drops the
 * fraction (towards zero), so a refund never pays out a cent that was not owed.
 */
export type Rounding = "half-up" | "down";

/** numerator / denominator, in whole minor units, rounded once. */
function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new RangeError("Cannot scale an amount by a zero denominator.");
  let [num, den] = denominator < 0n ? [-numerator, -denominator] : [numerator, denominator];
  const negative = num < 0n;
  if (negative) num = -num;
  let quotient = num / den;
  // Compare twice the remainder with the denominator to find a half without fractions.
  if (rounding === "half-up" && (num % den) * 2n >= den) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** `value` in `currency`'s minor units, rounded to them, written with exactly its decimals. */
function written(value: Exact, currency: string, rounding: Rounding): string {
  const digits = minorUnits(currency);
  const minor = divide(value.units * pow10(digits), pow10(value.scale), rounding);
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${abs / pow10(digits)}.${String(abs % pow10(digits)).padStart(digits, "0")}`;
}

/**
 * `amount` written with exactly `currency`'s decimals: "1200.000" yen (as a
 * column of scale 3 returns it) is "1200", "12.5" euros "12.50". An amount
 * with more decimals than the currency has, which only data written before
 * this rule can hold, is rounded half-up to them.
 */
export function formatAmount(amount: string, currency: string): string {
  return written(exact(amount), currency, "half-up");
}

/** Amount and currency columns as the shared GraphQL `Money` type, the amount written with the currency's decimals. */
export const moneyOf = (amount: string, currency: string) => ({ amount: formatAmount(amount, currency), currency });

/** The sum of any number of amounts in `currency`; "0.00" (or "0" yen) for none. */
export function addAmounts(currency: string, ...amounts: readonly string[]): string {
  const sum = amounts.map(exact).reduce<Exact>(
    (total, next) => {
      const [a, b, scale] = aligned(total, next);
      return { units: a + b, scale };
    },
    { units: 0n, scale: 0 },
  );
  return written(sum, currency, "half-up");
}

/** `a` − `b` in `currency`; negative when `b` is larger. */
export function subtractAmount(currency: string, a: string, b: string): string {
  const [x, y, scale] = aligned(exact(a), exact(b));
  return written({ units: x - y, scale }, currency, "half-up");
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, whatever their formatting ("5" equals "5.00"). */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = aligned(exact(a), exact(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

const asWhole = (value: bigint | number, name: string): bigint => {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number, not ${value}; use exactRatio for decimals.`);
  return BigInt(value);
};

/** `amount` × a whole number, e.g. a part's price times the quantity on the shelf. */
export function multiplyAmount(currency: string, amount: string, times: number): string {
  const value = exact(amount);
  return written({ units: value.units * BigInt(Math.trunc(times)), scale: value.scale }, currency, "half-up");
}

/** `amount` × numerator / denominator in `currency`, rounded once at the end to its minor unit. */
export function scaleAmount(currency: string, amount: string, numerator: bigint | number, denominator: bigint | number, rounding: Rounding): string {
  const value = exact(amount);
  const digits = minorUnits(currency);
  const minor = divide(value.units * asWhole(numerator, "numerator") * pow10(digits), asWhole(denominator, "denominator") * pow10(value.scale), rounding);
  return written({ units: minor, scale: digits }, currency, rounding);
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

/**
 * `amount` × every factor (decimals allowed) / `divisor` in `currency`,
 * rounded once to its minor unit: e.g. list price × 1.5 h × 50 % is
 * `(currency, price, [1.5, 50], 100)`.
 */
export function multiplyAmountBy(currency: string, amount: string, factors: readonly number[], divisor: bigint | number, rounding: Rounding): string {
  let numerator = 1n;
  let denominator = asWhole(divisor, "divisor");
  for (const factor of factors) {
    const ratio = exactRatio(factor);
    numerator *= ratio.numerator;
    denominator *= ratio.denominator;
  }
  return scaleAmount(currency, amount, numerator, denominator, rounding);
}
