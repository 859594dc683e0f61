import { readFileSync } from "node:fs";
import { buildDemoWorld, DEFAULT_DEMO_SEED, seedDemo, UNIT_STATUSES, type DemoSummary } from "@aftersales/gateway/demo";
import { addDays, addYears, todayUtc } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * The demo dataset `npm start` seeds: written through the gateway without a
 * single refusal, and holding what the README promises.
 */

let graph: TestGraph;
let summary: DemoSummary;
const today = todayUtc();

beforeAll(async () => {
  // Reading the whole dataset back takes queries far costlier than a client may send.
  graph = await startGraph({ limits: { maxCost: 10_000_000 } });
  summary = await seedDemo({ url: graph.url, token: await graph.token({ role: "ADMIN" }), today });
}, 120_000);
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
  items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [key(item)]: (counts[key(item)] ?? 0) + 1 }), {});

interface Dealer {
  id: string;
  name: string;
  kind: "DEALER" | "SERVICE_CENTER" | "BOTH";
  laborRate: { amount: string; currency: string };
  warrantyWorkshop: { authorizedFrom: string; authorizedUntil: string | null } | null;
  calendar: { timeZone: string; weeklyWindows: { day: string; opens: string; closes: string }[]; holidays: { date: string }[] };
  technicians: { skills: string[]; active: boolean }[];
}

const DEALERS = `query($after: String) {
  dealers(first: 100, after: $after) {
    edges { node { id name kind laborRate { amount currency }
      warrantyWorkshop { authorizedFrom authorizedUntil }
      calendar { timeZone weeklyWindows { day opens closes } holidays { date } }
      technicians { skills active } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const allDealers = () =>
  everything(async (after) => (await graph.query<{ dealers: Page<Dealer> }>(DEALERS, { after })).dealers);

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
    interface Customer {
      kind: string;
      companyName: string | null;
      relationshipLevel: string;
      location: { latitude: number } | null;
      homeDealer: { kind: string };
    }
    const customers = await everything(
      async (after) =>
        (
          await graph.query<{ customers: Page<Customer> }>(
            `query($after: String) { customers(first: 100, after: $after) {
              edges { node { kind companyName relationshipLevel location { latitude } homeDealer { kind } } }
              pageInfo { hasNextPage endCursor } } }`,
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
    expect(customers.every((c) => c.homeDealer.kind !== "SERVICE_CENTER" && c.location)).toBe(true);
  });
});

describe("the demo catalog", () => {
  interface Product {
    sku: string;
    kind: string;
    lifecycleStage: string;
    discontinuedOn: string | null;
    partsGuaranteedUntil: string | null;
    successor: { sku: string } | null;
    replenishmentCycleDays: number | null;
    billOfMaterials: { part: { sku: string } }[];
    repairStandards: { failureCode: string; hours: number }[];
    fittings: { sku: string }[];
  }

  const allProducts = () =>
    everything(
      async (after) =>
        (
          await graph.query<{ products: Page<Product> }>(
            `query($after: String) { products(first: 100, after: $after) {
              edges { node { sku kind lifecycleStage discontinuedOn partsGuaranteedUntil successor { sku } replenishmentCycleDays
                billOfMaterials { part { sku } } repairStandards { failureCode hours } fittings { sku } } }
              pageInfo { hasNextPage endCursor } } }`,
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
  interface Unit {
    serialNumber: string;
    status: string;
    customer: { id: string } | null;
    soldBy: { id: string } | null;
    purchasePrice: { amount: string; currency: string } | null;
    events: { kind: string; occurredOn: string }[];
  }

  const allUnits = () =>
    everything(
      async (after) =>
        (
          await graph.query<{ units: Page<Unit> }>(
            `query($after: String) { units(first: 100, after: $after) {
              edges { node { serialNumber status customer { id } soldBy { id } purchasePrice { amount currency } events { kind occurredOn } } }
              pageInfo { hasNextPage endCursor } } }`,
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
    const data = await graph.query<{
      unit: { status: string; product: { name: string }; customer: { name: string } | null; soldBy: { name: string } | null } | null;
    }>(`query($serial: String!) { unit(serialNumber: $serial) { status product { name } customer { name } soldBy { name } } }`, {
      serial: summary.handles.serialNumber,
    });

    // then
    expect(data.unit?.status).toBe("INSTALLED");
    expect(data.unit?.customer?.name).toBeTruthy();
    expect(data.unit?.soldBy?.name).toBeTruthy();
  });
});

describe("the demo refills and stock", () => {
  interface Forecast {
    method: "PRODUCT_CYCLE" | "CUSTOMER_HISTORY";
    daysLeft: number;
    runsOutOn: string;
    product: { sku: string };
  }

  const dueFor = async (within: number) => {
    const sellers = (await allDealers()).filter((d) => d.kind !== "SERVICE_CENTER");
    const byDealer = await Promise.all(
      sellers.map(async (dealer) =>
        everything(
          async (after) =>
            (
              await graph.query<{ dealer: { replenishmentDue: Page<Forecast> } }>(
                `query($id: ID!, $within: Int!, $after: String) { dealer(id: $id) { replenishmentDue(within: $within, first: 100, after: $after) {
                  edges { node { method daysLeft runsOutOn product { sku } } } pageInfo { hasNextPage endCursor } } } }`,
                { id: dealer.id, within, after },
              )
            ).dealer.replenishmentDue,
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
    interface Stock {
      part: { sku: string };
      onHand: number;
      reorderPoint: number;
      maxLevel: number;
      shortage: boolean;
      overstock: boolean;
    }
    const data = await graph.query<{
      dealers: { edges: { node: { kind: string; short: Page<Stock>; over: Page<Stock>; all: Page<Stock> } }[] };
    }>(
      `{ dealers(first: 100, filter: { kinds: [SERVICE_CENTER, BOTH] }) { edges { node { kind
        short: partsStock(filter: { shortage: true }, first: 100) { edges { node { part { sku } onHand reorderPoint maxLevel shortage overstock } } pageInfo { hasNextPage endCursor } }
        over: partsStock(filter: { overstock: true }, first: 100) { edges { node { part { sku } onHand reorderPoint maxLevel shortage overstock } } pageInfo { hasNextPage endCursor } }
        all: partsStock(first: 100) { edges { node { part { sku } onHand reorderPoint maxLevel shortage overstock } } pageInfo { hasNextPage endCursor } }
      } } } }`,
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
    ];
    expect(dates.every((date) => date <= today)).toBe(true);
    expect(later.units[0]?.events[0]?.occurredOn).toBe(addDays(world.units[0]!.events[0]!.occurredOn, 100));
    expect(later.forecasts.map((f) => f.daysLeft)).toEqual(world.forecasts.map((f) => f.daysLeft));
  });

  it("refuses a reference date that is not a date", () => {
    expect(() => buildDemoWorld({ today: "2026-02-30" })).toThrow(/reference date/);
  });
});

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
});
