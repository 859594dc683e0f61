import { seedDemo } from "@aftersales/demo";
import { generateIdentityKey, identitySigner, todayUtc } from "@aftersales/kit";
import type { JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./src/generated/index.js";
import { postGraphQL, startGraph, type Caller, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { ensurePeerGatewayInstalled, startPeerGateway, type PeerGateway } from "./src/peer-gateway.js";

/**
 * The supergraph is standard Federation 2: Hive Gateway (its Rust query
 * planner, `--hive-router-runtime`) serves it over the same subgraphs and
 * answers exactly as our gateway does. It signs identities with a key of its
 * own (its own `kid`), which the subgraphs trust beside our gateway's.
 */

let graph: TestGraph;
let hive: PeerGateway;
let hiveKey: JWK;
/** Ids the queries name, read from the demo through our gateway. */
let ids: { serialNumber: string; ticketNumber: string; productId: string; dealerId: string; dealerSerialNumber: string };

// A hook of its own: a first install takes minutes, and the graph's setup has its own time after it.
beforeAll(() => ensurePeerGatewayInstalled());
beforeAll(async () => {
  hiveKey = await generateIdentityKey();
  graph = await startGraph({ otherIdentityKeys: [identitySigner(hiveKey).publicKey], limits: { maxCost: 10_000_000 } });
  await seedDemo({ url: graph.url, settle: () => graph.settle(), token: await graph.token({ role: "ADMIN" }), today: todayUtc() });
  await graph.settle();
  // Both gateways must see one instant: SLA clocks and coverage depend on it.
  graph.clock.set(new Date());
  hive = await startPeerGateway({ subgraphUrls: graph.subgraphUrls, tokenSecret: graph.tokenSecret, identityKey: hiveKey });
  ids = await demoIds();
});
afterAll(async () => {
  await hive?.stop();
  await graph?.stop();
});

const DEMO_TICKETS = graphql(`query PeerGatewayDemoTickets {
  tickets(first: 100) { edges { node { number kind dealer { id } unit { serialNumber product { id } } } } } }`);
const DEALER_UNIT = graphql(`query PeerGatewayDealerUnit { units(first: 1) { edges { node { serialNumber } } } }`);

async function demoIds(): Promise<typeof ids> {
  const data = await graph.query(DEMO_TICKETS);
  const repairs = data.tickets.edges.map((e) => e.node).filter((t) => t.kind === "REPAIR" && t.unit);
  const first = repairs[0];
  if (!first?.unit) throw new Error("The demo has no repair ticket with a unit.");
  const dealerId = first.dealer.id;
  const dealerUnits = await graph.as({ role: "DEALER", dealerId }).query(DEALER_UNIT);
  return {
    serialNumber: first.unit.serialNumber,
    ticketNumber: first.number,
    productId: first.unit.product.id,
    dealerId,
    dealerSerialNumber: dealerUnits.units.edges[0]!.node.serialNumber,
  };
}

const SLA = `sla { source contractNumber timeZone breached response { targetMinutes state dueAt metAt breachedAt } resolution { targetMinutes state dueAt elapsedBusinessSeconds pausedBusinessSeconds } }`;
const COVERAGE = `coverage { kind onDate timeZone partsShare laborShare startsOn endsOn reason explanation policy { id } contract { number } }`;
const UNIT = `serialNumber status soldOn deliveredOn installedOn purchasePrice { amount currency } product { sku name lifecycleStage } customer { name address { city } } soldBy { name calendar { timeZone } }`;
const FIGURES = `figures { responses averageScore satisfiedShare promoters passives detractors nps }`;

/**
 * The twenty operations, each sent as an ADMIN and a DEALER where it says so.
 * Strings, not typed documents: the test sends one text to both gateways and
 * compares their answers whole, byte for byte, reading no field, so a result
 * type would type nothing; the selections stay inline as each gateway plans them.
 */
const operations: { name: string; as: "ADMIN" | "DEALER"; query: () => string; variables?: () => Record<string, unknown> }[] = [
  {
    name: "the installed base",
    as: "ADMIN",
    query: () => `{ units(first: 25) { edges { node { ${UNIT} events { kind occurredOn statusAfter } } } pageInfo { hasNextPage endCursor } } }`,
  },
  {
    name: "a unit by serial number, with its service history",
    as: "ADMIN",
    query: () =>
      `query($serial: String!) { unit(serialNumber: $serial) { ${UNIT} warranty { startBasisUsed startsOn endsOn explanation } coverage { kind explanation } serviceContracts { number status } maintenanceVisits { dueOn status } warrantyClaims { number status } tickets(first: 10) { edges { node { number status } } } } }`,
    variables: () => ({ serial: ids.serialNumber }),
  },
  {
    name: "tickets with SLA, customer, unit and coverage",
    as: "ADMIN",
    query: () =>
      `{ tickets(first: 30, orderBy: PRIORITY) { edges { node { number kind status priority subject customer { name companyName } unit { serialNumber product { name } } ${COVERAGE} ${SLA} } } } }`,
  },
  {
    name: "a ticket by number, with dispatch, parts, loaner and timeline",
    as: "ADMIN",
    query: () =>
      `query($number: String!) { ticket(number: $number) { number status openedAt ${COVERAGE} dispatch { explanation serviceCenter { name } technician { name } } partsUsed { part { name } quantity serviceCenter { name } } loaner { unit { serialNumber } issuedAt } timeline { at kind actor description } } }`,
    variables: () => ({ number: ids.ticketNumber }),
  },
  { name: "tickets at risk", as: "ADMIN", query: () => `{ ticketsAtRisk(within: 10080) { edges { node { number priority status ${SLA} } } } }` },
  {
    name: "dealers with their calendars, refills due and warranties expiring",
    as: "ADMIN",
    query: () =>
      `{ dealers(first: 10) { edges { node { id name kind region laborRate { amount currency } calendar { timeZone } replenishmentDue(within: 14) { edges { node { customer { name } product { name } runsOutOn daysLeft overdue } } } warrantyExpiring(within: 60, first: 5) { edges { node { unit { serialNumber } warrantyEndsOn daysLeft offers { plan { name } price { amount currency } } } } } } } } }`,
  },
  {
    name: "warranty claims with their lines",
    as: "ADMIN",
    query: () =>
      `{ warrantyClaims(first: 20) { edges { node { number status failureCode failureOn repairOn coverageKind repairedUnit { serialNumber product { name } } unit { serialNumber } claimedTotal { amount currency } approvedTotal { amount currency } lines { kind status reason explanation } } } } }`,
  },
  {
    name: "service contracts with what covers their units",
    as: "ADMIN",
    query: () =>
      `{ serviceContracts(first: 20) { edges { node { number status startsOn endsOn plan { name priceSharePercent visitsPerYear } customer { name } dealer { name } price { amount currency } units { unit { serialNumber coverage { kind explanation } } } maintenanceVisits { dueOn status } } } } }`,
  },
  {
    name: "satisfaction insights by month and product",
    as: "ADMIN",
    query: () =>
      `{ insights { csat: satisfaction(measure: CSAT, groupBy: MONTH) { edges { node { group { key label } ${FIGURES} } } } postSale: satisfaction(measure: POST_SALE, groupBy: PRODUCT) { edges { node { group { key label product { sku } } ${FIGURES} } } } split: satisfactionSplit(by: COVERAGE) { key ${FIGURES} } } }`,
  },
  {
    name: "resolution, repeat repairs, failure Pareto and claim rates",
    as: "ADMIN",
    query: () =>
      `query($product: ID!) { insights { resolution(groupBy: SERVICE_CENTER) { edges { node { group { key label } figures { resolved slaMet slaCompliance medianHoursToResolve firstTimeFixes repairs firstTimeFixRate } } } } repeatRepairs { edges { node { group { key } } } } failurePareto(productId: $product) { edges { node { failureCode tickets share cumulativeShare } } } warrantyClaims { edges { node { productName unitsSold claims approvedCost { amount currency } } } } } }`,
    variables: () => ({ product: ids.productId }),
  },
  {
    name: "customers with their home dealers",
    as: "ADMIN",
    query: () => `{ customers(first: 20) { edges { node { name kind relationshipLevel address { city } homeDealer { name } } } } }`,
  },
  {
    name: "products with warranty terms and plans",
    as: "ADMIN",
    query: () =>
      `{ products(first: 25) { edges { node { sku name kind lifecycleStage successor { sku } warrantyPolicy { months startBasis partsShare laborShare serviceMode transferable } } } } contractPlans { name priceSharePercent visitsPerYear } }`,
  },
  {
    name: "a dealer's installed base",
    as: "DEALER",
    query: () => `{ units(first: 25) { edges { node { ${UNIT} coverage { kind explanation } } } } }`,
  },
  {
    name: "a dealer's unit by serial number",
    as: "DEALER",
    query: () => `query($serial: String!) { unit(serialNumber: $serial) { ${UNIT} warranty { endsOn } tickets(first: 5) { edges { node { number } } } } }`,
    variables: () => ({ serial: ids.dealerSerialNumber }),
  },
  {
    name: "a dealer's tickets with SLA, customer, unit and coverage",
    as: "DEALER",
    query: () =>
      `{ tickets(first: 30) { edges { node { number status priority customer { name } unit { serialNumber product { name } } ${COVERAGE} ${SLA} } } } }`,
  },
  {
    name: "a dealer's claims",
    as: "DEALER",
    query: () => `{ warrantyClaims(first: 20) { edges { node { number status claimedTotal { amount } approvedTotal { amount } lines { kind status } } } } }`,
  },
  {
    name: "a dealer's contracts",
    as: "DEALER",
    query: () => `{ serviceContracts(first: 20) { edges { node { number status customer { name } units { unit { serialNumber } } } } } }`,
  },
  {
    name: "a dealer's customers",
    as: "DEALER",
    query: () => `{ customers(first: 20) { edges { node { name email homeDealer { name } units(first: 5) { edges { node { serialNumber } } } } } } }`,
  },
  {
    name: "a dealer's insights",
    as: "DEALER",
    query: () =>
      `{ insights { satisfaction(measure: CSAT) { edges { node { ${FIGURES} } } } resolution { edges { node { figures { resolved slaCompliance firstTimeFixRate } } } } warrantyClaims { edges { node { productName claims } } } } }`,
  },
  {
    name: "a dealer's own record, its refills and maintenance due",
    as: "DEALER",
    query: () =>
      `query($id: ID!) { dealer(id: $id) { name replenishmentDue(within: 30) { edges { node { customer { name } product { name } daysLeft } } } maintenanceDue(within: 365) { edges { node { dueOn status } } } warrantyExpiring(within: 90) { edges { node { unit { serialNumber } daysLeft } } } } }`,
    variables: () => ({ id: ids.dealerId }),
  },
];

describe("Hive Gateway in front of the same subgraphs", () => {
  it("runs twenty operations", () => {
    expect(operations).toHaveLength(20);
  });

  it.each(operations)("answers $name ($as) exactly as our gateway does", async ({ as, query, variables }) => {
    // given
    const caller: Caller = as === "DEALER" ? { role: "DEALER", dealerId: ids.dealerId } : { role: "ADMIN" };
    const headers = { authorization: `Bearer ${await graph.token(caller)}` };
    // when
    const ours = await postGraphQL(graph.url, query(), variables?.() ?? {}, headers);
    const theirs = await postGraphQL(hive.url, query(), variables?.() ?? {}, headers);
    // then: an answer with data and no errors, the same from both
    expect(ours.errors, "our gateway's errors").toBeUndefined();
    expect(hasData(ours), "our gateway's answer holds data").toBe(true);
    expect(theirs).toEqual({ data: ours.data });
  });

  it("refuses a request without credentials, and one whose dealer does not exist, as our gateway does", async () => {
    const DEALERS = graphql(`query PeerGatewayDealers { dealers(first: 1) { edges { node { id } } } }`);
    const noDealer = { authorization: `Bearer ${await graph.token({ role: "DEALER", dealerId: "dlr_01J0000000000000000000000" })}` };
    for (const headers of [{}, noDealer]) {
      const answer = await fetch(hive.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: DEALERS.toString() }),
      });
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
    }
  });
});

/** Whether an answer carries rows, not only empty lists and nulls: an empty demo would make any two gateways agree. */
function hasData(answer: GraphQLResponse<unknown>): boolean {
  const rows = (value: unknown): number =>
    Array.isArray(value)
      ? value.length + value.reduce<number>((n, v) => n + rows(v), 0)
      : value && typeof value === "object"
        ? Object.values(value).reduce<number>((n, v) => n + rows(v), 0)
        : 0;
  return rows(answer.data) > 0 || Object.values(answer.data ?? {}).some((v) => v !== null && !Array.isArray(v) && typeof v === "object");
}
