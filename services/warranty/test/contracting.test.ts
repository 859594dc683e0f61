import { InputChecks } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { checkPlanOnOffer, checkStartsOn, contractUnits, draftContract, isContractable, type PlanTerms, type UnitFacts } from "../src/domain/contracting.js";
import type { WarrantyErrorCode } from "../src/domain/errors.js";

const found = (checks: InputChecks<WarrantyErrorCode>) => checks.errors.map((e) => `${e.code} ${e.field?.join(".")}`);

const unit = (id: string, overrides: Partial<UnitFacts> = {}): UnitFacts => ({
  id,
  serialNumber: `SN-${id}`,
  dealerId: "dlr_1",
  customerId: "cus_1",
  retiredOn: null,
  purchasePrice: "1000.00",
  currency: "EUR",
  ...overrides,
});

const PLUS: PlanTerms = {
  id: "pln_plus",
  name: "Care Plus",
  offered: true,
  priceSharePercent: 10,
  termMonths: 12,
  partsCovered: true,
  laborCovered: true,
  maxCases: 3,
  maxLaborHours: null,
};

const at = { own: null, dealerId: "dlr_1", customerId: "cus_1" };

describe("checkStartsOn", () => {
  it("takes a start within a year either side of today, and refuses one further", () => {
    const checks = new InputChecks<WarrantyErrorCode>();
    for (const startsOn of ["2025-12-06", "2026-12-07", "2027-12-08"]) checkStartsOn(checks, startsOn, "2026-12-07");
    expect(found(checks)).toEqual([]);
    checkStartsOn(checks, "2025-12-05", "2026-12-07");
    checkStartsOn(checks, "2027-12-09", "2026-12-07");
    expect(found(checks)).toEqual(["DATE_IN_PAST startsOn", "OUT_OF_RANGE startsOn"]);
  });
});

describe("checkPlanOnOffer", () => {
  it("refuses an unknown plan and a retired one", () => {
    const checks = new InputChecks<WarrantyErrorCode>();
    checkPlanOnOffer(checks, "pln_x", null);
    checkPlanOnOffer(checks, "pln_plus", { ...PLUS, offered: false });
    checkPlanOnOffer(checks, "pln_plus", PLUS);
    expect(checks.errors.map((e) => e.message)).toEqual(["No contract plan has the id `pln_x`.", "The plan Care Plus is retired; choose one on offer."]);
  });
});

describe("contractUnits", () => {
  it("takes the dealer's units sold to the customer, and says what is wrong with each other one at its place", () => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const ids = ["u1", "u2", "u1", "u3", "u4", "u5", "u6"];
    const known = [
      unit("u1"),
      null,
      unit("u1"),
      unit("u3", { customerId: "cus_2" }),
      unit("u4", { retiredOn: "2026-01-01" }),
      unit("u5", { purchasePrice: null }),
      unit("u6"),
    ];
    const units = contractUnits(checks, ids, known, at);
    expect(units.map((u) => u.id)).toEqual(["u1", "u6"]);
    expect(found(checks)).toEqual([
      "UNIT_NOT_FOUND unitIds.1",
      "DUPLICATE_ENTRY unitIds.2",
      "UNIT_NOT_CUSTOMERS unitIds.3",
      "UNIT_RETIRED unitIds.4",
      "UNIT_NOT_SOLD unitIds.5",
    ]);
  });

  it("answers another dealer's unit to a DEALER like an unknown one, and refuses mixed currencies and an empty list", () => {
    const dealer = { own: "dlr_1", dealerId: "dlr_1", customerId: "cus_1" };
    const foreign = new InputChecks<WarrantyErrorCode>();
    contractUnits(foreign, ["u9"], [unit("u9", { dealerId: "dlr_2" })], dealer);
    expect(found(foreign)).toEqual(["UNIT_NOT_FOUND unitIds.0"]);
    expect(isContractable(unit("u9", { dealerId: "dlr_2" }), dealer)).toBe(false);

    const mixed = new InputChecks<WarrantyErrorCode>();
    contractUnits(mixed, ["u1", "u2"], [unit("u1"), unit("u2", { currency: "USD" })], at);
    expect(found(mixed)).toEqual(["CURRENCY_MISMATCH unitIds"]);
    const none = new InputChecks<WarrantyErrorCode>();
    contractUnits(none, [], [], at);
    expect(found(none)).toEqual(["OUT_OF_RANGE unitIds"]);
  });
});

describe("draftContract", () => {
  it("prices a DRAFT from the units' purchase prices over the plan's term, with a line per unit on the plan's terms", () => {
    const units = contractUnits(new InputChecks<WarrantyErrorCode>(), ["u1", "u2"], [unit("u1"), unit("u2", { purchasePrice: "500.00" })], at);
    const { contract, lines } = draftContract(PLUS, [units[0]!, units[1]!], {
      number: "SC-1",
      dealerId: "dlr_1",
      customerId: "cus_1",
      startsOn: "2027-01-01",
      idempotencyKey: null,
      inputHash: null,
    });
    expect(contract).toMatchObject({ status: "DRAFT", startsOn: "2027-01-01", endsOn: "2027-12-31", price: "150.00", currency: "EUR" });
    expect(lines.map((line) => [line.unitId, line.price, line.maxCases, line.casesUsed])).toEqual([
      ["u1", "100.00", 3, 0],
      ["u2", "50.00", 3, 0],
    ]);
  });
});
