import { afterEach, describe, expect, it, vi } from "vitest";
import {
  decideCoverage,
  policyInForce,
  warrantyPeriod,
  type ContractTerms,
  type PolicyTerms,
  type UnitFacts,
  type WarrantyPeriod,
} from "../src/domain/coverage.js";
import { contractTerms } from "./decisions.js";

const policy = (overrides: Partial<PolicyTerms>): PolicyTerms => ({
  id: "pol-1",
  productId: "prod-1",
  version: 1,
  effectiveFrom: "2020-01-01",
  months: 24,
  startBasis: "INSTALLATION",
  partsShare: 100,
  laborShare: 100,
  serviceMode: "ON_SITE",
  transferable: false,
  exclusions: [{ failureCode: "F-WATER", description: "Water damage." }],
  ...overrides,
});

/** Version 1: 24 months from installation, not transferable. Version 2 from 2025: 12 months from purchase, half the labor. */
const v1 = policy({});
const v2 = policy({ id: "pol-2", version: 2, effectiveFrom: "2025-01-01", months: 12, startBasis: "PURCHASE", laborShare: 50, transferable: true });
const policies = [v2, v1];

/** Sold, delivered and installed in June 2024 in Berlin: version 1, covered 2024-06-15 through 2026-06-14. */
const unit = (overrides: Partial<UnitFacts> = {}): UnitFacts => ({
  soldOn: "2024-06-10",
  deliveredOn: "2024-06-12",
  installedOn: "2024-06-15",
  transferredOn: null,
  retiredOn: null,
  timeZone: "Europe/Berlin",
  ...overrides,
});

/** A contract covering parts but not labor, from the day after the warranty of `unit` ends. */
const contract = (overrides: Partial<ContractTerms>): ContractTerms => contractTerms({ laborCovered: false, ...overrides });

describe("policyInForce", () => {
  it.each([
    { name: "the version in force at the sale", soldOn: "2024-06-10", expected: 1 },
    { name: "a version effective on the day of the sale", soldOn: "2025-01-01", expected: 2 },
    { name: "the latest of those already effective", soldOn: "2026-01-01", expected: 2 },
    { name: "none before the first version", soldOn: "2019-12-31", expected: null },
  ])("$name", ({ soldOn, expected }) => {
    expect(policyInForce(policies, soldOn)?.version ?? null).toBe(expected);
  });

  it("prefers the higher version of two effective the same day", () => {
    const v3 = policy({ id: "pol-3", version: 3, effectiveFrom: "2025-01-01" });
    expect(policyInForce([v3, v2, v1], "2025-02-01")?.id).toBe("pol-3");
    expect(policyInForce([v2, v3, v1], "2025-02-01")?.id).toBe("pol-3");
  });
});

describe("warrantyPeriod", () => {
  it.each([
    {
      name: "from installation when it is recorded",
      unit: unit(),
      policies,
      // 2024-06-15 + 24 months = 2026-06-15, last covered day the day before
      expected: { startBasisUsed: "INSTALLATION", fallback: false, startsOn: "2024-06-15", endsOn: "2026-06-14" },
    },
    {
      name: "from delivery when installation is not recorded",
      unit: unit({ installedOn: null }),
      policies,
      // 2024-06-12 + 24 months − 1 day
      expected: { startBasisUsed: "DELIVERY", fallback: true, startsOn: "2024-06-12", endsOn: "2026-06-11" },
    },
    {
      name: "from the sale when neither installation nor delivery is recorded",
      unit: unit({ installedOn: null, deliveredOn: null }),
      policies,
      expected: { startBasisUsed: "PURCHASE", fallback: true, startsOn: "2024-06-10", endsOn: "2026-06-09" },
    },
    {
      name: "from the sale when a delivery-based policy has no delivery",
      unit: unit({ deliveredOn: null }),
      policies: [policy({ startBasis: "DELIVERY" })],
      expected: { startBasisUsed: "PURCHASE", fallback: true, startsOn: "2024-06-10", endsOn: "2026-06-09" },
    },
    {
      name: "from delivery under a delivery-based policy, ignoring installation",
      unit: unit(),
      policies: [policy({ startBasis: "DELIVERY" })],
      expected: { startBasisUsed: "DELIVERY", fallback: false, startsOn: "2024-06-12", endsOn: "2026-06-11" },
    },
    {
      name: "from the sale under a purchase-based policy, however late the delivery",
      unit: unit({ soldOn: "2025-02-01", deliveredOn: "2025-04-01", installedOn: "2025-05-01" }),
      policies,
      // version 2: 2025-02-01 + 12 months − 1 day
      expected: { startBasisUsed: "PURCHASE", fallback: false, startsOn: "2025-02-01", endsOn: "2026-01-31" },
    },
    {
      name: "from a leap day: 12 months cover through 28 February",
      unit: unit({ soldOn: "2024-02-29" }),
      policies: [policy({ months: 12, startBasis: "PURCHASE" })],
      // anniversary of 2024-02-29 is 2025-03-01 (no 29 February), minus 1 day
      expected: { startBasisUsed: "PURCHASE", fallback: false, startsOn: "2024-02-29", endsOn: "2025-02-28" },
    },
    {
      name: "one month from 31 January covers through 28 February",
      unit: unit({ soldOn: "2025-01-31" }),
      policies: [policy({ months: 1, startBasis: "PURCHASE" })],
      // anniversary 2025-03-01 (no 31 February), minus 1 day
      expected: { startBasisUsed: "PURCHASE", fallback: false, startsOn: "2025-01-31", endsOn: "2025-02-28" },
    },
    {
      name: "one month from 31 January of a leap year covers through 29 February",
      unit: unit({ soldOn: "2024-01-31" }),
      policies: [policy({ months: 1, startBasis: "PURCHASE" })],
      // anniversary 2024-03-01, minus 1 day
      expected: { startBasisUsed: "PURCHASE", fallback: false, startsOn: "2024-01-31", endsOn: "2024-02-29" },
    },
  ])("$name", ({ unit: u, policies: p, expected }) => {
    expect(warrantyPeriod(u, p)).toMatchObject(expected);
  });

  it("says when it fell back and what it runs from", () => {
    const period = warrantyPeriod(unit({ installedOn: null, deliveredOn: "2025-03-02", soldOn: "2025-03-01" }), [v1]) as WarrantyPeriod;
    expect(period.explanation).toBe("Installation is not recorded, so the warranty runs from delivery on 2025-03-02. It covers 24 months, through 2027-03-01.");
    expect(warrantyPeriod(unit({ installedOn: null, deliveredOn: null }), [v1])).toMatchObject({
      explanation: "Neither installation nor delivery is recorded, so the warranty runs from purchase on 2024-06-10. It covers 24 months, through 2026-06-09.",
    });
    expect(warrantyPeriod(unit(), [v1])).toMatchObject({
      explanation: "The warranty runs from installation on 2024-06-15. It covers 24 months, through 2026-06-14.",
    });
  });

  it.each([
    { name: "a non-transferable warranty is voided by a transfer in its term", policies: [v1], transferredOn: "2025-02-01", voidedFrom: "2025-02-01" },
    { name: "a transfer after the last covered day voids nothing", policies: [v1], transferredOn: "2026-06-15", voidedFrom: null },
    { name: "a transferable warranty is not voided", policies: [policy({ transferable: true })], transferredOn: "2025-02-01", voidedFrom: null },
  ])("$name", ({ policies: p, transferredOn, voidedFrom }) => {
    expect(warrantyPeriod(unit({ transferredOn }), p)).toMatchObject({ voidedFrom });
  });

  it("registers nothing for an unsold unit and has no period without a policy", () => {
    expect(warrantyPeriod(unit({ soldOn: null }), policies)).toEqual({
      reason: "NOT_REGISTERED",
      explanation: "The unit has not been sold, so no warranty is registered.",
    });
    expect(warrantyPeriod(unit({ soldOn: "2019-05-01" }), policies)).toEqual({
      reason: "NO_POLICY",
      explanation: "No warranty policy was in force when the unit was sold on 2019-05-01.",
    });
  });
});

describe("decideCoverage", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // Berlin is UTC+2 in summer and UTC+1 in winter: local midnight of 2024-06-15 is 2024-06-14T22:00Z.
  it.each([
    {
      name: "in warranty mid-term, at the policy's shares",
      at: "2025-03-01T12:00:00Z",
      expected: { kind: "WARRANTY", onDate: "2025-03-01", reason: null, partsShare: 100, laborShare: 100, startsOn: "2024-06-15", endsOn: "2026-06-14" },
    },
    {
      name: "the first covered day starts at local midnight",
      at: "2024-06-14T22:00:00Z",
      expected: { kind: "WARRANTY", onDate: "2024-06-15", reason: null },
    },
    {
      name: "one second before local midnight it has not started, though it is the 14th in UTC too",
      at: "2024-06-14T21:59:59Z",
      expected: { kind: "NONE", onDate: "2024-06-14", reason: "NOT_YET_STARTED", partsShare: 0, laborShare: 0, startsOn: "2024-06-15", endsOn: "2026-06-14" },
    },
    {
      name: "the last covered day lasts until local midnight",
      at: "2026-06-14T21:59:59Z",
      expected: { kind: "WARRANTY", onDate: "2026-06-14", reason: null },
    },
    {
      name: "expired from local midnight after the last covered day, while UTC is still on the 14th",
      at: "2026-06-14T22:00:00Z",
      expected: { kind: "NONE", onDate: "2026-06-15", reason: "EXPIRED", startsOn: "2024-06-15", endsOn: "2026-06-14" },
    },
    {
      name: "the day before a non-transferable warranty's transfer is covered",
      unit: unit({ transferredOn: "2025-02-01" }),
      at: "2025-01-31T12:00:00Z",
      expected: { kind: "WARRANTY", onDate: "2025-01-31", reason: null },
    },
    {
      name: "the day of the transfer is not",
      unit: unit({ transferredOn: "2025-02-01" }),
      at: "2025-02-01T12:00:00Z",
      expected: { kind: "NONE", onDate: "2025-02-01", reason: "VOIDED_BY_TRANSFER" },
    },
    {
      name: "a transferable warranty goes on with the new owner",
      unit: unit({ transferredOn: "2025-02-01" }),
      policies: [policy({ transferable: true })],
      at: "2025-06-01T12:00:00Z",
      expected: { kind: "WARRANTY", onDate: "2025-06-01", reason: null },
    },
    {
      name: "a voided warranty is voided, not expired, after its last day",
      unit: unit({ transferredOn: "2025-02-01" }),
      at: "2026-12-01T12:00:00Z",
      expected: { kind: "NONE", reason: "VOIDED_BY_TRANSFER" },
    },
    {
      name: "a transfer after the warranty expired leaves it expired",
      unit: unit({ transferredOn: "2026-07-01" }),
      at: "2026-08-01T12:00:00Z",
      expected: { kind: "NONE", reason: "EXPIRED" },
    },
    {
      name: "a transfer before the start: not yet started comes first",
      unit: unit({ transferredOn: "2024-06-13" }),
      at: "2024-06-14T12:00:00Z",
      expected: { kind: "NONE", reason: "NOT_YET_STARTED" },
    },
    {
      name: "retired on the day",
      unit: unit({ retiredOn: "2025-05-01" }),
      at: "2025-05-01T12:00:00Z",
      expected: { kind: "NONE", onDate: "2025-05-01", reason: "RETIRED" },
    },
    {
      name: "retired beats expired",
      unit: unit({ retiredOn: "2026-01-01" }),
      at: "2027-01-01T12:00:00Z",
      expected: { kind: "NONE", reason: "RETIRED" },
    },
    {
      name: "covered the day before the retirement",
      unit: unit({ retiredOn: "2025-05-01" }),
      at: "2025-04-30T12:00:00Z",
      expected: { kind: "WARRANTY", reason: null },
    },
    {
      name: "an excluded failure",
      failureCode: "F-WATER",
      at: "2025-03-01T12:00:00Z",
      expected: { kind: "NONE", reason: "EXCLUDED", startsOn: "2024-06-15", endsOn: "2026-06-14" },
    },
    {
      name: "a failure the policy does not exclude",
      failureCode: "F-PUMP",
      at: "2025-03-01T12:00:00Z",
      expected: { kind: "WARRANTY", reason: null },
    },
    {
      name: "expiry is checked before exclusions",
      failureCode: "F-WATER",
      at: "2026-07-01T12:00:00Z",
      expected: { kind: "NONE", reason: "EXPIRED" },
    },
    {
      name: "a unit sold under version 2 gets its shares",
      unit: unit({ soldOn: "2025-02-01" }),
      at: "2025-03-01T12:00:00Z",
      // version 2: 12 months from the sale, 100 % parts, 50 % labor
      expected: { kind: "WARRANTY", partsShare: 100, laborShare: 50, startsOn: "2025-02-01", endsOn: "2026-01-31" },
    },
    {
      name: "not sold",
      unit: unit({ soldOn: null }),
      at: "2025-03-01T12:00:00Z",
      expected: { kind: "NONE", reason: "NOT_REGISTERED", startsOn: null, endsOn: null, policy: null, warranty: null },
    },
    {
      name: "no policy in force at the sale",
      unit: unit({ soldOn: "2019-05-01" }),
      at: "2025-03-01T12:00:00Z",
      expected: { kind: "NONE", reason: "NO_POLICY", startsOn: null, endsOn: null, policy: null, warranty: null },
    },
  ])("$name", ({ unit: u = unit(), policies: p = policies, at, failureCode = null, expected }) => {
    expect(decideCoverage({ unit: u, policies: p, contracts: [], at: new Date(at), failureCode })).toMatchObject(expected);
  });

  describe("with service contracts", () => {
    it.each([
      {
        name: "a contract covers after the warranty expired",
        contracts: [contract({})],
        at: "2026-08-01T12:00:00Z",
        // parts covered, labor not: 100/0; the contract's own term
        expected: { kind: "CONTRACT", reason: null, partsShare: 100, laborShare: 0, startsOn: "2026-06-15", endsOn: "2027-06-14", contract: { id: "SC-1" } },
      },
      {
        name: "labor only",
        contracts: [contract({ partsCovered: false, laborCovered: true })],
        at: "2026-08-01T12:00:00Z",
        expected: { kind: "CONTRACT", partsShare: 0, laborShare: 100 },
      },
      {
        name: "a draft covers nothing",
        contracts: [contract({ status: "DRAFT" })],
        at: "2026-08-01T12:00:00Z",
        expected: { kind: "NONE", reason: "EXPIRED", startsOn: "2024-06-15", endsOn: "2026-06-14", contract: null },
      },
      {
        name: "an expired contract still covered its own days",
        contracts: [contract({ status: "EXPIRED" })],
        at: "2026-08-01T12:00:00Z",
        expected: { kind: "CONTRACT", contract: { id: "SC-1" } },
      },
      {
        name: "the day after the contract's last day",
        contracts: [contract({})],
        // 2027-06-14T22:00Z is midnight of the 15th in Berlin
        at: "2027-06-14T22:00:00Z",
        expected: { kind: "NONE", onDate: "2027-06-15", reason: "EXPIRED" },
      },
      {
        name: "the day before a cancellation takes effect, with the term ending that day",
        contracts: [contract({ status: "CANCELLED", cancelledFrom: "2026-09-01" })],
        at: "2026-08-31T12:00:00Z",
        // covers through 2026-09-01 − 1 day
        expected: { kind: "CONTRACT", startsOn: "2026-06-15", endsOn: "2026-08-31" },
      },
      {
        name: "the day a cancellation takes effect",
        contracts: [contract({ status: "CANCELLED", cancelledFrom: "2026-09-01" })],
        at: "2026-09-01T12:00:00Z",
        expected: { kind: "NONE", reason: "EXPIRED" },
      },
      {
        name: "of two covering contracts, the one that started latest",
        contracts: [contract({ id: "SC-RENEWAL", startsOn: "2026-09-01", endsOn: "2027-08-31", laborCovered: true }), contract({ id: "SC-1" })],
        at: "2026-10-01T12:00:00Z",
        expected: { kind: "CONTRACT", contract: { id: "SC-RENEWAL" }, partsShare: 100, laborShare: 100, startsOn: "2026-09-01" },
      },
      {
        name: "a failure the warranty excludes is covered by a contract",
        contracts: [contract({ startsOn: "2025-01-01" })],
        failureCode: "F-WATER",
        at: "2025-03-01T12:00:00Z",
        expected: { kind: "CONTRACT", reason: null, contract: { id: "SC-1" }, policy: { id: "pol-1" } },
      },
      {
        name: "the warranty comes first while it covers",
        contracts: [contract({ startsOn: "2025-01-01" })],
        at: "2025-03-01T12:00:00Z",
        expected: { kind: "WARRANTY", contract: null, partsShare: 100, laborShare: 100 },
      },
      {
        name: "a contract covers a voided warranty",
        unit: unit({ transferredOn: "2025-02-01" }),
        contracts: [contract({ startsOn: "2025-02-01" })],
        at: "2025-03-01T12:00:00Z",
        expected: { kind: "CONTRACT" },
      },
      {
        name: "a contract covers a unit sold before any policy",
        unit: unit({ soldOn: "2019-05-01" }),
        contracts: [contract({ startsOn: "2025-01-01" })],
        at: "2025-03-01T12:00:00Z",
        expected: { kind: "CONTRACT", policy: null, warranty: null },
      },
      {
        name: "a contract does not cover a retired unit",
        unit: unit({ retiredOn: "2026-07-01" }),
        contracts: [contract({})],
        at: "2026-08-01T12:00:00Z",
        expected: { kind: "NONE", reason: "RETIRED", contract: null },
      },
      {
        name: "a contract does not cover an unsold unit",
        unit: unit({ soldOn: null }),
        contracts: [contract({})],
        at: "2026-08-01T12:00:00Z",
        expected: { kind: "NONE", reason: "NOT_REGISTERED", contract: null },
      },
    ])("$name", ({ unit: u = unit(), contracts, at, failureCode = null, expected }) => {
      expect(decideCoverage({ unit: u, policies, contracts, at: new Date(at), failureCode })).toMatchObject(expected);
    });
  });

  it("explains each decision in sentences", () => {
    const decide = (at: string, extra: { unit?: UnitFacts; contracts?: ContractTerms[]; failureCode?: string } = {}) =>
      decideCoverage({ unit: extra.unit ?? unit(), policies, contracts: extra.contracts ?? [], at: new Date(at), failureCode: extra.failureCode ?? null })
        .explanation;
    expect(decide("2025-03-01T12:00:00Z")).toBe(
      "The warranty runs from installation on 2024-06-15. It covers 24 months, through 2026-06-14. On 2025-03-01 it covers 100 % of parts and 100 % of labor.",
    );
    expect(decide("2026-08-01T12:00:00Z")).toBe("The warranty expired: its last covered day was 2026-06-14.");
    expect(decide("2024-06-01T12:00:00Z")).toBe("The warranty has not started on 2024-06-01: its first covered day is 2024-06-15.");
    expect(decide("2025-03-01T12:00:00Z", { unit: unit({ transferredOn: "2025-02-01" }) })).toBe(
      "The warranty is not transferable and ended when the unit changed owner on 2025-02-01.",
    );
    expect(decide("2025-03-01T12:00:00Z", { unit: unit({ retiredOn: "2025-02-01" }) })).toBe(
      "The unit was retired on 2025-02-01, so nothing covers it any more.",
    );
    expect(decide("2025-03-01T12:00:00Z", { failureCode: "F-WATER" })).toBe("The warranty excludes failure F-WATER: Water damage.");
    expect(decide("2026-08-01T12:00:00Z", { contracts: [contract({})] })).toBe(
      "The warranty expired: its last covered day was 2026-06-14. Service contract SC-1 covers 100 % of parts and 0 % of labor from 2026-06-15 through 2027-06-14.",
    );
  });

  it("decides a past date the same whatever today is", () => {
    const input = { unit: unit(), policies, contracts: [contract({})], at: new Date("2026-06-14T12:00:00Z"), failureCode: null };
    const before = decideCoverage(input);
    vi.useFakeTimers({ now: new Date("2031-01-01T00:00:00Z") });
    expect(decideCoverage(input)).toEqual(before);
    expect(before.kind).toBe("WARRANTY");
  });
});
