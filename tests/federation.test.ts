import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * What crosses subgraphs: entities resolved by reference, and the cost of a
 * page in SQL statements, which must not grow with the page size.
 */

let graph: TestGraph;
const world = { dealers: [] as string[], customers: [] as string[], products: [] as { id: string; sku: string }[], serials: [] as string[] };
const UNITS = 110;

/**
 * Runs many mutations of one kind in one request (aliases), failing on any
 * refusal. The document has as many aliases as inputs, so it is built when
 * it runs and stays a plain string.
 */
async function batch(mutation: string, inputType: string, selection: string, inputs: unknown[]) {
  const variables = Object.fromEntries(inputs.map((input, i) => [`i${i}`, input]));
  const declarations = inputs.map((_, i) => `$i${i}: ${inputType}!`).join(", ");
  const fields = inputs.map((_, i) => `m${i}: ${mutation}(input: $i${i}) { ${selection} errors { code field } }`).join("\n");
  const data = await graph.query<Record<string, { errors: unknown[] } & Record<string, { id: string }>>>(`mutation(${declarations}) { ${fields} }`, variables);
  return inputs.map((_, i) => {
    const payload = data[`m${i}`]!;
    expect(payload.errors).toEqual([]);
    return payload;
  });
}

beforeAll(async () => {
  // The setup writes its world in one request of many aliases, past what clients may send.
  graph = await startGraph({ limits: { maxAliases: 1_000, maxCost: 1_000_000 } });
  // given: 3 dealers, 30 customers, 3 products and 110 sold units spread over them
  for (let i = 0; i < 3; i++) world.dealers.push((await createDealer(graph)).id);
  for (let i = 0; i < 30; i++) world.customers.push((await createCustomer(graph, world.dealers[i % 3]!)).id);
  const t = tag().toUpperCase();
  const products = await batch(
    "createProduct",
    "CreateProductInput",
    "product { id sku }",
    [1, 2, 3].map((n) => ({
      sku: `FED-${t}-${n}`,
      name: `Machine ${n}`,
      kind: "EQUIPMENT",
      category: "espresso-machines",
      listPrice: { amount: "500.00", currency: "EUR" },
    })),
  );
  world.products = products.map((p) => p["product"]!) as { id: string; sku: string }[];
  world.serials = Array.from({ length: UNITS }, (_, i) => `FED-${t}-${String(i).padStart(4, "0")}`);
  await batch(
    "registerUnit",
    "RegisterUnitInput",
    "unit { id }",
    world.serials.map((serialNumber, i) => ({
      serialNumber,
      productId: world.products[i % 3]!.id,
      dealerId: world.dealers[i % 3]!,
      registeredOn: "2025-01-02",
    })),
  );
  await batch(
    "sellUnit",
    "SellUnitInput",
    "unit { id }",
    world.serials.map((serialNumber, i) => ({
      serialNumber,
      customerId: world.customers[i % 30]!,
      price: { amount: "450.00", currency: "EUR" },
      soldOn: "2025-02-03",
    })),
  );
});
afterAll(() => graph?.stop());

const UNITS_WITH_OWNERS = graphql(`query FederationUnitsWithOwners($first: Int) {
  units(first: $first) { edges { node { serialNumber customer { name } soldBy { name } product { name } } } }
}`);

describe("no N+1", () => {
  it("costs the same SQL statements per subgraph for a page of 100 units as for a page of 10", async () => {
    // when
    const ten = await graph.countStatements(() => graph.query(UNITS_WITH_OWNERS, { first: 10 }));
    const hundred = await graph.countStatements(() => graph.query(UNITS_WITH_OWNERS, { first: 100 }));
    // then: the pages are what they claim to be, names resolved across subgraphs
    expect(ten.result.units.edges).toHaveLength(10);
    expect(hundred.result.units.edges).toHaveLength(100);
    for (const { node } of hundred.result.units.edges) {
      expect(node.customer?.name).toMatch(/^Customer /);
      expect(node.soldBy?.name).toMatch(/^Dealer /);
      expect(node.product.name).toMatch(/^Machine /);
    }
    // and the statements do not grow: catalog reads the page with its products in one, partners one per
    // batch of entities, each plus the one that opens the subgraph request's transaction as the caller
    // (`set_config` of role and dealer); the gateway asks partners for the customers and the dealers in
    // two parallel requests
    expect(hundred.statements).toEqual(ten.statements);
    expect(hundred.statements).toEqual(expect.objectContaining({ catalog: 2, partners: 4 }));
  });

  it("loads the units of every customer on a page in one statement, however many customers", async () => {
    const query = graphql(`query FederationCustomerUnits($first: Int) { customers(first: $first) { edges { node { name units(first: 5) {
      edges { node { serialNumber product { name } } } } } } } }`);
    const few = await graph.countStatements(() => graph.query(query, { first: 3 }));
    const many = await graph.countStatements(() => graph.query(query, { first: 30 }));
    expect(many.result.customers.edges).toHaveLength(30);
    expect(many.result.customers.edges.every((e) => e.node.units.edges.length > 0)).toBe(true);
    expect(many.statements).toEqual(few.statements);
  });

  it("loads the sold units of every dealer on a page in one statement, with their owners", async () => {
    const query = graphql(`query FederationDealerUnitsSold($first: Int) { dealers(first: $first) { edges { node { name unitsSold(first: 50) {
      edges { node { serialNumber customer { name } } } } } } } }`);
    const one = await graph.countStatements(() => graph.query(query, { first: 1 }));
    const all = await graph.countStatements(() => graph.query(query, { first: 3 }));
    expect(all.result.dealers.edges.map((e) => e.node.unitsSold.edges.length).sort()).toEqual([36, 37, 37]);
    expect(all.statements).toEqual(one.statements);
  });
});

// `_entities` and `_service` are the subgraphs' own fields, outside the API schema typed documents are checked against.
describe("entities", () => {
  const PARTNER_ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
    __typename ... on Dealer { id name } ... on Customer { id customerName: name } } }`;
  const CATALOG_ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
    __typename ... on Product { id sku } ... on Unit { id serialNumber } } }`;

  it("resolves dealers and customers by id in the partners subgraph, null for an unknown id, in order", async () => {
    // when
    const response = await graph.subgraph("partners").request<{ _entities: unknown[] }>(PARTNER_ENTITIES, {
      representations: [
        { __typename: "Customer", id: world.customers[0] },
        { __typename: "Dealer", id: "dlr_unknown" },
        { __typename: "Dealer", id: world.dealers[1] },
      ],
    });
    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      expect.objectContaining({ __typename: "Customer", id: world.customers[0] }),
      null,
      expect.objectContaining({ __typename: "Dealer", id: world.dealers[1] }),
    ]);
  });

  it("resolves products by id or sku and units by id or serial number in the catalog subgraph", async () => {
    const [product] = world.products;
    const response = await graph.subgraph("catalog").request<{ _entities: unknown[] }>(CATALOG_ENTITIES, {
      representations: [
        { __typename: "Product", sku: product!.sku },
        { __typename: "Product", id: product!.id },
        { __typename: "Unit", serialNumber: world.serials[7] },
        { __typename: "Unit", serialNumber: "NO-SUCH-SERIAL" },
      ],
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { __typename: "Product", id: product!.id, sku: product!.sku },
      { __typename: "Product", id: product!.id, sku: product!.sku },
      expect.objectContaining({ __typename: "Unit", serialNumber: world.serials[7] }),
      null,
    ]);
  });

  it("resolves 100 unit representations with one SQL statement (after the one that scopes the request)", async () => {
    const representations = world.serials.slice(0, 100).map((serialNumber) => ({ __typename: "Unit", serialNumber }));
    const { result, statements } = await graph.countStatements(() =>
      graph.subgraph("catalog").request<{ _entities: { serialNumber: string }[] }>(CATALOG_ENTITIES, { representations }),
    );
    expect(result.data?._entities.map((u) => u.serialNumber)).toEqual(world.serials.slice(0, 100));
    // the request's `set_config` (role and dealer of the caller), then one select for all 100
    expect(statements["catalog"]).toBe(2);
  });

  it("serves every subgraph's SDL to composition tools through _service", async () => {
    for (const name of Object.keys(graph.subgraphUrls)) {
      const response = await graph.subgraph(name).request<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
      expect(response.data?._service.sdl, name).toContain('@link(url: "https://specs.apollo.dev/federation/v2.9"');
    }
  });
});
