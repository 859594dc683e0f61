import { Refusal, type Identity } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import type { ClaimLineInput } from "../src/domain/claims.js";
import {
  checkFiling,
  checkKeyReuse,
  checkRepairTicket,
  checkUnitAndDealer,
  decideFiling,
  filedClaim,
  mayLookUpKey,
  type FilingFacts,
  type FilingInput,
} from "../src/domain/filing.js";
import { underContract, uncovered, warranty } from "./decisions.js";

const DEALER: Identity = { subject: "dealer-user", role: "DEALER", dealerId: "dlr_1", credential: "token:dealer-user", operationsOnly: false };
const AGENT: Identity = { subject: "agent", role: "AGENT", dealerId: null, credential: "token:agent", operationsOnly: false };

const eur = (amount: string) => ({ amount, currency: "EUR" });
const pump = (amount = "120.00"): ClaimLineInput => ({ kind: "PART", partId: "prd_pump", quantity: 1, claimed: eur(amount) });
const labor = (hours: number, amount = "160.00"): ClaimLineInput => ({ kind: "LABOR", hours, claimed: eur(amount) });

const input = (overrides: Partial<FilingInput> = {}): FilingInput => ({
  serialNumber: "SN-1",
  failureOn: "2026-08-01",
  repairOn: "2026-08-03",
  failureCode: "E01-PUMP",
  lines: [pump(), labor(2)],
  ...overrides,
});

const facts = (overrides: Partial<FilingFacts> = {}): FilingFacts => ({
  dealer: { currency: "EUR", laborRate: "80.00", workshopAuthorizedFrom: "2024-01-01", workshopAuthorizedUntil: null },
  product: { repairStandards: [{ failureCode: "E01-PUMP", hours: 1.5 }], billOfMaterials: [{ partId: "prd_pump" }] },
  parts: [{ id: "prd_pump", currency: "EUR", listPrice: "120.00" }],
  coverage: warranty(),
  duplicateOf: null,
  repairOn: "2026-08-03",
  ...overrides,
});

const codes = (work: () => void): string[] => {
  try {
    work();
    return [];
  } catch (error) {
    if (error instanceof Refusal) return error.errors.map((e) => `${e.code} ${e.field?.join(".") ?? "-"}`);
    throw error;
  }
};

describe("checkFiling", () => {
  it("files for the DEALER's own dealer, and finds nothing wrong with a sound claim", () => {
    const filing = checkFiling(DEALER, input({ idempotencyKey: "claim-1" }), "2026-12-07");
    expect([filing.dealerId, filing.dealerNamed, filing.checks.errors]).toEqual(["dlr_1", true, []]);
    expect(filing.unit).toEqual({ by: "serialNumber", value: "SN-1" });
    expect(mayLookUpKey(filing)).toBe(true);
  });

  it("collects every problem of the input at once, before anything is read", () => {
    const filing = checkFiling(AGENT, input({ failureCode: " ", repairOn: "2026-07-01", lines: [] }), "2026-12-07");
    expect(filing.checks.errors.map((e) => `${e.code} ${e.field?.join(".")}`)).toEqual(expect.arrayContaining(["REQUIRED dealerId", "OUT_OF_RANGE lines"]));
    expect(filing.checks.errors.length).toBeGreaterThanOrEqual(4);
    expect(filing.dealerNamed).toBe(false);
    expect(mayLookUpKey(filing)).toBe(false);
  });

  it("refuses a key used with another input, naming the claim it filed", () => {
    const filing = checkFiling(DEALER, input({ idempotencyKey: "claim-1" }), "2026-12-07");
    checkKeyReuse(filing, { number: "WC-7", inputHash: "another input" });
    expect(filing.checks.errors.map((e) => [e.code, e.message])).toEqual([
      ["IDEMPOTENCY_KEY_REUSED", "This idempotency key was used for claim WC-7 with another input; use a new key for a new claim."],
    ]);
  });
});

describe("the records a filing names", () => {
  it("refuses an unknown unit and dealer, and lines in another currency than the dealer's", () => {
    const unknown = checkFiling(AGENT, input({ dealerId: "dlr_9" }), "2026-12-07");
    expect(
      codes(() => {
        checkUnitAndDealer(unknown, null, null);
        unknown.checks.refuseIfAny();
      }),
    ).toEqual(["UNIT_NOT_FOUND serialNumber", "DEALER_NOT_FOUND dealerId"]);
    const inFrancs = checkFiling(DEALER, input(), "2026-12-07");
    expect(
      codes(() => {
        checkUnitAndDealer(inFrancs, {}, { currency: "CHF" });
        inFrancs.checks.refuseIfAny();
      }),
    ).toEqual(["CURRENCY_MISMATCH lines.0.claimed.currency", "CURRENCY_MISMATCH lines.1.claimed.currency"]);
  });

  it("refuses the ticket of another unit's repair", () => {
    const filing = checkFiling(DEALER, input({ ticketId: "tkt_1" }), "2026-12-07");
    checkRepairTicket(filing, { number: "T-1", unitId: "unt_2" }, { id: "unt_1", serialNumber: "SN-1" });
    checkRepairTicket(filing, { number: "T-2", unitId: "unt_1" }, { id: "unt_1", serialNumber: "SN-1" });
    expect(filing.checks.errors.map((e) => [e.code, e.message])).toEqual([
      ["TICKET_OF_ANOTHER_UNIT", "Ticket T-1 is not about the unit SN-1; name the ticket of this repair."],
    ]);
  });
});

describe("decideFiling", () => {
  const filing = checkFiling(DEALER, input(), "2026-12-07");

  it("pays a covered repair at the list price and the standard hours, under warranty counting against no contract", () => {
    const decision = decideFiling(filing, facts());
    expect(decision.lines.map((line) => [line.kind, line.decision.status, line.decision.approvedAmount])).toEqual([
      ["PART", "APPROVED", "120.00"],
      ["LABOR", "REDUCED", "120.00"],
    ]);
    expect(decision.outcome).toEqual({ status: "PARTIALLY_APPROVED", claimedTotal: "280.00", approvedTotal: "240.00" });
    expect([decision.standardHours, decision.contractUsage]).toEqual([1.5, null]);
  });

  it("counts a paying repair under a contract against it, with no more hours than the standard", () => {
    const decision = decideFiling(filing, facts({ coverage: underContract({ id: "sc_1" }) }));
    expect(decision.contractUsage).toEqual({ contractId: "sc_1", hours: 1.5 });
  });

  it("rejects a second claim for the same failure, and an uncovered repair, counting against nothing", () => {
    expect(decideFiling(filing, facts({ duplicateOf: "WC-1" })).outcome.status).toBe("REJECTED");
    const uncoveredRepair = decideFiling(filing, facts({ coverage: uncovered }));
    expect([uncoveredRepair.outcome.status, uncoveredRepair.outcome.approvedTotal, uncoveredRepair.contractUsage]).toEqual(["REJECTED", "0.00", null]);
  });

  it("prices no part whose list price is in another currency: an agent does", () => {
    const decision = decideFiling(filing, facts({ parts: [{ id: "prd_pump", currency: "USD", listPrice: "100.00" }] }));
    expect(decision.lines[0]?.decision.status).toBe("PENDING");
    expect(decision.outcome.status).toBe("IN_REVIEW");
  });

  it("writes the claim with its outcome and each line with its decision", () => {
    const decision = decideFiling(filing, facts());
    const { claim, lines } = filedClaim(filing, decision, {
      number: "WC-9",
      unit: { id: "unt_1", productId: "prd_machine" },
      dealer: { currency: "EUR" },
      coverage: warranty(),
      duplicateOf: null,
      failureOn: "2026-08-01",
      repairOn: "2026-08-03",
    });
    expect(claim).toMatchObject({
      number: "WC-9",
      dealerId: "dlr_1",
      status: "PARTIALLY_APPROVED",
      approvedTotal: "240.00",
      coverageKind: "WARRANTY",
      contractId: null,
    });
    expect(claim.decidedAt).toBeInstanceOf(Date);
    expect(lines.map((line) => [line.lineNumber, line.status, line.decidedBy])).toEqual([
      [1, "APPROVED", "rules"],
      [2, "REDUCED", "rules"],
    ]);
  });
});
