import { describe, expect, it } from "vitest";
import {
  addAmounts,
  compareAmounts,
  decimalsRule,
  exactRatio,
  formatAmount,
  isAmountOf,
  minorUnits,
  moneyOf,
  MOST_MINOR_UNITS,
  multiplyAmount,
  multiplyAmountBy,
  scaleAmount,
  subtractAmount,
} from "../src/money.js";

describe("minor units", () => {
  it.each([
    { currency: "JPY", digits: 0 },
    { currency: "KRW", digits: 0 },
    { currency: "EUR", digits: 2 },
    { currency: "USD", digits: 2 },
    { currency: "KWD", digits: 3 },
    { currency: "BHD", digits: 3 },
  ])("$currency has $digits decimals", ({ currency, digits }) => {
    expect(minorUnits(currency)).toBe(digits);
  });

  it("fit the amount columns for every currency Intl knows", () => {
    const most = Math.max(...Intl.supportedValuesOf("currency").map(minorUnits));
    expect(most).toBe(MOST_MINOR_UNITS);
  });

  it.each([
    { amount: "1200", currency: "JPY", ok: true },
    { amount: "1200.5", currency: "JPY", ok: false },
    { amount: "1200.", currency: "JPY", ok: false },
    { amount: "12.50", currency: "EUR", ok: true },
    { amount: "12.505", currency: "EUR", ok: false },
    { amount: "12.505", currency: "KWD", ok: true },
    { amount: "12.5055", currency: "KWD", ok: false },
    { amount: "-1", currency: "EUR", ok: false },
    { amount: "12345678901", currency: "JPY", ok: false },
  ])("$amount is an amount of $currency: $ok", ({ amount, currency, ok }) => {
    expect(isAmountOf(amount, currency)).toBe(ok);
  });

  it("says how many decimals a currency takes", () => {
    expect(decimalsRule("JPY")).toBe("no decimals, as JPY has none");
    expect(decimalsRule("EUR")).toBe("at most 2 decimals, as EUR has");
    expect(decimalsRule("KWD")).toBe("at most 3 decimals, as KWD has");
  });
});

describe("writing amounts", () => {
  it.each([
    // as a numeric column of scale 3 returns them
    { amount: "1200.000", currency: "JPY", expected: "1200" },
    { amount: "12.500", currency: "EUR", expected: "12.50" },
    { amount: "12.5", currency: "KWD", expected: "12.500" },
    { amount: "0", currency: "EUR", expected: "0.00" },
    // more decimals than the currency has, only in data older than the rule: half-up
    { amount: "1200.50", currency: "JPY", expected: "1201" },
    { amount: "1200.49", currency: "JPY", expected: "1200" },
  ])("writes $amount $currency as $expected", ({ amount, currency, expected }) => {
    expect(formatAmount(amount, currency)).toBe(expected);
    expect(moneyOf(amount, currency)).toEqual({ amount: expected, currency });
  });
});

describe("money arithmetic, exact", () => {
  it.each([
    { currency: "EUR", amounts: [], expected: "0.00" },
    { currency: "JPY", amounts: [], expected: "0" },
    { currency: "EUR", amounts: ["12.5"], expected: "12.50" },
    // 0.10 + 0.20 is 0.30 exactly, not 0.30000000000000004
    { currency: "EUR", amounts: ["0.10", "0.20"], expected: "0.30" },
    { currency: "EUR", amounts: ["100", "-0.01", "5.05"], expected: "105.04" },
    { currency: "JPY", amounts: ["1200", "800.000"], expected: "2000" },
    { currency: "KWD", amounts: ["0.125", "0.250"], expected: "0.375" },
  ])("adds $amounts in $currency to $expected", ({ currency, amounts, expected }) => {
    expect(addAmounts(currency, ...amounts)).toBe(expected);
  });

  it.each([
    { currency: "EUR", a: "10.00", b: "2.50", expected: "7.50" },
    { currency: "EUR", a: "2.50", b: "10", expected: "-7.50" },
    { currency: "EUR", a: "0.05", b: "0.05", expected: "0.00" },
    { currency: "JPY", a: "1000", b: "1", expected: "999" },
    { currency: "KWD", a: "1", b: "0.001", expected: "0.999" },
  ])("$a − $b = $expected $currency", ({ currency, a, b, expected }) => {
    expect(subtractAmount(currency, a, b)).toBe(expected);
  });

  it.each([
    { a: "5", b: "5.00", expected: 0 },
    { a: "4.99", b: "5", expected: -1 },
    { a: "-1", b: "-2", expected: 1 },
    { a: "0.001", b: "0.00", expected: 1 },
  ])("compares $a with $b", ({ a, b, expected }) => {
    expect(compareAmounts(a, b)).toBe(expected);
  });

  it.each([
    { currency: "EUR", amount: "2.35", times: 3, expected: "7.05" },
    { currency: "EUR", amount: "19.9", times: 0, expected: "0.00" },
    { currency: "EUR", amount: "1999999999.99", times: 100, expected: "199999999999.00" },
    { currency: "JPY", amount: "1980", times: 3, expected: "5940" },
    { currency: "KWD", amount: "1.125", times: 3, expected: "3.375" },
  ])("$amount × $times = $expected $currency", ({ currency, amount, times, expected }) => {
    expect(multiplyAmount(currency, amount, times)).toBe(expected);
  });
});

describe("scaleAmount", () => {
  it.each([
    // 10.00 × 1/3 = 3.333… → 3.33 either way
    { currency: "EUR", amount: "10.00", num: 1, den: 3, rounding: "half-up", expected: "3.33" },
    // 20.00 × 1/3 = 6.666… → 6.67 half-up, 6.66 down
    { currency: "EUR", amount: "20.00", num: 1, den: 3, rounding: "half-up", expected: "6.67" },
    { currency: "EUR", amount: "20.00", num: 1, den: 3, rounding: "down", expected: "6.66" },
    // 0.01 / 2 = 0.005: exactly half rounds up, down drops it
    { currency: "EUR", amount: "0.01", num: 1n, den: 2n, rounding: "half-up", expected: "0.01" },
    { currency: "EUR", amount: "0.01", num: 1n, den: 2n, rounding: "down", expected: "0.00" },
    // -0.01 / 2 = -0.005: halves away from zero, down towards zero
    { currency: "EUR", amount: "-0.01", num: 1, den: 2, rounding: "half-up", expected: "-0.01" },
    { currency: "EUR", amount: "-0.01", num: 1, den: 2, rounding: "down", expected: "0.00" },
    // a negative denominator flips the sign: 3.00 × 1 / -2 = -1.50
    { currency: "EUR", amount: "3.00", num: 1, den: -2, rounding: "down", expected: "-1.50" },
    // 1,000,000,000.00 × 9 / 7 beyond float precision: 1,285,714,285.714… → .71
    { currency: "EUR", amount: "1000000000.00", num: 9, den: 7, rounding: "half-up", expected: "1285714285.71" },
    // to the yen: 1000 × 1/3 = 333.3… → 333; 1001 / 2 = 500.5 → 501 half-up, 500 down
    { currency: "JPY", amount: "1000", num: 1, den: 3, rounding: "half-up", expected: "333" },
    { currency: "JPY", amount: "1001", num: 1, den: 2, rounding: "half-up", expected: "501" },
    { currency: "JPY", amount: "1001", num: 1, den: 2, rounding: "down", expected: "500" },
    // to the fils: 10.000 × 1/3 = 3.333… → 3.333; 0.001 / 2 → 0.001 half-up
    { currency: "KWD", amount: "10.000", num: 1, den: 3, rounding: "half-up", expected: "3.333" },
    { currency: "KWD", amount: "0.001", num: 1, den: 2, rounding: "half-up", expected: "0.001" },
  ] as const)("$amount × $num / $den ($rounding) = $expected $currency", ({ currency, amount, num, den, rounding, expected }) => {
    expect(scaleAmount(currency, amount, num, den, rounding)).toBe(expected);
  });

  it("refuses a zero denominator and fractional factors", () => {
    expect(() => scaleAmount("EUR", "1.00", 1, 0, "down")).toThrow(RangeError);
    expect(() => scaleAmount("EUR", "1.00", 1.5, 1, "down")).toThrow(RangeError);
  });
});

describe("exactRatio and multiplyAmountBy", () => {
  it.each([
    { value: 3, expected: { numerator: 3n, denominator: 1n } },
    { value: 1.5, expected: { numerator: 15n, denominator: 10n } },
    { value: 5.25, expected: { numerator: 525n, denominator: 100n } },
    { value: 0.1, expected: { numerator: 1n, denominator: 10n } },
    { value: -2.5, expected: { numerator: -25n, denominator: 10n } },
  ])("reads $value as an exact fraction", ({ value, expected }) => {
    expect(exactRatio(value)).toEqual(expected);
  });

  it("refuses numbers without a plain decimal spelling", () => {
    expect(() => exactRatio(Number.NaN)).toThrow(RangeError);
    expect(() => exactRatio(1e21)).toThrow(RangeError);
  });

  it.each([
    // 80.00 × 1.5 h × 100 % = 120.00
    { currency: "EUR", amount: "80.00", factors: [1.5, 100], divisor: 100, expected: "120.00" },
    // 19.99 × 3 × 50 % = 29.985 → 29.99 half-up
    { currency: "EUR", amount: "19.99", factors: [3, 50], divisor: 100, expected: "29.99" },
    // 999.99 × 5.5 % × 24 / 12 = 109.9989 → 110.00
    { currency: "EUR", amount: "999.99", factors: [5.5, 24], divisor: 1200, expected: "110.00" },
    // a contract at 9.5 % of 129,800 yen for 12 months: 12,331 yen, not 12331.00
    { currency: "JPY", amount: "129800", factors: [9.5, 12], divisor: 1200, expected: "12331" },
    // labor at 8,500 yen an hour × 1.25 h × 50 %: 5312.5 → 5313
    { currency: "JPY", amount: "8500", factors: [1.25, 50], divisor: 100, expected: "5313" },
    // 12.345 dinars × 1.5 h = 18.5175 → 18.518
    { currency: "KWD", amount: "12.345", factors: [1.5], divisor: 1, expected: "18.518" },
  ])("$amount × $factors / $divisor = $expected $currency", ({ currency, amount, factors, divisor, expected }) => {
    expect(multiplyAmountBy(currency, amount, factors, divisor, "half-up")).toBe(expected);
  });
});
