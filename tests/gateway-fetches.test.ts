import { randomBytes } from "node:crypto";
import { signToken } from "@aftersales/gateway/auth";
import { secretKey, waitUntil } from "@aftersales/kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, productInput, sku, soldUnit } from "./src/factories.js";
import { bearer, post, startGatewayFor, startSubgraphProxy, type SubgraphProxy } from "./src/gateways.js";
import { graphql } from "./src/generated/index.js";
import type {
  GatewayFetchesCreateProductMutation,
  GatewayFetchesCustomersQuery,
  GatewayFetchesSerialsQuery,
  GatewayFetchesUnitsOfQuery,
  GatewayFetchesUnitsQuery,
  GatewayFetchesUpdateCustomerMutation,
} from "./src/generated/graphql.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * What the gateway sends the subgraphs for a client's request: each entity
 * it needs asked for once, however many places in the answer hold it, and
 * the answer the same as if each place had been asked for on its own.
 */

let graph: TestGraph;
const tokenSecret = randomBytes(32).toString("hex");
let adminToken: string;
let dealerToken: string;
/** The dealer that sold most units, and another that sold one. */
let dealer: { id: string; name: string };
let otherDealer: { id: string; name: string };
/** The units, in serial-number order, with the customer each was sold to and the dealer that sold it. */
const sold: { serialNumber: string; customer: { id: string; name: string }; soldBy: { id: string; name: string } }[] = [];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DEALER_NAME = graphql(`query GatewayFetchesDealerName($id: ID!) { dealer(id: $id) { name } }`);
async function namedDealer(): Promise<{ id: string; name: string }> {
  const { id } = await createDealer(graph);
  const { dealer } = await graph.query(DEALER_NAME, { id });
  if (!dealer) throw new Error(`No dealer ${id}.`);
  return { id, name: dealer.name };
}

beforeAll(async () => {
  graph = await startGraph();
  // given: one dealer that sold five units to two customers (Ada three, Bo two), and another that sold one to Cy
  dealer = await namedDealer();
  otherDealer = await namedDealer();
  adminToken = await signToken(tokenSecret, { role: "ADMIN", subject: "fetches-admin", expiresIn: "1h" });
  dealerToken = await signToken(tokenSecret, { role: "DEALER", dealerId: dealer.id, subject: "fetches-dealer", expiresIn: "1h" });
  const ada = { id: (await createCustomer(graph, dealer.id, { name: "Ada Lovelace" })).id, name: "Ada Lovelace" };
  const bo = { id: (await createCustomer(graph, dealer.id, { name: "Bo Diddley" })).id, name: "Bo Diddley" };
  const cy = { id: (await createCustomer(graph, otherDealer.id, { name: "Cy Twombly" })).id, name: "Cy Twombly" };
  const product = await createProduct(graph);
  for (const [customer, seller] of [
    [ada, dealer],
    [ada, dealer],
    [bo, dealer],
    [ada, dealer],
    [bo, dealer],
    [cy, otherDealer],
  ] as const) {
    const unit = await soldUnit(graph, { productId: product.id, dealerId: seller.id, customerId: customer.id, soldOn: "2025-03-01" });
    sold.push({ serialNumber: unit.serialNumber, customer, soldBy: seller });
  }
  sold.sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1));
});
afterAll(() => graph?.stop());

/** A gateway of this file whose `subgraph` sits behind a proxy that counts and keeps what it is sent. */
async function behindProxy(subgraph: string): Promise<{ proxy: SubgraphProxy; url: string }> {
  const proxy = await startSubgraphProxy(graph.subgraphUrls[subgraph]!);
  cleanups.push(() => proxy.close());
  const running = await startGatewayFor(graph, { tokens: { secret: secretKey(tokenSecret) }, subgraphUrls: { [subgraph]: proxy.url } });
  cleanups.push(() => running.stop());
  return { proxy, url: running.url };
}

const UNITS = graphql(`query GatewayFetchesUnits { units(first: 20) { edges { node { serialNumber customer { id name } soldBy { id name } } } } }`).toString();

/** Every representation the subgraph was sent, over all its requests. */
const representationsIn = (proxy: SubgraphProxy) =>
  proxy.bodies.flatMap((body) => (JSON.parse(body) as { variables?: { representations?: unknown[] } }).variables?.representations ?? []);

describe("entities several places hold", () => {
  it("asks the subgraph for each customer and dealer once, and puts each where every unit holds it", async () => {
    // given: partners behind a proxy
    const { proxy, url } = await behindProxy("partners");
    // when
    const answer = await post<GatewayFetchesUnitsQuery>(url, UNITS, bearer(adminToken));
    // then: six units, each with its own customer and dealer
    expect(answer.body.errors).toBeUndefined();
    const units = answer.body.data?.units.edges.map((e) => e.node) ?? [];
    expect(units.sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1))).toEqual(sold);
    // and partners was sent three customers and two dealers, not six of each
    const representations = representationsIn(proxy);
    expect(representations).toHaveLength(5);
    const customerIds = [...new Set(sold.map((unit) => unit.customer.id))];
    expect(representations).toEqual(
      expect.arrayContaining([
        ...customerIds.map((id) => ({ __typename: "Customer", id })),
        { __typename: "Dealer", id: dealer.id },
        { __typename: "Dealer", id: otherDealer.id },
      ]),
    );
  });

  it("puts a subgraph's error about one entity at every place that holds it", async () => {
    // given: partners withholding Ada's name, with an error about it
    const { proxy, url } = await behindProxy("partners");
    proxy.rewrite = (text) => {
      const body = JSON.parse(text) as { data?: { _entities?: ({ name?: string | null } | null)[] }; errors?: unknown[] };
      const at = body.data?._entities?.findIndex((entity) => entity?.name === "Ada Lovelace") ?? -1;
      if (at < 0) return text;
      body.data!._entities![at]!.name = null;
      body.errors = [...(body.errors ?? []), { message: "This name is withheld.", path: ["_entities", at, "name"], extensions: { code: "FORBIDDEN" } }];
      return JSON.stringify(body);
    };
    // when
    const answer = await post<GatewayFetchesUnitsQuery>(url, UNITS, bearer(adminToken));
    // then: every unit of Ada's has her customer without a name, and an error there; Bo's are whole
    const units = answer.body.data?.units.edges.map((e) => e.node) ?? [];
    const adas = units.flatMap((unit, index) => (unit.customer?.id === sold.find((u) => u.customer.name === "Ada Lovelace")!.customer.id ? [index] : []));
    expect(adas).toHaveLength(3);
    for (const index of adas) expect(units[index]!.customer?.name).toBeNull();
    expect(units.filter((unit) => unit.customer?.name === "Bo Diddley")).toHaveLength(2);
    expect(units.filter((unit) => unit.customer?.name === "Cy Twombly")).toHaveLength(1);
    const paths = (answer.body.errors ?? []).map((e) => e.path);
    expect(paths.sort()).toEqual(adas.map((index) => ["units", "edges", index, "node", "customer", "name"]).sort());
    expect(answer.body.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
  });
});

describe("the same query asked twice at once", () => {
  const SERIALS = graphql(`query GatewayFetchesSerials { units(first: 20) { edges { node { serialNumber } } } }`).toString();
  const serialsIn = (answer: { body: { data?: GatewayFetchesSerialsQuery | null } }) =>
    (answer.body.data?.units.edges.map((e) => e.node.serialNumber) ?? []).sort();

  it("reaches the subgraph once for one caller, and both requests get the whole answer", async () => {
    // given: the catalog holding its answers back
    const { proxy, url } = await behindProxy("catalog");
    proxy.hold();
    // when: the same caller asks the same thing twice, the second while the first is on its way
    const first = post<GatewayFetchesSerialsQuery>(url, SERIALS, bearer(adminToken));
    await waitUntil("the first request reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    const second = post<GatewayFetchesSerialsQuery>(url, SERIALS, bearer(adminToken));
    // a second request to the catalog, if any, would arrive about now
    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.release();
    const answers = await Promise.all([first, second]);
    // then
    expect(proxy.requests).toBe(1);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(serialsIn(answer)).toEqual(sold.map((unit) => unit.serialNumber));
    }
  });

  it("never gives a DEALER the answer an ADMIN's identical query got: each caller's goes to the subgraph", async () => {
    // given: the catalog holding its answers back, and an ADMIN's query on its way
    const { proxy, url } = await behindProxy("catalog");
    proxy.hold();
    const admin = post<GatewayFetchesSerialsQuery>(url, SERIALS, bearer(adminToken));
    await waitUntil("the ADMIN's request reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    // when: a DEALER asks exactly the same
    const dealerAnswer = post<GatewayFetchesSerialsQuery>(url, SERIALS, bearer(dealerToken));
    // then: the DEALER's request goes to the catalog on its own, and each gets what it may see
    await waitUntil("the DEALER's request reached the catalog", () => proxy.requests === 2 || `${proxy.requests} requests`);
    proxy.release();
    const [forAdmin, forDealer] = await Promise.all([admin, dealerAnswer]);
    expect(serialsIn(forAdmin)).toEqual(sold.map((unit) => unit.serialNumber));
    expect(serialsIn(forDealer)).toEqual(sold.filter((unit) => unit.soldBy.id === dealer.id).map((unit) => unit.serialNumber));
  });

  it("sends a mutation each time it is asked, however alike", async () => {
    // given: the catalog holding its answers back, and a mutation on its way
    const { proxy, url } = await behindProxy("catalog");
    proxy.hold();
    const mutation = graphql(`mutation GatewayFetchesCreateProduct($input: CreateProductInput!) {
      createProduct(input: $input) { product { id } errors { code } } }`).toString();
    const input = productInput({ sku: sku("TWICE") });
    const first = post<GatewayFetchesCreateProductMutation>(url, mutation, bearer(adminToken), { input });
    await waitUntil("the first mutation reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    // when: the very same mutation again
    const second = post<GatewayFetchesCreateProductMutation>(url, mutation, bearer(adminToken), { input });
    // then: it reaches the catalog too, and the catalog answers it itself (the SKU is taken)
    await waitUntil("the second mutation reached the catalog", () => proxy.requests === 2 || `${proxy.requests} requests`);
    proxy.release();
    const answers = await Promise.all([first, second]);
    expect(answers.filter((answer) => answer.body.data?.createProduct.product).length).toBe(1);
  });
});

describe("the same operation from several requests at once", () => {
  const CUSTOMER_VERSION = graphql(`query GatewayFetchesCustomerVersion($id: ID!) { customer(id: $id) { version } }`);
  const UPDATE_CUSTOMER = graphql(`mutation GatewayFetchesUpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { name } errors { code } } }`);
  const UNITS_OF = graphql(`query GatewayFetchesUnitsOf($first: Int!) {
    units(first: $first) { edges { node { serialNumber customer { name } soldBy { id } } } } }`).toString();
  type UnitsOf = GatewayFetchesUnitsOfQuery;
  const serialsIn = (answer: { body: { data?: UnitsOf | null } }) => (answer.body.data?.units.edges.map((e) => e.node.serialNumber) ?? []).sort();

  it("answers one caller's identical queries with one execution, each request with its own request id", async () => {
    // given: the catalog holding its answers back, and a DEALER's query on its way
    const { proxy, url } = await behindProxy("catalog");
    proxy.hold();
    const first = post<UnitsOf>(url, UNITS_OF, bearer(dealerToken), { first: 20 });
    await waitUntil("the first request reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    // when: the same caller sends the same operation with the same variables, twice more
    const others = [post<UnitsOf>(url, UNITS_OF, bearer(dealerToken), { first: 20 }), post<UnitsOf>(url, UNITS_OF, bearer(dealerToken), { first: 20 })];
    // a request of theirs to the catalog, if any, would arrive about now
    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.release();
    const answers = await Promise.all([first, ...others]);
    // then: the catalog was asked once, and every request got the dealer's five units, each answer with a request id of its own
    expect(proxy.requests).toBe(1);
    const mine = sold.filter((unit) => unit.soldBy.id === dealer.id);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(serialsIn(answer)).toEqual(mine.map((unit) => unit.serialNumber));
      expect(answer.body.data?.units.edges.map((e) => e.node.customer?.name).sort()).toEqual(mine.map((unit) => unit.customer.name).sort());
    }
    const requestIds = answers.map((answer) => answer.headers.get("x-request-id"));
    expect(new Set(requestIds).size).toBe(3);
  });

  it("never gives one dealer the answer another dealer's identical query got", async () => {
    // given: the catalog holding its answers back, and the first dealer's query on its way
    const otherToken = await signToken(tokenSecret, { role: "DEALER", dealerId: otherDealer.id, subject: "fetches-other-dealer", expiresIn: "1h" });
    const { proxy, url } = await behindProxy("catalog");
    proxy.hold();
    const mine = post<UnitsOf>(url, UNITS_OF, bearer(dealerToken), { first: 20 });
    await waitUntil("the first dealer's request reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    // when: the other dealer sends exactly the same operation and variables
    const theirs = post<UnitsOf>(url, UNITS_OF, bearer(otherToken), { first: 20 });
    // then: it goes to the catalog on its own, and each dealer gets only its own units
    await waitUntil("the other dealer's request reached the catalog", () => proxy.requests === 2 || `${proxy.requests} requests`);
    proxy.release();
    const [forMe, forThem] = await Promise.all([mine, theirs]);
    expect(serialsIn(forMe)).toEqual(sold.filter((unit) => unit.soldBy.id === dealer.id).map((unit) => unit.serialNumber));
    expect(serialsIn(forThem)).toEqual(sold.filter((unit) => unit.soldBy.id === otherDealer.id).map((unit) => unit.serialNumber));
    expect(forThem.body.data?.units.edges.map((e) => e.node.customer?.name)).toEqual(["Cy Twombly"]);
  });

  it("lets a caller's query sent after their own mutation read what it wrote, though an identical one is in flight", async () => {
    // given: partners holding back its answers to the customer list, and a DEALER's list on its way (read before any change)
    const { proxy, url } = await behindProxy("partners");
    const CUSTOMERS = graphql(`query GatewayFetchesCustomers { customers(first: 20) { edges { node { id name version } } } }`).toString();
    type Customers = GatewayFetchesCustomersQuery;
    proxy.hold((body) => body.includes("customers("));
    const before = post<Customers>(url, CUSTOMERS, bearer(dealerToken));
    // Counted by their bodies: partners may also be asked whether the token's dealer exists.
    const lists = () => proxy.bodies.filter((body) => body.includes("customers(")).length;
    await waitUntil("the list reached partners", () => lists() === 1 || `${lists()} lists`);
    // when: the dealer renames a customer of theirs through the same gateway, then asks for the list again
    const bo = sold.find((unit) => unit.customer.name === "Bo Diddley")!.customer;
    const { customer } = await graph.query(CUSTOMER_VERSION, { id: bo.id });
    const version = customer!.version;
    const renamed = await post<GatewayFetchesUpdateCustomerMutation>(url, UPDATE_CUSTOMER.toString(), bearer(dealerToken), {
      input: { id: bo.id, version, name: "Bo Renamed" },
    });
    expect(renamed.body.data?.updateCustomer.customer?.name).toBe("Bo Renamed");
    const after = post<Customers>(url, CUSTOMERS, bearer(dealerToken));
    // then: the second list went to partners on its own, and reads the new name
    await waitUntil("the second list reached partners", () => lists() === 2 || `${lists()} lists`);
    proxy.release();
    const names = (answer: { body: { data?: Customers | null } }) => answer.body.data?.customers.edges.map((e) => e.node.name).sort();
    expect(names(await before)).toEqual(["Ada Lovelace", "Bo Diddley"]);
    expect(names(await after)).toEqual(["Ada Lovelace", "Bo Renamed"]);
    // and the customer keeps its name for the rest of this file
    await graph.query(UPDATE_CUSTOMER, {
      input: { id: bo.id, version: version + 1, name: "Bo Diddley" },
    });
  });

  it("counts every joined request against the caller's rate limit", async () => {
    // given: a gateway allowing two requests a minute, with the catalog holding its answers back
    const proxy = await startSubgraphProxy(graph.subgraphUrls["catalog"]!);
    cleanups.push(() => proxy.close());
    const running = await startGatewayFor(graph, {
      tokens: { secret: secretKey(tokenSecret) },
      subgraphUrls: { catalog: proxy.url },
      limits: { requestsPerMinute: 2 },
    });
    cleanups.push(() => running.stop());
    proxy.hold();
    const first = post<UnitsOf>(running.url, UNITS_OF, bearer(dealerToken), { first: 20 });
    await waitUntil("the first request reached the catalog", () => proxy.requests === 1 || `${proxy.requests} requests`);
    // when: the same query twice more while the first is on its way
    const second = post<UnitsOf>(running.url, UNITS_OF, bearer(dealerToken), { first: 20 });
    const third = await post<UnitsOf>(running.url, UNITS_OF, bearer(dealerToken), { first: 20 });
    proxy.release();
    // then: the third is refused though it would have joined the first; the first two are answered
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    for (const answer of await Promise.all([first, second])) expect(serialsIn(answer)).toHaveLength(5);
  });
});
