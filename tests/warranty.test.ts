import { addDays, daysBetween, localDate, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMonthsClamped,
  contractPlanInput,
  createContractPlan,
  createCustomer,
  createDealer,
  createProduct,
  lastDayOfTerm,
  localInstant,
  recordUnitEvent,
  registerUnit,
  setWarrantyPolicy,
  soldUnit,
  tag,
  transferUnit,
  warrantyPolicyInput,
  WEEKDAYS_9_TO_5,
  type SoldUnit,
} from "./src/factories.js";
import { outboxEvents } from "./src/events.js";
import { graphql } from "./src/generated/index.js";
import type {
  ClaimLineInput,
  ClaimLineReviewInput,
  CreateServiceContractInput,
  FileWarrantyClaimInput,
  PlanMaintenanceInput,
  WarrantyContractFieldsFragment,
  WarrantyCoverageFieldsFragment,
  WarrantyVisitFieldsFragment,
} from "./src/generated/graphql.js";
import { startGraph, type Client, type GraphQLResponse, type Operation, type TestGraph } from "./src/graph.js";

/**
 * The warranty subgraph end to end, through the gateway: warranty terms and
 * what covers a unit on any instant (in the unit's own time zone), repair
 * quotes, service contracts and their preventive maintenance, and warranty
 * claims with their adjudication. Who sees what is in warranty-access.test.ts.
 *
 * The warranty subgraph keeps copies of the catalog's units and products and
 * of the partners' dealers, filled from their events: after creating or
 * selling those, `graph.settle()` waits for the copies before anything that
 * reads them (quotes, contracts, claims, expiring warranties).
 */

let graph: TestGraph;
/** Beneath the API, for the outbox no request may read. */
let handle: DatabaseHandle;
beforeAll(async () => {
  // The N+1 setup writes its units in requests of many aliases, past what clients may send.
  graph = await startGraph({ limits: { maxAliases: 1_000, maxCost: 1_000_000 } });
  handle = openDatabase(graph.database);
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

// --- helpers ------------------------------------------------------------------

interface WarrantyError {
  code: string;
  field: string[] | null;
  message: string;
}

interface Money {
  amount: string;
  currency: string;
}

const AGENT = { role: "AGENT" as const, subject: "agent-anna" };

const today = () => todayUtc();
const daysAgo = (days: number) => addDays(todayUtc(), -days);
const eur = (amount: string): Money => ({ amount, currency: "EUR" });

/** A warranty mutation: a typed document of one root field, taking one `input`, whose payload has `errors`. */
type Mutation<TResult, TInput> = Operation<TResult, { input: TInput }>;

/** Runs a warranty mutation as `client` and returns its payload; GraphQL errors fail the test, refusals come back in `errors`. */
async function run<TResult extends Record<string, { errors: WarrantyError[] }>, TInput>(client: Client, mutation: Mutation<TResult, TInput>, input: TInput) {
  // The document's variables are `{ input }`, as its type says.
  const data = await client.query(mutation as Operation<TResult, Record<string, unknown>>, { input });
  return Object.values(data)[0] as TResult[keyof TResult];
}

/** Runs a mutation that must succeed and returns the object under `key`. */
async function succeed<TResult extends Record<string, { errors: WarrantyError[] }>, TInput, K extends keyof TResult[keyof TResult]>(
  client: Client,
  mutation: Mutation<TResult, TInput>,
  key: K,
  input: TInput,
) {
  const payload = await run(client, mutation, input);
  expect(payload.errors, JSON.stringify(input)).toEqual([]);
  return payload[key]!;
}

const codesOf = (response: GraphQLResponse<unknown>) => response.errors?.map((e) => e.extensions?.["code"]);

/** A dealer in `timeZone` (Berlin unless said), optionally an authorized warranty workshop, with a customer, and a client acting as it. */
async function shop(options: { timeZone?: string; workshop?: { authorizedFrom: string; authorizedUntil?: string } | null; laborRate?: Money } = {}) {
  const dealer = await createDealer(graph, {
    calendar: { timeZone: options.timeZone ?? "Europe/Berlin", weeklyWindows: WEEKDAYS_9_TO_5, holidays: [] },
    warrantyWorkshop: options.workshop === undefined ? { authorizedFrom: "2023-01-01" } : options.workshop,
    ...(options.laborRate ? { laborRate: options.laborRate } : {}),
  });
  const customer = await createCustomer(graph, dealer.id);
  const other = await createCustomer(graph, dealer.id);
  return { dealer: dealer.id, customer: customer.id, otherCustomer: other.id, as: graph.as({ role: "DEALER", dealerId: dealer.id }) };
}
type Shop = Awaited<ReturnType<typeof shop>>;

/**
 * An espresso machine with a pump (120.00) in its bill of materials, 1.5
 * standard hours for a pump failure, and the given warranty terms; and a
 * valve (40.00) that is not in its bill of materials.
 */
async function machine(policy: Record<string, unknown> | null = {}) {
  const t = tag().toUpperCase();
  const pump = await createProduct(graph, { kind: "SPARE_PART", name: `Pump ${t}`, category: "pumps", listPrice: eur("120.00") });
  const valve = await createProduct(graph, { kind: "SPARE_PART", name: `Valve ${t}`, category: "valves", listPrice: eur("40.00") });
  const product = await createProduct(graph, {
    name: `Espresso ${t}`,
    billOfMaterials: [{ partId: pump.id, quantity: 1 }],
    repairStandards: [{ failureCode: "E04-PUMP", hours: 1.5 }],
  });
  // The policy needs the product in the warranty subgraph's copy of the catalog.
  await graph.settle();
  if (policy) await setWarrantyPolicy(graph, product.id, policy);
  return { product: product.id, pump: pump.id, valve: valve.id };
}

const sell = (productId: string, at: Shop, soldOn: string, extra: { price?: Money; deliveredOn?: string; installedOn?: string; customerId?: string } = {}) =>
  soldUnit(graph, { productId, dealerId: at.dealer, customerId: extra.customerId ?? at.customer, soldOn, ...extra });

// --- coverage -------------------------------------------------------------------

const COVERAGE = graphql(`fragment WarrantyCoverageFields on Coverage {
  kind reason onDate timeZone startsOn endsOn partsShare laborShare explanation policy { version } contract { id } }`);
type Coverage = WarrantyCoverageFieldsFragment;

/** The unit's coverage at each instant given (an alias each; null: now). */
async function coverageAt<K extends string>(unitId: string, instants: Record<K, string | null>): Promise<Record<K, Coverage>> {
  // An alias per instant, built here: a string, each coverage read through the typed fragment.
  const fields = Object.entries(instants)
    .map(([alias, at]) => `${alias}: coverage${at ? `(at: "${at as string}")` : ""} { ...WarrantyCoverageFields }`)
    .join("\n");
  const { unit } = await graph.query<{ unit: Record<K, Coverage> }>(`query($id: ID!) { unit(id: $id) { ${fields} } } ${COVERAGE}`, { id: unitId });
  return unit;
}

const WARRANTY_OF = graphql(`query WarrantyUnitWarranty($id: ID!) { unit(id: $id) {
  warranty { policy { version months } startBasisUsed fallback startsOn endsOn voidedFrom explanation } } }`);

async function warrantyOf(unitId: string) {
  const { unit } = await graph.query(WARRANTY_OF, { id: unitId });
  return unit!.warranty;
}

const covered = (onDate: string, extra: Partial<Coverage> = {}) => ({ kind: "WARRANTY", reason: null, onDate, contract: null, ...extra });
const notCovered = (reason: string, onDate: string, extra: Partial<Coverage> = {}) => ({
  kind: "NONE",
  reason,
  onDate,
  partsShare: 0,
  laborShare: 0,
  policy: null,
  contract: null,
  ...extra,
});

describe("warranty policies", () => {
  const SET_POLICY = graphql(`mutation WarrantySetPolicy($input: SetWarrantyPolicyInput!) { setWarrantyPolicy(input: $input) {
    policy { id version effectiveFrom months startBasis partsShare laborShare serviceMode transferable exclusions { failureCode description } }
    errors { code field message } } }`);

  it("keeps the terms a unit was sold under when a new version takes effect, and gives the new one to units sold from its first day", async () => {
    // given a product whose first policy (24 months) has been in force since 2023, and a unit sold under it yesterday
    const { product } = await machine({ effectiveFrom: "2023-01-01", months: 24, partsShare: 100 });
    const dealer = await shop();
    const soldYesterday = await sell(product, dealer, daysAgo(1));
    // when a second version (12 months, half the parts) takes effect today, and a unit is sold today
    const v2 = await run(graph, SET_POLICY, warrantyPolicyInput(product, { effectiveFrom: today(), months: 12, partsShare: 50 }));
    const soldToday = await sell(product, dealer, today());
    // then the new version is number 2
    expect(v2).toEqual({
      policy: expect.objectContaining({ version: 2, effectiveFrom: today(), months: 12, partsShare: 50, startBasis: "PURCHASE" }),
      errors: [],
    });
    // and the product has both versions, oldest first, each for the units sold while it was in force
    const { product: read } = await graph.query(
      graphql(`query WarrantyProduct($id: ID!, $yesterday: Date!, $today: Date!) { product(id: $id) {
        warrantyPolicies { version effectiveFrom months }
        before: warrantyPolicy(soldOn: "2022-12-31") { version }
        yesterdays: warrantyPolicy(soldOn: $yesterday) { version }
        todays: warrantyPolicy(soldOn: $today) { version } } }`),
      { id: product, yesterday: daysAgo(1), today: today() },
    );
    expect(read).toEqual({
      warrantyPolicies: [
        { version: 1, effectiveFrom: "2023-01-01", months: 24 },
        { version: 2, effectiveFrom: today(), months: 12 },
      ],
      before: null,
      yesterdays: { version: 1 },
      todays: { version: 2 },
    });
    const { warrantyPolicies } = await graph.query(graphql(`query WarrantyWarrantyPolicies($id: ID!) { warrantyPolicies(productId: $id) { version } }`), {
      id: product,
    });
    expect(warrantyPolicies).toEqual([{ version: 1 }, { version: 2 }]);
    // and the unit sold yesterday keeps the old terms, the one sold today has the new ones
    expect(await warrantyOf(soldYesterday.id)).toMatchObject({ policy: { version: 1, months: 24 }, endsOn: lastDayOfTerm(daysAgo(1), 24) });
    expect(await warrantyOf(soldToday.id)).toMatchObject({ policy: { version: 2, months: 12 }, endsOn: lastDayOfTerm(today(), 12) });
    const now = await coverageAt(soldYesterday.id, { now: null });
    expect(now.now).toMatchObject({ kind: "WARRANTY", policy: { version: 1 }, partsShare: 100 });
  });

  it("sets a product's first policy reaching back before today, with its exclusions", async () => {
    // given
    const { product } = await machine(null);
    // when
    const set = await run(
      graph,
      SET_POLICY,
      warrantyPolicyInput(product, {
        effectiveFrom: "2020-01-01",
        months: 36,
        startBasis: "INSTALLATION",
        partsShare: 100,
        laborShare: 50,
        serviceMode: "CARRY_IN",
        transferable: false,
        exclusions: [{ failureCode: "E99-MISUSE", description: "Damage from misuse." }],
      }),
    );
    // then
    expect(set).toEqual({
      policy: {
        id: expect.any(String),
        version: 1,
        effectiveFrom: "2020-01-01",
        months: 36,
        startBasis: "INSTALLATION",
        partsShare: 100,
        laborShare: 50,
        serviceMode: "CARRY_IN",
        transferable: false,
        exclusions: [{ failureCode: "E99-MISUSE", description: "Damage from misuse." }],
      },
      errors: [],
    });
  });

  it.each<{ problem: string; change: Record<string, unknown>; code: string; field: string[] }>([
    { problem: "a parts share above 100", change: { partsShare: 101 }, code: "OUT_OF_RANGE", field: ["partsShare"] },
    { problem: "a negative parts share", change: { partsShare: -1 }, code: "OUT_OF_RANGE", field: ["partsShare"] },
    { problem: "a labor share above 100", change: { laborShare: 150 }, code: "OUT_OF_RANGE", field: ["laborShare"] },
    { problem: "0 months", change: { months: 0 }, code: "OUT_OF_RANGE", field: ["months"] },
    { problem: "241 months", change: { months: 241 }, code: "OUT_OF_RANGE", field: ["months"] },
    {
      problem: "an exclusion's failure code with a space",
      change: { exclusions: [{ failureCode: "E99 MISUSE", description: "Misuse" }] },
      code: "INVALID_FORMAT",
      field: ["exclusions", "0", "failureCode"],
    },
    {
      problem: "the same failure code excluded twice",
      change: {
        exclusions: [
          { failureCode: "E99", description: "Misuse" },
          { failureCode: "E99", description: "Misuse again" },
        ],
      },
      code: "DUPLICATE_ENTRY",
      field: ["exclusions", "1", "failureCode"],
    },
  ])("refuses a policy with $problem and saves nothing", async ({ change, code, field }) => {
    // given
    const { product } = await machine(null);
    // when
    const refused = await run(graph, SET_POLICY, warrantyPolicyInput(product, change));
    // then
    expect(refused).toEqual({ policy: null, errors: [expect.objectContaining({ code, field })] });
    const { warrantyPolicies } = await graph.query(graphql(`query WarrantyWarrantyPoliciesId($id: ID!) { warrantyPolicies(productId: $id) { id } }`), {
      id: product,
    });
    expect(warrantyPolicies).toEqual([]);
  });

  it("refuses a new version that starts in the past: it would change units already sold", async () => {
    // given a product with a policy since 2023
    const { product } = await machine({ effectiveFrom: "2023-01-01" });
    // when a second version is to start yesterday
    const refused = await run(graph, SET_POLICY, warrantyPolicyInput(product, { effectiveFrom: daysAgo(1), months: 6 }));
    // then
    expect(refused).toEqual({ policy: null, errors: [expect.objectContaining({ code: "DATE_IN_PAST", field: ["effectiveFrom"] })] });
    const { warrantyPolicies } = await graph.query(graphql(`query WarrantyWarrantyPolicies($id: ID!) { warrantyPolicies(productId: $id) { version } }`), {
      id: product,
    });
    expect(warrantyPolicies).toEqual([{ version: 1 }]);
  });

  it.each([
    { when: "before the latest version's first day", offset: 10 },
    { when: "on the latest version's first day", offset: 30 },
  ])("refuses a new version starting $when with NOT_AFTER_LATEST_VERSION", async ({ offset }) => {
    // given a first policy that starts in 30 days
    const { product } = await machine({ effectiveFrom: addDays(today(), 30) });
    // when
    const refused = await run(graph, SET_POLICY, warrantyPolicyInput(product, { effectiveFrom: addDays(today(), offset) }));
    // then
    expect(refused).toEqual({ policy: null, errors: [expect.objectContaining({ code: "NOT_AFTER_LATEST_VERSION", field: ["effectiveFrom"] })] });
  });

  it("refuses a policy for a product the catalog does not know", async () => {
    const refused = await run(graph, SET_POLICY, warrantyPolicyInput("prd_unknown"));
    expect(refused).toEqual({ policy: null, errors: [expect.objectContaining({ code: "PRODUCT_NOT_FOUND", field: ["productId"] })] });
  });

  it.each([{ role: "DEALER" as const }, { role: "AGENT" as const }, { role: "ANALYST" as const }])(
    "refuses setWarrantyPolicy to a $role as FORBIDDEN: warranty terms are the ADMINs'",
    async ({ role }) => {
      // given
      const { product } = await machine(null);
      const dealer = await shop();
      const client = graph.as(role === "DEALER" ? { role, dealerId: dealer.dealer } : { role });
      // when
      const response = await client.request(
        graphql(`mutation WarrantySetWarrantyPolicy($input: SetWarrantyPolicyInput!) { setWarrantyPolicy(input: $input) { policy { id } errors { code } } }`),
        { input: warrantyPolicyInput(product) },
      );
      // then
      expect({ data: response.data, codes: codesOf(response), path: response.errors?.[0]?.path }).toEqual({
        data: null,
        codes: ["FORBIDDEN"],
        path: ["setWarrantyPolicy"],
      });
      const { warrantyPolicies } = await graph.query(graphql(`query WarrantyWarrantyPoliciesId($id: ID!) { warrantyPolicies(productId: $id) { id } }`), {
        id: product,
      });
      expect(warrantyPolicies).toEqual([]);
    },
  );
});

describe("coverage", () => {
  it.each([{ timeZone: "Pacific/Auckland" }, { timeZone: "America/Los_Angeles" }])(
    "covers the first and the last day of the warranty as whole days in the unit's time zone ($timeZone), not in UTC",
    async ({ timeZone }) => {
      // given a 12-month warranty from delivery, 100 % parts and 80 % labor, on a unit sold by a dealer in timeZone, delivered on 2024-03-15
      const { product } = await machine({ months: 12, startBasis: "DELIVERY", partsShare: 100, laborShare: 80 });
      const dealer = await shop({ timeZone });
      const unit = await sell(product, dealer, "2024-03-10", { deliveredOn: "2024-03-15" });
      // when asked half an hour either side of the first day's start and of the last day's end, local time
      const at = await coverageAt(unit.id, {
        dayBefore: localInstant("2024-03-14", "23:30", timeZone),
        firstDay: localInstant("2024-03-15", "00:30", timeZone),
        lastDay: localInstant("2025-03-14", "23:30", timeZone),
        dayAfter: localInstant("2025-03-15", "00:30", timeZone),
      });
      // then
      const period = { timeZone, startsOn: "2024-03-15", endsOn: "2025-03-14" };
      expect(at.dayBefore).toMatchObject(notCovered("NOT_YET_STARTED", "2024-03-14", period));
      expect(at.dayBefore.explanation).toContain("2024-03-15");
      expect(at.firstDay).toMatchObject(covered("2024-03-15", { ...period, partsShare: 100, laborShare: 80, policy: { version: 1 } }));
      expect(at.lastDay).toMatchObject(covered("2025-03-14", { ...period, partsShare: 100, laborShare: 80, policy: { version: 1 } }));
      expect(at.dayAfter).toMatchObject(notCovered("EXPIRED", "2025-03-15", period));
      // and the explanation names the last covered day
      expect(at.dayAfter.explanation).toContain("2025-03-14");
      expect(await warrantyOf(unit.id)).toMatchObject({
        startBasisUsed: "DELIVERY",
        fallback: false,
        startsOn: "2024-03-15",
        endsOn: "2025-03-14",
        voidedFrom: null,
      });
    },
  );

  it("does not cover a unit before its sale under a warranty from purchase", async () => {
    // given a unit sold on 2024-06-10 by a dealer in Auckland, under a warranty from purchase
    const { product } = await machine({ startBasis: "PURCHASE", months: 24 });
    const dealer = await shop({ timeZone: "Pacific/Auckland" });
    const unit = await sell(product, dealer, "2024-06-10");
    // when
    const at = await coverageAt(unit.id, {
      before: localInstant("2024-06-09", "23:30", "Pacific/Auckland"),
      saleDay: localInstant("2024-06-10", "00:30", "Pacific/Auckland"),
    });
    // then
    expect(at.before).toMatchObject(notCovered("NOT_YET_STARTED", "2024-06-09", { startsOn: "2024-06-10", endsOn: "2026-06-09" }));
    expect(at.saleDay).toMatchObject(covered("2024-06-10", { startsOn: "2024-06-10", endsOn: "2026-06-09" }));
  });

  it("runs a 12-month warranty sold on 29 February 2024 through 28 February 2025", async () => {
    // given
    const { product } = await machine({ startBasis: "PURCHASE", months: 12 });
    const dealer = await shop();
    const unit = await sell(product, dealer, "2024-02-29");
    // when
    const warranty = await warrantyOf(unit.id);
    const at = await coverageAt(unit.id, {
      lastDay: localInstant("2025-02-28", "23:30", "Europe/Berlin"),
      nextDay: localInstant("2025-03-01", "00:30", "Europe/Berlin"),
    });
    // then
    expect(warranty).toMatchObject({ startsOn: "2024-02-29", endsOn: "2025-02-28", startBasisUsed: "PURCHASE", fallback: false });
    expect(warranty?.explanation).toContain("2025-02-28");
    expect(at.lastDay).toMatchObject(covered("2025-02-28", { endsOn: "2025-02-28" }));
    expect(at.nextDay).toMatchObject(notCovered("EXPIRED", "2025-03-01", { endsOn: "2025-02-28" }));
    expect(at.nextDay.explanation).toContain("2025-02-28");
  });

  it("starts a warranty from installation at delivery when installation is not recorded, and at the sale when neither is", async () => {
    // given a warranty from installation, and three units sold on 2024-05-01: installed, only delivered, only sold
    const { product } = await machine({ startBasis: "INSTALLATION", months: 12 });
    const dealer = await shop();
    const installed = await sell(product, dealer, "2024-05-01", { deliveredOn: "2024-05-06", installedOn: "2024-05-08" });
    const delivered = await sell(product, dealer, "2024-05-01", { deliveredOn: "2024-05-06" });
    const sold = await sell(product, dealer, "2024-05-01");
    // when / then
    expect(await warrantyOf(installed.id)).toMatchObject({
      startBasisUsed: "INSTALLATION",
      fallback: false,
      startsOn: "2024-05-08",
      endsOn: "2025-05-07",
    });
    expect(await warrantyOf(delivered.id)).toMatchObject({ startBasisUsed: "DELIVERY", fallback: true, startsOn: "2024-05-06", endsOn: "2025-05-05" });
    expect(await warrantyOf(sold.id)).toMatchObject({ startBasisUsed: "PURCHASE", fallback: true, startsOn: "2024-05-01", endsOn: "2025-04-30" });
    // and on 2024-05-07 the delivered unit is covered while the installed one is not yet
    const day = localInstant("2024-05-07", "12:00", "Europe/Berlin");
    expect((await coverageAt(delivered.id, { day })).day).toMatchObject(covered("2024-05-07"));
    expect((await coverageAt(installed.id, { day })).day).toMatchObject(notCovered("NOT_YET_STARTED", "2024-05-07"));
  });

  it("ends a non-transferable warranty on the day the unit changes owner, and keeps a transferable one", async () => {
    // given two units sold on 2025-01-15, one under a non-transferable warranty, both transferred on 2025-06-01
    const bound = await machine({ transferable: false, months: 24 });
    const free = await machine({ transferable: true, months: 24 });
    const dealer = await shop();
    const boundUnit = await sell(bound.product, dealer, "2025-01-15");
    const freeUnit = await sell(free.product, dealer, "2025-01-15");
    for (const unit of [boundUnit, freeUnit]) await transferUnit(graph, unit.id, dealer.otherCustomer, "2025-06-01");
    const instants = {
      lastOwnDay: localInstant("2025-05-31", "23:30", "Europe/Berlin"),
      transferDay: localInstant("2025-06-01", "00:30", "Europe/Berlin"),
    };
    // when
    const boundAt = await coverageAt(boundUnit.id, instants);
    const freeAt = await coverageAt(freeUnit.id, instants);
    // then
    expect(await warrantyOf(boundUnit.id)).toMatchObject({ voidedFrom: "2025-06-01", endsOn: "2027-01-14" });
    expect(boundAt.lastOwnDay).toMatchObject(covered("2025-05-31"));
    expect(boundAt.transferDay).toMatchObject(notCovered("VOIDED_BY_TRANSFER", "2025-06-01"));
    expect(boundAt.transferDay.explanation).toContain("2025-06-01");
    expect(await warrantyOf(freeUnit.id)).toMatchObject({ voidedFrom: null, endsOn: "2027-01-14" });
    expect(freeAt.transferDay).toMatchObject(covered("2025-06-01"));
  });

  it("does not cover a failure the policy excludes, and covers another failure of the same unit", async () => {
    // given a policy excluding E99-MISUSE, and a unit sold on 2025-03-01
    const { product } = await machine({ exclusions: [{ failureCode: "E99-MISUSE", description: "Damage from misuse." }] });
    const dealer = await shop();
    const unit = await sell(product, dealer, "2025-03-01");
    await graph.settle();
    // when
    const QUOTE =
      graphql(`query WarrantyCoverageQuote($serial: String!, $code: String) { coverageQuote(serialNumber: $serial, at: "2025-06-01T10:00:00Z", failureCode: $code, laborHours: 1) {
      coverage { kind reason explanation } total { amount } covered { amount } customerPays { amount } } }`);
    const excluded = await dealer.as.query(QUOTE, { serial: unit.serialNumber, code: "E99-MISUSE" });
    const other = await dealer.as.query(QUOTE, { serial: unit.serialNumber, code: "E04-PUMP" });
    // then
    expect(excluded.coverageQuote).toEqual({
      coverage: { kind: "NONE", reason: "EXCLUDED", explanation: expect.stringContaining("E99-MISUSE") },
      total: { amount: "85.00" },
      covered: { amount: "0.00" },
      customerPays: { amount: "85.00" },
    });
    expect(other.coverageQuote).toMatchObject({ coverage: { kind: "WARRANTY", reason: null }, covered: { amount: "85.00" } });
  });

  it("gives the same answer about a past instant after a later policy version was added", async () => {
    // given a unit sold on 2025-03-01 under a 24-month policy, and its coverage on 2025-09-01
    const { product } = await machine({ months: 24, partsShare: 100, laborShare: 100 });
    const dealer = await shop();
    const unit = await sell(product, dealer, "2025-03-01");
    const at = { past: "2025-09-01T10:00:00Z" };
    const before = await coverageAt(unit.id, at);
    const warrantyBefore = await warrantyOf(unit.id);
    // when a new version with shorter, smaller, non-transferable terms takes effect today
    await setWarrantyPolicy(graph, product, { effectiveFrom: today(), months: 6, partsShare: 50, laborShare: 50, transferable: false });
    // then the same question gets the same answer
    expect(before.past).toMatchObject(covered("2025-09-01", { partsShare: 100, laborShare: 100, policy: { version: 1 } }));
    expect(await coverageAt(unit.id, at)).toEqual(before);
    expect(await warrantyOf(unit.id)).toEqual(warrantyBefore);
  });

  it("covers nothing of a unit in stock, of a product without a policy, or of a retired unit from its retirement", async () => {
    // given
    const withPolicy = await machine({ months: 24 });
    const withoutPolicy = await machine(null);
    const dealer = await shop();
    const inStock = await registerUnit(graph, withPolicy.product, dealer.dealer);
    const noPolicy = await sell(withoutPolicy.product, dealer, "2025-02-01");
    const retired = await sell(withPolicy.product, dealer, "2025-02-01");
    await recordUnitEvent(graph, retired.id, "RETIRED", "2025-08-01");
    // when
    const stock = await coverageAt(inStock.id, { at: "2025-09-01T10:00:00Z" });
    const none = await coverageAt(noPolicy.id, { at: "2025-09-01T10:00:00Z" });
    const scrapped = await coverageAt(retired.id, {
      before: localInstant("2025-07-31", "12:00", "Europe/Berlin"),
      after: localInstant("2025-08-01", "12:00", "Europe/Berlin"),
    });
    // then
    expect(stock.at).toMatchObject({ kind: "NONE", reason: "NOT_REGISTERED", partsShare: 0, laborShare: 0, startsOn: null, endsOn: null });
    expect(await warrantyOf(inStock.id)).toBeNull();
    expect(none.at).toMatchObject(notCovered("NO_POLICY", "2025-09-01", { startsOn: null, endsOn: null }));
    expect(await warrantyOf(noPolicy.id)).toBeNull();
    expect(scrapped.before).toMatchObject(covered("2025-07-31"));
    expect(scrapped.after).toMatchObject(notCovered("RETIRED", "2025-08-01"));
  });
});

describe("coverageQuote", () => {
  const QUOTE =
    graphql(`query WarrantyCoverageQuoteSerialNumberCoverage($serial: String!, $at: DateTime, $code: String, $parts: [QuotePartInput!], $hours: Float) {
    coverageQuote(serialNumber: $serial, at: $at, failureCode: $code, parts: $parts, laborHours: $hours) {
      serialNumber coverage { kind reason partsShare laborShare }
      lines { kind part { id } quantity hours price { amount currency } covered { amount currency } customerPays { amount currency } note }
      total { amount currency } covered { amount currency } customerPays { amount currency } } }`);

  it("covers parts of the bill of materials at the parts share and labor up to the standard hours; the customer pays the rest", async () => {
    // given a warranty paying 80 % of parts and 50 % of labor, 1.5 standard hours for E04-PUMP, a dealer charging 85.00 an hour
    const { product, pump, valve } = await machine({ partsShare: 80, laborShare: 50 });
    const dealer = await shop({ laborRate: eur("85.00") });
    const unit = await sell(product, dealer, "2025-03-01");
    await graph.settle();
    // when the dealer asks what two pumps (in the BOM), a valve (not in it) and 2.5 hours would cost
    const { coverageQuote } = await dealer.as.query(QUOTE, {
      serial: unit.serialNumber,
      at: "2025-06-01T10:00:00Z",
      code: "E04-PUMP",
      parts: [
        { partId: pump, quantity: 2 },
        { partId: valve, quantity: 1 },
      ],
      hours: 2.5,
    });
    // then: pumps 2 × 120.00 × 80 % = 192.00 of 240.00; the valve not at all; 1.5 of 2.5 hours at 85.00 × 50 % = 63.75 of 212.50
    expect(coverageQuote).toEqual({
      serialNumber: unit.serialNumber,
      coverage: { kind: "WARRANTY", reason: null, partsShare: 80, laborShare: 50 },
      lines: [
        {
          kind: "PART",
          part: { id: pump },
          quantity: 2,
          hours: null,
          price: eur("240.00"),
          covered: eur("192.00"),
          customerPays: eur("48.00"),
          note: expect.any(String),
        },
        {
          kind: "PART",
          part: { id: valve },
          quantity: 1,
          hours: null,
          price: eur("40.00"),
          covered: eur("0.00"),
          customerPays: eur("40.00"),
          note: expect.stringMatching(/bill of materials/),
        },
        {
          kind: "LABOR",
          part: null,
          quantity: null,
          hours: 2.5,
          price: eur("212.50"),
          covered: eur("63.75"),
          customerPays: eur("148.75"),
          note: expect.any(String),
        },
      ],
      total: eur("492.50"),
      covered: eur("255.75"),
      customerPays: eur("236.75"),
    });
  });

  it("covers nothing of a repair after the warranty expired", async () => {
    // given a 12-month warranty from 2024-03-01
    const { product, pump } = await machine({ months: 12 });
    const dealer = await shop();
    const unit = await sell(product, dealer, "2024-03-01");
    await graph.settle();
    // when
    const { coverageQuote } = await dealer.as.query(QUOTE, {
      serial: unit.serialNumber,
      at: "2025-06-01T10:00:00Z",
      code: "E04-PUMP",
      parts: [{ partId: pump, quantity: 1 }],
      hours: 1,
    });
    // then
    expect(coverageQuote).toMatchObject({
      coverage: { kind: "NONE", reason: "EXPIRED", partsShare: 0, laborShare: 0 },
      total: eur("205.00"),
      covered: eur("0.00"),
      customerPays: eur("205.00"),
    });
  });

  it("answers null for a serial number no unit has", async () => {
    const dealer = await shop();
    expect(await dealer.as.query(QUOTE, { serial: `NO-SUCH-${tag()}` })).toEqual({ coverageQuote: null });
    expect(await graph.query(QUOTE, { serial: `NO-SUCH-${tag()}` })).toEqual({ coverageQuote: null });
  });
});

// --- contracts -------------------------------------------------------------------

graphql(`fragment WarrantyPlanFields on ContractPlan { id name description priceSharePercent termMonths responseHours resolutionHours
  visitsPerYear floatingVisits partsCovered laborCovered loanerIncluded maxCases maxLaborHours offered version }`);
const CREATE_PLAN = graphql(`mutation WarrantyCreatePlan($input: CreateContractPlanInput!) {
  createContractPlan(input: $input) { plan { ...WarrantyPlanFields } errors { code field message } } }`);
const UPDATE_PLAN = graphql(`mutation WarrantyUpdatePlan($input: UpdateContractPlanInput!) {
  updateContractPlan(input: $input) { plan { ...WarrantyPlanFields } errors { code field message } } }`);

graphql(`fragment WarrantyVisitFields on MaintenanceVisit {
  id sequence dueOn status version completedOn scheduledFor note unit { id } dealer { id } contract { id } }`);
graphql(`fragment WarrantyContractFields on ServiceContract {
  id number status version startsOn endsOn price { amount currency } cancelledFrom cancellationReason refund { amount currency }
  plan { id } dealer { id } customer { id }
  units { unit { id } price { amount currency } casesUsed casesLeft laborHoursUsed laborHoursLeft }
  maintenanceVisits { ...WarrantyVisitFields } }`);
type Contract = WarrantyContractFieldsFragment;
type Visit = WarrantyVisitFieldsFragment;

const CREATE_CONTRACT = graphql(`mutation WarrantyCreateContract($input: CreateServiceContractInput!) {
  createServiceContract(input: $input) { contract { ...WarrantyContractFields } errors { code field message } } }`);
const ACTIVATE_CONTRACT = graphql(`mutation WarrantyActivateContract($input: ActivateServiceContractInput!) {
  activateServiceContract(input: $input) { contract { ...WarrantyContractFields } errors { code field message } } }`);
const CANCEL_CONTRACT = graphql(`mutation WarrantyCancelContract($input: CancelServiceContractInput!) {
  cancelServiceContract(input: $input) { contract { ...WarrantyContractFields } errors { code field message } } }`);
const CONTRACT_BY_ID = graphql(`query WarrantyContractById($id: ID!) { serviceContract(id: $id) { ...WarrantyContractFields } }`);
const VISITS_OF_UNIT = graphql(`query WarrantyUnitVisits($id: ID!) { unit(id: $id) { maintenanceVisits { ...WarrantyVisitFields } } }`);

/** Drafts a contract as `client` and returns it. */
const draftContract = (client: Client, input: CreateServiceContractInput) => succeed(client, CREATE_CONTRACT, "contract", input);

const activate = (client: Client, contract: { id: string; version: number }) =>
  succeed(client, ACTIVATE_CONTRACT, "contract", { id: contract.id, version: contract.version });

async function readContract(id: string): Promise<Contract> {
  const { serviceContract } = await graph.query(CONTRACT_BY_ID, { id });
  return serviceContract!;
}

async function visitsOfUnit(unitId: string): Promise<Visit[]> {
  const { unit } = await graph.query(VISITS_OF_UNIT, { id: unitId });
  return unit!.maintenanceVisits;
}

/** An amount of cents as the API writes money. */
const amountOf = (cents: number) => (cents / 100).toFixed(2);

describe("contract plans", () => {
  it("creates a plan with the defaults the API documents, and lists it", async () => {
    // given
    const name = `Care ${tag()}`;
    // when
    const created = await run(graph, CREATE_PLAN, {
      name,
      description: "Parts and labor after the warranty",
      priceSharePercent: 5.5,
      responseHours: 8,
      resolutionHours: 48,
      partsCovered: true,
      laborCovered: true,
      maxCases: 3,
    });
    // then
    expect(created).toEqual({
      plan: {
        id: expect.any(String),
        name,
        description: "Parts and labor after the warranty",
        priceSharePercent: 5.5,
        termMonths: 12,
        responseHours: 8,
        resolutionHours: 48,
        visitsPerYear: 0,
        floatingVisits: false,
        partsCovered: true,
        laborCovered: true,
        loanerIncluded: false,
        maxCases: 3,
        maxLaborHours: null,
        offered: true,
        version: 1,
      },
      errors: [],
    });
    const { contractPlans } = await graph.as({ role: "ANALYST" }).query(graphql(`query WarrantyContractPlans { contractPlans { name } }`));
    expect(contractPlans.map((p) => p.name)).toContain(name);
  });

  it.each<{ problem: string; change: Record<string, unknown>; field: string[]; code?: string }>([
    { problem: "a price share below 0.5 %", change: { priceSharePercent: 0.4 }, field: ["priceSharePercent"] },
    { problem: "a price share above 30 %", change: { priceSharePercent: 30.5 }, field: ["priceSharePercent"] },
    { problem: "a price share with three decimals", change: { priceSharePercent: 5.555 }, field: ["priceSharePercent"] },
    { problem: "a term of 0 months", change: { termMonths: 0 }, field: ["termMonths"] },
    { problem: "a term of 121 months", change: { termMonths: 121 }, field: ["termMonths"] },
    { problem: "a response time of 0 hours", change: { responseHours: 0 }, field: ["responseHours"] },
    { problem: "a resolution time below the response time", change: { responseHours: 24, resolutionHours: 8 }, field: ["resolutionHours"] },
    { problem: "5 visits a year", change: { visitsPerYear: 5 }, field: ["visitsPerYear"] },
    { problem: "a blank name", change: { name: "  " }, field: ["name"], code: "REQUIRED" },
  ])("refuses a plan with $problem and saves nothing", async ({ change, field, code }) => {
    // given
    const input = contractPlanInput(change);
    // when
    const refused = await run(graph, CREATE_PLAN, input);
    // then
    expect(refused).toEqual({ plan: null, errors: [expect.objectContaining({ code: code ?? "OUT_OF_RANGE", field })] });
    const { contractPlans } = await graph.query(graphql(`query WarrantyContractPlansName { contractPlans(includeRetired: true) { name } }`));
    expect(contractPlans.map((p) => p.name)).not.toContain(input.name);
  });

  it("retires a plan: listed only with the retired ones, and no new contract on it", async () => {
    // given a plan, and a unit a contract could be made for
    const plan = await createContractPlan(graph);
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(10));
    await graph.settle();
    // when it is retired, and then changed on the version read before
    const retired = await run(graph, UPDATE_PLAN, {
      id: plan.id,
      version: 1,
      offered: false,
    });
    const stale = await run(graph, UPDATE_PLAN, { id: plan.id, version: 1, name: "Too late" });
    const onRetired = await run(dealer.as, CREATE_CONTRACT, {
      planId: plan.id,
      customerId: dealer.customer,
      unitIds: [unit.id],
      startsOn: today(),
    });
    // then
    expect(retired.errors).toEqual([]);
    expect(retired.plan).toMatchObject({ id: plan.id, offered: false, version: 2 });
    expect(stale).toEqual({ plan: null, errors: [expect.objectContaining({ code: "STALE_VERSION", field: ["version"] })] });
    expect(onRetired).toEqual({ contract: null, errors: [expect.objectContaining({ code: "PLAN_NOT_OFFERED", field: ["planId"] })] });
    const { offered, all } = await graph.query(
      graphql(`query WarrantyContractPlansId { offered: contractPlans { id } all: contractPlans(includeRetired: true) { id } }`),
    );
    expect(offered.map((p) => p.id)).not.toContain(plan.id);
    expect(all.map((p) => p.id)).toContain(plan.id);
  });
});

describe("service contracts", () => {
  it("prices a contract per unit at the plan's share of the purchase price for the term, each unit rounded half-up to the cent", async () => {
    // given an 18-month plan at 5.5 % a year, and two units sold to one customer for 1299.00 and 849.90
    const plan = await createContractPlan(graph, { priceSharePercent: 5.5, termMonths: 18, maxCases: 4 });
    const { product } = await machine();
    const dealer = await shop();
    const big = await sell(product, dealer, daysAgo(60), { price: eur("1299.00") });
    const small = await sell(product, dealer, daysAgo(60), { price: eur("849.90") });
    await graph.settle();
    // when the dealer drafts a contract for both, starting today
    const contract = await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [big.id, small.id], startsOn: today() });
    // then 1299.00 × 5.5 % × 18/12 = 107.1675 → 107.17 and 849.90 × 5.5 % × 18/12 = 70.11675 → 70.12, together 177.29
    expect(contract).toMatchObject({
      number: expect.stringMatching(/^SC-\d{4}-\d{6}$/),
      status: "DRAFT",
      version: 1,
      startsOn: today(),
      endsOn: lastDayOfTerm(today(), 18),
      price: eur("177.29"),
      cancelledFrom: null,
      refund: null,
      plan: { id: plan.id },
      dealer: { id: dealer.dealer },
      customer: { id: dealer.customer },
      maintenanceVisits: [],
    });
    const byUnit = Object.fromEntries(contract.units.map((u) => [u.unit.id, u]));
    expect(byUnit).toEqual({
      [big.id]: { unit: { id: big.id }, price: eur("107.17"), casesUsed: 0, casesLeft: 4, laborHoursUsed: 0, laborHoursLeft: null },
      [small.id]: { unit: { id: small.id }, price: eur("70.12"), casesUsed: 0, casesLeft: 4, laborHoursUsed: 0, laborHoursLeft: null },
    });
    // and it is found by its number
    const { serviceContract } = await dealer.as.query(graphql(`query WarrantyServiceContract($n: String!) { serviceContract(number: $n) { id } }`), {
      n: contract.number,
    });
    expect(serviceContract).toEqual({ id: contract.id });
  });

  it("prices contracts on units sold in yen to the yen, and in dinars to the fils, and shows each with its currency's decimals", async () => {
    // given an 18-month plan at 5.5 % a year, units sold in Tokyo for 129,800 and 99,990 yen, and one in Kuwait for 1,234.567 dinars
    const plan = await createContractPlan(graph, { priceSharePercent: 5.5, termMonths: 18 });
    const { product } = await machine();
    const [tokyo, kuwait] = [await shop({ timeZone: "Asia/Tokyo" }), await shop({ timeZone: "Asia/Kuwait" })];
    const big = await sell(product, tokyo, daysAgo(60), { price: { amount: "129800", currency: "JPY" } });
    const small = await sell(product, tokyo, daysAgo(60), { price: { amount: "99990", currency: "JPY" } });
    const dinars = await sell(product, kuwait, daysAgo(60), { price: { amount: "1234.567", currency: "KWD" } });
    await graph.settle();
    // when each dealer drafts a contract
    const yen = await draftContract(tokyo.as, { planId: plan.id, customerId: tokyo.customer, unitIds: [big.id, small.id], startsOn: today() });
    const kwd = await draftContract(kuwait.as, { planId: plan.id, customerId: kuwait.customer, unitIds: [dinars.id], startsOn: today() });
    // then 129,800 × 8.25 % = 10,708.5 → 10,709 and 99,990 × 8.25 % = 8,249.175 → 8,249 yen: no fractions of a yen
    const priceOf = (contract: Contract, unitId: string) => contract.units.find((u) => u.unit.id === unitId)?.price;
    expect(priceOf(yen, big.id)).toEqual({ amount: "10709", currency: "JPY" });
    expect(priceOf(yen, small.id)).toEqual({ amount: "8249", currency: "JPY" });
    expect(yen.price).toEqual({ amount: "18958", currency: "JPY" });
    // and 1,234.567 × 8.25 % = 101.851777… → 101.852 dinars
    expect(kwd.price).toEqual({ amount: "101.852", currency: "KWD" });
    // and the price paid reads as it was given, in whole yen
    const { unit } = await tokyo.as.query(graphql(`query WarrantyUnit($id: ID!) { unit(id: $id) { purchasePrice { amount currency } } }`), {
      id: big.id,
    });
    expect(unit?.purchasePrice).toEqual({ amount: "129800", currency: "JPY" });
  });

  it("refuses a contract for a unit that is not the customer's, or starting more than a year back", async () => {
    // given
    const plan = await createContractPlan(graph);
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(30));
    await graph.settle();
    // when
    const notHers = await run(dealer.as, CREATE_CONTRACT, {
      planId: plan.id,
      customerId: dealer.otherCustomer,
      unitIds: [unit.id],
      startsOn: today(),
    });
    const tooEarly = await run(dealer.as, CREATE_CONTRACT, {
      planId: plan.id,
      customerId: dealer.customer,
      unitIds: [unit.id],
      startsOn: daysAgo(400),
    });
    const noPlan = await run(dealer.as, CREATE_CONTRACT, {
      planId: "pln_unknown",
      customerId: dealer.customer,
      unitIds: [unit.id],
      startsOn: today(),
    });
    // then
    expect(notHers).toEqual({ contract: null, errors: [expect.objectContaining({ code: "UNIT_NOT_CUSTOMERS" })] });
    expect(tooEarly).toEqual({ contract: null, errors: [expect.objectContaining({ code: "DATE_IN_PAST", field: ["startsOn"] })] });
    expect(noPlan).toEqual({ contract: null, errors: [expect.objectContaining({ code: "PLAN_NOT_FOUND", field: ["planId"] })] });
    const { serviceContracts } = await graph.query(
      graphql(`query WarrantyServiceContracts($unit: ID!) { serviceContracts(filter: { unitId: $unit }) { edges { node { id } } } }`),
      { unit: unit.id },
    );
    expect(serviceContracts.edges).toEqual([]);
  });

  it("returns the first contract for a repeated idempotency key with the same input, and refuses the key with another input", async () => {
    // given
    const plan = await createContractPlan(graph);
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(30));
    await graph.settle();
    const input = { idempotencyKey: `contract-${tag()}`, planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn: today() };
    // when the same request is sent twice, then once more with another start
    const first = await draftContract(dealer.as, input);
    const again = await draftContract(dealer.as, input);
    const changed = await run(dealer.as, CREATE_CONTRACT, { ...input, startsOn: addDays(today(), 1) });
    // then
    expect(again).toEqual(first);
    expect(changed).toEqual({ contract: null, errors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: ["idempotencyKey"] })] });
    const { serviceContracts } = await graph.query(
      graphql(`query WarrantyServiceContractsEdges($customer: ID!) { serviceContracts(filter: { customerId: $customer }) { edges { node { id } } } }`),
      { customer: dealer.customer },
    );
    expect(serviceContracts.edges).toEqual([{ node: { id: first.id } }]);
  });

  it("covers a unit under an active contract once the warranty has ended, and not under a draft", async () => {
    // given a 6-month warranty that ended about two months ago, and a plan covering parts but not labor
    const { product } = await machine({ months: 6 });
    const plan = await createContractPlan(graph, { partsCovered: true, laborCovered: false, priceSharePercent: 4 });
    const dealer = await shop();
    const soldOn = daysAgo(250);
    const unit = await sell(product, dealer, soldOn);
    await graph.settle();
    const warrantyEnd = lastDayOfTerm(soldOn, 6);
    const startsOn = addDays(warrantyEnd, 1);
    const draft = await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn });
    const whileDraft = await coverageAt(unit.id, { now: null });
    // when the contract is put in force
    const active = await activate(dealer.as, draft);
    // then
    expect(whileDraft.now).toMatchObject({ kind: "NONE", reason: "EXPIRED", endsOn: warrantyEnd, contract: null });
    expect(active).toMatchObject({ id: draft.id, status: "ACTIVE", version: 2, startsOn, endsOn: lastDayOfTerm(startsOn, 12) });
    // "now" is a date in the dealer's time zone, which may be a day ahead of UTC's
    const askedOn = localDate(new Date(), "Europe/Berlin");
    const at = await coverageAt(unit.id, {
      now: null,
      lastWarrantyDay: localInstant(warrantyEnd, "12:00", "Europe/Berlin"),
      afterContract: localInstant(addDays(active.endsOn, 1), "12:00", "Europe/Berlin"),
    });
    const answeredOn = localDate(new Date(), "Europe/Berlin");
    expect(at.now).toMatchObject({
      kind: "CONTRACT",
      reason: null,
      partsShare: 100,
      laborShare: 0,
      startsOn,
      endsOn: active.endsOn,
      contract: { id: draft.id },
    });
    expect([askedOn, answeredOn]).toContain(at.now.onDate);
    expect(at.now.explanation).toContain(`Service contract ${draft.number} covers 100 % of parts and 0 % of labor from ${startsOn}`);
    expect(at.lastWarrantyDay).toMatchObject(covered(warrantyEnd, { endsOn: warrantyEnd }));
    expect(at.afterContract).toMatchObject({ kind: "NONE", reason: "EXPIRED", contract: null });
    // and the contract is under its unit and its customer
    const { unit: read } = await graph.query(
      graphql(`query WarrantyUnitServiceContractsCustomer($id: ID!) { unit(id: $id) { serviceContracts { id } customer { serviceContracts { id } } } }`),
      { id: unit.id },
    );
    expect(read).toEqual({ serviceContracts: [{ id: draft.id }], customer: { serviceContracts: [{ id: draft.id }] } });
  });

  it("refuses to activate a contract whose term overlaps an active contract on the same unit, and activates one that follows it", async () => {
    // given a unit under an active contract from today
    const plan = await createContractPlan(graph);
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(30));
    await graph.settle();
    const first = await activate(
      dealer.as,
      await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn: today() }),
    );
    const overlapping = await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn: first.endsOn });
    const following = await draftContract(dealer.as, {
      planId: plan.id,
      customerId: dealer.customer,
      unitIds: [unit.id],
      startsOn: addDays(first.endsOn, 1),
    });
    // when
    const refused = await run(dealer.as, ACTIVATE_CONTRACT, { id: overlapping.id, version: overlapping.version });
    const renewal = await run(
      dealer.as,
      graphql(`mutation WarrantyActivateContractStatus($input: ActivateServiceContractInput!) {
        activateServiceContract(input: $input) { contract { id status } errors { code field message } } }`),
      { id: following.id, version: following.version },
    );
    // then
    expect(refused).toEqual({ contract: null, errors: [expect.objectContaining({ code: "OVERLAPPING_CONTRACT" })] });
    expect((await readContract(overlapping.id)).status).toBe("DRAFT");
    expect(renewal).toEqual({ contract: { id: following.id, status: "ACTIVE" }, errors: [] });
    // and an active contract cannot be activated again
    const twice = await run(dealer.as, ACTIVATE_CONTRACT, { id: first.id, version: first.version });
    expect(twice).toEqual({ contract: null, errors: [expect.objectContaining({ code: "INVALID_CONTRACT_STATUS" })] });
  });

  it("cancels mid-term with a pro-rata refund of the days left, and cancels the visits due from then on", async () => {
    // given a 12-month contract at 6 % with monthly visits, on a unit bought for 1000.00, started 100 days ago
    const plan = await createContractPlan(graph, { priceSharePercent: 6, termMonths: 12, visitsPerYear: 12 });
    const { product } = await machine({ months: 1 });
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(130), { price: eur("1000.00") });
    await graph.settle();
    const startsOn = daysAgo(100);
    const contract = await activate(dealer.as, await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn }));
    expect(contract.price).toEqual(eur("60.00"));
    expect(contract.maintenanceVisits.length).toBeGreaterThan(0);
    // when it is cancelled from 20 days ago
    const cancelledFrom = daysAgo(20);
    const cancelled = await succeed(dealer.as, CANCEL_CONTRACT, "contract", {
      id: contract.id,
      version: contract.version,
      cancelledFrom,
      reason: "The café closed.",
    });
    // then the refund is 60.00 × the days from the cancellation to the term's end / the term's days, rounded down to the cent
    const endsOn = lastDayOfTerm(startsOn, 12);
    const termDays = daysBetween(startsOn, endsOn) + 1;
    const daysLeft = daysBetween(cancelledFrom, endsOn) + 1;
    const refund = amountOf(Math.floor((6000 * daysLeft) / termDays));
    expect(cancelled).toMatchObject({
      status: "CANCELLED",
      version: contract.version + 1,
      cancelledFrom,
      cancellationReason: "The café closed.",
      refund: eur(refund),
      price: eur("60.00"),
    });
    // and the visits due from the cancellation on are cancelled, the earlier ones not
    const visits = (await readContract(contract.id)).maintenanceVisits;
    const later = visits.filter((v) => v.dueOn >= cancelledFrom);
    const earlier = visits.filter((v) => v.dueOn < cancelledFrom);
    expect(later.length).toBeGreaterThan(0);
    expect(earlier.length).toBeGreaterThan(0);
    for (const visit of later) expect(visit, visit.dueOn).toMatchObject({ status: "CANCELLED" });
    for (const visit of earlier) expect(visit.status, visit.dueOn).not.toBe("CANCELLED");
    // and the unit is covered up to the day before the cancellation only
    const at = await coverageAt(unit.id, {
      dayBefore: localInstant(addDays(cancelledFrom, -1), "12:00", "Europe/Berlin"),
      cancellationDay: localInstant(cancelledFrom, "12:00", "Europe/Berlin"),
    });
    expect(at.dayBefore).toMatchObject({ kind: "CONTRACT", contract: { id: contract.id }, endsOn: addDays(cancelledFrom, -1) });
    expect(at.cancellationDay).toMatchObject({ kind: "NONE", reason: "EXPIRED" });
    // and a cancelled contract cannot be cancelled again
    const again = await run(dealer.as, CANCEL_CONTRACT, { id: contract.id, version: cancelled.version, reason: "Twice" });
    expect(again).toEqual({ contract: null, errors: [expect.objectContaining({ code: "INVALID_CONTRACT_STATUS" })] });
  });

  it("lists a dealer's units whose warranty ends soon, soonest first, with each offered plan's price, until an active contract covers past the end", async () => {
    // given a plan at 4.25 % for 12 months, and three units under a 12-month warranty: ending in about 4 days, in about 1 day, and in 11 months
    const plan = await createContractPlan(graph, { priceSharePercent: 4.25, termMonths: 12 });
    const { product } = await machine({ months: 12 });
    const dealer = await shop();
    const soonSold = addMonthsClamped(addDays(today(), 5), -12);
    const soonerSold = addMonthsClamped(addDays(today(), 2), -12);
    const soon = await sell(product, dealer, soonSold);
    const sooner = await sell(product, dealer, soonerSold);
    await sell(product, dealer, daysAgo(30));
    await graph.settle();
    const EXPIRING = graphql(`query WarrantyExpiring($id: ID!, $within: Int!) { dealer(id: $id) { warrantyExpiring(within: $within) { edges { node {
      unit { id } customer { id } warrantyEndsOn daysLeft offers { plan { id } price { amount currency } } } } } } }`);
    const expiring = async (within: number) =>
      (await dealer.as.query(EXPIRING, { id: dealer.dealer, within })).dealer!.warrantyExpiring.edges.map((e) => e.node);
    // when
    const within30 = await expiring(30);
    const within2 = await expiring(2);
    // then: 1299.00 × 4.25 % = 55.2075 → 55.21 for this plan
    const soonEnd = lastDayOfTerm(soonSold, 12);
    const soonerEnd = lastDayOfTerm(soonerSold, 12);
    expect(within30.map((n) => n.unit.id)).toEqual([sooner.id, soon.id]);
    expect(within30[0]).toMatchObject({ customer: { id: dealer.customer }, warrantyEndsOn: soonerEnd, daysLeft: daysBetween(today(), soonerEnd) });
    expect(within30[1]).toMatchObject({ warrantyEndsOn: soonEnd, daysLeft: daysBetween(today(), soonEnd) });
    for (const node of within30) expect(node.offers).toContainEqual({ plan: { id: plan.id }, price: eur("55.21") });
    expect(within2.map((n) => n.unit.id)).toEqual([sooner.id]);
    // when a contract is drafted for the first unit, it is still listed; once active, it is not
    const draft = await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [soon.id], startsOn: today() });
    expect((await expiring(30)).map((n) => n.unit.id)).toEqual([sooner.id, soon.id]);
    await activate(dealer.as, draft);
    expect((await expiring(30)).map((n) => n.unit.id)).toEqual([sooner.id]);
  });

  it("neither lists a retired unit among warranties ending soon nor sells a contract for it", async () => {
    // given a unit whose warranty would end in about 10 days, retired last week
    const plan = await createContractPlan(graph, { priceSharePercent: 4, termMonths: 12 });
    const { product } = await machine({ months: 12 });
    const dealer = await shop();
    const unit = await sell(product, dealer, addMonthsClamped(addDays(today(), 11), -12));
    await recordUnitEvent(graph, unit.id, "RETIRED", daysAgo(7));
    await graph.settle();
    // when
    const { dealer: listed } = await dealer.as.query(
      graphql(`query WarrantyDealerWarrantyExpiring($id: ID!) { dealer(id: $id) { warrantyExpiring(within: 60) { edges { node { unit { id } } } } } }`),
      { id: dealer.dealer },
    );
    const refused = await run(dealer.as, CREATE_CONTRACT, {
      planId: plan.id,
      customerId: dealer.customer,
      unitIds: [unit.id],
      startsOn: today(),
    });
    // then
    expect(listed?.warrantyExpiring.edges).toEqual([]);
    expect(refused.errors.map((e) => ({ code: e.code, field: e.field }))).toEqual([{ code: "UNIT_RETIRED", field: ["unitIds", "0"] }]);
  });
});

// --- maintenance -------------------------------------------------------------------

const COMPLETE_VISIT = graphql(`mutation WarrantyCompleteVisit($input: CompleteMaintenanceVisitInput!) {
  completeMaintenanceVisit(input: $input) { visit { ...WarrantyVisitFields } errors { code field message } } }`);
const SCHEDULE_VISIT = graphql(`mutation WarrantyScheduleVisit($input: ScheduleMaintenanceVisitInput!) {
  scheduleMaintenanceVisit(input: $input) { visit { ...WarrantyVisitFields } errors { code field message } } }`);
const CANCEL_VISIT = graphql(`mutation WarrantyCancelVisit($input: CancelMaintenanceVisitInput!) {
  cancelMaintenanceVisit(input: $input) { visit { ...WarrantyVisitFields } errors { code field message } } }`);

const PLAN_MAINTENANCE = graphql(`mutation WarrantyPlanMaintenance($input: PlanMaintenanceInput!) {
  planMaintenance(input: $input) { visitsCreated visitsMissed contractsExpired errors { code field message } } }`);

/** Runs maintenance planning as an AGENT (as the daily scheduler does); a refusal fails the test. */
async function planMaintenance(input: PlanMaintenanceInput) {
  const payload = await run(graph.as(AGENT), PLAN_MAINTENANCE, input);
  expect(payload.errors, `planMaintenance ${JSON.stringify(input)}`).toEqual([]);
  return payload;
}

/** The due date of visit `sequence` on a fixed schedule: the last day of the term's n-th interval. */
const fixedDue = (startsOn: string, intervalMonths: number, sequence: number) => addDays(addMonthsClamped(startsOn, sequence * intervalMonths), -1);

describe("maintenance", () => {
  /**
   * A unit under an active 12-month contract with quarterly visits on a fixed
   * schedule, started on the 1st of the month six months ago: visits 1 and 2
   * are past due, visit 3 falls due 59 to 92 days from today, visit 4 later.
   */
  async function quarterlyContract() {
    const plan = await createContractPlan(graph, { visitsPerYear: 4, floatingVisits: false });
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(250));
    await graph.settle();
    const startsOn = addMonthsClamped(`${today().slice(0, 7)}-01`, -6);
    const contract = await activate(dealer.as, await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn }));
    return { dealer, unit, contract, startsOn, due: (n: number) => fixedDue(startsOn, 3, n) };
  }

  it("creates the visits due on activation, and each visit due within the lead time exactly once however often planning runs", async () => {
    // given a contract whose first two visits are past due
    const { unit, contract, due } = await quarterlyContract();
    expect(contract.maintenanceVisits.map((v) => [v.sequence, v.dueOn, v.status])).toEqual([
      [1, due(1), "PLANNED"],
      [2, due(2), "PLANNED"],
    ]);
    // when planning runs with 100 days' lead, and then again
    const first = await planMaintenance({ leadDays: 100, graceDays: 14 });
    const afterFirst = await visitsOfUnit(unit.id);
    const second = await planMaintenance({ leadDays: 100, graceDays: 14 });
    // then the first run created the third visit, and marked the first missed
    expect(first.errors).toEqual([]);
    expect(first.visitsCreated).toBeGreaterThanOrEqual(1);
    expect(first.visitsMissed).toBeGreaterThanOrEqual(1);
    const secondMissed = addDays(due(2), 14) < today();
    expect(afterFirst.map((v) => [v.sequence, v.dueOn, v.status])).toEqual([
      [1, due(1), "MISSED"],
      [2, due(2), secondMissed ? "MISSED" : "PLANNED"],
      [3, due(3), "PLANNED"],
    ]);
    for (const visit of afterFirst) expect(visit).toMatchObject({ unit: { id: unit.id }, contract: { id: contract.id } });
    // and the second created and changed nothing
    expect(second).toEqual({ visitsCreated: 0, visitsMissed: 0, contractsExpired: 0, errors: [] });
    expect(await visitsOfUnit(unit.id)).toEqual(afterFirst);
  });

  it("lists a dealer's planned and scheduled visits due within the days asked, overdue ones included, soonest first", async () => {
    // given a contract's visits 1 to 3, none missed yet (a grace of 200 days)
    const { dealer, unit, due } = await quarterlyContract();
    await planMaintenance({ leadDays: 100, graceDays: 200 });
    const DUE = graphql(
      `query WarrantyDealerMaintenanceDue($id: ID!, $within: Int!) { dealer(id: $id) { maintenanceDue(within: $within) { edges { node { sequence dueOn status unit { id } } } } } }`,
    );
    const dueWithin = async (within: number) =>
      (await dealer.as.query(DUE, { id: dealer.dealer, within })).dealer!.maintenanceDue.edges.map((e) => [e.node.sequence, e.node.dueOn]);
    // when / then
    expect(await dueWithin(10)).toEqual([
      [1, due(1)],
      [2, due(2)],
    ]);
    expect(await dueWithin(100)).toEqual([
      [1, due(1)],
      [2, due(2)],
      [3, due(3)],
    ]);
    // and a visit marked missed is no longer due
    await planMaintenance({ leadDays: 100, graceDays: 14 });
    const missed = (await visitsOfUnit(unit.id)).filter((v) => v.status === "MISSED").map((v) => v.sequence);
    expect(missed).toContain(1);
    expect((await dueWithin(100)).map(([sequence]) => sequence)).toEqual([1, 2, 3].filter((n) => !missed.includes(n)));
  });

  it("counts the next visit of a floating plan from the day the last one was done", async () => {
    // given a monthly floating plan started 40 days ago: its first visit was due about 10 days ago
    const plan = await createContractPlan(graph, { visitsPerYear: 12, floatingVisits: true });
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(60));
    await graph.settle();
    const startsOn = daysAgo(40);
    await activate(dealer.as, await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn }));
    await planMaintenance({ leadDays: 30, graceDays: 30 });
    const [visit] = await visitsOfUnit(unit.id);
    expect(visit).toMatchObject({ sequence: 1, dueOn: fixedDue(startsOn, 1, 1), status: "PLANNED" });
    // when it is done two days ago, and planning runs
    const inFuture = await run(dealer.as, COMPLETE_VISIT, {
      id: visit!.id,
      version: visit!.version,
      completedOn: addDays(today(), 3),
    });
    const done = await succeed(dealer.as, COMPLETE_VISIT, "visit", {
      id: visit!.id,
      version: visit!.version,
      completedOn: daysAgo(2),
      note: "Descaled",
    });
    await planMaintenance({ leadDays: 40, graceDays: 30 });
    // then
    expect(inFuture).toEqual({ visit: null, errors: [expect.objectContaining({ code: "DATE_IN_FUTURE", field: ["completedOn"] })] });
    expect(done).toMatchObject({ status: "DONE", completedOn: daysAgo(2), note: "Descaled", version: visit!.version + 1 });
    expect((await visitsOfUnit(unit.id)).map((v) => [v.sequence, v.dueOn, v.status])).toEqual([
      [1, fixedDue(startsOn, 1, 1), "DONE"],
      [2, addMonthsClamped(daysAgo(2), 1), "PLANNED"],
    ]);
  });

  it("schedules and cancels a visit, refuses to complete a cancelled one, and keeps the next visit on its schedule", async () => {
    // given a monthly fixed plan started 20 days ago, its first visit due in about 10 days
    const plan = await createContractPlan(graph, { visitsPerYear: 12, floatingVisits: false });
    const { product } = await machine();
    const dealer = await shop();
    const unit = await sell(product, dealer, daysAgo(60));
    await graph.settle();
    const startsOn = daysAgo(20);
    await activate(dealer.as, await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [unit.id], startsOn }));
    await planMaintenance({ leadDays: 30 });
    const [visit] = await visitsOfUnit(unit.id);
    // when it is booked, booked again on the version read before, then cancelled
    const scheduledFor = localInstant(fixedDue(startsOn, 1, 1), "09:00", "Europe/Berlin");
    const scheduled = await succeed(dealer.as, SCHEDULE_VISIT, "visit", { id: visit!.id, version: visit!.version, scheduledFor });
    const stale = await run(dealer.as, SCHEDULE_VISIT, { id: visit!.id, version: visit!.version, scheduledFor });
    const cancelled = await succeed(dealer.as, CANCEL_VISIT, "visit", {
      id: visit!.id,
      version: scheduled.version,
      note: "Customer on holiday",
    });
    const complete = await run(dealer.as, COMPLETE_VISIT, { id: visit!.id, version: cancelled.version });
    await planMaintenance({ leadDays: 45 });
    // then
    expect(scheduled).toMatchObject({ status: "SCHEDULED", version: visit!.version + 1 });
    expect(new Date(scheduled.scheduledFor!).toISOString()).toBe(scheduledFor);
    expect(stale).toEqual({ visit: null, errors: [expect.objectContaining({ code: "STALE_VERSION", field: ["version"] })] });
    expect(cancelled).toMatchObject({ status: "CANCELLED", note: "Customer on holiday", version: scheduled.version + 1 });
    expect(complete).toEqual({ visit: null, errors: [expect.objectContaining({ code: "INVALID_VISIT_STATUS" })] });
    expect((await visitsOfUnit(unit.id)).map((v) => [v.sequence, v.dueOn, v.status])).toEqual([
      [1, fixedDue(startsOn, 1, 1), "CANCELLED"],
      [2, fixedDue(startsOn, 1, 2), "PLANNED"],
    ]);
  });
});

// --- claims ------------------------------------------------------------------------

graphql(`fragment WarrantyClaimFields on WarrantyClaim {
  id number status version coverageKind failureOn repairOn failureCode dealer { id } unit { id } product { id } contract { id }
  claimedTotal { amount currency } approvedTotal { amount currency } duplicateOf { id number }
  lines { lineNumber kind part { id } quantity hours km claimed { amount currency } status approved { amount currency } reason explanation decidedBy }
  history { action statusAfter comment actor } paidAt paymentReference }`);
const FILE_CLAIM = graphql(`mutation WarrantyFileClaim($input: FileWarrantyClaimInput!) {
  fileWarrantyClaim(input: $input) { claim { ...WarrantyClaimFields } errors { code field message } } }`);
const REVIEW_CLAIM = graphql(`mutation WarrantyReviewClaim($input: ReviewWarrantyClaimInput!) {
  reviewWarrantyClaim(input: $input) { claim { ...WarrantyClaimFields } errors { code field message } } }`);
const SEND_BACK_CLAIM = graphql(`mutation WarrantySendBackClaim($input: SendBackWarrantyClaimInput!) {
  sendBackWarrantyClaim(input: $input) { claim { ...WarrantyClaimFields } errors { code field message } } }`);
const ANSWER_CLAIM = graphql(`mutation WarrantyAnswerClaim($input: AnswerWarrantyClaimInput!) {
  answerWarrantyClaim(input: $input) { claim { ...WarrantyClaimFields } errors { code field message } } }`);
const MARK_CLAIM_PAID = graphql(`mutation WarrantyMarkClaimPaid($input: MarkWarrantyClaimPaidInput!) {
  markWarrantyClaimPaid(input: $input) { claim { ...WarrantyClaimFields } errors { code field message } } }`);
const CLAIM_BY_ID = graphql(`query WarrantyClaimById($id: ID!) { warrantyClaim(id: $id) { ...WarrantyClaimFields } }`);

const partLine = (partId: string, quantity: number, amount: string): ClaimLineInput => ({ kind: "PART", partId, quantity, claimed: eur(amount) });
const laborLine = (hours: number, amount: string): ClaimLineInput => ({ kind: "LABOR", hours, claimed: eur(amount) });
const travelLine = (km: number, amount: string): ClaimLineInput => ({ kind: "TRAVEL", km, claimed: eur(amount) });

describe("warranty claims", () => {
  /**
   * An authorized workshop charging 85.00 an hour; a machine under 24 months
   * of warranty paying 100 % of parts and 80 % of labor on site, its pump at
   * 120.00 in the bill of materials and 1.5 standard hours for E04-PUMP; and
   * the same machine with a 6-month warranty.
   */
  let world: { workshop: Shop; machine: Awaited<ReturnType<typeof machine>>; shortWarranty: Awaited<ReturnType<typeof machine>> };
  beforeAll(async () => {
    world = {
      workshop: await shop({ workshop: { authorizedFrom: "2024-01-01" }, laborRate: eur("85.00") }),
      machine: await machine({ months: 24, partsShare: 100, laborShare: 80, serviceMode: "ON_SITE" }),
      shortWarranty: await machine({ months: 6, partsShare: 100, laborShare: 80 }),
    };
  });

  /** A unit of the 24-month machine sold by the workshop on 2025-01-15, in the warranty subgraph's copy. */
  async function unitUnderWarranty(productId = world.machine.product, at: Shop = world.workshop): Promise<SoldUnit> {
    const unit = await sell(productId, at, "2025-01-15");
    await graph.settle();
    return unit;
  }

  /** Files a claim as `client` (the workshop unless said) for a pump failure on 2025-06-02, repaired the next day. */
  const file = (unit: SoldUnit, lines: ClaimLineInput[], extra: Partial<FileWarrantyClaimInput> = {}, client: Client = world.workshop.as) =>
    run(client, FILE_CLAIM, {
      unitId: unit.id,
      failureOn: "2025-06-02",
      repairOn: "2025-06-03",
      failureCode: "E04-PUMP",
      lines,
      ...extra,
    });

  const filed = async (...args: Parameters<typeof file>) => {
    const payload = await file(...args);
    expect(payload.errors).toEqual([]);
    return payload.claim!;
  };

  const agent = () => graph.as(AGENT);

  it("approves a claim whose every line is within the rules, as claimed", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when the pump is claimed at 110.00 (list 120.00) and 1.5 hours at 100.00 (allowed 1.5 × 85.00 × 80 % = 102.00)
    const claim = await filed(unit, [partLine(world.machine.pump, 1, "110.00"), laborLine(1.5, "100.00")]);
    // then
    expect(claim).toMatchObject({
      number: expect.stringMatching(/^WC-\d{4}-\d{6}$/),
      status: "APPROVED",
      version: 1,
      coverageKind: "WARRANTY",
      failureOn: "2025-06-02",
      repairOn: "2025-06-03",
      failureCode: "E04-PUMP",
      dealer: { id: world.workshop.dealer },
      unit: { id: unit.id },
      product: { id: world.machine.product },
      contract: null,
      duplicateOf: null,
      claimedTotal: eur("210.00"),
      approvedTotal: eur("210.00"),
      paidAt: null,
    });
    expect(claim.lines).toEqual([
      expect.objectContaining({
        lineNumber: 1,
        kind: "PART",
        part: { id: world.machine.pump },
        quantity: 1,
        status: "APPROVED",
        approved: eur("110.00"),
        reason: null,
        decidedBy: "rules",
      }),
      expect.objectContaining({ lineNumber: 2, kind: "LABOR", hours: 1.5, status: "APPROVED", approved: eur("100.00"), reason: null, decidedBy: "rules" }),
    ]);
    expect(claim.history).toEqual([expect.objectContaining({ action: "FILED", statusAfter: "APPROVED" })]);
    // and the claim is under its unit
    const { unit: read } = await graph.query(graphql(`query WarrantyUnitWarrantyClaims($id: ID!) { unit(id: $id) { warrantyClaims { id } } }`), {
      id: unit.id,
    });
    expect(read?.warrantyClaims).toEqual([{ id: claim.id }]);
  });

  it("rejects every line as NOT_COVERED when nothing covered the unit on the failure date", async () => {
    // given a unit whose 6-month warranty ended on 2025-07-14
    const unit = await unitUnderWarranty(world.shortWarranty.product);
    // when a failure on 2025-09-01 is claimed
    const claim = await filed(unit, [partLine(world.shortWarranty.pump, 1, "120.00"), laborLine(1, "68.00")], {
      failureOn: "2025-09-01",
      repairOn: "2025-09-02",
    });
    // then
    expect(claim).toMatchObject({ status: "REJECTED", coverageKind: "NONE", claimedTotal: eur("188.00"), approvedTotal: eur("0.00") });
    for (const line of claim.lines) {
      expect(line).toMatchObject({ status: "REJECTED", reason: "NOT_COVERED", approved: eur("0.00"), decidedBy: "rules" });
      expect(line.explanation).toContain("2025-09-01");
    }
  });

  it("rejects every line as WORKSHOP_NOT_AUTHORIZED when the workshop's authorization had ended on the repair date", async () => {
    // given a workshop authorized until 2025-05-31, and a unit it sold
    const lapsed = await shop({ workshop: { authorizedFrom: "2024-01-01", authorizedUntil: "2025-05-31" } });
    const unit = await unitUnderWarranty(world.machine.product, lapsed);
    // when it claims a repair on its last authorized day, and one on the day after
    const inTime = await filed(unit, [partLine(world.machine.pump, 1, "120.00")], { failureOn: "2025-05-30", repairOn: "2025-05-31" }, lapsed.as);
    const late = await filed(unit, [partLine(world.machine.pump, 1, "120.00"), laborLine(1, "68.00")], {}, lapsed.as);
    // then
    expect(inTime).toMatchObject({ status: "APPROVED", approvedTotal: eur("120.00") });
    expect(late).toMatchObject({ status: "REJECTED", coverageKind: "WARRANTY", approvedTotal: eur("0.00") });
    for (const line of late.lines) expect(line).toMatchObject({ status: "REJECTED", reason: "WORKSHOP_NOT_AUTHORIZED", approved: eur("0.00") });
  });

  it("rejects a second claim for the same unit and failure date as DUPLICATE, naming the first", async () => {
    // given a claim for the unit's failure on 2025-06-02
    const unit = await unitUnderWarranty();
    const first = await filed(unit, [partLine(world.machine.pump, 1, "120.00")]);
    // when the same failure is claimed again (another repair day), and another failure of the unit
    const second = await filed(unit, [laborLine(1, "68.00")], { repairOn: "2025-06-10" });
    const other = await filed(unit, [laborLine(1, "68.00")], { failureOn: "2025-06-20", repairOn: "2025-06-20" });
    // then
    expect(second).toMatchObject({ status: "REJECTED", duplicateOf: { id: first.id, number: first.number }, approvedTotal: eur("0.00") });
    expect(second.lines).toEqual([expect.objectContaining({ status: "REJECTED", reason: "DUPLICATE", approved: eur("0.00") })]);
    expect(second.lines[0]!.explanation).toContain(first.number);
    expect(other).toMatchObject({ status: "APPROVED", duplicateOf: null });
  });

  it("rejects a part that is not in the product's bill of materials, approving the rest", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when a valve (not in the BOM) and the pump are claimed
    const claim = await filed(unit, [partLine(world.machine.valve, 1, "40.00"), partLine(world.machine.pump, 1, "120.00")]);
    // then
    expect(claim).toMatchObject({ status: "PARTIALLY_APPROVED", claimedTotal: eur("160.00"), approvedTotal: eur("120.00") });
    expect(claim.lines).toEqual([
      expect.objectContaining({ lineNumber: 1, part: { id: world.machine.valve }, status: "REJECTED", reason: "PART_NOT_IN_BOM", approved: eur("0.00") }),
      expect.objectContaining({ lineNumber: 2, part: { id: world.machine.pump }, status: "APPROVED", reason: null, approved: eur("120.00") }),
    ]);
  });

  it("reduces labor beyond the standard hours to the standard hours × the dealer's labor rate × the labor share", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when 2.5 hours are claimed at 85.00 an hour
    const claim = await filed(unit, [laborLine(2.5, "212.50")]);
    // then 1.5 h × 85.00 × 80 % = 102.00
    expect(claim).toMatchObject({ status: "PARTIALLY_APPROVED", claimedTotal: eur("212.50"), approvedTotal: eur("102.00") });
    expect(claim.lines).toEqual([expect.objectContaining({ status: "REDUCED", reason: "LABOR_HOURS_CAPPED", approved: eur("102.00"), hours: 2.5 })]);
    expect(claim.lines[0]!.explanation).toContain("1.5 h");
  });

  it("reduces labor within the standard hours charged above the dealer's rate to the rate × the labor share", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when 1 hour is claimed at 100.00
    const claim = await filed(unit, [laborLine(1, "100.00")]);
    // then 1 h × 85.00 × 80 % = 68.00
    expect(claim).toMatchObject({ status: "PARTIALLY_APPROVED", approvedTotal: eur("68.00") });
    expect(claim.lines).toEqual([expect.objectContaining({ status: "REDUCED", reason: "LABOR_RATE", approved: eur("68.00") })]);
  });

  it("reduces a part claimed above its list price to the list price × the parts share", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when two pumps are claimed at 300.00 (list 2 × 120.00)
    const claim = await filed(unit, [partLine(world.machine.pump, 2, "300.00")]);
    // then
    expect(claim).toMatchObject({ status: "PARTIALLY_APPROVED", claimedTotal: eur("300.00"), approvedTotal: eur("240.00") });
    expect(claim.lines).toEqual([expect.objectContaining({ quantity: 2, status: "REDUCED", reason: "PRICED_AT_LIST", approved: eur("240.00") })]);
  });

  /** A claim with approved labor (60.00) and travel left to an agent (45.00). */
  async function claimInReview() {
    const unit = await unitUnderWarranty();
    return filed(unit, [laborLine(1, "60.00"), travelLine(30, "45.00")]);
  }

  it("leaves travel to an agent: the claim waits IN_REVIEW, the pending line counting as nothing approved yet", async () => {
    // when
    const claim = await claimInReview();
    // then
    expect(claim).toMatchObject({ status: "IN_REVIEW", claimedTotal: eur("105.00"), approvedTotal: eur("60.00") });
    expect(claim.lines).toEqual([
      expect.objectContaining({ lineNumber: 1, status: "APPROVED", approved: eur("60.00") }),
      expect.objectContaining({ lineNumber: 2, kind: "TRAVEL", km: 30, status: "PENDING", approved: null, reason: "TRAVEL_NEEDS_REVIEW", decidedBy: "rules" }),
    ]);
    expect(claim.history).toEqual([expect.objectContaining({ action: "FILED", statusAfter: "IN_REVIEW" })]);
  });

  it.each([
    { decision: "APPROVE" as const, review: {}, line: { status: "APPROVED", approved: eur("45.00") }, status: "APPROVED", approvedTotal: "105.00" },
    {
      decision: "REDUCE" as const,
      review: { approvedAmount: "30.00", comment: "A flat 1.00 a km." },
      line: { status: "REDUCED", approved: eur("30.00") },
      status: "PARTIALLY_APPROVED",
      approvedTotal: "90.00",
    },
    {
      decision: "REJECT" as const,
      review: { comment: "The customer brought the unit in." },
      line: { status: "REJECTED", approved: eur("0.00") },
      status: "PARTIALLY_APPROVED",
      approvedTotal: "60.00",
    },
  ])("decides a pending line as an AGENT ($decision): the claim's status and totals follow", async ({ decision, review, line, status, approvedTotal }) => {
    // given
    const claim = await claimInReview();
    // when
    const reviewed = await run(agent(), REVIEW_CLAIM, {
      id: claim.id,
      version: claim.version,
      lines: [{ lineNumber: 2, decision, ...review }],
      comment: "Reviewed",
    });
    // then
    expect(reviewed.errors).toEqual([]);
    expect(reviewed.claim).toMatchObject({ status, approvedTotal: eur(approvedTotal), claimedTotal: eur("105.00"), version: claim.version + 1 });
    expect(reviewed.claim!.lines[1]).toMatchObject({ ...line, reason: "AGENT_DECISION", decidedBy: AGENT.subject });
    expect(reviewed.claim!.lines[0]).toMatchObject({ status: "APPROVED", decidedBy: "rules" });
    expect(reviewed.claim!.history.map((h) => [h.action, h.statusAfter])).toEqual([
      ["FILED", "IN_REVIEW"],
      ["REVIEWED", status],
    ]);
    expect(reviewed.claim!.history[1]).toMatchObject({ actor: AGENT.subject });
  });

  it("refuses a review reducing without a reason, reducing to the amount claimed, or naming a line the claim does not have", async () => {
    // given
    const claim = await claimInReview();
    const review = (line: Partial<ClaimLineReviewInput> & Pick<ClaimLineReviewInput, "decision">) =>
      run(agent(), REVIEW_CLAIM, { id: claim.id, version: claim.version, lines: [{ lineNumber: 2, ...line }] });
    // when
    const noReason = await review({ decision: "REDUCE", approvedAmount: "30.00" });
    const notLess = await review({ decision: "REDUCE", approvedAmount: "45.00", comment: "Same" });
    const noLine = await review({ lineNumber: 9, decision: "APPROVE" });
    // then
    expect(noReason).toEqual({ claim: null, errors: [expect.objectContaining({ code: "REQUIRED", field: ["lines", "0", "comment"] })] });
    expect(notLess).toEqual({ claim: null, errors: [expect.objectContaining({ code: "OUT_OF_RANGE", field: ["lines", "0", "approvedAmount"] })] });
    expect(noLine).toEqual({ claim: null, errors: [expect.objectContaining({ code: "LINE_NOT_FOUND", field: ["lines", "0", "lineNumber"] })] });
  });

  it("sends a claim back to its dealer, whose answer returns it to review", async () => {
    // given
    const claim = await claimInReview();
    // when an agent asks, and the dealer answers
    const sentBack = await run(agent(), SEND_BACK_CLAIM, {
      id: claim.id,
      version: claim.version,
      comment: "How far was the customer?",
    });
    const answered = await run(world.workshop.as, ANSWER_CLAIM, {
      id: claim.id,
      version: sentBack.claim?.version ?? 0,
      comment: "30 km, see the route in the ticket.",
    });
    // then
    expect(sentBack.errors).toEqual([]);
    expect(sentBack.claim).toMatchObject({ status: "SENT_BACK", version: claim.version + 1 });
    expect(answered.errors).toEqual([]);
    expect(answered.claim).toMatchObject({ status: "IN_REVIEW", version: claim.version + 2 });
    expect(answered.claim!.history).toEqual([
      expect.objectContaining({ action: "FILED", statusAfter: "IN_REVIEW" }),
      expect.objectContaining({ action: "SENT_BACK", statusAfter: "SENT_BACK", comment: "How far was the customer?", actor: AGENT.subject }),
      expect.objectContaining({ action: "ANSWERED", statusAfter: "IN_REVIEW", comment: "30 km, see the route in the ticket." }),
    ]);
    // and a claim not sent back cannot be answered
    const unasked = await run(world.workshop.as, ANSWER_CLAIM, { id: claim.id, version: answered.claim!.version, comment: "Again" });
    expect(unasked).toEqual({ claim: null, errors: [expect.objectContaining({ code: "INVALID_CLAIM_STATUS" })] });
  });

  it("records payment of a decided claim, after which nothing about it changes", async () => {
    // given a decided claim, and one still in review
    const unit = await unitUnderWarranty();
    const decided = await filed(unit, [partLine(world.machine.pump, 1, "120.00")]);
    const pending = await claimInReview();
    // when
    const unpaidInReview = await run(agent(), MARK_CLAIM_PAID, { id: pending.id, version: pending.version, reference: "CN-0" });
    const paid = await run(agent(), MARK_CLAIM_PAID, {
      id: decided.id,
      version: decided.version,
      reference: "CN-2025-0042",
    });
    // then
    expect(unpaidInReview).toEqual({ claim: null, errors: [expect.objectContaining({ code: "INVALID_CLAIM_STATUS" })] });
    expect(paid.errors).toEqual([]);
    expect(paid.claim).toMatchObject({ status: "PAID", paymentReference: "CN-2025-0042", paidAt: expect.any(String), approvedTotal: eur("120.00") });
    expect(paid.claim!.history.at(-1)).toMatchObject({ action: "PAID", statusAfter: "PAID" });
    // and every change of the paid claim is refused
    const version = paid.claim!.version;
    const changes = {
      review: await run(agent(), REVIEW_CLAIM, {
        id: decided.id,
        version,
        lines: [{ lineNumber: 1, decision: "REJECT", comment: "Second thoughts" }],
      }),
      sendBack: await run(agent(), SEND_BACK_CLAIM, { id: decided.id, version, comment: "Why?" }),
      answer: await run(world.workshop.as, ANSWER_CLAIM, { id: decided.id, version, comment: "Because" }),
      payAgain: await run(agent(), MARK_CLAIM_PAID, { id: decided.id, version, reference: "CN-2" }),
    };
    for (const [change, payload] of Object.entries(changes)) {
      expect(payload, change).toEqual({ claim: null, errors: [expect.objectContaining({ code: "INVALID_CLAIM_STATUS" })] });
    }
    const { warrantyClaim } = await graph.query(CLAIM_BY_ID, { id: decided.id });
    expect(warrantyClaim).toEqual(paid.claim);
  });

  it("returns the first claim for a repeated idempotency key with the same input, and refuses the key with another input", async () => {
    // given
    const unit = await unitUnderWarranty();
    const idempotencyKey = `claim-${tag()}`;
    const lines = [partLine(world.machine.pump, 1, "120.00")];
    // when
    const first = await filed(unit, lines, { idempotencyKey });
    const again = await filed(unit, lines, { idempotencyKey });
    const changed = await file(unit, [partLine(world.machine.pump, 1, "119.00")], { idempotencyKey });
    // then
    expect(again).toEqual(first);
    expect(changed).toEqual({ claim: null, errors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: ["idempotencyKey"] })] });
    const { warrantyClaims } = await graph.query(
      graphql(`query WarrantyWarrantyClaims($unit: ID!) { warrantyClaims(filter: { unitId: $unit }) { edges { node { id } } } }`),
      { unit: unit.id },
    );
    expect(warrantyClaims.edges).toEqual([{ node: { id: first.id } }]);
  });

  it("files by serial number, and refuses repairs before the failure or in the future, and a line without what its kind needs", async () => {
    // given
    const unit = await unitUnderWarranty();
    // when
    const bySerial = await file({ id: "", serialNumber: unit.serialNumber }, [partLine(world.machine.pump, 1, "120.00")], {
      unitId: undefined,
      serialNumber: unit.serialNumber,
      failureOn: "2025-07-01",
      repairOn: "2025-07-01",
    });
    const backwards = await file(unit, [partLine(world.machine.pump, 1, "120.00")], { failureOn: "2025-06-05", repairOn: "2025-06-04" });
    const future = await file(unit, [partLine(world.machine.pump, 1, "120.00")], { failureOn: "2025-06-05", repairOn: addDays(today(), 3) });
    const laborWithPart = await file(unit, [{ kind: "LABOR", partId: world.machine.pump, hours: 1, claimed: eur("68.00") }], {
      failureOn: "2025-06-06",
      repairOn: "2025-06-06",
    });
    // then
    expect(bySerial.errors).toEqual([]);
    expect(bySerial.claim).toMatchObject({ unit: { id: unit.id }, status: "APPROVED" });
    expect(backwards).toEqual({ claim: null, errors: [expect.objectContaining({ code: "DATES_OUT_OF_ORDER" })] });
    expect(future).toEqual({ claim: null, errors: [expect.objectContaining({ code: "DATE_IN_FUTURE", field: ["repairOn"] })] });
    expect(laborWithPart).toEqual({ claim: null, errors: [expect.objectContaining({ code: "INVALID_LINE" })] });
  });

  it("counts claims per product and failure code for repairs in a period, rejected ones too and duplicates not, with the claim rate against units sold and the amounts approved", async () => {
    // given a product of its own with four units sold, and claims for repairs in June 2025 and one in August
    const product = await machine({ months: 24, partsShare: 100, laborShare: 80 });
    const units = [];
    for (let i = 0; i < 4; i++) units.push(await unitUnderWarranty(product.product));
    await filed(units[0]!, [partLine(product.pump, 1, "110.00")], { repairOn: "2025-06-03" });
    await filed(units[1]!, [laborLine(2.5, "212.50")], { failureOn: "2025-06-09", repairOn: "2025-06-10" });
    await filed(units[2]!, [partLine(product.pump, 1, "120.00")], { failureCode: "E10-HEATER", failureOn: "2025-06-11", repairOn: "2025-06-12" });
    await filed(units[3]!, [partLine(product.pump, 1, "120.00")], { failureOn: "2025-07-30", repairOn: "2025-08-01" });
    // and a claim rejected outright (a part not in the bill of materials), and a duplicate of the first claim
    await filed(units[3]!, [partLine(product.valve, 1, "40.00")], { failureCode: "E10-HEATER", failureOn: "2025-06-20", repairOn: "2025-06-21" });
    await filed(units[0]!, [partLine(product.pump, 1, "110.00")], { repairOn: "2025-06-04" });
    // when
    const { warrantyClaimStats } = await graph.query(
      graphql(`query WarrantyWarrantyClaimStats($product: ID!) { warrantyClaimStats(from: "2025-06-01", to: "2025-06-30", productId: $product) {
        product { id } failureCode claims rejected unitsSold claimRate claimed { amount currency } approved { amount currency } } }`),
      { product: product.product },
    );
    // then E04-PUMP: 2 claims of 4 units (the duplicate not counted), 110.00 + 212.50 claimed, 110.00 + 102.00 approved;
    // E10-HEATER: 2 claims, one of them rejected, 120.00 + 40.00 claimed, 120.00 approved
    expect(warrantyClaimStats).toEqual([
      {
        product: { id: product.product },
        failureCode: "E04-PUMP",
        claims: 2,
        rejected: 0,
        unitsSold: 4,
        claimRate: 0.5,
        claimed: eur("322.50"),
        approved: eur("212.00"),
      },
      {
        product: { id: product.product },
        failureCode: "E10-HEATER",
        claims: 2,
        rejected: 1,
        unitsSold: 4,
        claimRate: 0.5,
        claimed: eur("160.00"),
        approved: eur("120.00"),
      },
    ]);
  });
});

// --- no N+1 -------------------------------------------------------------------------

describe("no N+1", () => {
  const UNITS = 110;
  let product: string;

  /** Runs many mutations of one kind in one request (aliases), failing on any refusal: a document built here, so a string. */
  async function batch(mutation: string, inputType: string, inputs: Record<string, unknown>[]) {
    const variables = Object.fromEntries(inputs.map((input, i) => [`i${i}`, input]));
    const declarations = inputs.map((_, i) => `$i${i}: ${inputType}!`).join(", ");
    const fields = inputs.map((_, i) => `m${i}: ${mutation}(input: $i${i}) { errors { code field } }`).join("\n");
    const data = await graph.query<Record<string, { errors: unknown[] }>>(`mutation(${declarations}) { ${fields} }`, variables);
    for (const payload of Object.values(data)) expect(payload.errors).toEqual([]);
  }

  beforeAll(async () => {
    // given 110 units of one product under a warranty policy, sold by three dealers in three time zones
    ({ product } = await machine({ months: 24 }));
    const dealers = [await shop({ timeZone: "Europe/Berlin" }), await shop({ timeZone: "Pacific/Auckland" }), await shop({ timeZone: "America/Los_Angeles" })];
    const t = tag().toUpperCase();
    const serials = Array.from({ length: UNITS }, (_, i) => `NPO-${t}-${String(i).padStart(4, "0")}`);
    await batch(
      "registerUnit",
      "RegisterUnitInput",
      serials.map((serialNumber, i) => ({ serialNumber, productId: product, dealerId: dealers[i % 3]!.dealer, registeredOn: "2025-01-02" })),
    );
    await batch(
      "sellUnit",
      "SellUnitInput",
      serials.map((serialNumber, i) => ({ serialNumber, customerId: dealers[i % 3]!.customer, price: eur("999.00"), soldOn: "2025-02-03" })),
    );
    await graph.settle();
  });

  const PAGE = graphql(`query WarrantyUnits($first: Int, $product: ID!) { units(first: $first, filter: { productId: $product }) { edges { node {
    id coverage(at: "2025-06-01T12:00:00Z") { kind policy { version } } warranty { endsOn } } } } }`);

  it("costs the warranty subgraph the same SQL statements for the coverage and warranty of 100 units as of 10", async () => {
    // when
    const ten = await graph.countStatements(() => graph.query(PAGE, { first: 10, product }));
    const hundred = await graph.countStatements(() => graph.query(PAGE, { first: 100, product }));
    // then the pages are what they claim to be
    expect(ten.result.units.edges).toHaveLength(10);
    expect(hundred.result.units.edges).toHaveLength(100);
    for (const { node } of hundred.result.units.edges) {
      expect(node).toEqual({ id: expect.any(String), coverage: { kind: "WARRANTY", policy: { version: 1 } }, warranty: { endsOn: "2027-02-02" } });
    }
    // and the statements do not grow with the page, in the warranty subgraph or anywhere else
    expect(hundred.statements["warranty"]).toBeGreaterThan(0);
    expect(hundred.statements["warranty"]).toBe(ten.statements["warranty"]);
    expect(hundred.statements).toEqual(ten.statements);
  });
});

// Last: planning expires every contract past its term, whichever test made it.
describe("contract events", () => {
  /** What the warranty subgraph told other subgraphs about these contracts, oldest first. */
  const eventsOf = async (contractIds: string[]) =>
    (await outboxEvents(handle.db, "warranty", contractIds)).map(({ type, aggregateId, payload }) => ({ type, aggregateId, payload }));

  it("tell a contract's units and its plan's service levels when it is activated, cancelled or expires", async () => {
    // given a plan answering within 4 hours and resolving within 24, and three sold units
    const plan = await createContractPlan(graph, { responseHours: 4, resolutionHours: 24 });
    const { product } = await machine();
    const dealer = await shop();
    const units = [await sell(product, dealer, daysAgo(400)), await sell(product, dealer, daysAgo(400)), await sell(product, dealer, daysAgo(400))];
    await graph.settle();
    const twoUnits = units.slice(0, 2).map((unit) => unit.id);
    const levels = { responseHours: 4, resolutionHours: 24 };
    // when one contract over two units is activated and cancelled, and one over the third, a year old, expires
    const cancelled = await activate(
      dealer.as,
      await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: twoUnits, startsOn: today() }),
    );
    await succeed(dealer.as, CANCEL_CONTRACT, "contract", { id: cancelled.id, version: cancelled.version, reason: "Changed their mind." });
    const expiring = await activate(
      dealer.as,
      await draftContract(dealer.as, { planId: plan.id, customerId: dealer.customer, unitIds: [units[2]!.id], startsOn: daysAgo(366) }),
    );
    expect(expiring.endsOn < today()).toBe(true);
    expect((await planMaintenance({})).contractsExpired).toBeGreaterThanOrEqual(1);
    // then
    expect(await eventsOf([cancelled.id, expiring.id])).toEqual([
      {
        type: "contract.activated",
        aggregateId: cancelled.id,
        payload: expect.objectContaining({ status: "ACTIVE", unitIds: [...twoUnits].sort(), plan: levels }),
      },
      {
        type: "contract.ended",
        aggregateId: cancelled.id,
        payload: expect.objectContaining({ status: "CANCELLED", unitIds: [...twoUnits].sort(), plan: levels }),
      },
      { type: "contract.activated", aggregateId: expiring.id, payload: expect.objectContaining({ status: "ACTIVE", unitIds: [units[2]!.id], plan: levels }) },
      { type: "contract.ended", aggregateId: expiring.id, payload: expect.objectContaining({ status: "EXPIRED", unitIds: [units[2]!.id], plan: levels }) },
    ]);
  });
});
