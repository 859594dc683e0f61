import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContractPlan, openTicket, soldUnit, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { seedNetwork, succeed, type Network } from "./src/tenants.js";

/**
 * Every list's `totalCount`: the whole list, not the page, with the list's
 * own filter and only what the caller may see; counted only when asked for,
 * and for lists under many parents in one statement, not one per parent.
 */

let graph: TestGraph;
let network: Network;
beforeAll(async () => {
  graph = await startGraph();
  network = await seedNetwork(graph, 2);
  const [a] = network.dealers;
  await graph.settle();
  // Work for the tickets, warranty and feedback subgraphs, all the first dealer's.
  const customer = a!.customers[0].id;
  const today = new Date().toISOString().slice(0, 10);
  const sold = (soldOn: string) => soldUnit(graph, { productId: network.products.equipment, dealerId: a!.id, customerId: customer, soldOn });
  const [plan, ...units] = await Promise.all([
    createContractPlan(graph),
    sold("2025-02-20"),
    sold("2025-02-21"),
    openTicket(graph, customer),
    openTicket(graph, customer),
  ]);
  await graph.settle();
  await Promise.all(
    units.slice(0, 2).flatMap((unit) => [
      succeed(graph, "createServiceContract", "contract { id }", {
        planId: plan.id,
        customerId: customer,
        dealerId: a!.id,
        unitIds: [unit.id],
        startsOn: today,
      }),
      succeed(graph, "recordFeedback", "feedback { id }", { kind: "PRAISE", unitId: unit.id, comment: `Works well ${tag()}` }),
    ]),
  );
  await graph.settle();
});
afterAll(async () => {
  await graph?.stop();
});

interface Page {
  totalCount: number;
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A list somewhere in a query: `$first` and `$after` are its page, `path` leads from the data to it. */
interface List {
  name: string;
  query: (dealerId: string, customerId: string, otherCustomerId: string) => string;
  path: string[];
}

const PAGE = `totalCount edges { cursor } pageInfo { hasNextPage endCursor }`;

const LISTS: List[] = [
  {
    name: "partners: dealers",
    query: () => `dealers(first: $first, after: $after, filter: { search: "Tenant ${network.tag}" }) { ${PAGE} }`,
    path: ["dealers"],
  },
  { name: "partners: customers", query: (d) => `customers(first: $first, after: $after, filter: { homeDealerId: "${d}" }) { ${PAGE} }`, path: ["customers"] },
  { name: "partners: persisted operations", query: () => `persistedOperations(first: $first, after: $after) { ${PAGE} }`, path: ["persistedOperations"] },
  {
    name: "catalog: products",
    query: () => `products(first: $first, after: $after, filter: { search: "${network.tag}" }) { ${PAGE} }`,
    path: ["products"],
  },
  { name: "catalog: units", query: (d) => `units(first: $first, after: $after, filter: { dealerId: "${d}" }) { ${PAGE} }`, path: ["units"] },
  {
    name: "catalog: a dealer's units sold",
    query: (d) => `dealer(id: "${d}") { unitsSold(first: $first, after: $after) { ${PAGE} } }`,
    path: ["dealer", "unitsSold"],
  },
  {
    name: "catalog: a customer's units",
    query: (_, c) => `customer(id: "${c}") { units(first: $first, after: $after) { ${PAGE} } }`,
    path: ["customer", "units"],
  },
  {
    name: "catalog: a customer's purchases",
    query: (_, __, o) => `customer(id: "${o}") { consumablePurchases(first: $first, after: $after) { ${PAGE} } }`,
    path: ["customer", "consumablePurchases"],
  },
  {
    name: "catalog: a dealer's refills due",
    query: (d) => `dealer(id: "${d}") { replenishmentDue(within: 3650, asOf: "2025-01-01", first: $first, after: $after) { ${PAGE} } }`,
    path: ["dealer", "replenishmentDue"],
  },
  { name: "tickets: tickets", query: (d) => `tickets(first: $first, after: $after, filter: { dealerId: "${d}" }) { ${PAGE} }`, path: ["tickets"] },
  {
    name: "tickets: a customer's tickets",
    query: (_, c) => `customer(id: "${c}") { tickets(first: $first, after: $after) { ${PAGE} } }`,
    path: ["customer", "tickets"],
  },
  {
    name: "warranty: service contracts",
    query: (d) => `serviceContracts(first: $first, after: $after, filter: { dealerId: "${d}" }) { ${PAGE} }`,
    path: ["serviceContracts"],
  },
  { name: "feedback: feedback", query: () => `feedback(first: $first, after: $after, filter: { kinds: [PRAISE] }) { ${PAGE} }`, path: ["feedback"] },
  {
    name: "feedback: a dealer's feedback",
    query: (d) => `dealer(id: "${d}") { feedback(first: $first, after: $after) { ${PAGE} } }`,
    path: ["dealer", "feedback"],
  },
];

/** Every page of a list, one item at a time: what it holds, and the totalCount each page gave. */
async function readWhole(client: Client, list: List, dealerId: string, customerId: string, otherCustomerId: string) {
  // Written from the table's list field and arguments: no literal for graphql().
  const document = `query($first: Int, $after: String) { ${list.query(dealerId, customerId, otherCustomerId)} }`;
  const counts: number[] = [];
  let items = 0;
  let after: string | null = null;
  for (;;) {
    const data: unknown = await client.query(document, { first: 1, after });
    const page = list.path.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], data) as Page;
    counts.push(page.totalCount);
    items += page.edges.length;
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { items, counts };
}

describe("totalCount", () => {
  it.each(LISTS)("counts every item of $name, the same on every page", async (list) => {
    // given: the first dealer's records, read a page of one at a time
    const [a] = network.dealers;
    // when
    const { items, counts } = await readWhole(graph, list, a!.id, a!.customers[0].id, a!.customers[1].id);
    // then: more than one page, so the count is the statement's, not the page's
    expect(items).toBeGreaterThan(1);
    expect(counts).toEqual(counts.map(() => items));
  });

  it("counts only what a DEALER may see, and nothing of another dealer's lists", async () => {
    // given
    const [a, b] = network.dealers;
    const asA = graph.as({ role: "DEALER", dealerId: a!.id });
    const COUNTS = graphql(`query ListsUnitsCustomers($a: ID!, $b: ID!) {
      units(first: 1) { totalCount }
      theirs: units(first: 1, filter: { dealerId: $b }) { totalCount }
      customers(first: 1) { totalCount }
      tickets(first: 1) { totalCount }
      other: dealer(id: $b) { unitsSold(first: 1) { totalCount } replenishmentDue(within: 3650, first: 1) { totalCount } }
      own: dealer(id: $a) { unitsSold(first: 1) { totalCount } } }`);
    // when
    const mine = await asA.query(COUNTS, { a: a!.id, b: b!.id });
    const all = await graph.query(COUNTS, { a: a!.id, b: b!.id });
    // then: A's own units (two registered in the seed, one sold to the other dealer's customer, two more sold here)
    const ownUnits = (await readWhole(asA, LISTS.find((l) => l.name === "catalog: units")!, a!.id, "", "")).items;
    expect(mine).toEqual({
      units: { totalCount: ownUnits },
      theirs: { totalCount: 0 },
      customers: { totalCount: 2 },
      tickets: { totalCount: 2 },
      other: { unitsSold: { totalCount: 0 }, replenishmentDue: { totalCount: 0 } },
      own: { unitsSold: { totalCount: ownUnits - 1 } },
    });
    // and staff count every dealer's
    expect(all.units.totalCount).toBeGreaterThan(ownUnits);
    expect(all.theirs.totalCount).toBeGreaterThan(0);
    expect(all.other!.unitsSold.totalCount).toBeGreaterThan(0);
  });

  it("counts only when asked, and a list under many parents in one statement however many parents there are", async () => {
    // given: each dealer's units sold, a page of one each
    // Written with and without totalCount, for a number of dealers: no literal for graphql().
    const query = (count: boolean, dealers: number) =>
      `{ dealers(first: ${dealers}, filter: { search: "Tenant ${network.tag}" }) { edges { node { id unitsSold(first: 1) { edges { cursor } ${count ? "totalCount" : ""} } } } } }`;
    type Dealers = { dealers: { edges: { node: { unitsSold: { totalCount?: number } } }[] } };
    // when
    const without = await graph.countStatements(() => graph.query<Dealers>(query(false, 2)));
    const withOne = await graph.countStatements(() => graph.query<Dealers>(query(true, 1)));
    const withTwo = await graph.countStatements(() => graph.query<Dealers>(query(true, 2)));
    // then: each dealer sold one unit to its own customer and one to the other dealer's, and the first two more here;
    // one more statement for the counts, whether one dealer asks or two
    expect(withTwo.result.dealers.edges.map((e) => e.node.unitsSold.totalCount)).toEqual([4, 2]);
    expect(withOne.statements["catalog"]).toBe(withTwo.statements["catalog"]);
    expect(withTwo.statements["catalog"]).toBe(without.statements["catalog"]! + 1);
  });

  it("answers a first page that holds the whole list from its items, and an empty list with 0", async () => {
    // given
    const [a] = network.dealers;
    const query = graphql(`query ListsCustomers($id: ID!) { customers(first: 100, filter: { homeDealerId: $id }) { totalCount edges { cursor } }
      none: customers(first: 5, filter: { homeDealerId: "dlr_nobody" }) { totalCount } }`);
    // when
    const { result, statements } = await graph.countStatements(() => graph.query(query, { id: a!.id }));
    const listed = await graph.countStatements(() =>
      graph.query(
        graphql(
          `query ListsCustomersEdges($id: ID!) { customers(first: 100, filter: { homeDealerId: $id }) { edges { cursor } } none: customers(first: 5, filter: { homeDealerId: "dlr_nobody" }) { edges { cursor } } }`,
        ),
        {
          id: a!.id,
        },
      ),
    );
    // then
    expect(result).toEqual({ customers: { totalCount: 2, edges: [expect.anything(), expect.anything()] }, none: { totalCount: 0 } });
    expect(statements["partners"]).toBe(listed.statements["partners"]);
  });
});
