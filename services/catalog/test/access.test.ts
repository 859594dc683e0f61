import { checkOwnDealer, dealerToBook, InputChecks, type Identity, type Role } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { MANAGES_PRODUCTS, RECORDS_FIELD_EVENTS } from "../src/domain/access.js";
import type { CatalogErrorCode } from "../src/domain/errors.js";

const caller = (role: Role, dealerId: string | null = null): Identity => ({
  subject: `test-${role.toLowerCase()}`,
  role,
  dealerId,
  credential: `token:test-${role.toLowerCase()}`,
  operationsOnly: false,
});

const DEALER = caller("DEALER", "dlr_own");
const AGENT = caller("AGENT");
const ADMIN = caller("ADMIN");

describe("dealerToBook", () => {
  it.each<{ who: string; identity: Identity; given: string | null | undefined; booked: string; codes: CatalogErrorCode[] }>([
    { who: "a DEALER leaving the dealer out", identity: DEALER, given: undefined, booked: "dlr_own", codes: [] },
    { who: "a DEALER giving null", identity: DEALER, given: null, booked: "dlr_own", codes: [] },
    { who: "a DEALER naming itself, with spaces", identity: DEALER, given: " dlr_own ", booked: "dlr_own", codes: [] },
    { who: "a DEALER naming another dealer", identity: DEALER, given: "dlr_other", booked: "dlr_other", codes: ["NOT_YOUR_DEALER"] },
    { who: "a DEALER naming a blank dealer", identity: DEALER, given: "  ", booked: "", codes: ["REQUIRED"] },
    { who: "an AGENT naming any dealer", identity: AGENT, given: "dlr_other", booked: "dlr_other", codes: [] },
    { who: "an ADMIN naming any dealer", identity: ADMIN, given: "dlr_own", booked: "dlr_own", codes: [] },
    { who: "an AGENT leaving the dealer out", identity: AGENT, given: undefined, booked: "", codes: ["REQUIRED"] },
    { who: "an ADMIN leaving the dealer out", identity: ADMIN, given: null, booked: "", codes: ["REQUIRED"] },
  ])("books $who as `$booked`, refusing with $codes", ({ identity, given, booked, codes }) => {
    const checks = new InputChecks<CatalogErrorCode>();
    expect(dealerToBook(checks, identity, given, ["dealerId"])).toBe(booked);
    expect(checks.errors.map((e) => e.code)).toEqual(codes);
    expect(checks.errors.every((e) => e.field?.join(".") === "dealerId")).toBe(true);
  });
});

describe("checkOwnDealer", () => {
  it("refuses another service center for a DEALER and names both in the message", () => {
    const checks = new InputChecks<CatalogErrorCode>();
    checkOwnDealer(checks, DEALER, "dlr_other", ["serviceCenterId"]);
    expect(checks.errors).toEqual([{ code: "NOT_YOUR_DEALER", field: ["serviceCenterId"], message: expect.stringMatching(/dlr_own.*dlr_other/) }]);
  });

  it("leaves a blank id to the check that requires it", () => {
    const checks = new InputChecks<CatalogErrorCode>();
    checkOwnDealer(checks, DEALER, "", ["serviceCenterId"]);
    expect(checks.errors).toEqual([]);
  });
});

describe("roles", () => {
  it("lets only ADMINs change product master data, and everyone but ANALYSTs record what happens in the field", () => {
    expect(MANAGES_PRODUCTS).toEqual(["ADMIN"]);
    expect([...RECORDS_FIELD_EVENTS].sort()).toEqual(["ADMIN", "AGENT", "DEALER"]);
  });
});
