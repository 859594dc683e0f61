import { randomBytes } from "node:crypto";
import { signToken } from "@aftersales/gateway/auth";
import { secretKey } from "@aftersales/kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, soldUnit } from "./src/factories.js";
import { bearer, post, startGatewayFor, startSubgraphProxy, type SubgraphProxy } from "./src/gateways.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * What the gateway sends the subgraphs for a client's request: each entity
 * it needs asked for once, however many places in the answer hold it, and
 * the answer the same as if each place had been asked for on its own.
 */

let graph: TestGraph;
const tokenSecret = randomBytes(32).toString("hex");
let adminToken: string;
let dealer: { id: string; name: string };
/** The units, in serial-number order, with the customer each was sold to. */
const sold: { serialNumber: string; customer: { id: string; name: string } }[] = [];

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(async () => {
  graph = await startGraph();
  adminToken = await signToken(tokenSecret, { role: "ADMIN", subject: "fetches-admin", expiresIn: "1h" });
  // given: one dealer that sold five units to two customers (Ada three, Bo two)
  const created = await createDealer(graph);
  dealer = { id: created.id, name: (await graph.query<{ dealer: { name: string } }>(`query($id: ID!) { dealer(id: $id) { name } }`, { id: created.id })).dealer.name };
  const ada = { id: (await createCustomer(graph, dealer.id, { name: "Ada Lovelace" })).id, name: "Ada Lovelace" };
  const bo = { id: (await createCustomer(graph, dealer.id, { name: "Bo Diddley" })).id, name: "Bo Diddley" };
  const product = await createProduct(graph);
  for (const customer of [ada, ada, bo, ada, bo]) {
    const unit = await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: customer.id, soldOn: "2025-03-01" });
    sold.push({ serialNumber: unit.serialNumber, customer });
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

const UNITS = `{ units(first: 20) { edges { node { serialNumber customer { id name } soldBy { id name } } } } }`;
interface Units {
  units: { edges: { node: { serialNumber: string; customer: { id: string; name: string | null } | null; soldBy: { id: string; name: string } | null } }[] };
}

/** Every representation the subgraph was sent, over all its requests. */
const representationsIn = (proxy: SubgraphProxy) =>
  proxy.bodies.flatMap((body) => ((JSON.parse(body) as { variables?: { representations?: unknown[] } }).variables?.representations ?? []));

describe("entities several places hold", () => {
  it("asks the subgraph for each customer and dealer once, and puts each where every unit holds it", async () => {
    // given: partners behind a proxy
    const { proxy, url } = await behindProxy("partners");
    // when
    const answer = await post<Units>(url, UNITS, bearer(adminToken));
    // then: five units, each with its own customer and the dealer
    expect(answer.body.errors).toBeUndefined();
    const units = answer.body.data?.units.edges.map((e) => e.node) ?? [];
    expect(units.sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1))).toEqual(sold.map((unit) => ({ ...unit, soldBy: dealer })));
    // and partners was sent two customers and one dealer, not five of each
    const representations = representationsIn(proxy);
    expect(representations).toHaveLength(3);
    expect(representations).toEqual(
      expect.arrayContaining([
        { __typename: "Customer", id: sold.find((u) => u.customer.name === "Ada Lovelace")!.customer.id },
        { __typename: "Customer", id: sold.find((u) => u.customer.name === "Bo Diddley")!.customer.id },
        { __typename: "Dealer", id: dealer.id },
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
    const answer = await post<Units>(url, UNITS, bearer(adminToken));
    // then: every unit of Ada's has her customer without a name, and an error there; Bo's are whole
    const units = answer.body.data?.units.edges.map((e) => e.node) ?? [];
    const adas = units.flatMap((unit, index) => (unit.customer?.id === sold.find((u) => u.customer.name === "Ada Lovelace")!.customer.id ? [index] : []));
    expect(adas).toHaveLength(3);
    for (const index of adas) expect(units[index]!.customer?.name).toBeNull();
    expect(units.filter((unit) => unit.customer?.name === "Bo Diddley")).toHaveLength(2);
    const paths = (answer.body.errors ?? []).map((e) => e.path);
    expect(paths.sort()).toEqual(adas.map((index) => ["units", "edges", index, "node", "customer", "name"]).sort());
    expect(answer.body.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
  });
});
