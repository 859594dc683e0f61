import { describe, expect, it } from "vitest";
import {
  addAmounts,
  compareAmounts,
  exactRatio,
  maxAmount,
  minAmount,
  multiplyAmount,
  multiplyAmountBy,
  scaleAmount,
  subtractAmount,
} from "../src/money.js";

describe("money arithmetic in cents", () => {
  it.each([
    { amounts: [], expected: "0.00" },
    { amounts: ["12.5"], expected: "12.50" },
    // 0.10 + 0.20 is 0.30 exactly, not 0.30000000000000004
    { amounts: ["0.10", "0.20"], expected: "0.30" },
    { amounts: ["100", "-0.01", "5.05"], expected: "105.04" },
  ])("adds $amounts to $expected", ({ amounts, expected }) => {
    expect(addAmounts(...amounts)).toBe(expected);
  });

  it.each([
    { a: "10.00", b: "2.50", expected: "7.50" },
    { a: "2.50", b: "10", expected: "-7.50" },
    { a: "0.05", b: "0.05", expected: "0.00" },
  ])("$a − $b = $expected", ({ a, b, expected }) => {
    expect(subtractAmount(a, b)).toBe(expected);
  });

  it.each([
    { a: "5", b: "5.00", expected: 0 },
    { a: "4.99", b: "5", expected: -1 },
    { a: "-1", b: "-2", expected: 1 },
  ])("compares $a with $b", ({ a, b, expected }) => {
    expect(compareAmounts(a, b)).toBe(expected);
  });

  it("takes the smaller and the larger of two amounts, formatted", () => {
    expect(minAmount("7.5", "12.00")).toBe("7.50");
    expect(maxAmount("7.5", "12.00")).toBe("12.00");
  });

  it("still multiplies by whole numbers", () => {
    expect(multiplyAmount("2.35", 3)).toBe("7.05");
  });
});

describe("scaleAmount", () => {
  it.each([
    // 10.00 × 1/3 = 3.333… → 3.33 either way
    { amount: "10.00", num: 1, den: 3, rounding: "half-up", expected: "3.33" },
    // 20.00 × 1/3 = 6.666… → 6.67 half-up, 6.66 down
    { amount: "20.00", num: 1, den: 3, rounding: "half-up", expected: "6.67" },
    { amount: "20.00", num: 1, den: 3, rounding: "down", expected: "6.66" },
    // 0.01 / 2 = 0.005: exactly half rounds up, down drops it
    { amount: "0.01", num: 1n, den: 2n, rounding: "half-up", expected: "0.01" },
    { amount: "0.01", num: 1n, den: 2n, rounding: "down", expected: "0.00" },
    // -0.01 / 2 = -0.005: halves away from zero, down towards zero
    { amount: "-0.01", num: 1, den: 2, rounding: "half-up", expected: "-0.01" },
    { amount: "-0.01", num: 1, den: 2, rounding: "down", expected: "0.00" },
    // a negative denominator flips the sign: 3.00 × 1 / -2 = -1.50
    { amount: "3.00", num: 1, den: -2, rounding: "down", expected: "-1.50" },
    // 1,000,000,000.00 × 9 / 7 beyond float precision: 1,285,714,285.714… → .71
    { amount: "1000000000.00", num: 9, den: 7, rounding: "half-up", expected: "1285714285.71" },
  ] as const)("$amount × $num / $den ($rounding) = $expected", ({ amount, num, den, rounding, expected }) => {
    expect(scaleAmount(amount, num, den, rounding)).toBe(expected);
  });

  it("refuses a zero denominator and fractional factors", () => {
    expect(() => scaleAmount("1.00", 1, 0, "down")).toThrow(RangeError);
    expect(() => scaleAmount("1.00", 1.5, 1, "down")).toThrow(RangeError);
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
    { amount: "80.00", factors: [1.5, 100], divisor: 100, expected: "120.00" },
    // 19.99 × 3 × 50 % = 29.985 → 29.99 half-up
    { amount: "19.99", factors: [3, 50], divisor: 100, expected: "29.99" },
    // 999.99 × 5.5 % × 24 / 12 = 109.9989 → 110.00
    { amount: "999.99", factors: [5.5, 24], divisor: 1200, expected: "110.00" },
  ])("$amount × $factors / $divisor = $expected", ({ amount, factors, divisor, expected }) => {
    expect(multiplyAmountBy(amount, factors, divisor, "half-up")).toBe(expected);
  });
});
