import { describe, expect, it } from "vitest";
import { explainForecast, forecastRunOut, median, type Forecast, type Purchase } from "../src/domain/replenishment.js";

/** Purchases written as `date×quantity`, e.g. `2025-01-01×2`, to keep the table readable. */
const bought = (...purchases: string[]): Purchase[] =>
  purchases.map((p) => {
    const [purchasedOn = "", quantity = "1"] = p.split("×");
    return { purchasedOn, quantity: Number(quantity) };
  });

describe("forecastRunOut", () => {
  it.each([
    {
      name: "one purchase: the product's cycle",
      cycle: 30,
      purchases: bought("2025-01-01×1"),
      // 2025-01-01 + 30 × 1
      expected: { method: "PRODUCT_CYCLE", purchaseCount: 1, daysPerUnit: 30, lastQuantity: 1, runsOutOn: "2025-01-31" },
    },
    {
      name: "two purchases: the cycle times the quantity last bought",
      cycle: 30,
      purchases: bought("2025-01-01×1", "2025-02-10×3"),
      // 2025-02-10 + 30 × 3 = 2025-02-10 + 90 (18 left in February, 31 in March, 30 in April, 11 in May)
      expected: { method: "PRODUCT_CYCLE", purchaseCount: 2, daysPerUnit: 30, lastQuantity: 3, runsOutOn: "2025-05-11" },
    },
    {
      name: "the cycle counted across a leap day",
      cycle: 1,
      purchases: bought("2024-02-20×1", "2024-02-27×3"),
      // 2024-02-27 + 1 × 3: 28, 29 February, 1 March
      expected: { method: "PRODUCT_CYCLE", purchaseCount: 2, daysPerUnit: 1, lastQuantity: 3, runsOutOn: "2024-03-01" },
    },
    {
      name: "three purchases, an even number (2) of intervals: the mean of the middle two",
      cycle: 30,
      purchases: bought("2025-01-01×2", "2025-01-21×1", "2025-02-04×1"),
      // 20 days / 2 = 10, 14 days / 1 = 14 → median 12; 2025-02-04 + 12 × 1
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 3, daysPerUnit: 12, lastQuantity: 1, runsOutOn: "2025-02-16" },
    },
    {
      name: "four purchases, an odd number (3) of intervals: the middle one",
      cycle: 30,
      purchases: bought("2025-03-01×1", "2025-03-11×1", "2025-03-31×2", "2025-04-12×2"),
      // 10/1 = 10, 20/1 = 20, 12/2 = 6 → sorted 6, 10, 20 → 10; 2025-04-12 + 10 × 2
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 4, daysPerUnit: 10, lastQuantity: 2, runsOutOn: "2025-05-02" },
    },
    {
      name: "a long holiday gap that the median ignores",
      cycle: 30,
      purchases: bought("2025-06-02×1", "2025-06-09×1", "2025-06-16×1", "2025-08-15×1", "2025-08-22×1"),
      // 7, 7, 60, 7 → median 7 (the mean would be 20.25); 2025-08-22 + 7
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 5, daysPerUnit: 7, lastQuantity: 1, runsOutOn: "2025-08-29" },
    },
    {
      name: "half days per unit rounded to whole days",
      cycle: 30,
      purchases: bought("2025-01-01×2", "2025-01-16×2", "2025-01-31×1"),
      // 15/2 = 7.5, 15/2 = 7.5 → 7.5; 2025-01-31 + round(7.5 × 1) = + 8
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 3, daysPerUnit: 7.5, lastQuantity: 1, runsOutOn: "2025-02-08" },
    },
    {
      name: "a customer's rhythm much faster than the product's cycle",
      cycle: 90,
      purchases: bought("2025-01-01×3", "2025-01-13×3", "2025-01-28×3"),
      // 12/3 = 4, 15/3 = 5 → 4.5; 2025-01-28 + 4.5 × 3 = + 13.5 → + 14
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 3, daysPerUnit: 4.5, lastQuantity: 3, runsOutOn: "2025-02-11" },
    },
    {
      name: "two purchases on the same day: one purchase of both quantities",
      cycle: 30,
      purchases: bought("2025-01-01×1", "2025-01-01×1", "2025-01-31×1"),
      // history 2025-01-01×2, 2025-01-31×1: two purchases, still the cycle; 2025-01-31 + 30
      expected: { method: "PRODUCT_CYCLE", purchaseCount: 2, daysPerUnit: 30, lastQuantity: 1, runsOutOn: "2025-03-02" },
    },
    {
      name: "the latest day's purchases add up to the quantity last bought",
      cycle: 30,
      purchases: bought("2025-01-01×1", "2025-01-11×1", "2025-01-21×1", "2025-01-21×2"),
      // history ...01-21×3; 10/1, 10/1 → 10; 2025-01-21 + 10 × 3
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 3, daysPerUnit: 10, lastQuantity: 3, runsOutOn: "2025-02-20" },
    },
    {
      name: "purchases in any order",
      cycle: 30,
      purchases: bought("2025-03-31×2", "2025-04-12×2", "2025-03-01×1", "2025-03-11×1"),
      // the four-purchase case above, shuffled
      expected: { method: "CUSTOMER_HISTORY", purchaseCount: 4, daysPerUnit: 10, lastQuantity: 2, runsOutOn: "2025-05-02" },
    },
  ])("$name", ({ cycle, purchases, expected }) => {
    const lastPurchasedOn = [...purchases]
      .map((p) => p.purchasedOn)
      .sort()
      .at(-1);
    expect(forecastRunOut(cycle, purchases)).toEqual({ ...expected, lastPurchasedOn });
  });

  it("has nothing to forecast without purchases", () => {
    expect(forecastRunOut(30, [])).toBeNull();
  });

  it("does not reorder the caller's purchases", () => {
    const purchases = bought("2025-02-01×1", "2025-01-01×1");
    forecastRunOut(30, purchases);
    expect(purchases.map((p) => p.purchasedOn)).toEqual(["2025-02-01", "2025-01-01"]);
  });
});

describe("median", () => {
  it.each([
    { values: [7], expected: 7 },
    { values: [10, 14], expected: 12 },
    { values: [20, 6, 10], expected: 10 },
    { values: [7, 60, 7, 7], expected: 7 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [1.5, 0.5], expected: 1 },
  ])("of $values is $expected", ({ values, expected }) => {
    expect(median(values)).toBe(expected);
  });

  it("leaves its input unsorted", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("explainForecast", () => {
  const forecast = (overrides: Partial<Forecast>): Forecast => ({
    lastPurchasedOn: "2025-01-01",
    lastQuantity: 1,
    purchaseCount: 1,
    daysPerUnit: 30,
    method: "PRODUCT_CYCLE",
    runsOutOn: "2025-01-31",
    ...overrides,
  });

  it.each([
    {
      name: "the product's cycle for a first purchase",
      forecast: forecast({}),
      sentence: "Bought 1 unit on 2025-01-01; at the product's cycle of 30 days per unit (fewer than 3 purchases so far), that lasts until 2025-01-31.",
    },
    {
      name: "the customer's median, with the units last bought",
      forecast: forecast({
        lastPurchasedOn: "2025-04-12",
        lastQuantity: 2,
        purchaseCount: 4,
        daysPerUnit: 10,
        method: "CUSTOMER_HISTORY",
        runsOutOn: "2025-05-02",
      }),
      sentence: "Bought 2 units on 2025-04-12; at the customer's own median of 10 days per unit over 4 purchases, that lasts until 2025-05-02.",
    },
    {
      name: "days per unit to one decimal",
      forecast: forecast({ daysPerUnit: 10 / 3, method: "CUSTOMER_HISTORY", purchaseCount: 3, runsOutOn: "2025-01-04" }),
      sentence: "Bought 1 unit on 2025-01-01; at the customer's own median of 3.3 days per unit over 3 purchases, that lasts until 2025-01-04.",
    },
  ])("explains $name", ({ forecast: f, sentence }) => {
    expect(explainForecast(f)).toBe(sentence);
  });
});
