import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@aftersales/kit";
import { createCustomer, createDealer, createProduct, productInput, registerUnit, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { CatalogAccessForecastFragment, RecordConsumablePurchaseInput } from "./src/generated/graphql.js";
import { startGraph, type Client, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { withPlaceholders } from "./src/tenants.js";

/**
 * Who sees and changes what in the catalog: a DEALER only its own units,
 * purchases, forecasts and stock, another dealer's answered exactly like
 * something that does not exist; product master data only by ADMINs; nothing
 * written by ANALYSTs. Data is seeded as an ADMIN, then read and changed as
 * the other roles.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

interface Ref {
  id: string;
}

interface CatalogError {
  code: string;
  field: string[] | null;
  message: string;
}

interface SeededUnit {
  id: string;
  serialNumber: string;
}

const PRICE = { amount: "1299.00", currency: "EUR" };

/** Runs a mutation as `client` and returns its raw response (payload under `m`); written from the tables' mutation names, so a string. */
const mutate = <T>(client: Client, mutation: string, selection: string, input: Record<string, unknown>) =>
  client.request<{ m: T }>(
    `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { m: ${mutation}(input: $input) { ${selection} errors { code field message } } }`,
    { input },
  );

/** Runs a mutation as `client` that must answer with a payload, and returns it. */
const payloadOf = async <T>(client: Client, mutation: string, selection: string, input: Record<string, unknown>) => {
  const response = await mutate<T & { errors: CatalogError[] }>(client, mutation, selection, input);
  if (!response.data) throw new Error(`${mutation}: ${JSON.stringify(response.errors)}`);
  return response.data.m;
};

/** Seeds, as an ADMIN, a mutation that must succeed. */
const seed = async (mutation: string, input: Record<string, unknown>) => {
  const payload = await payloadOf<unknown>(graph, mutation, "", input);
  expect(payload.errors).toEqual([]);
};

/** A dealer with a customer, a unit sold to it, a unit in stock and five of a part on its shelf. */
async function dealerWithUnits(productId: string, partId: string) {
  const dealer = (await createDealer(graph)).id;
  const customer = (await createCustomer(graph, dealer)).id;
  const unit = async (): Promise<SeededUnit> => {
    const serialNumber = `SN-${tag()}`;
    return { id: (await registerUnit(graph, productId, dealer, { serialNumber })).id, serialNumber };
  };
  const sold = await unit();
  await seed("sellUnit", { unitId: sold.id, customerId: customer, price: PRICE, soldOn: "2025-02-01" });
  const inStock = await unit();
  await seed("setPartStock", { serviceCenterId: dealer, partId, onHand: 5 });
  return { dealer, customer, sold, inStock };
}

/** Two dealers with the same product and part, and a client acting as each. */
async function twoDealers() {
  const product = (await createProduct(graph)).id;
  const part = (await createProduct(graph, { kind: "SPARE_PART" })).id;
  const a = await dealerWithUnits(product, part);
  const b = await dealerWithUnits(product, part);
  return {
    product,
    part,
    a,
    b,
    asA: graph.as({ role: "DEALER", dealerId: a.dealer }),
    asB: graph.as({ role: "DEALER", dealerId: b.dealer }),
  };
}

// What the access tests compare of a unit, before and after, spread into the reads below.
graphql(`fragment CatalogAccessUnitFields on Unit { id serialNumber status version dealer { id } customer { id } events { kind occurredOn } }`);
const UNIT_BY_ID = graphql(`query CatalogAccessUnitById($id: ID!) { unit(id: $id) { ...CatalogAccessUnitFields } }`);
const UNIT_AND_PRODUCT = graphql(
  `query CatalogAccessUnitAndProduct($id: ID!, $p: ID!) { unit(id: $id) { ...CatalogAccessUnitFields } product(id: $p) { name version } }`,
);

const serialsOf = (connection: { edges: { node: { serialNumber: string } }[] }) => connection.edges.map((e) => e.node.serialNumber);

/** A response with the value it echoes (an id, a serial number) replaced, to compare answers about two different values. */
const echoing = (response: unknown, value: string) => JSON.parse(JSON.stringify(response).replaceAll(value, "<value>")) as unknown;

describe("reading as a DEALER", () => {
  it("shows a DEALER its own unit by id and by serial number, and another dealer's exactly like one that does not exist", async () => {
    // given
    const { a, b, asA } = await twoDealers();
    const byId = (client: Client, id: string) => client.request(UNIT_BY_ID, { id });
    const bySerial = (client: Client, serialNumber: string) =>
      client.request(graphql(`query CatalogAccessUnitBySerial($s: String!) { unit(serialNumber: $s) { ...CatalogAccessUnitFields } }`), { s: serialNumber });
    // when
    const own = await byId(asA, a.sold.id);
    const ownBySerial = await bySerial(asA, a.inStock.serialNumber);
    const foreign = await byId(asA, b.sold.id);
    const foreignBySerial = await bySerial(asA, b.sold.serialNumber);
    // then
    expect(own).toEqual({
      data: {
        unit: {
          id: a.sold.id,
          serialNumber: a.sold.serialNumber,
          status: "SOLD",
          version: 2,
          dealer: { id: a.dealer },
          customer: { id: a.customer },
          events: [
            { kind: "REGISTERED", occurredOn: "2025-01-10" },
            { kind: "SOLD", occurredOn: "2025-02-01" },
          ],
        },
      },
    });
    expect(ownBySerial).toEqual({ data: { unit: expect.objectContaining({ id: a.inStock.id, status: "IN_STOCK" }) } });
    expect(foreign).toEqual({ data: { unit: null } });
    expect(foreign).toEqual(await byId(asA, "unt_doesnotexist"));
    expect(foreignBySerial).toEqual(await bySerial(asA, "SN-DOES-NOT-EXIST"));
    // and staff and analysts see every dealer's unit
    for (const role of ["AGENT", "ANALYST", "ADMIN"] as const) {
      expect(await byId(graph.as({ role }), b.sold.id), role).toEqual({ data: { unit: expect.objectContaining({ id: b.sold.id }) } });
    }
  });

  it("lists only a DEALER's own units, and nothing for a filter naming another dealer or its customer", async () => {
    // given
    const { product, a, b, asA } = await twoDealers();
    const list = async (client: Client, filter: Record<string, unknown>) => {
      const { units } = await client.query(
        graphql(`query CatalogAccessUnits($filter: UnitFilter) { units(first: 100, filter: $filter) { edges { node { serialNumber } } } }`),
        { filter },
      );
      return serialsOf(units);
    };
    const serials = (...units: SeededUnit[]) => units.map((u) => u.serialNumber).sort();
    // when / then
    expect(await list(asA, {})).toEqual(serials(a.sold, a.inStock));
    expect(await list(asA, { productId: product })).toEqual(serials(a.sold, a.inStock));
    expect(await list(asA, { customerId: a.customer })).toEqual(serials(a.sold));
    expect(await list(asA, { dealerId: b.dealer })).toEqual([]);
    expect(await list(asA, { customerId: b.customer })).toEqual([]);
    expect(await list(asA, { dealerId: b.dealer, statuses: ["SOLD"] })).toEqual([]);
    // and an AGENT lists both dealers' units
    expect(await list(graph.as({ role: "AGENT" }), { productId: product })).toEqual(serials(a.sold, a.inStock, b.sold, b.inStock));
  });

  it("nests only a DEALER's own units and stock under customers and dealers", async () => {
    // given: A's customer also bought a unit from B
    const { product, a, b, asA } = await twoDealers();
    const boughtAtB = `SN-${tag()}`;
    await registerUnit(graph, product, b.dealer, { serialNumber: boughtAtB });
    await seed("sellUnit", { serialNumber: boughtAtB, customerId: a.customer, price: PRICE, soldOn: "2025-03-01" });
    const query = graphql(`query CatalogAccessCustomerDealer($customer: ID!, $own: ID!, $other: ID!) {
      customer(id: $customer) { units { edges { node { serialNumber } } } }
      own: dealer(id: $own) { unitsSold { edges { node { serialNumber } } } partsStock { edges { node { onHand serviceCenter { id } } } } }
      other: dealer(id: $other) { unitsSold { edges { node { serialNumber } } } partsStock { edges { node { onHand } } } } }`);
    const variables = { customer: a.customer, own: a.dealer, other: b.dealer };
    // when
    const seenByA = await asA.query(query, variables);
    const seenByAdmin = await graph.query(query, variables);
    // then
    expect(serialsOf(seenByA.customer!.units)).toEqual([a.sold.serialNumber]);
    expect(seenByA.own).toEqual({
      unitsSold: { edges: [{ node: { serialNumber: a.sold.serialNumber } }] },
      partsStock: { edges: [{ node: { onHand: 5, serviceCenter: { id: a.dealer } } }] },
    });
    expect(seenByA.other).toEqual({ unitsSold: { edges: [] }, partsStock: { edges: [] } });
    // while an ADMIN sees all of it
    expect(serialsOf(seenByAdmin.customer!.units)).toEqual([a.sold.serialNumber, boughtAtB].sort());
    expect(serialsOf(seenByAdmin.other!.unitsSold)).toEqual([b.sold.serialNumber, boughtAtB].sort());
    expect(seenByAdmin.other?.partsStock.edges).toEqual([{ node: { onHand: 5 } }]);
  });

  it("resolves another dealer's unit through _entities on the catalog subgraph as null, exactly like an unknown one", async () => {
    // given
    const { a, b } = await twoDealers();
    const catalogAsA = graph.subgraph("catalog", { role: "DEALER", dealerId: a.dealer });
    // when: the catalog subgraph asked directly, with A's identity signed as the gateway signs it
    // (`_entities` is a subgraph's own field, outside the API schema the typed documents are checked against)
    const response = await catalogAsA.request(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Unit { id serialNumber events { kind } }
        ... on Customer { id units { edges { node { serialNumber } } } }
        ... on Dealer { id unitsSold { edges { node { serialNumber } } } } } }`,
      {
        representations: [
          { __typename: "Unit", id: a.sold.id },
          { __typename: "Unit", id: b.sold.id },
          { __typename: "Unit", serialNumber: b.inStock.serialNumber },
          { __typename: "Unit", id: "unt_doesnotexist" },
          { __typename: "Unit", serialNumber: "SN-DOES-NOT-EXIST" },
          { __typename: "Customer", id: b.customer },
          { __typename: "Dealer", id: b.dealer },
        ],
      },
    );
    // then
    expect(response).toEqual({
      data: {
        _entities: [
          { id: a.sold.id, serialNumber: a.sold.serialNumber, events: [{ kind: "REGISTERED" }, { kind: "SOLD" }] },
          null,
          null,
          null,
          null,
          { id: b.customer, units: { edges: [] } },
          { id: b.dealer, unitsSold: { edges: [] } },
        ],
      },
    });
  });

  it("scopes a DEALER's pages in the same statements, however long the page", async () => {
    // given: five units at A
    const { product, a, asA } = await twoDealers();
    for (let i = 0; i < 3; i++) await registerUnit(graph, product, a.dealer);
    const query = graphql(
      `query CatalogAccessUnitsEdges($first: Int) { units(first: $first) { edges { node { serialNumber product { name } events { kind } } } } }`,
    );
    // the gateway asks partners whether a token's dealer exists on its first request, then remembers it
    await asA.query(query, { first: 1 });
    // when
    const one = await graph.countStatements(() => asA.query(query, { first: 1 }));
    const five = await graph.countStatements(() => asA.query(query, { first: 5 }));
    // then: the request's scope (`set_config`), the page with its products, the events: the dealer
    // filter is a condition of each statement, never a statement per row
    expect(five.result.units.edges).toHaveLength(5);
    expect(five.statements).toEqual(one.statements);
    expect(five.statements["catalog"]).toBe(3);
  });
});

describe("changing as a DEALER", () => {
  type UnitPayload = { unit: Ref | null; errors: CatalogError[] };

  it.each<{ mutation: string; unit: "sold" | "inStock"; input: (customer: string) => Record<string, unknown> }>([
    { mutation: "sellUnit", unit: "inStock", input: (customer) => ({ customerId: customer, price: PRICE, soldOn: "2025-03-01" }) },
    { mutation: "recordUnitEvent", unit: "sold", input: () => ({ kind: "DELIVERED", occurredOn: "2025-03-01" }) },
    { mutation: "transferUnit", unit: "sold", input: (customer) => ({ newCustomerId: customer, occurredOn: "2025-03-01" }) },
  ])("refuses $mutation on another dealer's unit exactly like on an unknown one, and leaves it as it was", async ({ mutation, unit, input }) => {
    // given
    const { a, b, asA, asB } = await twoDealers();
    const target = b[unit];
    const readAsAdmin = () => graph.query(UNIT_BY_ID, { id: target.id });
    const before = await readAsAdmin();
    for (const [field, value, unknown] of [
      ["unitId", target.id, "unt_doesnotexist"],
      ["serialNumber", target.serialNumber, "SN-DOES-NOT-EXIST"],
    ] as const) {
      // when
      const foreign = await mutate<UnitPayload>(asA, mutation, "unit { id }", { [field]: value, ...input(a.customer) });
      const missing = await mutate<UnitPayload>(asA, mutation, "unit { id }", { [field]: unknown, ...input(a.customer) });
      // then
      expect(foreign.data?.m, field).toEqual({
        unit: null,
        errors: [{ code: "UNIT_NOT_FOUND", field: [field], message: `No unit has the ${field} \`${value}\`.` }],
      });
      expect(echoing(foreign, value), field).toEqual(echoing(missing, unknown));
    }
    expect(await readAsAdmin()).toEqual(before);
    // while the same change by the unit's own dealer, for a customer of its own, goes through
    const customerOfB = (await createCustomer(graph, b.dealer)).id;
    const own = await payloadOf<UnitPayload>(asB, mutation, "unit { id }", { unitId: target.id, ...input(customerOfB) });
    expect(own).toEqual({ unit: { id: target.id }, errors: [] });
  });

  it("registers units in a DEALER's own stock, its own when left out, and refuses another dealer's", async () => {
    // given
    const { product, b, asA, a } = await twoDealers();
    const register = (client: Client, input: Record<string, unknown>) =>
      payloadOf<{ unit: { serialNumber: string; dealer: Ref } | null }>(client, "registerUnit", "unit { serialNumber dealer { id } }", {
        productId: product,
        registeredOn: "2025-01-10",
        ...input,
      });
    const [defaulted, named, foreign, byAdmin, byAgent] = ["D", "N", "F", "X", "G"].map((s) => `SN-${tag()}-${s}`) as [string, string, string, string, string];
    // when / then
    expect(await register(asA, { serialNumber: defaulted })).toEqual({ unit: { serialNumber: defaulted, dealer: { id: a.dealer } }, errors: [] });
    expect(await register(asA, { serialNumber: named, dealerId: a.dealer })).toEqual({ unit: { serialNumber: named, dealer: { id: a.dealer } }, errors: [] });
    expect(await register(asA, { serialNumber: foreign, dealerId: b.dealer })).toEqual({
      unit: null,
      errors: [{ code: "NOT_YOUR_DEALER", field: ["dealerId"], message: `You act for the dealer \`${a.dealer}\`; \`${b.dealer}\` is another one.` }],
    });
    // only a DEALER has a dealer of its own to default to
    expect(await register(graph, { serialNumber: byAdmin })).toEqual({
      unit: null,
      errors: [expect.objectContaining({ code: "REQUIRED", field: ["dealerId"] })],
    });
    // an AGENT registers for any dealer
    expect(await register(graph.as({ role: "AGENT" }), { serialNumber: byAgent, dealerId: b.dealer })).toEqual({
      unit: { serialNumber: byAgent, dealer: { id: b.dealer } },
      errors: [],
    });
    for (const serialNumber of [foreign, byAdmin]) {
      expect(await graph.query(graphql(`query CatalogAccessUnit($s: String!) { unit(serialNumber: $s) { id } }`), { s: serialNumber })).toEqual({ unit: null });
    }
  });

  it("refuses a DEALER's sale of its own unit through another dealer", async () => {
    // given
    const { a, b, asA } = await twoDealers();
    const sell = (dealerId: string) =>
      payloadOf<{ unit: { soldBy: Ref } | null }>(asA, "sellUnit", "unit { soldBy { id } }", {
        unitId: a.inStock.id,
        customerId: a.customer,
        price: PRICE,
        soldOn: "2025-03-01",
        dealerId,
      });
    // when / then
    expect(await sell(b.dealer)).toEqual({ unit: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })] });
    expect(await sell(a.dealer)).toEqual({ unit: { soldBy: { id: a.dealer } }, errors: [] });
  });

  it("changes only a DEALER's own service center's stock", async () => {
    // given
    const { part, a, b, asA } = await twoDealers();
    const stockSelection = "stock { onHand serviceCenter { id } }";
    const stockOf = async (dealerId: string) => {
      const { dealer } = await graph.query(graphql(`query CatalogAccessDealer($id: ID!) { dealer(id: $id) { partsStock { edges { node { onHand } } } } }`), {
        id: dealerId,
      });
      return dealer!.partsStock.edges.map((e) => e.node.onHand);
    };
    const notYours = { stock: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["serviceCenterId"] })] };
    // when / then
    expect(await payloadOf(asA, "setPartStock", stockSelection, { serviceCenterId: a.dealer, partId: part, onHand: 7 })).toEqual({
      stock: { onHand: 7, serviceCenter: { id: a.dealer } },
      errors: [],
    });
    expect(await payloadOf(asA, "adjustPartStock", stockSelection, { serviceCenterId: a.dealer, partId: part, change: -2, reason: "USED" })).toEqual({
      stock: { onHand: 5, serviceCenter: { id: a.dealer } },
      errors: [],
    });
    expect(await payloadOf(asA, "setPartStock", stockSelection, { serviceCenterId: b.dealer, partId: part, onHand: 0 })).toEqual(notYours);
    expect(await payloadOf(asA, "adjustPartStock", stockSelection, { serviceCenterId: b.dealer, partId: part, change: -5, reason: "SCRAPPED" })).toEqual(
      notYours,
    );
    expect(await stockOf(b.dealer)).toEqual([5]);
  });
});

describe("roles", () => {
  const MUTATIONS: Record<string, (refs: { product: string; unit: string; dealer: string; customer: string }) => Record<string, unknown>> = {
    createProduct: () => productInput(),
    updateProduct: (r) => ({ id: r.product, version: 1, name: "Renamed" }),
    changeProductLifecycle: (r) => ({ productId: r.product, version: 1, stage: "GROWTH", effectiveOn: "2025-01-01" }),
    registerUnit: (r) => ({ serialNumber: `SN-${tag()}`, productId: r.product, dealerId: r.dealer }),
    sellUnit: (r) => ({ unitId: r.unit, customerId: r.customer, price: PRICE, soldOn: "2025-03-01" }),
    recordUnitEvent: (r) => ({ unitId: r.unit, kind: "RETIRED", occurredOn: "2025-03-01" }),
    transferUnit: (r) => ({ unitId: r.unit, newCustomerId: r.customer, occurredOn: "2025-03-01" }),
    recordConsumablePurchase: (r) => ({ customerId: r.customer, productId: r.product, dealerId: r.dealer, quantity: 1, purchasedOn: "2025-03-01" }),
    setPartStock: (r) => ({ serviceCenterId: r.dealer, partId: r.product, onHand: 1 }),
    adjustPartStock: (r) => ({ serviceCenterId: r.dealer, partId: r.product, change: 1, reason: "RECEIVED" }),
  };

  const forbidden = (response: GraphQLResponse<unknown>) => ({
    data: response.data,
    codes: response.errors?.map((e) => e.extensions?.["code"]),
  });

  it.each(Object.keys(MUTATIONS))("refuses %s to an ANALYST as FORBIDDEN, changing nothing", async (mutation) => {
    // given
    const { product, a } = await twoDealers();
    const refs = { product, unit: a.inStock.id, dealer: a.dealer, customer: a.customer };
    const before = await graph.query(UNIT_AND_PRODUCT, {
      id: refs.unit,
      p: product,
    });
    // when
    const response = await mutate(graph.as({ role: "ANALYST" }), mutation, "__typename", MUTATIONS[mutation]!(refs));
    // then
    expect(forbidden(response)).toEqual({ data: null, codes: ["FORBIDDEN"] });
    expect(await graph.query(UNIT_AND_PRODUCT, { id: refs.unit, p: product })).toEqual(before);
  });

  it.each([
    { role: "DEALER", mutation: "createProduct" },
    { role: "DEALER", mutation: "updateProduct" },
    { role: "DEALER", mutation: "changeProductLifecycle" },
    { role: "AGENT", mutation: "createProduct" },
    { role: "AGENT", mutation: "updateProduct" },
    { role: "AGENT", mutation: "changeProductLifecycle" },
  ] as const)("refuses $mutation to a $role as FORBIDDEN: product master data is the ADMINs'", async ({ role, mutation }) => {
    // given
    const dealer = (await createDealer(graph)).id;
    const product = (await createProduct(graph)).id;
    const input = MUTATIONS[mutation]!({ product, unit: "", dealer, customer: "" });
    const client = graph.as(role === "DEALER" ? { role, dealerId: dealer } : { role });
    // when
    const response = await mutate(client, mutation, "__typename", input);
    // then
    expect(forbidden(response)).toEqual({ data: null, codes: ["FORBIDDEN"] });
    expect(await graph.query(graphql(`query CatalogAccessProduct($id: ID!) { product(id: $id) { name version lifecycleStage } }`), { id: product })).toEqual({
      product: expect.objectContaining({ version: 1, lifecycleStage: "INTRODUCTION" }),
    });
    if (mutation === "createProduct") {
      expect(await graph.query(graphql(`query CatalogAccessProductId($sku: String!) { product(sku: $sku) { id } }`), { sku: String(input["sku"]) })).toEqual({
        product: null,
      });
    }
  });
});

describe("refill forecasts across dealers", () => {
  graphql(`fragment CatalogAccessForecast on ReplenishmentForecast { dealer { id } purchaseCount lastPurchasedOn daysPerUnit method runsOutOn }`);
  type Forecast = CatalogAccessForecastFragment;

  const BUY = graphql(`mutation CatalogAccessBuy($input: RecordConsumablePurchaseInput!) { recordConsumablePurchase(input: $input) {
    purchase { purchasedOn dealer { id } forecast { ...CatalogAccessForecast } } errors { code field message } } }`);
  const buy = async (client: Client, input: Omit<RecordConsumablePurchaseInput, "quantity">) =>
    (await client.query(BUY, { input: { quantity: 1, ...input } })).recordConsumablePurchase;

  const FORECASTS = graphql(`query CatalogAccessForecasts($customer: ID!, $first: ID!, $second: ID!) {
    customer(id: $customer) {
      consumablePurchases { edges { node { purchasedOn forecast { ...CatalogAccessForecast } } } }
      replenishmentDue(within: 3650, asOf: "2025-01-01") { ...CatalogAccessForecast } }
    first: dealer(id: $first) { replenishmentDue(within: 3650, asOf: "2025-01-01") { edges { node { ...CatalogAccessForecast } } } }
    second: dealer(id: $second) { replenishmentDue(within: 3650, asOf: "2025-01-01") { edges { node { ...CatalogAccessForecast } } } } }`);

  /** The forecast rows of a customer and of two dealers, as `client` sees them. */
  const forecastsSeenBy = async (client: Client, customer: string, dealers: [string, string]) => {
    const data = await client.query(FORECASTS, { customer, first: dealers[0], second: dealers[1] });
    return {
      purchases: data.customer?.consumablePurchases.edges.map((e) => e.node) ?? null,
      customerDue: data.customer?.replenishmentDue ?? null,
      dueAtFirst: data.first!.replenishmentDue.edges.map((e) => e.node),
      dueAtSecond: data.second!.replenishmentDue.edges.map((e) => e.node),
    };
  };

  it("forecasts each dealer's refills from its own sales only, and shows a dealer only its own forecast", async () => {
    // given: A's customer buys 30-day beans at A on 01-01 and 01-21, then at B on 02-20
    const a = (await createDealer(graph)).id;
    const b = (await createDealer(graph)).id;
    const customer = (await createCustomer(graph, a)).id;
    const beans = (await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 30 })).id;
    const asA = graph.as({ role: "DEALER", dealerId: a });
    const asB = graph.as({ role: "DEALER", dealerId: b });
    const base = { customerId: customer, productId: beans };
    for (const [dealerId, purchasedOn] of [
      [a, "2025-01-01"],
      [a, "2025-01-21"],
      [b, "2025-02-20"],
    ] as const) {
      expect((await buy(graph, { ...base, dealerId, purchasedOn })).errors).toEqual([]);
    }
    // then: each dealer has a forecast from its own purchases, on the product's cycle (fewer than 3 each):
    // A 2025-01-21 + 30, B 2025-02-20 + 30
    const atA: Forecast = {
      dealer: { id: a },
      purchaseCount: 2,
      lastPurchasedOn: "2025-01-21",
      daysPerUnit: 30,
      method: "PRODUCT_CYCLE",
      runsOutOn: "2025-02-20",
    };
    const atB: Forecast = {
      dealer: { id: b },
      purchaseCount: 1,
      lastPurchasedOn: "2025-02-20",
      daysPerUnit: 30,
      method: "PRODUCT_CYCLE",
      runsOutOn: "2025-03-22",
    };
    // and A sees its two purchases under its own forecast, and only its own refill
    expect(await forecastsSeenBy(asA, customer, [a, b])).toEqual({
      purchases: [
        { purchasedOn: "2025-01-21", forecast: atA },
        { purchasedOn: "2025-01-01", forecast: atA },
      ],
      customerDue: [atA],
      dueAtFirst: [atA],
      dueAtSecond: [],
    });
    // and B, to which the customer (A's) is just an id, its own refill in its list
    expect(await forecastsSeenBy(asB, customer, [a, b])).toEqual({ purchases: null, customerDue: null, dueAtFirst: [], dueAtSecond: [atB] });

    // when: A records the next purchase itself, its own dealer by default, 48 days after its last
    const next = await buy(asA, { ...base, purchasedOn: "2025-03-10" });
    // then: A's forecast counts A's purchases only (20, 48 → median 34; 03-10 + 34); with B's it would be 20, 30, 18 → 20
    const nextAtA: Forecast = {
      dealer: { id: a },
      purchaseCount: 3,
      lastPurchasedOn: "2025-03-10",
      daysPerUnit: 34,
      method: "CUSTOMER_HISTORY",
      runsOutOn: "2025-04-13",
    };
    expect(next).toEqual({ purchase: { purchasedOn: "2025-03-10", dealer: { id: a }, forecast: nextAtA }, errors: [] });
    // and B's forecast is as it was
    expect((await forecastsSeenBy(asB, customer, [a, b])).dueAtSecond).toEqual([atB]);

    // when: B's purchase of 03-01, after its own but before A's latest, is recorded (by staff: to B the customer is A's)
    const late = await buy(graph, { ...base, dealerId: b, purchasedOn: "2025-03-01" });
    // then: B's own forecast is recomputed from its two purchases, and A's is as it was
    const lateAtB: Forecast = { ...atB, purchaseCount: 2, lastPurchasedOn: "2025-03-01", runsOutOn: "2025-03-31" };
    expect(late).toEqual({ purchase: { purchasedOn: "2025-03-01", dealer: { id: b }, forecast: lateAtB }, errors: [] });
    expect(await forecastsSeenBy(asA, customer, [a, b])).toEqual({
      purchases: [
        { purchasedOn: "2025-03-10", forecast: nextAtA },
        { purchasedOn: "2025-01-21", forecast: nextAtA },
        { purchasedOn: "2025-01-01", forecast: nextAtA },
      ],
      customerDue: [nextAtA],
      dueAtFirst: [nextAtA],
      dueAtSecond: [],
    });
    // and an ADMIN sees every purchase under its own dealer's forecast, and both refills of the one product, soonest first
    expect(await forecastsSeenBy(graph, customer, [a, b])).toEqual({
      purchases: [
        { purchasedOn: "2025-03-10", forecast: nextAtA },
        { purchasedOn: "2025-03-01", forecast: lateAtB },
        { purchasedOn: "2025-02-20", forecast: lateAtB },
        { purchasedOn: "2025-01-21", forecast: nextAtA },
        { purchasedOn: "2025-01-01", forecast: nextAtA },
      ],
      customerDue: [lateAtB, nextAtA],
      dueAtFirst: [nextAtA],
      dueAtSecond: [lateAtB],
    });
  });

  it("refuses a purchase for another dealer's customer exactly like one for a customer that does not exist, and leaves the other's forecast alone", async () => {
    // given: B's customer, who bought 30-day beans from B three times (20 and 10 days → median 15), and a made-up customer id
    const a = (await createDealer(graph)).id;
    const b = (await createDealer(graph)).id;
    const victim = (await createCustomer(graph, b)).id;
    const nobody = newId("cus");
    const beans = (await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 30 })).id;
    const asA = graph.as({ role: "DEALER", dealerId: a });
    const asB = graph.as({ role: "DEALER", dealerId: b });
    for (const purchasedOn of ["2025-01-01", "2025-01-21", "2025-01-31"]) {
      expect((await buy(asB, { customerId: victim, productId: beans, purchasedOn })).errors).toEqual([]);
    }
    const bSees = () => forecastsSeenBy(asB, victim, [a, b]);
    const before = await bSees();
    expect(before.customerDue).toEqual([
      { dealer: { id: b }, purchaseCount: 3, lastPurchasedOn: "2025-01-31", daysPerUnit: 15, method: "CUSTOMER_HISTORY", runsOutOn: "2025-02-15" },
    ]);
    // when: A records a purchase for B's customer and one for the made-up id
    const RECORD = graphql(`mutation CatalogAccessRecordConsumablePurchase($input: RecordConsumablePurchaseInput!) { recordConsumablePurchase(input: $input) {
      purchase { customer { id } forecast { runsOutOn } } errors { code field message } } }`);
    const record = (customerId: string) => asA.request(RECORD, { input: { customerId, productId: beans, quantity: 2, purchasedOn: "2025-02-10" } });
    const forVictim = await record(victim);
    const forNobody = await record(nobody);
    // then: both are refused, and the answers are the same but for the id
    expect(withPlaceholders(forVictim, { "<customer>": victim })).toEqual(withPlaceholders(forNobody, { "<customer>": nobody }));
    expect(forVictim).toEqual({
      data: {
        recordConsumablePurchase: {
          purchase: null,
          errors: [{ code: "CUSTOMER_NOT_FOUND", field: ["customerId"], message: `No customer has the id \`${victim}\`.` }],
        },
      },
    });
    // and B's purchases, forecast and refills due are as they were
    expect(await bSees()).toEqual(before);
  });
  it("refuses a purchase a DEALER records for another dealer, and requires other roles to name the dealer", async () => {
    // given
    const a = (await createDealer(graph)).id;
    const b = (await createDealer(graph)).id;
    const customer = (await createCustomer(graph, a)).id;
    const beans = (await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 30 })).id;
    const base = { customerId: customer, productId: beans, purchasedOn: "2025-03-01" };
    // when / then
    expect(await buy(graph.as({ role: "DEALER", dealerId: a }), { ...base, dealerId: b })).toEqual({
      purchase: null,
      errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })],
    });
    expect(await buy(graph.as({ role: "AGENT" }), base)).toEqual({
      purchase: null,
      errors: [expect.objectContaining({ code: "REQUIRED", field: ["dealerId"] })],
    });
    expect((await forecastsSeenBy(graph, customer, [a, b])).purchases).toEqual([]);
  });
});
