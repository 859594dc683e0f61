import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, estimateCost } from "../../src/limits/index.js";
import { apiSchema } from "./support.js";

const schema = buildSchema(`
  type Query { product: Product, products(first: Int, after: String): ProductConnection!, tags: [String!]! }
  type ProductConnection { edges: [ProductEdge!]!, nodes: [Product!]!, pageInfo: PageInfo! }
  type ProductEdge { node: Product!, cursor: String! }
  type PageInfo { hasNextPage: Boolean! }
  type Product { name: String!, parts: [Part!]!, units(first: Int): UnitConnection! }
  type Part { name: String!, product: Product }
  type UnitConnection { edges: [UnitEdge!]! }
  type UnitEdge { node: Unit! }
  type Unit { serial: String! }
`);

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => estimateCost(schema, parse(query), operationName, variables);

describe("estimateCost", () => {
  it.each([
    ["a field and its fields", "{ product { name } }", {}, 2],
    ["a list of scalars", "{ tags }", {}, 1],
    ["a connection's pageInfo, once", "{ products { pageInfo { hasNextPage } } }", {}, 3],
    ["a connection without `first`: 20 edges", "{ products { edges { node { name } } } }", {}, 1 + 1 + 20 * 2],
    ["a connection with `first`", "{ products(first: 5) { edges { node { name } } } }", {}, 1 + 1 + 5 * 2],
    ["`first` over the maximum page: 100", "{ products(first: 500) { edges { node { name } } } }", {}, 1 + 1 + 100 * 2],
    ["`first` from a variable", "query ($n: Int) { products(first: $n) { edges { node { name } } } }", { n: 3 }, 1 + 1 + 3 * 2],
    ["`first` from a variable's default", "query ($n: Int = 7) { products(first: $n) { edges { node { name } } } }", {}, 1 + 1 + 7 * 2],
    ["`first` from a variable not given", "query ($n: Int) { products(first: $n) { edges { node { name } } } }", {}, 1 + 1 + 20 * 2],
    ["a connection's nodes", "{ products(first: 4) { nodes { name } } }", {}, 1 + 1 + 4 * 1],
    ["a plain list: 10 items", "{ product { parts { name } } }", {}, 1 + (1 + 10 * 1)],
    ["a list in a page multiplies", "{ products(first: 2) { edges { node { parts { name } } } } }", {}, 1 + 1 + 2 * (1 + 1 + 10 * 1)],
    [
      "a page in a page multiplies",
      "{ products(first: 2) { edges { node { units(first: 3) { edges { node { serial } } } } } } }",
      {},
      1 + 1 + 2 * (1 + (1 + 1 + 3 * 2)),
    ],
    ["named fragments", "{ products(first: 2) { edges { node { ...P } } } } fragment P on Product { name parts { name } }", {}, 1 + 1 + 2 * (1 + 1 + 11)],
    ["inline fragments", "{ product { ... on Product { name } } }", {}, 2],
    [
      "a fragment on the connection itself",
      "{ products(first: 3) { ...Page } } fragment Page on ProductConnection { edges { node { name } } }",
      {},
      1 + 1 + 3 * 2,
    ],
    ["__typename, free", "{ __typename product { __typename name } }", {}, 2],
    ["introspection, free", "{ __schema { types { name fields { name } } } }", {}, 0],
  ])("counts %s", (_, query, variables, expected) => {
    expect(cost(query, variables)).toBe(expected);
  });

  it("costs the operation asked for", () => {
    const document = "query Small { product { name } } query Big { products { edges { node { name } } } }";
    expect(cost(document, {}, "Small")).toBe(2);
    expect(cost(document, {}, "Big")).toBe(42);
  });

  it("survives fragment cycles", () => {
    expect(cost("{ product { ...A } } fragment A on Product { name ...B } fragment B on Product { ...A }")).toBe(2);
  });

  it("does not take exponential time over fragments that spread the next one twice", () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Product { name ${i + 1 < levels ? `...F${i + 1} `.repeat(2) : ""}}`);
    const query = `{ product { ...F0 } } ${fragments.join(" ")}`;
    expect(cost(query)).toBeGreaterThan(2 ** 59);
  });
});

describe("the default cost limit on this graph", () => {
  const apiCost = (query: string) => estimateCost(apiSchema, parse(query), undefined, {});
  // The shape of the task's example: every unit's bill of materials, per customer.
  const billsOfMaterials = (customers: number) =>
    `{ customers(first: ${customers}) { edges { node { units(first: 20) { edges { node { product { name billOfMaterials { part { name } } } } } } } } } }`;
  const customerUnits = `{ customers(first: 100) { edges { node { name units(first: 20) { edges { node { serialNumber product { name } } } } } } } }`;

  it.each([
    ["the README's first query", README_FIRST_LOOK, 597],
    ["100 customers by name, with 20 units each and the units' product", customerUnits, 8_402],
    ["20 customers' units with each unit's bill of materials", billsOfMaterials(20), 9_662],
  ])("lets %s through", (_, query, expected) => {
    const estimated = apiCost(query);
    expect(estimated).toBe(expected);
    expect(estimated).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
  });

  it("refuses the bills of materials of 100 customers at once: an export, to be paged", () => {
    expect(apiCost(billsOfMaterials(100))).toBe(48_302);
  });
});

const README_FIRST_LOOK = `query FirstLook {
  units(first: 5, filter: { statuses: [INSTALLED] }) {
    edges { node {
      serialNumber
      product { name sku lifecycleStage }
      customer { name address { city } }
      soldBy { name calendar { timeZone } }
      events { kind occurredOn statusAfter }
    } }
  }
  dealers(first: 2, filter: { kinds: [DEALER, BOTH] }) {
    edges { node {
      name
      replenishmentDue(within: 7) {
        edges { node { customer { name email } product { name } runsOutOn daysLeft explanation } }
      }
    } }
  }
}`;
