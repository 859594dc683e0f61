import { describe, expect, it } from "vitest";
import { adjudicateLines, claimOutcome, type AdjudicationFacts, type ClaimLine, type LineDecision } from "../src/domain/adjudication.js";
import { uncovered, underContract, warranty } from "./decisions.js";

/** The pump at 45.00 and the seal at 3.35 have list prices; the new valve is in the BOM without one. */
const facts = (overrides: Partial<AdjudicationFacts> = {}): AdjudicationFacts => ({
  coverage: warranty(),
  workshopAuthorized: true,
  duplicateOf: null,
  billOfMaterials: new Set(["P-PUMP", "P-SEAL", "P-VALVE"]),
  partListPrices: new Map([
    ["P-PUMP", "45.00"],
    ["P-SEAL", "3.35"],
  ]),
  standardHours: 2,
  laborRate: "80.00",
  currency: "EUR",
  serviceMode: "ON_SITE",
  ...overrides,
});

const part = (partId: string | null, quantity: number | null, claimedAmount: string): ClaimLine => ({
  kind: "PART",
  partId,
  quantity,
  hours: null,
  km: null,
  claimedAmount,
});
const labor = (hours: number | null, claimedAmount: string): ClaimLine => ({ kind: "LABOR", partId: null, quantity: null, hours, km: null, claimedAmount });
const travel = (km: number | null, claimedAmount: string): ClaimLine => ({ kind: "TRAVEL", partId: null, quantity: null, hours: null, km, claimedAmount });

/** A decision as `STATUS approved REASON`, e.g. `REDUCED 90.00 PRICED_AT_LIST`, to keep the table readable. */
const brief = (d: LineDecision): string => [d.status, d.approvedAmount ?? "-", d.reason ?? "-"].join(" ");

describe("adjudicateLines", () => {
  it.each([
    // parts
    {
      name: "a part claimed at list price",
      lines: [part("P-PUMP", 2, "90.00")],
      // 45.00 × 2 × 100 % = 90.00
      expected: ["APPROVED 90.00 -"],
    },
    {
      name: "a part claimed below list price is paid as claimed",
      lines: [part("P-PUMP", 2, "80")],
      expected: ["APPROVED 80.00 -"],
    },
    {
      name: "a part claimed above list price is priced at list",
      lines: [part("P-PUMP", 2, "120.00")],
      expected: ["REDUCED 90.00 PRICED_AT_LIST"],
    },
    {
      name: "a part at half the parts share, rounded half-up",
      lines: [part("P-SEAL", 3, "10.05")],
      coverage: warranty(50, 100),
      // 3.35 × 3 × 50 % = 5.025 → 5.03
      expected: ["REDUCED 5.03 PRICED_AT_LIST"],
    },
    {
      name: "a part line without a quantity claims one part",
      lines: [part("P-PUMP", null, "90.00")],
      // 45.00 × 1
      expected: ["REDUCED 45.00 PRICED_AT_LIST"],
    },
    {
      name: "a part not in the bill of materials",
      lines: [part("P-TURBO", 1, "500.00")],
      expected: ["REJECTED 0.00 PART_NOT_IN_BOM"],
    },
    {
      name: "a part line naming no part",
      lines: [part(null, 1, "5.00")],
      expected: ["REJECTED 0.00 PART_NOT_IN_BOM"],
    },
    {
      name: "parts under a labor-only contract",
      lines: [part("P-PUMP", 1, "45.00")],
      coverage: underContract({ partsCovered: false }),
      expected: ["REJECTED 0.00 PARTS_NOT_COVERED"],
    },
    {
      name: "the bill of materials is checked before the share",
      lines: [part("P-TURBO", 1, "45.00")],
      coverage: underContract({ partsCovered: false }),
      expected: ["REJECTED 0.00 PART_NOT_IN_BOM"],
    },
    {
      name: "a part without a known list price waits for an agent",
      lines: [part("P-VALVE", 1, "12.00")],
      expected: ["PENDING - -"],
    },

    // labor
    {
      name: "labor within the standard hours at the rate",
      lines: [labor(1.5, "120.00")],
      // 1.5 h × 80.00 × 100 % = 120.00
      expected: ["APPROVED 120.00 -"],
    },
    {
      name: "labor above the rate",
      lines: [labor(1.5, "150.00")],
      expected: ["REDUCED 120.00 LABOR_RATE"],
    },
    {
      name: "labor beyond the standard hours",
      lines: [labor(2.5, "200.00")],
      // min(2.5, 2) = 2 h × 80.00 = 160.00
      expected: ["REDUCED 160.00 LABOR_HOURS_CAPPED"],
    },
    {
      name: "hours capped but the amount claimed within the allowance",
      lines: [labor(2.5, "150.00")],
      expected: ["APPROVED 150.00 -"],
    },
    {
      name: "half the labor share",
      lines: [labor(1.5, "120.00")],
      coverage: warranty(100, 50),
      // 1.5 × 80.00 × 50 % = 60.00
      expected: ["REDUCED 60.00 LABOR_RATE"],
    },
    {
      name: "an odd rate rounded half-up to the cent",
      lines: [labor(1.25, "100.00")],
      laborRate: "77.77",
      // 1.25 × 77.77 = 97.2125 → 97.21
      expected: ["REDUCED 97.21 LABOR_RATE"],
    },
    {
      name: "a half cent rounds up",
      lines: [labor(0.75, "20.00")],
      laborRate: "33.33",
      coverage: warranty(100, 50),
      // 0.75 × 33.33 × 50 % = 12.49875 → 12.50
      expected: ["REDUCED 12.50 LABOR_RATE"],
    },
    {
      name: "labor under a parts-only contract",
      lines: [labor(1, "80.00")],
      coverage: underContract({ laborCovered: false }),
      expected: ["REJECTED 0.00 LABOR_NOT_COVERED"],
    },
    {
      name: "labor without standard hours waits for an agent",
      lines: [labor(1, "80.00")],
      standardHours: null,
      expected: ["PENDING - NO_STANDARD_HOURS"],
    },
    {
      name: "a labor line without hours waits for an agent",
      lines: [labor(null, "80.00")],
      expected: ["PENDING - -"],
    },
    {
      name: "labor capped by the contract's hours left",
      lines: [labor(1.5, "120.00")],
      coverage: underContract({ laborHoursLeft: 1 }),
      // min(1.5, 2, 1) = 1 h × 80.00
      expected: ["REDUCED 80.00 LABOR_HOURS_CAPPED"],
    },
    {
      name: "no contract hours left",
      lines: [labor(1.5, "120.00")],
      coverage: underContract({ laborHoursLeft: 0 }),
      expected: ["REJECTED 0.00 CONTRACT_HOURS_EXHAUSTED"],
    },
    {
      name: "no contract hours left rejects even without standard hours",
      lines: [labor(1.5, "120.00")],
      coverage: underContract({ laborHoursLeft: 0 }),
      standardHours: null,
      expected: ["REJECTED 0.00 CONTRACT_HOURS_EXHAUSTED"],
    },
    {
      name: "contract hours left matter only under the contract",
      lines: [labor(1.5, "120.00")],
      coverage: { ...underContract({ laborHoursLeft: 0 }), kind: "WARRANTY" as const },
      expected: ["APPROVED 120.00 -"],
    },
    {
      name: "labor lines share the standard hours",
      lines: [labor(1.5, "120.00"), labor(1.5, "120.00"), labor(1, "80.00")],
      // 2 standard hours: 1.5 h, then the 0.5 h left × 80.00 = 40.00, then none
      expected: ["APPROVED 120.00 -", "REDUCED 40.00 LABOR_HOURS_CAPPED", "REJECTED 0.00 LABOR_HOURS_CAPPED"],
    },
    {
      name: "labor lines share the contract's hours left",
      lines: [labor(1.5, "120.00"), labor(1.5, "120.00"), labor(1, "80.00")],
      coverage: underContract({ laborHoursLeft: 2 }),
      standardHours: 5,
      // 2 h left: 1.5 h, then 0.5 h = 40.00, then nothing left on the contract
      expected: ["APPROVED 120.00 -", "REDUCED 40.00 LABOR_HOURS_CAPPED", "REJECTED 0.00 CONTRACT_HOURS_EXHAUSTED"],
    },
    {
      name: "tenths of hours add up exactly",
      lines: [labor(0.1, "8.00"), labor(0.2, "16.00"), labor(0.1, "8.00")],
      standardHours: 0.3,
      // 0.1 + 0.2 = 0.3 h exactly, so nothing is left for the third line
      expected: ["APPROVED 8.00 -", "APPROVED 16.00 -", "REJECTED 0.00 LABOR_HOURS_CAPPED"],
    },

    // travel
    {
      name: "travel to an on-site unit waits for an agent",
      lines: [travel(30, "25.00")],
      expected: ["PENDING - TRAVEL_NEEDS_REVIEW"],
    },
    {
      name: "travel with an unknown service mode waits for an agent",
      lines: [travel(30, "25.00")],
      serviceMode: null,
      expected: ["PENDING - TRAVEL_NEEDS_REVIEW"],
    },
    {
      name: "no travel for a carry-in unit",
      lines: [travel(30, "25.00")],
      serviceMode: "CARRY_IN" as const,
      expected: ["REJECTED 0.00 TRAVEL_NOT_COVERED"],
    },

    // the whole claim
    {
      name: "not covered on the failure date: every line",
      lines: [part("P-PUMP", 1, "45.00"), labor(1, "80.00"), travel(10, "5.00")],
      coverage: uncovered,
      expected: ["REJECTED 0.00 NOT_COVERED", "REJECTED 0.00 NOT_COVERED", "REJECTED 0.00 NOT_COVERED"],
    },
    {
      name: "a workshop not authorized on the repair date",
      lines: [part("P-PUMP", 1, "45.00"), labor(1, "80.00")],
      workshopAuthorized: false,
      expected: ["REJECTED 0.00 WORKSHOP_NOT_AUTHORIZED", "REJECTED 0.00 WORKSHOP_NOT_AUTHORIZED"],
    },
    {
      name: "a duplicate",
      lines: [part("P-PUMP", 1, "45.00")],
      duplicateOf: "WC-000123",
      expected: ["REJECTED 0.00 DUPLICATE"],
    },
    {
      name: "coverage is checked before the workshop",
      lines: [part("P-PUMP", 1, "45.00")],
      coverage: uncovered,
      workshopAuthorized: false,
      duplicateOf: "WC-000123",
      expected: ["REJECTED 0.00 NOT_COVERED"],
    },
    {
      name: "the workshop is checked before duplicates",
      lines: [part("P-PUMP", 1, "45.00")],
      workshopAuthorized: false,
      duplicateOf: "WC-000123",
      expected: ["REJECTED 0.00 WORKSHOP_NOT_AUTHORIZED"],
    },
    {
      name: "a contract without cases left",
      lines: [part("P-PUMP", 1, "45.00"), labor(1, "80.00")],
      coverage: underContract({ casesLeft: 0 }),
      expected: ["REJECTED 0.00 CONTRACT_CASES_EXHAUSTED", "REJECTED 0.00 CONTRACT_CASES_EXHAUSTED"],
    },
    {
      name: "a contract with a case left",
      lines: [part("P-PUMP", 1, "45.00"), labor(1, "80.00")],
      coverage: underContract({ casesLeft: 1 }),
      expected: ["APPROVED 45.00 -", "APPROVED 80.00 -"],
    },
    {
      name: "a mixed claim, each line on its own",
      lines: [part("P-PUMP", 1, "50.00"), part("P-TURBO", 1, "300.00"), labor(2.5, "200.00"), travel(42, "30.00")],
      expected: ["REDUCED 45.00 PRICED_AT_LIST", "REJECTED 0.00 PART_NOT_IN_BOM", "REDUCED 160.00 LABOR_HOURS_CAPPED", "PENDING - TRAVEL_NEEDS_REVIEW"],
    },
  ])("$name", ({ lines, expected, ...overrides }) => {
    expect(adjudicateLines(lines, facts(overrides)).map(brief)).toEqual(expected);
  });

  it("explains each line in one sentence with the figures", () => {
    const explain = (lines: ClaimLine[], overrides: Partial<AdjudicationFacts> = {}) => adjudicateLines(lines, facts(overrides)).map((d) => d.explanation);
    expect(explain([part("P-PUMP", 2, "120.00"), labor(1.5, "150.00"), labor(1, "80.00")])).toEqual([
      "2 × 45.00 at list × 100 % = 90.00; claimed 120.00.",
      "1.5 h at 80.00 × 100 % = 120.00; claimed 150.00.",
      "1 h claimed, capped at the 0.5 h left of the 2 h standard: 0.5 h at 80.00 × 100 % = 40.00; claimed 80.00.",
    ]);
    expect(explain([labor(2.5, "200.00")])).toEqual(["2.5 h claimed, capped at the 2 h standard: 2 h at 80.00 × 100 % = 160.00; claimed 200.00."]);
    expect(explain([labor(1.5, "120.00")], { coverage: underContract({ laborHoursLeft: 1 }) })).toEqual([
      "1.5 h claimed, capped at the 1 h left on service contract SC-1: 1 h at 80.00 × 100 % = 80.00; claimed 120.00.",
    ]);
    expect(explain([part("P-TURBO", 1, "1"), part("P-VALVE", 1, "1"), travel(42, "30.00")])).toEqual([
      "Part P-TURBO is not in the product's bill of materials.",
      "No list price is known for part P-VALVE; an agent prices it.",
      "No rule prices travel (42 km); an agent decides on the 30.00 claimed.",
    ]);
    expect(explain([travel(10, "5.00")], { coverage: uncovered })).toEqual([
      "The unit was not covered on 2026-08-01. The warranty expired: its last covered day was 2026-06-14.",
    ]);
    expect(explain([travel(10, "5.00")], { duplicateOf: "WC-000123" })).toEqual(["Claim WC-000123 already claims this unit's failure on the same date."]);
    expect(explain([travel(10, "5.00")], { coverage: underContract({ casesLeft: 0 }) })).toEqual(["Service contract SC-1 has no cases left."]);
  });

  it("pays a claim in yen to the yen: allowances round to whole yen, and nothing is 0", () => {
    // given a Tokyo workshop at 8,500 yen an hour and a pump listed at 12,345 yen, half the labor covered
    const yen = facts({
      currency: "JPY",
      laborRate: "8500",
      partListPrices: new Map([["P-PUMP", "12345"]]),
      coverage: warranty(50, 50),
    });
    // when it claims a pump, an hour and a quarter, and a part the product does not have
    const decisions = adjudicateLines([part("P-PUMP", 1, "7000"), labor(1.25, "6000"), part("P-TURBO", 1, "1000")], yen);
    // then 12,345 × 50 % = 6,172.5 → 6,173; 1.25 h × 8,500 × 50 % = 5,312.5 → 5,313; the turbo 0
    expect(decisions.map(brief)).toEqual(["REDUCED 6173 PRICED_AT_LIST", "REDUCED 5313 LABOR_RATE", "REJECTED 0 PART_NOT_IN_BOM"]);
    expect(decisions[1]?.explanation).toBe("1.25 h at 8500 × 50 % = 5313; claimed 6000.");
  });
});

describe("claimOutcome", () => {
  const line = (claimedAmount: string, status: LineDecision["status"], approvedAmount: string | null) => ({
    claimedAmount,
    decision: { status, approvedAmount, reason: null, explanation: "" },
  });
  it.each([
    {
      name: "every line approved",
      lines: [line("90.00", "APPROVED", "90.00"), line("120.00", "APPROVED", "120.00")],
      expected: { status: "APPROVED", claimedTotal: "210.00", approvedTotal: "210.00" },
    },
    {
      name: "one line reduced",
      lines: [line("90.00", "APPROVED", "90.00"), line("150.00", "REDUCED", "120.00")],
      // 90.00 + 120.00
      expected: { status: "PARTIALLY_APPROVED", claimedTotal: "240.00", approvedTotal: "210.00" },
    },
    {
      name: "one line rejected",
      lines: [line("90.00", "APPROVED", "90.00"), line("300.00", "REJECTED", "0.00")],
      expected: { status: "PARTIALLY_APPROVED", claimedTotal: "390.00", approvedTotal: "90.00" },
    },
    {
      name: "every line rejected",
      lines: [line("90.00", "REJECTED", "0.00"), line("300.00", "REJECTED", "0.00")],
      expected: { status: "REJECTED", claimedTotal: "390.00", approvedTotal: "0.00" },
    },
    {
      name: "a pending line puts the claim in review, approved so far without it",
      lines: [line("90.00", "APPROVED", "90.00"), line("30.00", "PENDING", null), line("300.00", "REJECTED", "0.00")],
      expected: { status: "IN_REVIEW", claimedTotal: "420.00", approvedTotal: "90.00" },
    },
    {
      name: "no lines",
      lines: [],
      expected: { status: "REJECTED", claimedTotal: "0.00", approvedTotal: "0.00" },
    },
  ])("$name", ({ lines, expected }) => {
    expect(claimOutcome(lines, "EUR")).toEqual(expected);
  });

  it("totals in yen with no decimals", () => {
    const lines = [line("12000", "APPROVED", "12000"), line("5313", "REDUCED", "4250"), line("800", "PENDING", null)];
    expect(claimOutcome(lines, "JPY")).toEqual({ status: "IN_REVIEW", claimedTotal: "18113", approvedTotal: "16250" });
  });
});
