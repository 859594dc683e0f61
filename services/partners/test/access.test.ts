import { apiKeyHash, InputChecks, operationHash, Refusal } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { checkApiKey, newApiKey, type ApiKeyDraft } from "../src/domain/apiKey.js";
import { checkCustomer, type CustomerDraft } from "../src/domain/customer.js";
import { staffOnlyChanges, type DealerDraft, type DealerPatch } from "../src/domain/dealer.js";
import type { PartnerErrorCode } from "../src/domain/errors.js";
import { checkOperation, MAX_DOCUMENT_LENGTH } from "../src/domain/operation.js";
import { checkTechnician } from "../src/domain/technician.js";

/** The codes a check refuses with; none when it passes. */
function codesOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof Refusal) return error.errors.map((e) => e.code);
    throw error;
  }
}

describe("staffOnlyChanges", () => {
  const stored: DealerDraft = {
    name: "Kaffee Berlin",
    kind: "BOTH",
    region: "DACH",
    email: "info@kaffee.example",
    phone: null,
    address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE" },
    location: { latitude: 52.52, longitude: 13.405 },
    serviceRadiusKm: 50,
    laborRate: { amount: "85.00", currency: "EUR" },
    warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: null },
    calendar: { timeZone: "Europe/Berlin", weeklyWindows: [], holidays: [] },
    outreach: { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 30 },
  };

  it.each<{ name: string; patch: DealerPatch; changes: string[] }>([
    {
      name: "contact details, address, location and calendar",
      patch: {
        email: "new@kaffee.example",
        phone: "+49 30 1",
        address: { ...stored.address, city: "Potsdam" },
        location: { latitude: 52.4, longitude: 13.06 },
        calendar: { timeZone: "Europe/Vienna", weeklyWindows: [] },
      },
      changes: [],
    },
    { name: "its outreach settings", patch: { outreach: { defaultRelationshipLevel: "ACTIVE", contactIntervalDays: 14 } }, changes: [] },
    {
      name: "the whole dealer sent back unchanged",
      patch: { ...stored, name: " Kaffee Berlin ", laborRate: { amount: "85", currency: "eur" }, warrantyWorkshop: { authorizedFrom: "2024-01-01" } },
      changes: [],
    },
    { name: "another kind and region", patch: { kind: "DEALER", region: "Nordics" }, changes: ["kind", "region"] },
    { name: "a new labor rate", patch: { laborRate: { amount: "85.01", currency: "EUR" } }, changes: ["laborRate"] },
    { name: "the same rate in another currency", patch: { laborRate: { amount: "85.00", currency: "CHF" } }, changes: ["laborRate"] },
    { name: "a wider service radius", patch: { serviceRadiusKm: 51 }, changes: ["serviceRadiusKm"] },
    {
      name: "an authorization that ends",
      patch: { warrantyWorkshop: { authorizedFrom: "2024-01-01", authorizedUntil: "2026-12-31" } },
      changes: ["warrantyWorkshop"],
    },
    { name: "the authorization removed", patch: { warrantyWorkshop: null }, changes: ["warrantyWorkshop"] },
    { name: "a new name", patch: { name: "Kaffee Berlin GmbH" }, changes: ["name"] },
  ])("$name: $changes", ({ patch, changes }) => {
    expect(staffOnlyChanges(stored, patch)).toEqual(changes);
  });

  it("takes removing an authorization that never was for no change", () => {
    expect(staffOnlyChanges({ ...stored, warrantyWorkshop: null }, { warrantyWorkshop: null })).toEqual([]);
  });
});

describe("a DEALER naming dealers", () => {
  const customer: CustomerDraft = {
    kind: "CONSUMER",
    name: "Jane Roe",
    companyName: null,
    email: null,
    phone: null,
    address: { street: "", postalCode: "", city: "Berlin", country: "DE" },
    location: null,
    homeDealerId: "dlr_A",
    relationshipLevel: "BASIC",
    contactConsent: { phone: true, email: false },
  };

  it.each([
    { who: "staff, any dealer", homeDealerId: "dlr_B", exists: true, scope: null, codes: [] },
    { who: "a dealer, itself", homeDealerId: "dlr_A", exists: true, scope: "dlr_A", codes: [] },
    { who: "a dealer, another dealer", homeDealerId: "dlr_B", exists: true, scope: "dlr_A", codes: ["NOT_YOUR_DEALER"] },
    // Told apart from another dealer, a made-up id would tell the dealer which ids are dealers.
    { who: "a dealer, no dealer that exists", homeDealerId: "dlr_X", exists: false, scope: "dlr_A", codes: ["NOT_YOUR_DEALER"] },
    { who: "staff, no dealer that exists", homeDealerId: "dlr_X", exists: false, scope: null, codes: ["DEALER_NOT_FOUND"] },
    { who: "staff, no dealer at all", homeDealerId: null, exists: false, scope: null, codes: ["REQUIRED"] },
  ])("a customer's home dealer, named by $who: $codes", ({ homeDealerId, exists, scope, codes }) => {
    expect(codesOf(() => checkCustomer({ ...customer, homeDealerId }, exists, scope))).toEqual(codes);
  });

  it.each([
    { who: "staff, any center", center: { id: "dlr_B", kind: "SERVICE_CENTER" as const }, scope: null, codes: [] },
    { who: "a dealer, its own center", center: { id: "dlr_A", kind: "BOTH" as const }, scope: "dlr_A", codes: [] },
    { who: "a dealer, another's center", center: { id: "dlr_B", kind: "SERVICE_CENTER" as const }, scope: "dlr_A", codes: ["NOT_YOUR_DEALER"] },
    { who: "a dealer, no center that exists", center: null, scope: "dlr_A", codes: ["NOT_YOUR_DEALER"] },
    { who: "staff, no center that exists", center: null, scope: null, codes: ["DEALER_NOT_FOUND"] },
  ])("a technician's service center, named by $who: $codes", ({ center, scope, codes }) => {
    const draft = { serviceCenterId: center?.id ?? "dlr_X", name: "Ada", email: null, phone: null, skills: [], active: true };
    expect(codesOf(() => checkTechnician(draft, center, scope))).toEqual(codes);
  });
});

describe("checkApiKey", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const draft: ApiKeyDraft = { name: "ERP sync", role: "DEALER", dealerId: "dlr_A", operationsOnly: false, expiresAt: null };

  it.each<{ name: string; change: Partial<ApiKeyDraft>; exists?: boolean; codes: string[] }>([
    { name: "a DEALER key for a dealer", change: {}, codes: [] },
    { name: "an ADMIN key without a dealer", change: { role: "ADMIN", dealerId: null }, codes: [] },
    { name: "a DEALER key without a dealer", change: { dealerId: null }, codes: ["REQUIRED"] },
    { name: "a DEALER key for a dealer that does not exist", change: {}, exists: false, codes: ["DEALER_NOT_FOUND"] },
    { name: "an AGENT key naming a dealer", change: { role: "AGENT" }, codes: ["DEALER_NOT_ALLOWED"] },
    { name: "a key that expires in an hour", change: { expiresAt: new Date("2026-03-01T13:00:00Z") }, codes: [] },
    { name: "a key that expires now", change: { expiresAt: now }, codes: ["EXPIRY_IN_PAST"] },
    { name: "a key without a name", change: { name: "  " }, codes: ["REQUIRED"] },
  ])("$name: $codes", ({ change, exists = true, codes }) => {
    expect(codesOf(() => checkApiKey({ ...draft, ...change }, exists, now, new InputChecks<PartnerErrorCode>()))).toEqual(codes);
  });

  it("makes keys of 256 random bits, kept only as their SHA-256 and a short prefix", () => {
    const { key, keyHash, keyPrefix } = newApiKey();
    expect(key).toMatch(/^ask_[A-Za-z0-9_-]{43}$/);
    expect(keyHash).toBe(apiKeyHash(key));
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyPrefix).toBe(key.slice(0, 10));
    expect(newApiKey().key).not.toBe(key);
  });
});

describe("checkOperation", () => {
  it.each([
    { name: "a named query", document: "query Open { dealers { edges { cursor } } }", codes: [] },
    { name: "a named mutation with a fragment", document: "mutation M { x { ...F } } fragment F on X { id }", codes: [] },
    { name: "text that is not GraphQL", document: "SELECT * FROM dealers", codes: ["INVALID_DOCUMENT"] },
    { name: "a type definition", document: "type Dealer { id: ID }", codes: ["INVALID_DOCUMENT"] },
    { name: "two operations", document: "query A { a } query B { b }", codes: ["NOT_ONE_OPERATION"] },
    { name: "a fragment alone", document: "fragment F on X { id }", codes: ["NOT_ONE_OPERATION"] },
    { name: "an anonymous query", document: "{ dealers { edges { cursor } } }", codes: ["OPERATION_NAME_REQUIRED"] },
    { name: "a blank document", document: " \n", codes: ["REQUIRED"] },
    { name: "a document that is too long", document: `query A { a }${" ".repeat(MAX_DOCUMENT_LENGTH)}`, codes: ["TOO_LONG"] },
  ])("$name: $codes", ({ document, codes }) => {
    expect(codesOf(() => checkOperation({ name: "Op", document }))).toEqual(codes);
  });

  it("hashes the document exactly as given, whitespace included", () => {
    const document = "query A { a }\n";
    const checked = checkOperation({ name: " Mine ", document });
    expect(checked).toEqual({ hash: operationHash(document), name: "Mine", document });
    expect(checked.hash).not.toBe(operationHash(document.trim()));
  });
});
