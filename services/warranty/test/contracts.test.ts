import { describe, expect, it } from "vitest";
import { contractPrice, proRataRefund, termEnd, termsOverlap } from "../src/domain/contracts.js";

describe("contractPrice", () => {
  it.each([
    {
      name: "one year at a whole percent",
      input: { priceSharePercent: 5, months: 12, purchasePrices: ["1000.00"] },
      // 1000.00 × 5 % × 12/12 = 50.00
      expected: { perUnit: ["50.00"], total: "50.00" },
    },
    {
      name: "a share with decimals over three years",
      input: { priceSharePercent: 5.5, months: 36, purchasePrices: ["999.99"] },
      // 999.99 × 5.5 % = 54.99945; × 36/12 = 164.99835 → 165.00
      expected: { perUnit: ["165.00"], total: "165.00" },
    },
    {
      name: "eighteen months",
      input: { priceSharePercent: 7.25, months: 18, purchasePrices: ["800.00"] },
      // 800.00 × 7.25 % = 58.00; × 18/12 = 87.00
      expected: { perUnit: ["87.00"], total: "87.00" },
    },
    {
      name: "half a cent rounds up",
      input: { priceSharePercent: 5, months: 12, purchasePrices: ["10.10"] },
      // 10.10 × 5 % = 0.505 → 0.51
      expected: { perUnit: ["0.51"], total: "0.51" },
    },
    {
      name: "each unit rounded, then summed",
      input: { priceSharePercent: 5, months: 12, purchasePrices: ["10.10", "10.10", "2000"] },
      // 0.505 → 0.51 twice, 100.00; 0.51 + 0.51 + 100.00 = 101.02 (rounding the sum 101.01 would not match the lines)
      expected: { perUnit: ["0.51", "0.51", "100.00"], total: "101.02" },
    },
    {
      name: "one month of a year's share",
      input: { priceSharePercent: 6, months: 1, purchasePrices: ["1234.56"] },
      // 1234.56 × 6 % = 74.0736; / 12 = 6.1728 → 6.17
      expected: { perUnit: ["6.17"], total: "6.17" },
    },
    {
      name: "no units",
      input: { priceSharePercent: 5, months: 12, purchasePrices: [] },
      expected: { perUnit: [], total: "0.00" },
    },
  ])("$name", ({ input, expected }) => {
    expect(contractPrice({ ...input, currency: "EUR" })).toEqual(expected);
  });

  it.each([
    // 129,800 yen × 9.5 % = 12,331 yen: the yen has no smaller unit
    { currency: "JPY", purchasePrices: ["129800"], share: 9.5, months: 12, expected: { perUnit: ["12331"], total: "12331" } },
    // 99,990 yen × 3 % × 18/12 = 4,499.55 → 4,500; 2 × 4,500
    { currency: "JPY", purchasePrices: ["99990", "99990.000"], share: 3, months: 18, expected: { perUnit: ["4500", "4500"], total: "9000" } },
    // 1,234.567 dinars × 6 % = 74.07402 → 74.074, to the fils
    { currency: "KWD", purchasePrices: ["1234.567"], share: 6, months: 12, expected: { perUnit: ["74.074"], total: "74.074" } },
  ])("rounds to the $currency's own minor unit", ({ currency, purchasePrices, share, months, expected }) => {
    expect(contractPrice({ priceSharePercent: share, months, purchasePrices, currency })).toEqual(expected);
  });

  it("refuses a share with more than two decimals", () => {
    expect(() => contractPrice({ priceSharePercent: 5.555, months: 12, purchasePrices: ["100.00"], currency: "EUR" })).toThrow(RangeError);
  });
});

describe("termEnd", () => {
  it.each([
    { startsOn: "2025-03-15", months: 12, expected: "2026-03-14" },
    { startsOn: "2025-03-15", months: 36, expected: "2028-03-14" },
    // the 1st: the term ends on the last day of the month before
    { startsOn: "2025-03-01", months: 12, expected: "2026-02-28" },
    { startsOn: "2023-03-01", months: 12, expected: "2024-02-29" },
    // anniversary 2025-03-01 (no 29 February), minus a day
    { startsOn: "2024-02-29", months: 12, expected: "2025-02-28" },
    // anniversary 2025-03-01 (no 31 February), minus a day
    { startsOn: "2025-01-31", months: 1, expected: "2025-02-28" },
  ])("$months months from $startsOn end on $expected", ({ startsOn, months, expected }) => {
    expect(termEnd(startsOn, months)).toBe(expected);
  });
});

describe("proRataRefund", () => {
  const year2025 = { startsOn: "2025-01-01", endsOn: "2025-12-31" };
  it.each([
    {
      name: "half a year unused",
      input: { price: "365.00", ...year2025, cancelledFrom: "2025-07-01" },
      // 1 July to 31 December = 31+31+30+31+30+31 = 184 of 365 days; 365.00 × 184/365
      expected: { refund: "184.00", unusedDays: 184, termDays: 365 },
    },
    {
      name: "only the last day unused, rounded down",
      input: { price: "100.00", ...year2025, cancelledFrom: "2025-12-31" },
      // 100.00 × 1/365 = 0.2739… → 0.27
      expected: { refund: "0.27", unusedDays: 1, termDays: 365 },
    },
    {
      name: "rounded down where half-up would give a cent more",
      input: { price: "100.00", startsOn: "2024-01-01", endsOn: "2024-12-31", cancelledFrom: "2024-03-01" },
      // a leap year: 366 days, 60 used (31 + 29); 100.00 × 306/366 = 83.6065… → 83.60
      expected: { refund: "83.60", unusedDays: 306, termDays: 366 },
    },
    {
      name: "cancelled from the first day: the full price",
      input: { price: "100", ...year2025, cancelledFrom: "2025-01-01" },
      expected: { refund: "100.00", unusedDays: 365, termDays: 365 },
    },
    {
      name: "cancelled before it started: the full price",
      input: { price: "100.00", ...year2025, cancelledFrom: "2024-12-01" },
      expected: { refund: "100.00", unusedDays: 365, termDays: 365 },
    },
    {
      name: "cancelled from the day after the term: nothing",
      input: { price: "100.00", ...year2025, cancelledFrom: "2026-01-01" },
      expected: { refund: "0.00", unusedDays: 0, termDays: 365 },
    },
    {
      name: "a three-day term with two days unused",
      input: { price: "99.99", startsOn: "2025-05-01", endsOn: "2025-05-03", cancelledFrom: "2025-05-02" },
      // 99.99 × 2/3 = 66.66
      expected: { refund: "66.66", unusedDays: 2, termDays: 3 },
    },
  ])("$name", ({ input, expected }) => {
    expect(proRataRefund({ ...input, currency: "EUR" })).toEqual(expected);
  });

  it("pays back whole yen, rounded down", () => {
    // 10,000 yen × 2/3 = 6,666.67 → 6,666; nothing is 0
    expect(proRataRefund({ price: "10000", currency: "JPY", startsOn: "2025-05-01", endsOn: "2025-05-03", cancelledFrom: "2025-05-02" }).refund).toBe("6666");
    expect(proRataRefund({ price: "10000", currency: "JPY", startsOn: "2025-05-01", endsOn: "2025-05-03", cancelledFrom: "2025-06-01" }).refund).toBe("0");
  });
});

describe("termsOverlap", () => {
  const term = (startsOn: string, endsOn: string) => ({ startsOn, endsOn });
  it.each([
    { name: "sharing one day", a: term("2025-01-01", "2025-12-31"), b: term("2025-12-31", "2026-12-30"), expected: true },
    { name: "back to back", a: term("2025-01-01", "2025-12-31"), b: term("2026-01-01", "2026-12-31"), expected: false },
    { name: "one inside the other", a: term("2025-01-01", "2027-12-31"), b: term("2026-03-01", "2026-03-31"), expected: true },
    { name: "the second entirely before", a: term("2026-01-01", "2026-12-31"), b: term("2024-01-01", "2024-12-31"), expected: false },
    { name: "the same term", a: term("2025-01-01", "2025-12-31"), b: term("2025-01-01", "2025-12-31"), expected: true },
  ])("$name: $expected", ({ a, b, expected }) => {
    expect(termsOverlap(a, b)).toBe(expected);
    expect(termsOverlap(b, a)).toBe(expected);
  });
});
