import { readFileSync } from "node:fs";
import {
  buildDemoWorld,
  DEFAULT_DEMO_SEED,
  DEMO_CLAIM_STATUSES,
  DEMO_SLA_SOURCES,
  DEMO_SURVEY_KINDS,
  DEMO_TICKET_STATUSES,
  feedbackOf,
  seedDemo,
  UNIT_STATUSES,
  type DemoSummary,
} from "@aftersales/demo";
import { addDays, addMonthsClamped, addYears, todayUtc } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./src/generated/index.js";
import type { DemoResolvedByMonthFragment } from "./src/generated/graphql.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * The demo dataset `npm start` seeds: written through the gateway without a
 * single refusal, and holding what the README promises.
 */

let graph: TestGraph;
let summary: DemoSummary;
/** When the seed began: its tickets were opened after it. */
let seeded: { from: number };
const today = todayUtc();

beforeAll(async () => {
  // Reading the whole dataset back takes queries far costlier than a client may send.
  graph = await startGraph({ limits: { maxCost: 10_000_000 } });
  const from = Date.now();
  summary = await seedDemo({ url: graph.url, settle: () => graph.settle(), token: await graph.token({ role: "ADMIN" }), today });
  seeded = { from };
});
afterAll(() => graph?.stop());

interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every item of a connection, page by page. */
async function everything<T>(page: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const { edges, pageInfo }: Page<T> = await page(after);
    items.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return items;
    after = pageInfo.endCursor;
  }
}

const countBy = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((counts, item) => {
    counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
  }, {});

const DEALERS = graphql(`query DemoDealers($after: String) {
  dealers(first: 100, after: $after) {
    edges { node { id name kind laborRate { amount currency }
      warrantyWorkshop { authorizedFrom authorizedUntil }
      calendar { timeZone weeklyWindows { day opens closes } holidays { date } }
      technicians { skills active } } }
    pageInfo { hasNextPage endCursor }
  }
}`);

const allDealers = () => everything(async (after) => (await graph.query(DEALERS, { after })).dealers);

describe("the demo partners", () => {
  it("has four dealers and four service centers in several time zones, with realistic calendars", async () => {
    // when
    const dealers = await allDealers();

    // then
    expect(dealers.filter((d) => d.kind !== "SERVICE_CENTER")).toHaveLength(summary.counts.dealers);
    expect(summary.counts.dealers).toBe(4);
    expect(dealers.filter((d) => d.kind === "SERVICE_CENTER")).toHaveLength(4);
    expect(new Set(dealers.map((d) => d.calendar.timeZone)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(dealers.map((d) => d.laborRate.currency)).size).toBeGreaterThanOrEqual(3);
    const lunchBreak = dealers.some((d) => {
      const days = d.calendar.weeklyWindows.map((w) => w.day);
      return new Set(days).size < days.length;
    });
    expect(lunchBreak).toBe(true);
    expect(dealers.some((d) => d.calendar.weeklyWindows.some((w) => w.day === "SATURDAY"))).toBe(true);
    expect(dealers.every((d) => d.calendar.holidays.length >= 3)).toBe(true);
    const ended = dealers.filter((d) => d.warrantyWorkshop?.authorizedUntil && d.warrantyWorkshop.authorizedUntil < today);
    expect(ended.length).toBeGreaterThanOrEqual(1);
    expect(dealers.filter((d) => d.warrantyWorkshop && !d.warrantyWorkshop.authorizedUntil).length).toBeGreaterThanOrEqual(3);
  });

  it("staffs every service center with two to four technicians skilled in product categories", async () => {
    // when
    const centers = (await allDealers()).filter((d) => d.kind === "SERVICE_CENTER");

    // then
    for (const center of centers) {
      expect(center.technicians.length).toBeGreaterThanOrEqual(2);
      expect(center.technicians.length).toBeLessThanOrEqual(4);
      const skills = new Set(center.technicians.filter((t) => t.active).flatMap((t) => t.skills));
      expect([...skills].sort()).toEqual(["child-car-seats", "dishwashers", "espresso-machines", "printers", "tablets"]);
    }
  });

  it("has about fifty customers of every relationship level, each looked after by a selling dealer", async () => {
    // when
    const customers = await everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoCustomers($after: String) { customers(first: 100, after: $after) {
              edges { node { kind companyName relationshipLevel location { latitude } homeDealer { kind } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).customers,
    );

    // then
    expect(customers.length).toBe(summary.counts.customers);
    expect(customers.length).toBeGreaterThanOrEqual(45);
    expect(customers.length).toBeLessThanOrEqual(60);
    expect(Object.keys(countBy(customers, (c) => c.relationshipLevel)).sort()).toEqual(["ACTIVE", "BASIC", "REACTIVE", "RESPONSIBLE"]);
    const businesses = customers.filter((c) => c.kind === "BUSINESS");
    expect(businesses.length).toBeGreaterThanOrEqual(5);
    expect(businesses.every((c) => c.companyName)).toBe(true);
    expect(customers.every((c) => c.homeDealer.kind !== "SERVICE_CENTER")).toBe(true);
    // One customer's location was never recorded, so dispatch cannot place their ticket (see "the demo tickets").
    const unlocated = buildDemoWorld({ today, seed: summary.seed }).customers.filter((c) => !c.location);
    expect(unlocated).toHaveLength(1);
    expect(customers.filter((c) => !c.location)).toHaveLength(unlocated.length);
  });
});

describe("the demo catalog", () => {
  const allProducts = () =>
    everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoProducts($after: String) { products(first: 100, after: $after) {
              edges { node { sku kind lifecycleStage discontinuedOn partsGuaranteedUntil successor { sku } replenishmentCycleDays
                billOfMaterials { part { sku } } repairStandards { failureCode hours } fittings { sku } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).products,
    );

  it("has about twenty products of every kind; equipment with parts, repair standards and fittings", async () => {
    // when
    const products = await allProducts();

    // then
    expect(products.length).toBeGreaterThanOrEqual(18);
    expect(products.length).toBeLessThanOrEqual(28);
    expect(countBy(products, (p) => p.kind)).toEqual(summary.counts.products);
    for (const equipment of products.filter((p) => p.kind === "EQUIPMENT")) {
      expect(equipment.billOfMaterials.length).toBeGreaterThan(0);
      expect(equipment.repairStandards.length).toBeGreaterThan(0);
      expect(equipment.fittings.length).toBeGreaterThan(0);
    }
    expect(products.some((p) => p.repairStandards.some((s) => s.failureCode === "E01-NO-POWER"))).toBe(true);
  });

  it("gives consumables the replenishment cycles of their kind", async () => {
    // when
    const consumables = (await allProducts()).filter((p) => p.kind === "CONSUMABLE");

    // then
    expect(consumables.every((p) => p.replenishmentCycleDays !== null)).toBe(true);
    const cycles = Object.fromEntries(consumables.map((p) => [p.sku, p.replenishmentCycleDays ?? 0]));
    expect(cycles["CON-BABYFOOD-12"]).toBeGreaterThanOrEqual(7);
    expect(cycles["CON-BABYFOOD-12"]).toBeLessThanOrEqual(14);
    expect(cycles["CON-DIAPERS-3"]).toBeGreaterThanOrEqual(7);
    expect(cycles["CON-DIAPERS-3"]).toBeLessThanOrEqual(14);
    expect(cycles["CON-TONER-500"]).toBeGreaterThanOrEqual(60);
    expect(cycles["CON-TONER-500"]).toBeLessThanOrEqual(90);
    expect(cycles["CON-FILM-TAB10"]).toBeGreaterThanOrEqual(60);
    expect(cycles["CON-FILM-TAB10"]).toBeLessThanOrEqual(90);
    expect(cycles["CON-COFFEE-1KG"]).toBe(30);
  });

  it("has a discontinued product with a successor and a parts guarantee", async () => {
    // when
    const discontinued = (await allProducts()).filter((p) => p.lifecycleStage === "DISCONTINUED");

    // then
    expect(discontinued.length).toBeGreaterThanOrEqual(1);
    const [product] = discontinued;
    expect(product?.successor?.sku).toBe(summary.handles.discontinuedProduct.successorSku);
    expect(product?.discontinuedOn).toBe(today);
    expect(product?.partsGuaranteedUntil).toBe(addYears(today, 10));
    expect(product?.sku).toBe(summary.handles.discontinuedProduct.sku);
  });
});

describe("the demo installed base", () => {
  const allUnits = () =>
    everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoUnits($after: String) { units(first: 100, after: $after) {
              edges { node { serialNumber status customer { id } soldBy { id } purchasePrice { amount currency } events { kind occurredOn } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).units,
    );

  it("has about two hundred units in every status", async () => {
    // when
    const units = await allUnits();

    // then
    expect(units.length).toBe(summary.counts.units);
    expect(units.length).toBeGreaterThanOrEqual(180);
    expect(units.length).toBeLessThanOrEqual(220);
    const statuses = countBy(units, (u) => u.status);
    expect(Object.keys(statuses).sort()).toEqual([...UNIT_STATUSES].sort());
    expect(statuses).toEqual(summary.counts.unitsByStatus);
  });

  it("tells each unit's life in chronological order, with owners, sellers and prices", async () => {
    // when
    const units = await allUnits();

    // then
    for (const unit of units) {
      const dates = unit.events.map((e) => e.occurredOn);
      expect(dates).toEqual([...dates].sort());
      expect(unit.events[0]?.kind).toBe("REGISTERED");
      expect(dates.every((date) => date <= today)).toBe(true);
      const sold = unit.events.some((e) => e.kind === "SOLD");
      expect(Boolean(unit.soldBy)).toBe(sold);
      expect(Boolean(unit.purchasePrice)).toBe(sold);
      if (unit.status === "IN_STOCK") expect(unit.customer).toBeNull();
    }
    const kinds = new Set(units.flatMap((u) => u.events.map((e) => e.kind)));
    for (const kind of ["SOLD", "DELIVERED", "INSTALLED", "COMMISSIONED", "OWNER_TRAINED", "REPAIRED", "TRANSFERRED", "RETIRED"]) {
      expect(kinds).toContain(kind);
    }
    expect(new Set(units.flatMap((u) => (u.purchasePrice ? [u.purchasePrice.currency] : []))).size).toBeGreaterThanOrEqual(3);
  });

  it("answers the sample query the log suggests", async () => {
    // when
    const data = await graph.query(
      graphql(`query DemoSampleUnit($serial: String!) { unit(serialNumber: $serial) { status product { name } customer { name } soldBy { name } } }`),
      { serial: summary.handles.serialNumber },
    );

    // then
    expect(data.unit?.status).toBe("INSTALLED");
    expect(data.unit?.customer?.name).toBeTruthy();
    expect(data.unit?.soldBy?.name).toBeTruthy();
  });
});

describe("the demo refills and stock", () => {
  const dueFor = async (within: number) => {
    const sellers = (await allDealers()).filter((d) => d.kind !== "SERVICE_CENTER");
    const byDealer = await Promise.all(
      sellers.map(async (dealer) =>
        everything(
          async (after) =>
            (
              await graph.query(
                graphql(`query DemoRefillsDue($id: ID!, $within: Int!, $after: String) { dealer(id: $id) {
                  replenishmentDue(within: $within, first: 100, after: $after) {
                    edges { node { method daysLeft runsOutOn product { sku } } } pageInfo { hasNextPage endCursor } } } }`),
                { id: dealer.id, within, after },
              )
            ).dealer!.replenishmentDue,
        ),
      ),
    );
    return byDealer;
  };

  it("forecasts refills from customers' own rhythm and from products' cycles, as the world says", async () => {
    // when
    const forecasts = (await dueFor(3650)).flat();

    // then
    const methods = countBy(forecasts, (f) => f.method);
    expect(methods.CUSTOMER_HISTORY).toBe(summary.counts.forecasts.customerHistory);
    expect(methods.PRODUCT_CYCLE).toBe(summary.counts.forecasts.productCycle);
    expect(methods.CUSTOMER_HISTORY).toBeGreaterThanOrEqual(10);
    expect(methods.PRODUCT_CYCLE).toBeGreaterThanOrEqual(5);
    const expected = buildDemoWorld({ today, seed: summary.seed }).forecasts;
    const key = (f: { product?: { sku: string }; productSku?: string; method: string; runsOutOn: string }) =>
      `${f.product?.sku ?? f.productSku} ${f.method} ${f.runsOutOn}`;
    expect(forecasts.map(key).sort()).toEqual(expected.map(key).sort());
  });

  it("has refills due within the next seven days for some dealer", async () => {
    // when
    const due = await dueFor(7);

    // then
    const thisWeek = due.flat().filter((f) => f.daysLeft >= 0 && f.daysLeft <= 7);
    expect(thisWeek.length).toBeGreaterThanOrEqual(1);
    expect(thisWeek).toHaveLength(summary.counts.forecasts.dueWithin7Days);
  });

  it("has parts shortages and overstock at service centers", async () => {
    // when
    graphql(`fragment DemoStockPage on PartStockConnection {
      edges { node { part { sku } onHand reorderPoint maxLevel shortage overstock } } pageInfo { hasNextPage endCursor } }`);
    const data = await graph.query(
      graphql(`query DemoPartsStock { dealers(first: 100, filter: { kinds: [SERVICE_CENTER, BOTH] }) { edges { node { kind
        short: partsStock(filter: { shortage: true }, first: 100) { ...DemoStockPage }
        over: partsStock(filter: { overstock: true }, first: 100) { ...DemoStockPage }
        all: partsStock(first: 100) { ...DemoStockPage }
      } } } }`),
    );

    // then
    const centers = data.dealers.edges.map((e) => e.node);
    const short = centers.flatMap((c) => c.short.edges.map((e) => e.node));
    const over = centers.flatMap((c) => c.over.edges.map((e) => e.node));
    expect(short.length).toBeGreaterThanOrEqual(1);
    expect(over.length).toBeGreaterThanOrEqual(1);
    expect(short.every((s) => s.shortage && s.onHand <= s.reorderPoint)).toBe(true);
    expect(over.every((s) => s.overstock && s.onHand > s.maxLevel)).toBe(true);
    expect(short).toHaveLength(summary.counts.shortages);
    expect(over).toHaveLength(summary.counts.overstocks);
    expect(centers.flatMap((c) => c.all.edges)).toHaveLength(summary.counts.partStocks);
    for (const center of centers.filter((c) => c.kind === "SERVICE_CENTER")) {
      expect(center.short.edges.length).toBeGreaterThanOrEqual(1);
      expect(center.over.edges.length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("the demo warranty", () => {
  const world = () => buildDemoWorld({ today, seed: summary.seed });

  it("sets warranty terms for every piece of equipment, in force before its first sale", async () => {
    // when
    const products = await everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoWarrantyPolicies($after: String) { products(first: 100, after: $after) {
              edges { node { sku kind repairStandards { failureCode }
                warrantyPolicies { version effectiveFrom months startBasis partsShare laborShare serviceMode transferable exclusions { failureCode description } } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).products,
    );

    // then
    const equipment = products.filter((p) => p.kind === "EQUIPMENT");
    expect(equipment.length).toBe(summary.counts.products.EQUIPMENT);
    expect(equipment.every((p) => p.warrantyPolicies.length === 1 && p.warrantyPolicies[0]?.version === 1)).toBe(true);
    expect(products.filter((p) => p.kind !== "EQUIPMENT").every((p) => p.warrantyPolicies.length === 0)).toBe(true);
    expect(equipment).toHaveLength(summary.counts.warranty.policies);
    const policies = equipment.map((p) => ({ sku: p.sku, standards: p.repairStandards.map((s) => s.failureCode), ...p.warrantyPolicies[0]! }));
    const firstSale = new Map<string, string>();
    for (const unit of world().units) {
      const sold = unit.events.find((e) => e.kind === "SOLD")?.occurredOn;
      if (sold && sold < (firstSale.get(unit.productSku) ?? "9999")) firstSale.set(unit.productSku, sold);
    }
    for (const policy of policies) expect(policy.effectiveFrom <= (firstSale.get(policy.sku) ?? today)).toBe(true);
    expect(policies.filter((p) => p.months === 24).length).toBeGreaterThan(policies.length / 2);
    expect(new Set(policies.map((p) => p.startBasis))).toEqual(new Set(["INSTALLATION", "DELIVERY", "PURCHASE"]));
    expect(policies.filter((p) => p.sku.startsWith("ESP") || p.sku.startsWith("DW")).every((p) => p.startBasis === "INSTALLATION")).toBe(true);
    expect(new Set(policies.map((p) => p.serviceMode))).toEqual(new Set(["ON_SITE", "CARRY_IN"]));
    expect(policies.every((p) => p.partsShare === 100 && [50, 100].includes(p.laborShare))).toBe(true);
    expect(new Set(policies.map((p) => p.laborShare))).toEqual(new Set([50, 100]));
    expect(new Set(policies.map((p) => p.transferable))).toEqual(new Set([true, false]));
    const exclusions = policies.flatMap((p) => p.exclusions.map((e) => ({ ...e, standards: p.standards })));
    expect(exclusions.length).toBeGreaterThanOrEqual(1);
    expect(exclusions.every((e) => e.standards.includes(e.failureCode) && e.description)).toBe(true);
  });

  it("gives every sold unit the warranty period the world works out", async () => {
    // when
    const units = await everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoUnitWarranties($after: String) { units(first: 100, after: $after) {
              edges { node { serialNumber warranty { startsOn endsOn voidedFrom } } } pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).units,
    );

    // then
    const expected = world().warranty.units;
    const actual = units.flatMap((u) => (u.warranty ? [{ serialNumber: u.serialNumber, ...u.warranty }] : []));
    const key = (w: { serialNumber: string; startsOn: string; endsOn: string; voidedFrom: string | null }) =>
      `${w.serialNumber} ${w.startsOn} ${w.endsOn} ${w.voidedFrom}`;
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    expect(expected.some((w) => w.voidedFrom)).toBe(true);
  });

  it("offers three contract plans, from spare parts only to a loaner and quarterly visits", async () => {
    // when
    const { contractPlans } = await graph.query(
      graphql(
        `query DemoContractPlans { contractPlans { name priceSharePercent partsCovered laborCovered loanerIncluded visitsPerYear floatingVisits responseHours } }`,
      ),
    );

    // then
    expect(contractPlans).toHaveLength(summary.counts.warranty.contractPlans);
    expect(contractPlans).toEqual([
      {
        name: "Care Basic",
        priceSharePercent: 3,
        partsCovered: true,
        laborCovered: false,
        loanerIncluded: false,
        visitsPerYear: 0,
        floatingVisits: false,
        responseHours: 48,
      },
      {
        name: "Care Plus",
        priceSharePercent: 6,
        partsCovered: true,
        laborCovered: true,
        loanerIncluded: false,
        visitsPerYear: 2,
        floatingVisits: false,
        responseHours: 24,
      },
      {
        name: "Care Pro",
        priceSharePercent: 9.5,
        partsCovered: true,
        laborCovered: true,
        loanerIncluded: true,
        visitsPerYear: 4,
        floatingVisits: true,
        responseHours: 4,
      },
    ]);
  });

  const allContracts = () =>
    everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoServiceContracts($after: String) { serviceContracts(first: 100, after: $after) {
              edges { node { number status startsOn endsOn plan { name } dealer { id } price { amount currency }
                units { unit { serialNumber coverage { kind } } }
                maintenanceVisits { sequence dueOn status unit { serialNumber } } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).serviceContracts,
    );

  it("has active service contracts for units whose warranty ended or ends within a year, with their maintenance visits", async () => {
    // when
    const contracts = await allContracts();

    // then
    const { warranty } = world();
    expect(contracts).toHaveLength(summary.counts.warranty.serviceContracts);
    expect(contracts.length).toBeGreaterThanOrEqual(4);
    expect(contracts.every((c) => c.status === "ACTIVE" && Number(c.price.amount) > 0)).toBe(true);
    expect(contracts.flatMap((c) => c.units)).toHaveLength(summary.counts.warranty.contractedUnits);
    const planName = new Map(warranty.plans.map((p) => [p.key, p.name]));
    const expected = warranty.contracts.map((c) => ({
      serialNumbers: [...c.serialNumbers].sort(),
      plan: planName.get(c.plan),
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      coverage: c.kind === "AFTER_WARRANTY" ? "CONTRACT" : "WARRANTY",
      visits: c.visits.map((v) => `${v.serialNumber} ${v.sequence} ${v.dueOn} ${v.status}`).sort(),
    }));
    const actual = contracts.map((c) => ({
      serialNumbers: c.units.map((u) => u.unit.serialNumber).sort(),
      plan: c.plan.name,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      coverage: [...new Set(c.units.map((u) => u.unit.coverage.kind))].join(),
      visits: c.maintenanceVisits.map((v) => `${v.unit.serialNumber} ${v.sequence} ${v.dueOn} ${v.status}`).sort(),
    }));
    const bySerials = (c: { serialNumbers: string[] }) => c.serialNumbers.join();
    expect([...actual].sort((a, b) => bySerials(a).localeCompare(bySerials(b)))).toEqual(
      [...expected].sort((a, b) => bySerials(a).localeCompare(bySerials(b))),
    );
    const visits = contracts.flatMap((c) => c.maintenanceVisits);
    expect(visits).toHaveLength(summary.counts.warranty.maintenanceVisits.total);
    expect(visits.filter((v) => v.status === "PLANNED")).toHaveLength(summary.counts.warranty.maintenanceVisits.planned);
    expect(visits.length).toBeGreaterThanOrEqual(1);
  });

  it("covers the handle's unit by its service contract today, and plans its dealers' maintenance", async () => {
    // given
    const handle = summary.handles.warranty.contract;
    expect(handle).not.toBeNull();

    // when
    const data = await graph.query(
      graphql(`query DemoContractCoverage($serial: String!) {
        unit(serialNumber: $serial) { coverage { kind contract { number dealer { id } } explanation } }
        sellers: dealers(first: 100, filter: { kinds: [DEALER, BOTH] }) { edges { node { maintenanceDue(within: 30, first: 100) { edges { node { status dueOn } } } } } }
      }`),
      { serial: handle!.serialNumber },
    );

    // then
    expect(data.unit?.coverage.kind).toBe("CONTRACT");
    expect(data.unit?.coverage.contract?.number).toBe(handle?.number);
    const due = data.sellers.edges.flatMap((e) => e.node.maintenanceDue.edges.map((v) => v.node));
    expect(due).toHaveLength(summary.counts.warranty.maintenanceVisits.planned);
    expect(due.every((v) => v.status === "PLANNED" && v.dueOn <= addDays(today, 30))).toBe(true);
  });

  it("has warranty claims of authorized workshops, approved, reduced, waiting for an agent and rejected", async () => {
    // when
    const claims = await everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoWarrantyClaims($after: String) { warrantyClaims(first: 100, after: $after) {
              edges { node { number status coverageKind failureCode unit { serialNumber warrantyClaims { number } }
                dealer { warrantyWorkshop { authorizedFrom } } lines { kind status reason }
                claimedTotal { amount currency } approvedTotal { amount currency } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).warrantyClaims,
    );

    // then
    const statuses = countBy(claims, (c) => c.status);
    expect(claims).toHaveLength(summary.counts.warranty.claims.total);
    for (const status of DEMO_CLAIM_STATUSES) expect(statuses[status] ?? 0, status).toBe(summary.counts.warranty.claims[status]);
    expect(statuses.APPROVED).toBeGreaterThanOrEqual(2);
    expect(statuses.PARTIALLY_APPROVED).toBe(1);
    expect(statuses.IN_REVIEW).toBe(1);
    expect(statuses.REJECTED).toBe(1);
    const expected = new Map(world().warranty.claims.map((c) => [c.serialNumber, c]));
    for (const claim of claims) {
      expect(claim.status, claim.unit!.serialNumber).toBe(expected.get(claim.unit!.serialNumber)?.status);
      expect(claim.coverageKind).toBe(expected.get(claim.unit!.serialNumber)?.coverage);
      expect(claim.dealer.warrantyWorkshop).not.toBeNull();
      expect(claim.unit!.warrantyClaims.map((c) => c.number)).toEqual([claim.number]);
    }
    const one = (status: string) => claims.find((c) => c.status === status)!;
    expect(one("PARTIALLY_APPROVED").lines).toContainEqual({ kind: "LABOR", status: "REDUCED", reason: "LABOR_HOURS_CAPPED" });
    expect(one("IN_REVIEW").lines).toContainEqual({ kind: "TRAVEL", status: "PENDING", reason: "TRAVEL_NEEDS_REVIEW" });
    expect(one("IN_REVIEW").number).toBe(summary.handles.warranty.claimInReview?.number);
    expect(one("REJECTED").coverageKind).toBe("NONE");
    expect(one("REJECTED").lines.every((l) => l.status === "REJECTED" && l.reason === "NOT_COVERED")).toBe(true);
    expect(one("REJECTED").approvedTotal.amount).toBe("0.00");
    for (const claim of claims.filter((c) => c.status === "APPROVED")) expect(claim.approvedTotal).toEqual(claim.claimedTotal);
    expect(claims.some((c) => c.lines.some((l) => l.kind === "PART" && l.status === "APPROVED"))).toBe(true);
  });

  it("lists units whose warranty ends within 60 days, with what a contract would cost", async () => {
    // when
    const sellers = (await allDealers()).filter((d) => d.kind !== "SERVICE_CENTER");
    const byDealer = new Map(
      await Promise.all(
        sellers.map(
          async (d) =>
            [
              d.id,
              (
                await graph.query(
                  graphql(`query DemoWarrantyExpiring($id: ID!) { dealer(id: $id) { warrantyExpiring(within: 60, first: 100) {
                    edges { node { unit { serialNumber } warrantyEndsOn daysLeft offers { plan { name } price { amount } } } }
                    pageInfo { hasNextPage endCursor } } } }`),
                  { id: d.id },
                )
              ).dealer!.warrantyExpiring.edges.map((e) => e.node),
            ] as const,
        ),
      ),
    );

    // then
    expect(byDealer.get(summary.handles.dealer.id)?.length).toBeGreaterThanOrEqual(1);
    expect(summary.handles.warranty.expiringDealer).not.toBeNull();
    expect(byDealer.get(summary.handles.warranty.expiringDealer!.id)?.length).toBeGreaterThanOrEqual(3);
    const listed = [...byDealer.values()].flat();
    expect(listed.every((e) => e.daysLeft >= 0 && e.daysLeft <= 60 && e.offers.length === summary.counts.warranty.contractPlans)).toBe(true);
    expect(listed.every((e) => e.offers.every((o) => Number(o.price.amount) > 0))).toBe(true);
    // Every unit the world expects is offered a contract, with its warranty's last day; contracted units are not.
    const actual = new Set(listed.map((e) => `${e.unit.serialNumber} ${e.warrantyEndsOn}`));
    const expected = world().warranty.expiring;
    expect(expected).toHaveLength(summary.counts.warranty.expiringWithin60Days);
    for (const e of expected) expect(actual, e.serialNumber).toContain(`${e.serialNumber} ${e.warrantyEndsOn}`);
    const contracted = new Set(world().warranty.contracts.flatMap((c) => c.serialNumbers));
    expect(listed.filter((e) => contracted.has(e.unit.serialNumber))).toEqual([]);
  });

  it("puts a contract offer for each of those units on the worklist of its ACTIVE owner's dealer, and only for those", async () => {
    // given the units whose warranty ends within 60 days, and their owners
    const expected = world().warranty.expiring;
    const owners = await Promise.all(
      expected.map(async (e) => {
        const { unit } = await graph.query(DEMO_UNIT_OWNER, { serialNumber: e.serialNumber });
        return { serialNumber: e.serialNumber, customer: unit!.customer! };
      }),
    );
    // when every open item is read
    const items = await everything(async (after) => (await graph.query(DEMO_WORKLIST, { after })).outreachWorklist);
    // then each unit of a reachable ACTIVE owner is offered a contract, with the plans priced; nobody else's
    const offered = items.flatMap((item) =>
      item.reasons.filter((r) => r.kind === "WARRANTY_ENDING").map((r) => ({ serialNumber: r.unit!.serialNumber, customer: item.customer, offers: r.offers })),
    );
    const reachable = (c: (typeof owners)[number]["customer"]) => c.relationshipLevel === "ACTIVE" && (c.contactConsent.phone || c.contactConsent.email);
    const shouldBe = owners.filter((o) => reachable(o.customer)).map((o) => o.serialNumber);
    expect(shouldBe.length).toBeGreaterThan(0);
    expect(offered.map((o) => o.serialNumber).sort()).toEqual([...shouldBe].sort());
    expect(offered.every((o) => o.offers.length === summary.counts.warranty.contractPlans && o.offers.every((p) => Number(p.price!.amount) > 0))).toBe(true);
    expect(offered.every((o) => owners.some((w) => w.serialNumber === o.serialNumber && w.customer.id === o.customer.id))).toBe(true);
  });
});

const DEMO_UNIT_OWNER = graphql(`query DemoUnitOwner($serialNumber: String) {
  unit(serialNumber: $serialNumber) { customer { id relationshipLevel contactConsent { phone email } } }
}`);
const DEMO_WORKLIST = graphql(`query DemoWorklist($after: String) {
  outreachWorklist(first: 50, after: $after) {
    edges { node { customer { id } reasons { kind unit { serialNumber } offers { price { amount } } } } }
    pageInfo { hasNextPage endCursor }
  }
}`);

describe("the demo tickets", () => {
  const world = () => buildDemoWorld({ today, seed: summary.seed });

  /** Today's tickets, opened by the seed: the past it imported stays out (see "the demo's past"). */
  const allTickets = async () => (await everyTicket()).filter((t) => Date.parse(t.openedAt) >= seeded.from);
  const everyTicket = () =>
    everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoTickets($after: String) { tickets(first: 100, after: $after, orderBy: OPENED_OLDEST) {
              edges { node { number openedAt kind channel status priority subject customer { email } unit { serialNumber }
                serviceCenter { id } technician { id }
                sla { source pausesOnWaitingParts response { state dueAt } resolution { state dueAt } }
                dispatch { explanation serviceCenter { id } technician { id } candidates { serviceCenter { id } outcome } override { reason serviceCenter { id } } }
                partsUsed { part { sku } quantity serviceCenter { id } }
                loaner { unit { serialNumber status soldBy { id } } } loaners { unit { serialNumber } returnedAt }
                timeline { kind description note } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).tickets,
    );

  /** The API's tickets beside the world's, and dealers' ids by key. */
  const bothSides = async () => {
    const w = world();
    const dealers = await allDealers();
    const idOf = new Map(w.dealers.map((d) => [d.key, dealers.find((api) => api.name === d.name)?.id]));
    const emailOf = new Map(w.customers.map((c) => [c.key, c.email]));
    const tickets = await allTickets();
    const byKey = new Map(tickets.map((t) => [`${t.customer.email} ${t.subject}`, t]));
    const pairs = w.tickets.tickets.map((expected) => ({ expected, actual: byKey.get(`${emailOf.get(expected.customer)} ${expected.subject}`) }));
    return { w, tickets, pairs, idOf };
  };

  it("sets SLA policies for two dealers, one pausing the resolution clock while it waits for parts", async () => {
    // when
    const { dealers } = await graph.query(
      graphql(`query DemoSlaPolicies {
        dealers(first: 100) { edges { node { name slaPolicy { source pausesOnWaitingParts version targets { priority responseMinutes resolutionMinutes } } } } } }`),
    );

    // then
    const { policies } = world().tickets;
    const nameOf = new Map(world().dealers.map((d) => [d.key, d.name]));
    expect(policies).toHaveLength(summary.counts.tickets.slaPolicies);
    expect(policies.length).toBeGreaterThanOrEqual(2);
    expect(policies.some((p) => p.pausesOnWaitingParts)).toBe(true);
    const byName = new Map(dealers.edges.map((e) => [e.node.name, e.node.slaPolicy]));
    for (const policy of policies) {
      expect(byName.get(nameOf.get(policy.dealer) ?? "")).toEqual({
        source: "DEALER_POLICY",
        pausesOnWaitingParts: policy.pausesOnWaitingParts,
        version: 1,
        targets: policy.targets,
      });
    }
    expect(dealers.edges.filter((e) => e.node.slaPolicy!.source === "STANDARD")).toHaveLength(dealers.edges.length - policies.length);
  });

  it("opens about thirty tickets of every kind, channel and priority, and leaves them in every status, as the world says", async () => {
    // when
    const { tickets, pairs, idOf } = await bothSides();

    // then
    expect(tickets).toHaveLength(summary.counts.tickets.total);
    expect(tickets.length).toBeGreaterThanOrEqual(25);
    expect(tickets.length).toBeLessThanOrEqual(40);
    const statuses = countBy(tickets, (t) => t.status);
    expect(Object.keys(statuses).sort()).toEqual([...DEMO_TICKET_STATUSES].sort());
    for (const status of DEMO_TICKET_STATUSES) expect(statuses[status] ?? 0, status).toBe(summary.counts.tickets.byStatus[status]);
    expect(new Set(tickets.map((t) => t.kind)).size).toBe(7);
    expect(new Set(tickets.map((t) => t.channel)).size).toBe(6);
    expect(new Set(tickets.map((t) => t.priority)).size).toBe(4);
    for (const { expected, actual } of pairs) {
      expect(actual, expected.key).toBeDefined();
      expect(
        {
          kind: actual?.kind,
          channel: actual?.channel,
          status: actual?.status,
          priority: actual?.priority,
          serialNumber: actual?.unit?.serialNumber ?? null,
          serviceCenter: actual?.serviceCenter?.id ?? null,
        },
        `${expected.key}: ${expected.story}`,
      ).toEqual({
        kind: expected.kind,
        channel: expected.channel,
        status: expected.status,
        priority: expected.priority,
        serialNumber: expected.serialNumber,
        serviceCenter: expected.serviceCenter ? idOf.get(expected.serviceCenter) : null,
      });
    }
    // A reopened ticket says so on its timeline, and a raised priority says why.
    const reopened = tickets.filter((t) => t.timeline.some((e) => e.kind === "STATUS" && e.description.includes("reopened")));
    expect(reopened).toHaveLength(summary.counts.tickets.reopened);
    expect(reopened.length).toBeGreaterThanOrEqual(1);
    const raised = tickets.filter((t) => t.timeline.some((e) => e.kind === "PRIORITY" && e.note));
    expect(raised).toHaveLength(summary.counts.tickets.priorityChanges);
    expect(tickets.filter((t) => t.timeline.some((e) => e.kind === "NOTE" && e.note)).length).toBeGreaterThanOrEqual(3);
  });

  it("dispatches tickets about units to a service center with the reason, and leaves those it cannot place NEW with why", async () => {
    // when
    const { tickets, pairs, idOf } = await bothSides();

    // then
    const dispatched = tickets.filter((t) => t.dispatch?.serviceCenter);
    expect(dispatched).toHaveLength(summary.counts.tickets.dispatched);
    expect(dispatched.length).toBeGreaterThanOrEqual(15);
    for (const t of dispatched) {
      expect(t.dispatch?.explanation).toContain("km away");
      expect(t.dispatch?.technician).not.toBeNull();
      expect(t.dispatch?.candidates[0]).toEqual({ serviceCenter: t.dispatch?.serviceCenter, outcome: "CHOSEN" });
    }
    // Berlin is in reach of two service centers: dispatch weighs their open work.
    expect(dispatched.some((t) => t.dispatch?.candidates.some((c) => c.outcome === "MORE_OPEN_WORK" || c.outcome === "FARTHER"))).toBe(true);
    for (const { expected, actual } of pairs.filter((p) => p.expected.dispatch)) {
      expect(actual?.dispatch?.serviceCenter?.id ?? null, `${expected.key}: ${expected.story}`).toBe(
        expected.dispatch?.serviceCenter ? idOf.get(expected.dispatch.serviceCenter) : null,
      );
    }
    const unplaced = tickets.filter((t) => t.dispatch && !t.dispatch.serviceCenter);
    expect(unplaced).toHaveLength(summary.counts.tickets.notDispatched);
    expect(unplaced.length).toBeGreaterThanOrEqual(2);
    expect(unplaced.every((t) => t.status === "NEW" && !t.serviceCenter)).toBe(true);
    expect(unplaced.map((t) => t.dispatch?.explanation).join(" ")).toMatch(/no location/);
    expect(unplaced.map((t) => t.dispatch?.explanation).join(" ")).toMatch(/radius covers/);
    expect(unplaced.map((t) => t.number)).toContain(summary.handles.tickets.notDispatched);
    // Work that needs no visit is not dispatched.
    expect(tickets.filter((t) => !t.unit || !["REPAIR", "INSTALLATION", "MAINTENANCE"].includes(t.kind)).every((t) => t.dispatch === null)).toBe(true);
  });

  it("records an agent's override of dispatch, with the reason", async () => {
    // when
    const overridden = (await allTickets()).filter((t) => t.dispatch?.override);

    // then
    expect(overridden).toHaveLength(summary.counts.tickets.overridden);
    expect(overridden.length).toBe(1);
    const [ticket] = overridden;
    expect(ticket?.number).toBe(summary.handles.tickets.overridden);
    expect(ticket?.dispatch?.override?.reason).toBeTruthy();
    expect(ticket?.dispatch?.override?.serviceCenter).toEqual(ticket?.serviceCenter);
    expect(ticket?.serviceCenter?.id).not.toBe(ticket?.dispatch?.serviceCenter?.id);
    expect(
      ticket?.timeline.some((e) => e.kind === "ASSIGNED" && e.description.includes("overriding dispatch") && e.note === ticket.dispatch?.override?.reason),
    ).toBe(true);
  });

  it("takes parts off service centers' shelves, and the catalog's stock goes down by them", async () => {
    // when
    const { w, tickets, pairs, idOf } = await bothSides();

    // then
    const withParts = tickets.filter((t) => t.partsUsed.length);
    expect(withParts).toHaveLength(summary.counts.tickets.withParts);
    expect(withParts.length).toBeGreaterThanOrEqual(2);
    for (const { expected, actual } of pairs) {
      expect(
        actual?.partsUsed.map((p) => ({ partSku: p.part.sku, quantity: p.quantity, serviceCenter: p.serviceCenter.id })),
        expected.key,
      ).toEqual(expected.parts.map((p) => ({ partSku: p.partSku, quantity: p.quantity, serviceCenter: idOf.get(p.serviceCenter) })));
    }
    // The catalog applies the tickets' `ticket.parts_used` events: what is on hand is the world's count less the parts used.
    await graph.settle();
    const used = w.tickets.tickets.flatMap((t) => t.parts);
    for (const center of new Set(used.map((p) => p.serviceCenter))) {
      const data = await graph.query(
        graphql(
          `query DemoOnHand($id: ID!) { dealer(id: $id) { partsStock(first: 100) { edges { node { part { sku } onHand } } pageInfo { hasNextPage endCursor } } } }`,
        ),
        { id: idOf.get(center)! },
      );
      const onHand = new Map(data.dealer!.partsStock.edges.map((e) => [e.node.part.sku, e.node.onHand]));
      for (const part of used.filter((p) => p.serviceCenter === center)) {
        const stock = w.partStocks.find((s) => s.serviceCenter === center && s.partSku === part.partSku);
        const taken = used.filter((p) => p.serviceCenter === center && p.partSku === part.partSku).reduce((sum, p) => sum + p.quantity, 0);
        expect(onHand.get(part.partSku), `${part.partSku} at ${center}`).toBe((stock?.finalOnHand ?? 0) - taken);
      }
    }
  });

  it("lends loaners from the shelf: one is still with a customer, one came back before its ticket closed", async () => {
    // when
    const tickets = await allTickets();

    // then
    const out = tickets.filter((t) => t.loaner);
    expect(out).toHaveLength(summary.counts.tickets.loanersOut);
    expect(out).toHaveLength(1);
    expect(out[0]?.number).toBe(summary.handles.tickets.loanerOut);
    expect(out[0]?.loaner?.unit.status).toBe("IN_STOCK");
    expect(["IN_PROGRESS", "WAITING_PARTS", "WAITING_CUSTOMER"]).toContain(out[0]?.status);
    const returned = tickets.filter((t) => !t.loaner && t.loaners.length > 0);
    expect(returned).toHaveLength(summary.counts.tickets.loanersReturned);
    expect(returned.length).toBeGreaterThanOrEqual(1);
    expect(returned.every((t) => t.status === "CLOSED" && t.loaners.every((l) => l.returnedAt))).toBe(true);
    expect(returned.every((t) => t.timeline.some((e) => e.kind === "LOANER_RETURNED"))).toBe(true);
  });

  it("holds tickets to contract, dealer-policy and standard targets, and pauses waiting for parts only where the policy says so", async () => {
    // when
    const { tickets, pairs } = await bothSides();
    const atRisk = await graph.query(
      graphql(`query DemoTicketsAtRisk {
        ticketsAtRisk(within: 10080, first: 100) { edges { node { number status openedAt sla { response { dueAt } resolution { dueAt } } } } } }`),
    );

    // then
    const sources = countBy(tickets, (t) => t.sla.source);
    for (const source of DEMO_SLA_SOURCES) {
      expect(sources[source] ?? 0, source).toBe(summary.counts.tickets.bySlaSource[source]);
      expect(sources[source] ?? 0, source).toBeGreaterThanOrEqual(1);
    }
    for (const { expected, actual } of pairs) {
      expect({ source: actual?.sla.source, pauses: actual?.sla.pausesOnWaitingParts }, expected.key).toEqual({
        source: expected.slaSource,
        pauses: expected.pausesOnWaitingParts,
      });
    }
    const waitingParts = tickets.filter((t) => t.status === "WAITING_PARTS");
    expect(new Set(waitingParts.map((t) => t.sla.pausesOnWaitingParts))).toEqual(new Set([true, false]));
    for (const t of waitingParts) expect(t.sla.resolution.state, t.number).toBe(t.sla.pausesOnWaitingParts ? "PAUSED" : "RUNNING");
    for (const t of tickets.filter((t) => t.status === "WAITING_CUSTOMER")) expect(t.sla.resolution.state).toBe("PAUSED");
    for (const t of tickets.filter((t) => t.status !== "NEW" && t.status !== "ASSIGNED" && t.status !== "CANCELLED")) expect(t.sla.response.state).toBe("MET");
    // Opened as the demo was seeded: the first deadlines come within a week of each ticket's opening, and every ticket
    // has one after the seed began (measured from the tickets' own data, not from the clock, so a slow run cannot move them).
    const week = 7 * 24 * 60 * 60 * 1000;
    expect(atRisk.ticketsAtRisk.edges.length).toBeGreaterThanOrEqual(1);
    for (const { node } of atRisk.ticketsAtRisk.edges) {
      const due = [node.sla.response.dueAt, node.sla.resolution.dueAt].filter((d): d is string => d !== null).map((d) => Date.parse(d));
      expect(Date.parse(node.openedAt), node.number).toBeGreaterThanOrEqual(seeded.from);
      expect(Math.min(...due), node.number).toBeLessThanOrEqual(Date.parse(node.openedAt) + week);
      expect(Math.max(...due), node.number).toBeGreaterThan(seeded.from);
    }
  });
});

describe("the demo feedback", () => {
  const plan = () => feedbackOf(buildDemoWorld({ today, seed: summary.seed }));

  /** The surveys about today's world: those about the past's tickets, and the past's answers, imported, stay out (see "the demo's past"). */
  const allSurveys = async () =>
    (await everySurvey()).filter(
      (s) => (!s.ticket || Date.parse(s.ticket.openedAt) >= seeded.from) && (!s.answer || Date.parse(s.answer.answeredAt) >= seeded.from),
    );
  const everySurvey = () =>
    everything(
      async (after) =>
        (
          await graph.query(
            graphql(`query DemoSurveys($after: String) { surveys(first: 100, after: $after) {
              edges { node { kind status link answer { score comment answeredAt reading { language themes sentiment } } ticket { openedAt } } }
              pageInfo { hasNextPage endCursor } } }`),
            { after },
          )
        ).surveys,
    );

  it("answers the CSAT surveys about resolved tickets and the post-sale surveys about delivered units, as the world says", async () => {
    // when
    const answered = (await allSurveys()).filter((s) => s.status === "ANSWERED");

    // then
    const { surveysAnswered } = summary.counts.feedback;
    const byKind = countBy(answered, (s) => s.kind);
    for (const kind of DEMO_SURVEY_KINDS) expect(byKind[kind] ?? 0, kind).toBe(surveysAnswered[kind]);
    const expected = plan();
    // Every planned CSAT answer was given, and nothing else: the same scores and comments.
    const csat = answered.filter((s) => s.kind === "CSAT").map((s) => `${s.answer?.score} ${s.answer?.comment}`);
    expect(csat.sort()).toEqual(
      Object.values(expected.csat)
        .map((a) => `${a.score} ${a.comment}`)
        .sort(),
    );
    expect(surveysAnswered.CSAT).toBeGreaterThanOrEqual(3);
    const scores = answered.filter((s) => s.kind === "CSAT").map((s) => s.answer!.score);
    expect(scores.some((score) => score <= 3)).toBe(true);
    expect(scores.filter((score) => score >= 4).length).toBeGreaterThan(scores.length / 2);
    // Units delivered in the last days are not due yet; those whose time to answer is over were answered in the past.
    const pastPostSale = summary.counts.history.postSaleAnswers;
    expect(surveysAnswered.POST_SALE).toBeGreaterThanOrEqual(10);
    expect(surveysAnswered.POST_SALE + pastPostSale).toBeGreaterThanOrEqual(100);
    expect(surveysAnswered.POST_SALE + pastPostSale).toBeLessThanOrEqual(Object.keys(expected.postSale).length);
    // Comments in English and German, read for many themes, some happy and some not.
    const readings = answered.flatMap((s) => (s.answer?.comment ? [s.answer.reading] : []));
    expect(new Set(readings.map((r) => r.language))).toEqual(new Set(["en", "de"]));
    expect(new Set(readings.flatMap((r) => r.themes)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(readings.map((r) => r.sentiment))).toEqual(new Set(["POSITIVE", "NEGATIVE", "MIXED"]));
    expect(answered.some((s) => s.answer?.comment === null)).toBe(true);
  });

  it("leaves a few surveys open, whose links open the survey page", async () => {
    // when
    const open = (await allSurveys()).filter((s) => s.status === "OPEN");

    // then
    expect(open).toHaveLength(summary.counts.feedback.surveysOpen);
    expect(open.length).toBe(plan().leaveOpen.length);
    // absolute links on the gateway's public address, to be e-mailed as they are
    const surveyPages = `${new URL(graph.url).origin}/surveys/`;
    expect(open.every((s) => s.link?.startsWith(surveyPages) && /^[A-Za-z0-9_-]{43}$/.test(s.link.slice(surveyPages.length)))).toBe(true);
    expect(open.some((s) => s.kind === "CSAT")).toBe(true);
    const link = summary.handles.surveyLink;
    expect(open.map((s) => s.link)).toContain(link);
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("How satisfied are you");
  });

  it("shows an analyst the satisfaction the seed's answers make today", async () => {
    // when
    const data = await graph.as({ role: "ANALYST" }).query(
      graphql(`query DemoSatisfactionToday($from: Date!) { insights(filter: { from: $from }) {
        csat: satisfaction(measure: CSAT) { totalCount edges { node { figures { responses averageScore satisfiedShare } } } }
        postSale: satisfaction(measure: POST_SALE) { edges { node { figures { responses averageScore satisfiedShare } } } }
      }
      ever: insights { postSale: satisfaction(measure: POST_SALE) { edges { node { figures { responses averageScore satisfiedShare } } } } } }`),
      { from: today },
    );

    // then
    const csat = data.insights.csat.edges[0]!.node.figures;
    expect(data.insights.csat.totalCount).toBe(1);
    expect(csat.responses).toBe(summary.counts.feedback.surveysAnswered.CSAT);
    const scores = Object.values(plan().csat).map((a) => a.score);
    expect(csat.averageScore).toBeCloseTo(scores.reduce((sum, score) => sum + score, 0) / scores.length, 6);
    expect(csat.satisfiedShare).toBeCloseTo(scores.filter((score) => score >= 4).length / scores.length, 6);
    // Today's post-sale answers are the recent deliveries' and the complaints (a low score with a comment opens a case now):
    // some satisfied, some not; with the past's answers, most customers are satisfied.
    const postSale = data.insights.postSale.edges[0]!.node.figures;
    expect(postSale.responses).toBe(summary.counts.feedback.surveysAnswered.POST_SALE);
    expect(postSale.satisfiedShare).toBeGreaterThan(0);
    expect(postSale.satisfiedShare).toBeLessThan(1);
    const ever = data.ever.postSale.edges[0]!.node.figures;
    expect(ever.responses).toBe(summary.counts.feedback.surveysAnswered.POST_SALE + summary.counts.history.postSaleAnswers);
    expect(ever.satisfiedShare).toBeGreaterThan(0.5);
    expect(ever.satisfiedShare).toBeLessThan(1);
  });

  it("records complaints, suggestions and praise about a unit, a ticket, products and dealers", async () => {
    // when
    const { feedback } = await graph.query(
      graphql(`query DemoFeedback { feedback(first: 100) {
        edges { node { kind comment reading { themes sentiment } customer { id } unit { id } ticket { id } product { id } aboutDealer { id } } }
        pageInfo { hasNextPage endCursor } } }`),
    );

    // then
    const entries = feedback.edges.map((edge) => edge.node);
    expect(entries).toHaveLength(summary.counts.feedback.feedbackEntries);
    expect(entries.map((e) => e.comment).sort()).toEqual(
      plan()
        .entries.map((e) => e.comment)
        .sort(),
    );
    expect(Object.keys(countBy(entries, (e) => e.kind)).sort()).toEqual(["COMPLAINT", "PRAISE", "SUGGESTION"]);
    const unitComplaint = entries.find((e) => e.kind === "COMPLAINT" && e.unit && !e.ticket);
    expect(unitComplaint?.customer).not.toBeNull();
    expect(unitComplaint?.reading.sentiment).toBe("NEGATIVE");
    expect(unitComplaint?.reading.themes).toContain("REPAIR_QUALITY");
    expect(entries.some((e) => e.kind === "COMPLAINT" && e.ticket)).toBe(true);
    const suggestions = entries.filter((e) => e.kind === "SUGGESTION");
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect(suggestions.every((e) => e.product && e.customer)).toBe(true);
    const praise = entries.filter((e) => e.kind === "PRAISE");
    expect(praise.length).toBeGreaterThanOrEqual(1);
    expect(praise.every((e) => e.aboutDealer && e.reading.sentiment === "POSITIVE")).toBe(true);
  });

  it("answers the same for the same seed and date, and otherwise for another seed", () => {
    // given
    const options = { seed: 7, today: "2026-03-14" };

    // when
    const once = feedbackOf(buildDemoWorld(options));
    const again = feedbackOf(buildDemoWorld(options));
    const other = feedbackOf(buildDemoWorld({ ...options, seed: 8 }));

    // then
    expect(again).toEqual(once);
    expect(other).not.toEqual(once);
    expect(once.leaveOpen.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(once.csat).length).toBeGreaterThanOrEqual(1);
  });
});

describe("the demo's past", () => {
  const analyst = () => graph.as({ role: "ANALYST" });
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  /** The month `n` months before the current one, `YYYY-MM`. */
  const monthsAgo = (n: number) => addMonthsClamped(`${today.slice(0, 7)}-01`, -n).slice(0, 7);

  it("gives the insights eighteen months of tickets and answers before this one, with trends to see", async () => {
    // when
    const { insights } = await analyst().query(
      graphql(`query DemoPastTrends { insights {
        resolution(groupBy: MONTH, first: 100) { edges { node { group { key } figures { resolved slaMet medianHoursToResolve firstTimeFixes repairs } } } }
        csat: satisfaction(measure: CSAT, groupBy: MONTH, first: 100) { edges { node { group { key } figures { responses averageScore } } } }
        repeat: repeatRepairs(withinDays: 30) { edges { node { repairs repeated } } }
      } }`),
    );

    // then: every month of the past has tickets resolved and answers, and today's month the live world's
    const { history } = summary.counts;
    const months = Array.from({ length: 18 }, (_, i) => monthsAgo(18 - i));
    expect(history.from.slice(0, 7)).toBe(months[0]);
    const resolution = new Map(insights.resolution.edges.map(({ node }) => [node.group.key, node.figures]));
    const csat = new Map(insights.csat.edges.map(({ node }) => [node.group.key, node.figures]));
    for (const month of months) {
      expect(resolution.get(month)?.resolved, month).toBeGreaterThan(0);
      expect(csat.get(month)?.responses, month).toBeGreaterThan(0);
    }
    expect(insights.resolution.edges.length).toBeGreaterThanOrEqual(18);
    // Resolution time falls and satisfaction rises over the eighteen months.
    const hours = (from: number, to: number) => mean(months.slice(from, to).map((m) => resolution.get(m)!.medianHoursToResolve ?? 0));
    const score = (from: number, to: number) => mean(months.slice(from, to).map((m) => csat.get(m)!.averageScore ?? 0));
    expect(hours(0, 4)).toBeGreaterThan(1.5 * hours(14, 18));
    expect(score(14, 18)).toBeGreaterThan(score(0, 4) + 0.5);
    // Some breach their SLA, some fixes do not hold, some repairs come back.
    const past = months.map((m) => resolution.get(m)!);
    expect(past.reduce((sum, f) => sum + f.slaMet, 0)).toBeLessThan(past.reduce((sum, f) => sum + f.resolved, 0));
    expect(past.reduce((sum, f) => sum + f.firstTimeFixes, 0)).toBeLessThan(past.reduce((sum, f) => sum + f.repairs, 0));
    expect(history.reopened).toBeGreaterThan(0);
    expect(insights.repeat.edges[0]?.node.repeated).toBeGreaterThan(0);
  });

  it("has more tickets in winter than in summer, and one product's failure spike some eight months ago", async () => {
    // given
    const { products } = await graph.query(graphql(`query DemoProductSkus { products(first: 100) { edges { node { id sku } } } }`));
    const spiking = products.edges.find(({ node }) => node.sku === "ESP-300")!.node.id;

    // when
    graphql(`fragment DemoResolvedByMonth on Insights { resolution(groupBy: MONTH, first: 100) { edges { node { group { key } figures { resolved } } } } }`);
    const read = await analyst().query(
      graphql(`query DemoFailureSpike($spiking: [ID!]) {
        all: insights { ...DemoResolvedByMonth } spiking: insights(filter: { productIds: $spiking }) { ...DemoResolvedByMonth } }`),
      { spiking: [spiking] },
    );

    // then: December and January busier than June and July, on average over the past
    const resolved = (connection: DemoResolvedByMonthFragment) =>
      new Map(connection.resolution.edges.map(({ node }) => [node.group.key, node.figures.resolved]));
    const all = resolved(read.all);
    const past = Array.from({ length: 18 }, (_, i) => monthsAgo(18 - i));
    const inMonths = (calendarMonths: string[]) => past.filter((m) => calendarMonths.includes(m.slice(5, 7))).map((m) => all.get(m) ?? 0);
    expect(mean(inMonths(["12", "01"]))).toBeGreaterThan(1.3 * mean(inMonths(["06", "07"])));
    // The espresso machine's pump failures: its busiest month lies six to ten months back.
    const spike = [...resolved(read.spiking)].filter(([month]) => month !== null && past.includes(month)).sort(([, a], [, b]) => b - a)[0]?.[0];
    expect([6, 7, 8, 9, 10].map(monthsAgo)).toContain(spike);
  });

  it("shows NPS rising over the eighteen months and outreach reaching and converting more, month by month", async () => {
    // when an analyst reads NPS, post-sale answers and outreach conversion by month, and outreach by reason and level
    const from = summary.counts.history.from;
    const { insights } = await analyst().query(DEMO_PAST_NPS, {});
    const { outreachInsights } = await analyst().query(DEMO_PAST_OUTREACH, { filter: { from } });

    // then most months of the past hold NPS answers, post-sale answers and outreach contacts
    const months = Array.from({ length: 18 }, (_, i) => monthsAgo(18 - i));
    const nps = new Map(insights.nps.edges.map(({ node }) => [node.group.key, node.figures]));
    const postSale = new Map(insights.postSale.edges.map(({ node }) => [node.group.key, node.figures.responses]));
    const conversion = new Map(outreachInsights.byMonth.edges.map(({ node }) => [node.group.key, node.figures]));
    const filled = (counts: (number | undefined)[]) => counts.filter((count) => (count ?? 0) > 0).length;
    expect(filled(months.map((m) => nps.get(m)?.responses))).toBeGreaterThanOrEqual(15);
    expect(filled(months.map((m) => postSale.get(m)))).toBeGreaterThanOrEqual(10);
    expect(filled(months.map((m) => conversion.get(m)?.opened))).toBeGreaterThanOrEqual(15);
    expect(summary.counts.history.npsAnswers).toBeGreaterThanOrEqual(100);

    // NPS of the last six months pooled is well above the first six's
    const pooledNps = (span: string[]) => {
      const f = span.map((m) => nps.get(m) ?? { responses: 0, promoters: 0, detractors: 0 });
      const responses = f.reduce((sum, x) => sum + x.responses, 0);
      return (100 * (f.reduce((sum, x) => sum + (x.promoters ?? 0), 0) - f.reduce((sum, x) => sum + (x.detractors ?? 0), 0))) / responses;
    };
    expect(pooledNps(months.slice(12))).toBeGreaterThan(pooledNps(months.slice(0, 6)) + 20);

    // outreach converts a larger share of what it opens in the last six months than in the first six
    const rate = (span: string[], of: "converted" | "contacted") => {
      const f = span.map((m) => conversion.get(m) ?? { opened: 0, contacted: 0, converted: 0 });
      return f.reduce((sum, x) => sum + x[of], 0) / f.reduce((sum, x) => sum + x.opened, 0);
    };
    expect(rate(months.slice(12), "converted")).toBeGreaterThan(rate(months.slice(0, 6), "converted"));
    expect(rate(months, "contacted")).toBeGreaterThan(0.5);
    // refills convert (to the purchase the call led to, priced), check-ins and detractors are talked to
    const byReason = new Map(outreachInsights.byReason.edges.map(({ node }) => [node.group.key, node.figures]));
    expect(byReason.get("REFILL_DUE")?.converted).toBeGreaterThan(0);
    expect(byReason.get("REFILL_DUE")?.revenue.length).toBeGreaterThan(0);
    expect(byReason.get("POST_SALE_CHECK_IN")?.contacted).toBeGreaterThan(0);
    expect(byReason.get("DETRACTOR")?.contacted).toBeGreaterThan(0);

    // the more closely customers are looked after, the higher their NPS
    const level = new Map(outreachInsights.relationshipLevels.map((l) => [l.level, l.satisfaction]));
    for (const l of ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"] as const) expect(level.get(l)?.npsResponses, l).toBeGreaterThan(0);
    expect(level.get("ACTIVE")!.nps!).toBeGreaterThan(level.get("BASIC")!.nps! + 20);
    expect(level.get("RESPONSIBLE")!.nps!).toBeGreaterThan(level.get("REACTIVE")!.nps!);
  });
});

const DEMO_PAST_NPS = graphql(`query DemoPastNps {
  insights {
    nps: satisfaction(measure: NPS, groupBy: MONTH, first: 100) { edges { node { group { key } figures { responses promoters detractors } } } }
    postSale: satisfaction(measure: POST_SALE, groupBy: MONTH, first: 100) { edges { node { group { key } figures { responses } } } }
  }
}`);
const DEMO_PAST_OUTREACH = graphql(`query DemoPastOutreach($filter: OutreachInsightsFilter) {
  outreachInsights(filter: $filter) {
    byMonth: conversion(groupBy: MONTH, first: 100) { edges { node { group { key } figures { opened contacted converted } } } }
    byReason: conversion(groupBy: REASON, first: 100) { edges { node { group { key } figures { opened contacted converted revenue { amount currency } } } } }
    relationshipLevels { level satisfaction { npsResponses nps } }
  }
}`);

describe("the demo world", () => {
  it("is the same for the same seed and date, and different for another seed", () => {
    // given
    const options = { seed: 7, today: "2026-03-14" };

    // when
    const first = buildDemoWorld(options);
    const second = buildDemoWorld(options);
    const other = buildDemoWorld({ ...options, seed: 8 });

    // then
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(other.customers.map((c) => c.name)).not.toEqual(first.customers.map((c) => c.name));
  });

  it("places every date relative to the reference date", () => {
    // given
    const today = "2026-03-14";

    // when
    const world = buildDemoWorld({ seed: DEFAULT_DEMO_SEED, today });
    const later = buildDemoWorld({ seed: DEFAULT_DEMO_SEED, today: addDays(today, 100) });

    // then
    const dates = [
      ...world.units.flatMap((u) => u.events.map((e) => e.occurredOn)),
      ...world.purchases.map((p) => p.purchasedOn),
      ...world.warranty.claims.flatMap((c) => [c.failureOn, c.repairOn]),
    ];
    expect(dates.every((date) => date <= today)).toBe(true);
    expect(later.units[0]?.events[0]?.occurredOn).toBe(addDays(world.units[0]!.events[0]!.occurredOn, 100));
    expect(later.forecasts.map((f) => f.daysLeft)).toEqual(world.forecasts.map((f) => f.daysLeft));
    // Contracts start within a year back (or follow a warranty ending within a year); the same units, claims and outcomes later on.
    expect(world.warranty.contracts.every((c) => c.startsOn >= addDays(today, -366) && c.startsOn <= addDays(today, 366))).toBe(true);
    expect(world.warranty.contracts.filter((c) => c.kind === "AFTER_WARRANTY").every((c) => c.startsOn < today)).toBe(true);
    // (Serial numbers hold the month of registration: units are told apart by their place in the world.)
    const place = (w: typeof world, serialNumber: string) => w.units.findIndex((u) => u.serialNumber === serialNumber);
    const claimsOf = (w: typeof world) => w.warranty.claims.map((c) => [place(w, c.serialNumber), c.workshop, c.failureCode, c.status]);
    expect(claimsOf(later)).toEqual(claimsOf(world));
    const expiringOf = (w: typeof world) => w.warranty.expiring.map((e) => place(w, e.serialNumber));
    expect(expiringOf(later)).toEqual(expiringOf(world));
  });

  it("refuses a reference date that is not a date", () => {
    expect(() => buildDemoWorld({ today: "2026-02-30" })).toThrow(/reference date/);
  });
});

// The README's documents are read from the README at run time, so they stay strings: no literal for graphql().
describe("the README", () => {
  it("shows a first query that runs on the demo data and finds installed units and refills due", async () => {
    // given: the first GraphQL block of the README, as a new user pastes it
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const query = /```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(query).toBeDefined();
    // when
    const data = await graph.query<{
      units: { edges: { node: { customer: { name: string }; events: unknown[] } }[] };
      dealers: { edges: { node: { replenishmentDue: { edges: unknown[] } } }[] };
    }>(String(query));
    // then
    expect(data.units.edges).toHaveLength(5);
    expect(data.units.edges.every((e) => e.node.customer.name && e.node.events.length >= 4)).toBe(true);
    expect(data.dealers.edges.some((e) => e.node.replenishmentDue.edges.length > 0)).toBe(true);
  });

  it("shows a tickets query that finds tickets with their SLA clocks, dispatch, parts and loaners", async () => {
    // given: the README's GraphQL block about tickets
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const query = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]).find((q) => q?.includes("ticketsAtRisk"));
    expect(query).toBeDefined();
    // when
    interface Node {
      status: string;
      priority: string;
      sla: { source: string; response: { state: string }; resolution: { state: string } };
      dispatch: { explanation: string; serviceCenter: { name: string } | null } | null;
      partsUsed: unknown[];
      loaner: unknown;
      coverage: { kind: string } | null;
    }
    const data = await graph.query<{ tickets: { edges: { node: Node }[] }; ticketsAtRisk: { edges: unknown[] } }>(String(query));
    // then
    const nodes = data.tickets.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(10);
    expect(nodes[0]?.priority).toBe("P1");
    expect(nodes.some((n) => n.dispatch?.serviceCenter?.name && n.dispatch.explanation)).toBe(true);
    expect(nodes.some((n) => n.partsUsed.length > 0)).toBe(true);
    expect(nodes.some((n) => n.loaner)).toBe(true);
    expect(nodes.some((n) => n.coverage?.kind)).toBe(true);
    expect(new Set(nodes.map((n) => n.sla.source)).size).toBeGreaterThanOrEqual(2);
    // What is at risk depends on the time of day (clocks count business hours only); the query answers either way.
    expect(Array.isArray(data.ticketsAtRisk.edges)).toBe(true);
  });

  it("shows a warranty query that finds contracts covering units, claims and warranties running out", async () => {
    // given: the README's GraphQL block about warranties
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const query = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]).find((q) => q?.includes("warrantyExpiring"));
    expect(query).toBeDefined();
    // when
    const data = await graph.query<{
      serviceContracts: { edges: { node: { units: { unit: { coverage: { kind: string } } }[]; plan: { name: string } } }[] };
      warrantyClaims: { edges: { node: { status: string; lines: unknown[] } }[] };
      dealers: { edges: { node: { warrantyExpiring: { edges: { node: { offers: unknown[] } }[] } } }[] };
    }>(String(query));
    // then
    expect(data.serviceContracts.edges).toHaveLength(3);
    expect(data.serviceContracts.edges.every((e) => e.node.units.length > 0 && e.node.plan.name)).toBe(true);
    expect(data.warrantyClaims.edges.map((e) => e.node.status).sort()).toEqual(
      Object.entries(summary.counts.warranty.claims)
        .flatMap(([status, n]) => (status === "total" ? [] : Array<string>(n).fill(status)))
        .sort(),
    );
    const expiring = data.dealers.edges.flatMap((e) => e.node.warrantyExpiring.edges);
    expect(expiring.length).toBeGreaterThan(0);
    expect(expiring.every((e) => e.node.offers.length === 3)).toBe(true);
  });
});

describe("the demo's money", () => {
  interface Money {
    amount: string;
    currency: string;
  }
  graphql(`fragment DemoMoney on Money { amount currency }`);

  /** Every `{ amount, currency }` in an answer, with the path it was found at. */
  const moneyIn = (value: unknown, path = ""): { path: string; money: Money }[] => {
    if (Array.isArray(value)) return value.flatMap((item, i) => moneyIn(item, `${path}[${i}]`));
    if (value === null || typeof value !== "object") return [];
    const record = value as Record<string, unknown>;
    if (typeof record.amount === "string" && typeof record.currency === "string")
      return [{ path, money: { amount: record.amount, currency: record.currency } }];
    return Object.entries(record).flatMap(([key, item]) => moneyIn(item, path ? `${path}.${key}` : key));
  };

  it("writes yen without decimals, as the Japanese dealer sees them, and euros, pounds and dollars with their cents", async () => {
    // when every kind of amount is read: rates, prices paid, contract prices, claims and offers (computed from prices)
    const dealers = await graph.query(
      graphql(`query DemoLaborRates { dealers(first: 100) { edges { node { id laborRate { ...DemoMoney } } } pageInfo { hasNextPage endCursor } } }`),
    );
    const japanese = dealers.dealers.edges.map((e) => e.node).filter((d) => d.laborRate.currency === "JPY");
    expect(japanese.length).toBeGreaterThan(0);
    const answers: unknown[] = [dealers];
    for (const dealer of japanese) {
      const asDealer = graph.as({ role: "DEALER", dealerId: dealer.id });
      answers.push(
        await asDealer.query(
          graphql(`query DemoDealerAmounts($id: ID!) {
            units(first: 100) { edges { node { purchasePrice { ...DemoMoney } } } }
            serviceContracts(first: 100) { edges { node { price { ...DemoMoney } units { price { ...DemoMoney } } } } }
            warrantyClaims(first: 100) { edges { node { claimedTotal { ...DemoMoney } approvedTotal { ...DemoMoney }
              lines { claimed { ...DemoMoney } approved { ...DemoMoney } } } } }
            dealer(id: $id) { warrantyExpiring(within: 365, first: 100) { edges { node { offers { price { ...DemoMoney } } } } } }
          }`),
          { id: dealer.id },
        ),
      );
    }
    answers.push(
      await graph.query(
        graphql(`query DemoStaffAmounts {
          serviceContracts(first: 100) { edges { node { price { ...DemoMoney } } } }
          warrantyClaims(first: 100) { edges { node { claimedTotal { ...DemoMoney } approvedTotal { ...DemoMoney } } } }
        }`),
      ),
    );
    const found = answers.flatMap((answer) => moneyIn(answer));
    // then every amount has exactly its currency's decimals
    const yen = found.filter((f) => f.money.currency === "JPY");
    const others = found.filter((f) => f.money.currency !== "JPY");
    expect(yen.filter((f) => !/^\d+$/.test(f.money.amount))).toEqual([]);
    expect(others.filter((f) => !/^\d+\.\d{2}$/.test(f.money.amount))).toEqual([]);
    // and yen show up in what was computed from a price (offers at a share of it, contracts, claims), not only in prices typed in
    expect(yen.some((f) => /offers|serviceContracts|warrantyClaims/.test(f.path))).toBe(true);
    expect(yen.some((f) => f.path.includes("purchasePrice"))).toBe(true);
  });
});
