import { describe, expect, it } from "vitest";
import { pricedOffers } from "../src/domain/ending.js";

describe("pricedOffers", () => {
  const plans = [
    { id: "pln_care", name: "Care", priceSharePercent: 5.5, termMonths: 12 },
    { id: "pln_basic", name: "Basic", priceSharePercent: 3, termMonths: 12 },
    { id: "pln_long", name: "Long", priceSharePercent: 3, termMonths: 36 },
  ];
  it("prices every plan for the unit as a contract would be, half-up to the currency's minor unit, cheapest first", () => {
    expect(pricedOffers(plans, { amount: "1299.00", currency: "EUR" })).toEqual([
      { planId: "pln_basic", planName: "Basic", termMonths: 12, price: { amount: "38.97", currency: "EUR" } },
      { planId: "pln_care", planName: "Care", termMonths: 12, price: { amount: "71.45", currency: "EUR" } },
      { planId: "pln_long", planName: "Long", termMonths: 36, price: { amount: "116.91", currency: "EUR" } },
    ]);
  });
  it("writes amounts in the currency's own decimals", () => {
    expect(pricedOffers([plans[0]!], { amount: "129800", currency: "JPY" })).toEqual([
      { planId: "pln_care", planName: "Care", termMonths: 12, price: { amount: "7139", currency: "JPY" } },
    ]);
  });
  it("offers nothing for a unit whose purchase price is not known", () => {
    expect(pricedOffers(plans, null)).toEqual([]);
  });
});
