import { describe, expect, it } from "vitest";
import type { CoverageDecision } from "../src/domain/coverage.js";
import { quoteCoverage, type QuoteLine } from "../src/domain/quote.js";
import { uncovered, underContract, warranty } from "./decisions.js";

const pump = { partId: "P-PUMP", quantity: 2, listPrice: "45.00", inBillOfMaterials: true };
const seal = { partId: "P-SEAL", quantity: 3, listPrice: "3.35", inBillOfMaterials: true };
const turbo = { partId: "P-TURBO", quantity: 1, listPrice: "300.00", inBillOfMaterials: false };
const valve = { partId: "P-VALVE", quantity: 1, listPrice: null, inBillOfMaterials: true };

/** A line as `kind price covered customerPays`, to keep the table readable. */
const brief = (l: QuoteLine): string => [l.kind, l.price, l.covered, l.customerPays].join(" ");

describe("quoteCoverage", () => {
  it.each([
    {
      name: "in warranty, with a part outside the BOM, one without a price and labor beyond the standard hours",
      coverage: warranty(),
      parts: [pump, turbo, valve],
      laborHours: 2.5,
      standardHours: 2,
      // 45.00 × 2 = 90.00 all covered; 300.00 not in the BOM; unknown price 0.00;
      // 2.5 h × 80.00 = 200.00, 2 standard hours × 80.00 = 160.00 covered
      lines: ["PART 90.00 90.00 0.00", "PART 300.00 0.00 300.00", "PART 0.00 0.00 0.00", "LABOR 200.00 160.00 40.00"],
      // 90 + 300 + 0 + 200 = 590.00; 90 + 160 = 250.00; 590 − 250 = 340.00
      totals: { total: "590.00", covered: "250.00", customerPays: "340.00" },
    },
    {
      name: "half the parts share, rounded half-up",
      coverage: warranty(50, 100),
      parts: [seal],
      laborHours: 1,
      standardHours: 2,
      // 3.35 × 3 = 10.05, × 50 % = 5.025 → 5.03; 1 h × 80.00 covered in full
      lines: ["PART 10.05 5.03 5.02", "LABOR 80.00 80.00 0.00"],
      totals: { total: "90.05", covered: "85.03", customerPays: "5.02" },
    },
    {
      name: "no standard hours: every hour counts",
      coverage: warranty(100, 50),
      parts: [],
      laborHours: 3,
      standardHours: null,
      // 3 h × 80.00 = 240.00, × 50 % = 120.00
      lines: ["LABOR 240.00 120.00 120.00"],
      totals: { total: "240.00", covered: "120.00", customerPays: "120.00" },
    },
    {
      name: "hours with decimals",
      coverage: warranty(),
      parts: [],
      laborHours: 1.25,
      standardHours: 1.5,
      laborRate: "77.77",
      // 1.25 × 77.77 = 97.2125 → 97.21
      lines: ["LABOR 97.21 97.21 0.00"],
      totals: { total: "97.21", covered: "97.21", customerPays: "0.00" },
    },
    {
      name: "not covered: the customer pays everything",
      coverage: uncovered,
      parts: [pump, turbo],
      laborHours: 1,
      standardHours: 2,
      lines: ["PART 90.00 0.00 90.00", "PART 300.00 0.00 300.00", "LABOR 80.00 0.00 80.00"],
      totals: { total: "470.00", covered: "0.00", customerPays: "470.00" },
    },
    {
      name: "a parts-only contract",
      coverage: underContract({ laborCovered: false }),
      parts: [pump],
      laborHours: 1,
      standardHours: 2,
      lines: ["PART 90.00 90.00 0.00", "LABOR 80.00 0.00 80.00"],
      totals: { total: "170.00", covered: "90.00", customerPays: "80.00" },
    },
    {
      name: "a contract with fewer hours left than the standard hours",
      coverage: underContract({ laborHoursLeft: 1 }),
      parts: [],
      laborHours: 2,
      standardHours: 2,
      // min(2, 2, 1) = 1 h × 80.00 covered
      lines: ["LABOR 160.00 80.00 80.00"],
      totals: { total: "160.00", covered: "80.00", customerPays: "80.00" },
    },
    {
      name: "a contract without cases left covers nothing",
      coverage: underContract({ casesLeft: 0 }),
      parts: [pump],
      laborHours: 1,
      standardHours: 2,
      lines: ["PART 90.00 0.00 90.00", "LABOR 80.00 0.00 80.00"],
      totals: { total: "170.00", covered: "0.00", customerPays: "170.00" },
    },
    {
      name: "no labor, no labor line",
      coverage: warranty(),
      parts: [pump],
      laborHours: 0,
      standardHours: 2,
      lines: ["PART 90.00 90.00 0.00"],
      totals: { total: "90.00", covered: "90.00", customerPays: "0.00" },
    },
    {
      name: "nothing to quote",
      coverage: warranty(),
      parts: [],
      laborHours: 0,
      standardHours: null,
      lines: [],
      totals: { total: "0.00", covered: "0.00", customerPays: "0.00" },
    },
  ])("$name", ({ coverage, parts, laborHours, standardHours, laborRate = "80.00", lines, totals }) => {
    const quote = quoteCoverage({ coverage, currency: "EUR", parts, laborHours, laborRate, standardHours });
    expect(quote.lines.map(brief)).toEqual(lines);
    expect({ total: quote.total, covered: quote.covered, customerPays: quote.customerPays }).toEqual(totals);
  });

  it("says why on each line", () => {
    const notes = (coverage: CoverageDecision, laborHours: number, standardHours: number | null) =>
      quoteCoverage({ coverage, currency: "EUR", parts: [pump, turbo, valve], laborHours, laborRate: "80.00", standardHours }).lines.map((l) => l.note);
    expect(notes(warranty(), 2.5, 2)).toEqual([
      "100 % of the list price is covered.",
      "Part P-TURBO is not in the product's bill of materials, so it is not covered.",
      "No list price in EUR is known for part P-VALVE; the workshop prices it.",
      "100 % of the 2 h standard time is covered; the customer pays the 0.5 h beyond it.",
    ]);
    expect(notes(warranty(), 1.5, 2).at(-1)).toBe("100 % of 1.5 h is covered.");
    expect(notes(underContract({ laborHoursLeft: 1 }), 2, 2).at(-1)).toBe("Service contract SC-1 has 1 h of labor left; the customer pays the 1 h beyond it.");
    expect(notes(uncovered, 1, 2)).toEqual([
      "Not covered on 2026-08-01. The warranty expired: its last covered day was 2026-06-14.",
      "Not covered on 2026-08-01. The warranty expired: its last covered day was 2026-06-14.",
      "No list price in EUR is known for part P-VALVE; the workshop prices it.",
      "Not covered on 2026-08-01. The warranty expired: its last covered day was 2026-06-14.",
    ]);
  });

  it("keeps part identities and quantities on the lines", () => {
    const { lines } = quoteCoverage({ coverage: warranty(), currency: "EUR", parts: [pump], laborHours: 1.5, laborRate: "80.00", standardHours: 2 });
    expect(lines).toMatchObject([
      { kind: "PART", partId: "P-PUMP", quantity: 2, hours: null },
      { kind: "LABOR", partId: null, quantity: null, hours: 1.5 },
    ]);
  });
});
