import type { BusinessCalendar } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { checkCustomer, checkOpening, checkUnit, mayServeCustomer, mayServeUnit, openingSla, type OpeningInput } from "../src/domain/opening.js";

const input = (overrides: Partial<OpeningInput> = {}): OpeningInput => ({
  customerId: "cus_1",
  kind: "REPAIR",
  channel: "PHONE",
  subject: "The pump is loud",
  ...overrides,
});

const found = (opening: ReturnType<typeof checkOpening>) => opening.checks.errors.map((e) => `${e.code} ${e.field?.join(".")}`);

const BERLIN: BusinessCalendar = { timeZone: "Europe/Berlin", windows: [{ weekday: 1, opensMinute: 480, closesMinute: 1020 }], holidays: [] };
const OPENED = new Date("2026-12-07T10:00:00Z");

describe("checkOpening", () => {
  it("opens a ticket without a priority as P3, its failure code upper-cased", () => {
    const opening = checkOpening(input({ failureCode: " e01-pump " }));
    expect(found(opening)).toEqual([]);
    expect([opening.draft.priority, opening.draft.failureCode, opening.key]).toEqual(["P3", "E01-PUMP", null]);
  });

  it("collects every problem of the input's own fields at once", () => {
    const opening = checkOpening(input({ customerId: " ", subject: " ", failureCode: "not a code!", idempotencyKey: "k".repeat(101) }));
    expect(found(opening)).toEqual(["TOO_LONG idempotencyKey", "REQUIRED customerId", "REQUIRED subject", "INVALID_FORMAT failureCode"]);
  });
});

describe("whom a caller may serve", () => {
  it("lets staff serve anyone, and a DEALER its own customers and their units wherever they were bought", () => {
    expect([
      mayServeCustomer(null, { homeDealerId: "dlr_2" }),
      mayServeCustomer("dlr_1", { homeDealerId: "dlr_1" }),
      mayServeCustomer("dlr_1", { homeDealerId: "dlr_2" }),
    ]).toEqual([true, true, false]);
    const boughtElsewhere = { dealerId: "dlr_2", customerId: "cus_1" };
    expect([
      mayServeUnit("dlr_1", boughtElsewhere, "cus_1"),
      mayServeUnit("dlr_1", boughtElsewhere, "cus_9"),
      mayServeUnit("dlr_1", { dealerId: "dlr_2", customerId: null }, null),
    ]).toEqual([true, false, false]);
  });

  it("refuses an unknown customer, an unknown unit, and another customer's unit, naming the field", () => {
    const unknown = checkOpening(input());
    checkCustomer(unknown, null);
    checkUnit(unknown, { named: "SN-9", field: "serialNumber", row: null }, null);
    expect(found(unknown)).toEqual(["CUSTOMER_NOT_FOUND customerId", "UNIT_NOT_FOUND serialNumber"]);
    const others = checkOpening(input());
    checkUnit(others, { named: "unt_1", field: "unitId", row: { customerId: "cus_2", serialNumber: "SN-1" } }, { id: "cus_1" });
    expect(others.checks.errors.map((e) => e.message)).toEqual(["The unit SN-1 does not belong to this customer."]);
  });
});

describe("openingSla", () => {
  const policy = { targets: [{ priority: "P2" as const, responseMinutes: 30, resolutionMinutes: 240 }], pausesOnWaitingParts: true };
  const home = { dealerId: "dlr_1", calendar: BERLIN };

  it("holds a contract's promise, in business hours, with the dealer's rule for waiting on parts, both clocks started at opening", () => {
    const { settings, started } = openingSla("P2", { id: "sc_1", number: "SC-1", responseHours: 2, resolutionHours: 8 }, policy, home, OPENED);
    expect(settings).toMatchObject({
      slaSource: "CONTRACT",
      slaContractNumber: "SC-1",
      responseTargetSeconds: 7200,
      resolutionTargetSeconds: 28800,
      slaPausesOnWaitingParts: true,
    });
    expect(started).toEqual([
      { clock: "RESPONSE", kind: "STARTED", at: OPENED },
      { clock: "RESOLUTION", kind: "STARTED", at: OPENED },
    ]);
  });

  it("falls back to the dealer's policy for a contract that promises no times, and to the standard without one", () => {
    const noPromise = { id: "sc_1", number: "SC-1", responseHours: null, resolutionHours: 8 };
    expect(openingSla("P2", noPromise, policy, home, OPENED).settings).toMatchObject({
      slaSource: "DEALER_POLICY",
      responseTargetSeconds: 1800,
      resolutionTargetSeconds: 14400,
    });
    expect(openingSla("P1", null, null, home, OPENED).settings).toMatchObject({
      slaSource: "STANDARD",
      responseTargetSeconds: 3600,
      slaPausesOnWaitingParts: false,
    });
  });

  it("counts in the calendar it is given: the service center's when the ticket was dispatched", () => {
    const center = { dealerId: "dlr_sc", calendar: { ...BERLIN, timeZone: "Europe/Vienna" } };
    expect(openingSla("P3", null, null, center, OPENED).settings).toMatchObject({ slaCalendarDealerId: "dlr_sc", slaCalendar: { timeZone: "Europe/Vienna" } });
  });
});
