import { InputChecks } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import type { ClaimStatus } from "../src/domain/adjudication.js";
import { localDate } from "@aftersales/kit";
import {
  approvedLaborHours,
  checkClaimCurrency,
  checkClaimDates,
  checkClaimLines,
  checkClaimStatus,
  checkFailureCode,
  checkLineReviews,
  checkUnitReference,
  contractToCharge,
  localNoon,
  workshopAuthorizedOn,
  type ClaimLineInput,
  type ClaimStep,
  type LineReviewInput,
} from "../src/domain/claims.js";
import type { WarrantyErrorCode } from "../src/domain/errors.js";

/** The refusals collected, as `CODE path.to.field`, to keep the tables readable. */
const found = (checks: InputChecks<WarrantyErrorCode>): string[] => checks.errors.map((e) => `${e.code} ${e.field?.join(".") ?? "-"}`);

const eur = (amount: string) => ({ amount, currency: "EUR" });
const part = (partId: string | null, quantity: number | null, amount = "10.00"): ClaimLineInput => ({ kind: "PART", partId, quantity, claimed: eur(amount) });
const labor = (hours: number | null, amount = "80.00"): ClaimLineInput => ({ kind: "LABOR", hours, claimed: eur(amount) });
const travel = (km: number | null, amount = "20.00"): ClaimLineInput => ({ kind: "TRAVEL", km, claimed: eur(amount) });

describe("checkClaimLines", () => {
  it.each<{ name: string; lines: ClaimLineInput[]; errors: string[] }>([
    { name: "a part, labor and travel", lines: [part("P-PUMP", 2), labor(1.5), travel(42)], errors: [] },
    { name: "no lines", lines: [], errors: ["OUT_OF_RANGE lines"] },
    { name: "fifty lines", lines: Array.from({ length: 50 }, () => labor(1)), errors: [] },
    { name: "fifty-one lines", lines: Array.from({ length: 51 }, () => labor(1)), errors: ["OUT_OF_RANGE lines"] },
    // parts
    { name: "a part without a part", lines: [part(null, 1)], errors: ["INVALID_LINE lines.0.partId"] },
    { name: "a part with a blank part", lines: [part("  ", 1)], errors: ["INVALID_LINE lines.0.partId"] },
    { name: "a part without a quantity", lines: [part("P-PUMP", null)], errors: ["INVALID_LINE lines.0.quantity"] },
    { name: "a part quantity of 0", lines: [part("P-PUMP", 0)], errors: ["OUT_OF_RANGE lines.0.quantity"] },
    { name: "a part quantity of 1000", lines: [part("P-PUMP", 1000)], errors: [] },
    { name: "a part quantity of 1001", lines: [part("P-PUMP", 1001)], errors: ["OUT_OF_RANGE lines.0.quantity"] },
    {
      name: "a part with hours and km",
      lines: [{ ...part("P-PUMP", 1), hours: 1, km: 3 }],
      errors: ["INVALID_LINE lines.0.hours", "INVALID_LINE lines.0.km"],
    },
    // labor
    { name: "labor without hours", lines: [labor(null)], errors: ["INVALID_LINE lines.0.hours"] },
    { name: "labor of 0 hours", lines: [labor(0)], errors: ["OUT_OF_RANGE lines.0.hours"] },
    { name: "labor of 100 hours", lines: [labor(100)], errors: [] },
    { name: "labor of 100.01 hours", lines: [labor(100.01)], errors: ["OUT_OF_RANGE lines.0.hours"] },
    { name: "labor with a part", lines: [{ ...labor(1), partId: "P-PUMP" }], errors: ["INVALID_LINE lines.0.partId"] },
    { name: "labor with a quantity", lines: [{ ...labor(1), quantity: 1 }], errors: ["INVALID_LINE lines.0.quantity"] },
    // travel
    { name: "travel without km", lines: [travel(null)], errors: ["INVALID_LINE lines.0.km"] },
    { name: "travel of -5 km", lines: [travel(-5)], errors: ["OUT_OF_RANGE lines.0.km"] },
    { name: "travel of 2000 km", lines: [travel(2000)], errors: [] },
    { name: "travel of 2001 km", lines: [travel(2001)], errors: ["OUT_OF_RANGE lines.0.km"] },
    { name: "travel with hours", lines: [{ ...travel(10), hours: 1 }], errors: ["INVALID_LINE lines.0.hours"] },
    // amounts
    { name: "a claimed amount of zero", lines: [labor(1, "0")], errors: [] },
    { name: "a negative amount", lines: [labor(1, "-1.00")], errors: ["INVALID_AMOUNT lines.0.claimed.amount"] },
    { name: "an amount with three decimals", lines: [labor(1, "1.005")], errors: ["INVALID_AMOUNT lines.0.claimed.amount"] },
    {
      name: "an unknown currency",
      lines: [{ ...labor(1), claimed: { amount: "1.00", currency: "XXY" } }],
      errors: ["INVALID_CURRENCY lines.0.claimed.currency"],
    },
    {
      name: "every line's problems, each at its index",
      lines: [part("P-PUMP", 1), labor(null), { ...travel(0), partId: "P" }],
      errors: ["INVALID_LINE lines.1.hours", "INVALID_LINE lines.2.partId", "OUT_OF_RANGE lines.2.km"],
    },
  ])("$name", ({ lines, errors }) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimLines(checks, lines);
    expect(found(checks)).toEqual(errors);
  });

  it("returns what adjudication reads: amounts to the cent, upper-case currencies, nothing a kind does not use", () => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const lines = checkClaimLines(checks, [
      { kind: "PART", partId: " P-PUMP ", quantity: 2, claimed: { amount: "90", currency: "eur" } },
      { kind: "LABOR", hours: 1.5, claimed: { amount: "120.5", currency: "EUR" } },
    ]);
    expect(lines).toEqual([
      { kind: "PART", partId: "P-PUMP", quantity: 2, hours: null, km: null, claimedAmount: "90.00", currency: "EUR" },
      { kind: "LABOR", partId: null, quantity: null, hours: 1.5, km: null, claimedAmount: "120.50", currency: "EUR" },
    ]);
  });
});

describe("checkClaimCurrency", () => {
  it.each([
    { name: "all in the dealer's currency", currencies: ["EUR", "EUR"], errors: [] },
    { name: "one line in another", currencies: ["EUR", "USD"], errors: ["CURRENCY_MISMATCH lines.1.claimed.currency"] },
  ])("$name", ({ currencies, errors }) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const lines = checkClaimLines(
      checks,
      currencies.map((currency) => ({ kind: "LABOR", hours: 1, claimed: { amount: "1.00", currency } })),
    );
    checkClaimCurrency(checks, lines, "EUR");
    expect(found(checks)).toEqual(errors);
  });
});

describe("checkClaimDates", () => {
  const latest = "2026-03-02";
  it.each([
    { failureOn: "2026-02-20", repairOn: "2026-02-25", errors: [] },
    { failureOn: "2026-02-25", repairOn: "2026-02-25", errors: [] },
    // a day of slack for time zones ahead of UTC
    { failureOn: "2026-03-02", repairOn: "2026-03-02", errors: [] },
    { failureOn: "2026-02-26", repairOn: "2026-02-25", errors: ["DATES_OUT_OF_ORDER repairOn"] },
    { failureOn: "2026-02-20", repairOn: "2026-03-03", errors: ["DATE_IN_FUTURE repairOn"] },
    { failureOn: "2026-03-05", repairOn: "2026-03-04", errors: ["DATE_IN_FUTURE failureOn", "DATE_IN_FUTURE repairOn", "DATES_OUT_OF_ORDER repairOn"] },
  ])("failure $failureOn, repair $repairOn", ({ failureOn, repairOn, errors }) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimDates(checks, failureOn, repairOn, latest);
    expect(found(checks)).toEqual(errors);
  });
});

describe("checkFailureCode", () => {
  it.each([
    { given: "E42-PUMP", code: "E42-PUMP", errors: [] },
    { given: " e42.pump_1 ", code: "E42.PUMP_1", errors: [] },
    { given: "A".repeat(32), code: "A".repeat(32), errors: [] },
    { given: "A".repeat(33), code: "A".repeat(33), errors: ["INVALID_FORMAT failureCode"] },
    { given: "-E42", code: "-E42", errors: ["INVALID_FORMAT failureCode"] },
    { given: "E 42", code: "E 42", errors: ["INVALID_FORMAT failureCode"] },
    { given: "", code: "", errors: ["INVALID_FORMAT failureCode"] },
  ])("`$given`", ({ given, code, errors }) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    expect(checkFailureCode(checks, given)).toBe(code);
    expect(found(checks)).toEqual(errors);
  });
});

describe("checkUnitReference", () => {
  it.each([
    { reference: { unitId: "unt_1" }, expected: { by: "unitId", value: "unt_1" }, errors: [] },
    { reference: { serialNumber: " SN-1 " }, expected: { by: "serialNumber", value: "SN-1" }, errors: [] },
    { reference: { unitId: null, serialNumber: "SN-1" }, expected: { by: "serialNumber", value: "SN-1" }, errors: [] },
    { reference: {}, expected: null, errors: ["UNIT_REFERENCE_REQUIRED unitId"] },
    { reference: { unitId: "  " }, expected: null, errors: ["UNIT_REFERENCE_REQUIRED unitId"] },
    { reference: { unitId: "unt_1", serialNumber: "SN-1" }, expected: null, errors: ["UNIT_REFERENCE_REQUIRED unitId"] },
  ])("$reference", ({ reference, expected, errors }) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    expect(checkUnitReference(checks, reference)).toEqual(expected);
    expect(found(checks)).toEqual(errors);
  });
});

describe("localNoon", () => {
  it.each([
    { date: "2026-03-01", timeZone: "UTC", expected: "2026-03-01T12:00:00.000Z" },
    { date: "2026-01-15", timeZone: "Europe/Berlin", expected: "2026-01-15T11:00:00.000Z" },
    { date: "2026-07-15", timeZone: "Europe/Berlin", expected: "2026-07-15T10:00:00.000Z" },
    // the days summer time starts and ends
    { date: "2026-03-29", timeZone: "Europe/Berlin", expected: "2026-03-29T10:00:00.000Z" },
    { date: "2026-10-25", timeZone: "Europe/Berlin", expected: "2026-10-25T11:00:00.000Z" },
    { date: "2026-03-08", timeZone: "America/New_York", expected: "2026-03-08T16:00:00.000Z" },
    // UTC+14: UTC noon would already be the next day there
    { date: "2026-03-01", timeZone: "Pacific/Kiritimati", expected: "2026-02-28T22:00:00.000Z" },
    // UTC−12: UTC noon would still be the day before there
    { date: "2026-03-01", timeZone: "Etc/GMT+12", expected: "2026-03-02T00:00:00.000Z" },
    { date: "2026-01-10", timeZone: "Pacific/Auckland", expected: "2026-01-09T23:00:00.000Z" },
    { date: "2026-01-10", timeZone: "Asia/Kolkata", expected: "2026-01-10T06:30:00.000Z" },
    { date: "2026-01-10", timeZone: "Australia/Lord_Howe", expected: "2026-01-10T01:00:00.000Z" },
  ])("$date in $timeZone", ({ date, timeZone, expected }) => {
    const at = localNoon(date, timeZone);
    expect(at.toISOString()).toBe(expected);
    expect(localDate(at, timeZone)).toBe(date);
  });
});

describe("workshopAuthorizedOn", () => {
  it.each([
    { from: "2025-01-01", until: null, day: "2026-02-25", expected: true },
    { from: "2025-01-01", until: null, day: "2025-01-01", expected: true },
    { from: "2025-01-01", until: null, day: "2024-12-31", expected: false },
    { from: "2025-01-01", until: "2025-12-31", day: "2025-12-31", expected: true },
    { from: "2025-01-01", until: "2025-12-31", day: "2026-01-01", expected: false },
    { from: null, until: null, day: "2026-02-25", expected: false },
  ])("from $from until $until, on $day: $expected", ({ from, until, day, expected }) => {
    expect(workshopAuthorizedOn({ workshopAuthorizedFrom: from, workshopAuthorizedUntil: until }, day)).toBe(expected);
  });
});

describe("checkClaimStatus", () => {
  const statuses: ClaimStatus[] = ["SUBMITTED", "IN_REVIEW", "SENT_BACK", "APPROVED", "PARTIALLY_APPROVED", "REJECTED", "PAID"];
  const allowed: Record<ClaimStep, ClaimStatus[]> = {
    review: ["SUBMITTED", "IN_REVIEW", "APPROVED", "PARTIALLY_APPROVED", "REJECTED"],
    sendBack: ["SUBMITTED", "IN_REVIEW", "APPROVED", "PARTIALLY_APPROVED", "REJECTED"],
    answer: ["SENT_BACK"],
    markPaid: ["APPROVED", "PARTIALLY_APPROVED"],
  };
  it.each((Object.keys(allowed) as ClaimStep[]).flatMap((step) => statuses.map((status) => ({ step, status, ok: allowed[step].includes(status) }))))(
    "$step from $status: $ok",
    ({ step, status, ok }) => {
      const checks = new InputChecks<WarrantyErrorCode>();
      checkClaimStatus(checks, step, status);
      expect(found(checks)).toEqual(ok ? [] : ["INVALID_CLAIM_STATUS id"]);
    },
  );

  it("says a paid claim never changes", () => {
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimStatus(checks, "review", "PAID");
    expect(checks.errors[0]?.message).toBe("The claim is PAID. A paid claim never changes again.");
  });
});

describe("checkLineReviews", () => {
  const lines = [
    { lineNumber: 1, claimedAmount: "90.00" },
    { lineNumber: 2, claimedAmount: "120.00" },
    { lineNumber: 3, claimedAmount: "25.00" },
  ];
  /** A decision as `line STATUS approved: explanation`. */
  const brief = (reviews: LineReviewInput[]) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const decisions = checkLineReviews(checks, reviews, lines, "EUR", "agent-7");
    return {
      errors: found(checks),
      decisions: decisions.map((d) => `${d.lineNumber} ${d.status} ${d.approvedAmount}: ${d.explanation} (${d.decidedBy})`),
    };
  };

  it.each<{ name: string; reviews: LineReviewInput[]; errors: string[]; decisions?: string[] }>([
    {
      name: "approve without a comment",
      reviews: [{ lineNumber: 1, decision: "APPROVE" }],
      errors: [],
      decisions: ["1 APPROVED 90.00: Approved by an agent. (agent-7)"],
    },
    {
      name: "approve with a comment",
      reviews: [{ lineNumber: 3, decision: "APPROVE", comment: "Travel as agreed." }],
      errors: [],
      decisions: ["3 APPROVED 25.00: Travel as agreed. (agent-7)"],
    },
    {
      name: "reduce",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "80.5", comment: "One hour is standard." }],
      errors: [],
      decisions: ["2 REDUCED 80.50: One hour is standard. (agent-7)"],
    },
    {
      name: "reject",
      reviews: [{ lineNumber: 3, decision: "REJECT", comment: "Carry-in repair." }],
      errors: [],
      decisions: ["3 REJECTED 0.00: Carry-in repair. (agent-7)"],
    },
    {
      name: "several lines at once",
      reviews: [
        { lineNumber: 1, decision: "APPROVE" },
        { lineNumber: 3, decision: "REJECT", comment: "No." },
      ],
      errors: [],
      decisions: ["1 APPROVED 90.00: Approved by an agent. (agent-7)", "3 REJECTED 0.00: No. (agent-7)"],
    },
    { name: "no lines", reviews: [], errors: ["REQUIRED lines"] },
    { name: "a line not on the claim", reviews: [{ lineNumber: 4, decision: "APPROVE" }], errors: ["LINE_NOT_FOUND lines.0.lineNumber"] },
    {
      name: "a line twice",
      reviews: [
        { lineNumber: 1, decision: "APPROVE" },
        { lineNumber: 1, decision: "REJECT", comment: "No." },
      ],
      errors: ["DUPLICATE_ENTRY lines.1.lineNumber"],
    },
    { name: "reduce without an amount", reviews: [{ lineNumber: 2, decision: "REDUCE", comment: "Less." }], errors: ["REQUIRED lines.0.approvedAmount"] },
    {
      name: "reduce without a comment",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "50.00", comment: "  " }],
      errors: ["REQUIRED lines.0.comment"],
    },
    {
      name: "reduce to nothing",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "0.00", comment: "x" }],
      errors: ["OUT_OF_RANGE lines.0.approvedAmount"],
    },
    {
      name: "reduce to what was claimed",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "120", comment: "x" }],
      errors: ["OUT_OF_RANGE lines.0.approvedAmount"],
    },
    {
      name: "reduce to more than claimed",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "130.00", comment: "x" }],
      errors: ["OUT_OF_RANGE lines.0.approvedAmount"],
    },
    {
      name: "reduce by a negative amount",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "-5.00", comment: "x" }],
      errors: ["INVALID_AMOUNT lines.0.approvedAmount"],
    },
    {
      name: "reduce to a fraction of a cent",
      reviews: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "50.005", comment: "x" }],
      errors: ["INVALID_AMOUNT lines.0.approvedAmount"],
    },
    { name: "reject without a comment", reviews: [{ lineNumber: 1, decision: "REJECT" }], errors: ["REQUIRED lines.0.comment"] },
    {
      name: "approve with an amount",
      reviews: [{ lineNumber: 1, decision: "APPROVE", approvedAmount: "50.00" }],
      errors: ["INVALID_LINE lines.0.approvedAmount"],
    },
    { name: "a comment too long", reviews: [{ lineNumber: 1, decision: "APPROVE", comment: "x".repeat(2001) }], errors: ["TOO_LONG lines.0.comment"] },
    {
      name: "every problem at once",
      reviews: [
        { lineNumber: 9, decision: "APPROVE" },
        { lineNumber: 2, decision: "REDUCE" },
      ],
      errors: ["LINE_NOT_FOUND lines.0.lineNumber", "REQUIRED lines.1.comment", "REQUIRED lines.1.approvedAmount"],
    },
  ])("$name", ({ reviews, errors, decisions }) => {
    const result = brief(reviews);
    expect(result.errors).toEqual(errors);
    if (decisions) expect(result.decisions).toEqual(decisions);
  });
});

describe("approvedLaborHours", () => {
  type Line = Parameters<typeof approvedLaborHours>[0][number];
  const laborLine = (status: Line["status"], hours: number | null): Line => ({ kind: "LABOR", status, hours });
  it.each<{ name: string; lines: Line[]; standardHours: number | null; expected: number }>([
    { name: "an approved line within the standard", lines: [laborLine("APPROVED", 1.5)], standardHours: 2, expected: 1.5 },
    { name: "a reduced line above the standard", lines: [laborLine("REDUCED", 3)], standardHours: 2, expected: 2 },
    { name: "two lines share the standard", lines: [laborLine("APPROVED", 1.5), laborLine("REDUCED", 1.5)], standardHours: 2, expected: 2 },
    { name: "without standard hours, the hours claimed", lines: [laborLine("APPROVED", 0.1), laborLine("APPROVED", 0.2)], standardHours: null, expected: 0.3 },
    { name: "rejected and pending lines count nothing", lines: [laborLine("REJECTED", 2), laborLine("PENDING", 1)], standardHours: 4, expected: 0 },
    {
      name: "parts and travel count nothing",
      lines: [
        { kind: "PART", status: "APPROVED", hours: null },
        { kind: "TRAVEL", status: "APPROVED", hours: null },
      ],
      standardHours: 2,
      expected: 0,
    },
  ])("$name", ({ lines, standardHours, expected }) => {
    expect(approvedLaborHours(lines, standardHours)).toBe(expected);
  });
});

describe("contractToCharge", () => {
  const underContract = { coverageKind: "CONTRACT" as const, contractId: "sct_1", approvedTotal: "150.00" };
  it.each<{ name: string; claim: Parameters<typeof contractToCharge>[0]; earlier: ClaimStatus[]; expected: string | null }>([
    { name: "approved when filed", claim: { ...underContract, status: "APPROVED" }, earlier: [], expected: "sct_1" },
    { name: "partly approved after review", claim: { ...underContract, status: "PARTIALLY_APPROVED" }, earlier: ["IN_REVIEW"], expected: "sct_1" },
    { name: "still in review", claim: { ...underContract, status: "IN_REVIEW", approvedTotal: "90.00" }, earlier: [], expected: null },
    { name: "rejected", claim: { ...underContract, status: "REJECTED", approvedTotal: "0.00" }, earlier: ["IN_REVIEW"], expected: null },
    { name: "rejected when filed, approved by an agent", claim: { ...underContract, status: "APPROVED" }, earlier: ["REJECTED"], expected: "sct_1" },
    { name: "approved once already", claim: { ...underContract, status: "APPROVED" }, earlier: ["APPROVED"], expected: null },
    {
      name: "approved, sent back, answered and approved again",
      claim: { ...underContract, status: "PARTIALLY_APPROVED" },
      earlier: ["PARTIALLY_APPROVED", "SENT_BACK", "IN_REVIEW"],
      expected: null,
    },
    { name: "approved for nothing", claim: { ...underContract, status: "APPROVED", approvedTotal: "0.00" }, earlier: [], expected: null },
    {
      name: "under the warranty",
      claim: { coverageKind: "WARRANTY", contractId: null, status: "APPROVED", approvedTotal: "150.00" },
      earlier: [],
      expected: null,
    },
  ])("$name", ({ claim, earlier, expected }) => {
    expect(contractToCharge(claim, earlier)).toBe(expected);
  });
});
