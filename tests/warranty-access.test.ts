import { addDays, newId, todayUtc } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMonthsClamped,
  createContractPlan,
  createCustomer,
  createDealer,
  createProduct,
  setWarrantyPolicy,
  soldUnit,
  tag,
  warrantyPolicyInput,
  type SoldUnit,
} from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { ServiceContractFilter, WarrantyClaimFilter } from "./src/generated/graphql.js";
import { startGraph, type Caller, type Client, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { withPlaceholders } from "./src/tenants.js";

/**
 * Who sees and changes what in the warranty subgraph: contracts, visits and
 * claims belong to a dealer; a DEALER sees and changes only its own, another
 * dealer's answered exactly like one that does not exist; an AGENT or ADMIN
 * sees and serves every dealer's; an ANALYST reads every dealer's and changes
 * nothing. Warranty terms and plans are the same for every caller and only
 * ADMINs set them. Records are seeded as staff, then read and changed as the
 * other roles.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

interface Ref {
  id: string;
}

interface WarrantyError {
  code: string;
  field: string[] | null;
  message: string;
}

const AGENT: Caller = { role: "AGENT", subject: "agent-access" };
const ANALYST: Caller = { role: "ANALYST" };
const eur = (amount: string) => ({ amount, currency: "EUR" });
const today = () => todayUtc();

const ERRORS = `errors { code field message }`;

/**
 * Runs a mutation as `client` and returns the raw response (payload under `m`); written from the refusal tables'
 * mutation names, so a string. The mutations a test names itself are typed documents, their payload aliased `m` too.
 */
const mutate = (client: Client, mutation: string, selection: string, input: Record<string, unknown>) =>
  client.request<{ m: Record<string, unknown> & { errors: WarrantyError[] } }>(
    `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { m: ${mutation}(input: $input) { ${selection} ${ERRORS} } }`,
    { input },
  );

/** A mutation's payload, which must carry no refusal. */
function accepted<T extends { errors: unknown[] }>(payload: T): T {
  expect(payload.errors).toEqual([]);
  return payload;
}

const forbidden = (response: GraphQLResponse<unknown>) => ({ data: response.data ?? null, codes: response.errors?.map((e) => e.extensions?.["code"]) });

interface SeededDealer {
  id: string;
  customer: string;
  as: Client;
  /** Sold on 2025-01-15, under an active contract started 40 days ago, with a claim sent back to the dealer. */
  sold: SoldUnit;
  /** Its warranty ends in a few days; a draft contract is made for it. */
  expiring: SoldUnit;
  contract: { id: string; number: string; version: number };
  draft: { id: string; number: string; version: number };
  visit: { id: string; version: number };
  claim: { id: string; number: string; version: number };
}

const CREATE_CONTRACT = graphql(`mutation WarrantyAccessCreateContract($input: CreateServiceContractInput!) {
  m: createServiceContract(input: $input) { contract { id number version } errors { code field message } } }`);
const ACTIVATE_CONTRACT = graphql(`mutation WarrantyAccessActivateContract($input: ActivateServiceContractInput!) {
  m: activateServiceContract(input: $input) { contract { id number version maintenanceVisits { id version } } errors { code field message } } }`);
const FILE_CLAIM = graphql(`mutation WarrantyAccessFileClaim($input: FileWarrantyClaimInput!) {
  m: fileWarrantyClaim(input: $input) { claim { id version } errors { code field message } } }`);
const SEND_BACK_CLAIM = graphql(`mutation WarrantyAccessSendBackClaim($input: SendBackWarrantyClaimInput!) {
  m: sendBackWarrantyClaim(input: $input) { claim { id number version } errors { code field message } } }`);

/**
 * Two authorized workshops selling the same machine (24 months of warranty
 * from the sale, on site; a pump in its BOM; a monthly visits plan), each
 * with its own customer, units, contracts, a due visit and a claim.
 */
async function twoDealers() {
  const t = tag().toUpperCase();
  const pump = await createProduct(graph, { kind: "SPARE_PART", name: `Pump ${t}`, category: "pumps", listPrice: eur("120.00") });
  const product = await createProduct(graph, { name: `Machine ${t}`, billOfMaterials: [{ partId: pump.id, quantity: 1 }] });
  const plan = await createContractPlan(graph, { visitsPerYear: 12, priceSharePercent: 5 });
  const dealers = await Promise.all(
    [0, 1].map(async () => {
      const id = (await createDealer(graph, { warrantyWorkshop: { authorizedFrom: "2024-01-01" } })).id;
      return { id, customer: (await createCustomer(graph, id)).id, as: graph.as({ role: "DEALER", dealerId: id }) };
    }),
  );
  await graph.settle();
  await setWarrantyPolicy(graph, product.id, { months: 12 });
  const seeded: SeededDealer[] = [];
  for (const dealer of dealers) {
    const sold = await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: dealer.customer, soldOn: addDays(today(), -200) });
    const expiring = await soldUnit(graph, {
      productId: product.id,
      dealerId: dealer.id,
      customerId: dealer.customer,
      soldOn: addMonthsClamped(addDays(today(), 5), -12),
    });
    await graph.settle();
    const made = accepted(
      (await dealer.as.query(CREATE_CONTRACT, { input: { planId: plan.id, customerId: dealer.customer, unitIds: [sold.id], startsOn: addDays(today(), -40) } }))
        .m,
    ).contract!;
    const contract = accepted((await dealer.as.query(ACTIVATE_CONTRACT, { input: { id: made.id, version: made.version } })).m).contract!;
    const draft = accepted(
      (await dealer.as.query(CREATE_CONTRACT, { input: { planId: plan.id, customerId: dealer.customer, unitIds: [expiring.id], startsOn: today() } })).m,
    ).contract!;
    const filing = await dealer.as.query(FILE_CLAIM, {
      input: {
        unitId: sold.id,
        failureOn: addDays(today(), -10),
        repairOn: addDays(today(), -9),
        failureCode: "E04-PUMP",
        lines: [
          { kind: "PART", partId: pump.id, quantity: 1, claimed: eur("120.00") },
          { kind: "TRAVEL", km: 20, claimed: eur("30.00") },
        ],
      },
    });
    const filed = accepted(filing.m).claim!;
    const claim = accepted((await graph.as(AGENT).query(SEND_BACK_CLAIM, { input: { id: filed.id, version: filed.version, comment: "Which route?" } })).m)
      .claim!;
    expect(contract.maintenanceVisits.length).toBeGreaterThan(0);
    seeded.push({ ...dealer, sold, expiring, contract, draft, visit: contract.maintenanceVisits[0]!, claim });
  }
  const [a, b] = seeded as [SeededDealer, SeededDealer];
  return { a, b, product: product.id, pump: pump.id, plan: plan.id };
}

/** Everything of a dealer's in the warranty subgraph, as an ADMIN reads it: to compare before and after another tried to change it. */
async function recordsOf(dealerId: string) {
  return graph.query(
    graphql(`query WarrantyAccessRecords($dealer: ID!) {
      serviceContracts(first: 10, filter: { dealerId: $dealer }) { edges { node {
        id number status version startsOn endsOn cancelledFrom refund { amount } price { amount }
        units { unit { id } casesUsed laborHoursUsed } maintenanceVisits { id status version scheduledFor completedOn note } } } }
      warrantyClaims(first: 10, filter: { dealerId: $dealer }) { edges { node {
        id number status version approvedTotal { amount } paidAt lines { lineNumber status approved { amount } decidedBy }
        history { action statusAfter comment actor } } } }
      dealer(id: $dealer) { maintenanceDue(within: 366, first: 10) { edges { node { id status version } } } } }`),
    { dealer: dealerId },
  );
}

const CONTRACT_BY = graphql(`query WarrantyAccessContractBy($id: ID, $number: String) { serviceContract(id: $id, number: $number) {
  id number status dealer { id } customer { id } units { unit { id } } maintenanceVisits { id } } }`);
const CLAIM_BY = graphql(`query WarrantyAccessClaimBy($id: ID, $number: String) { warrantyClaim(id: $id, number: $number) {
  id number status dealer { id } unit { id } lines { lineNumber status } history { action comment } } }`);

describe("reading as a DEALER", () => {
  it("shows a DEALER its own contract and claim by id and by number, and another dealer's exactly like ones that do not exist", async () => {
    // given
    const { a, b } = await twoDealers();
    const contractBy = (client: Client, variables: { id?: string; number?: string }) => client.request(CONTRACT_BY, variables);
    const claimBy = (client: Client, variables: { id?: string; number?: string }) => client.request(CLAIM_BY, variables);
    // when
    const own = { contract: await contractBy(a.as, { id: a.contract.id }), claim: await claimBy(a.as, { number: a.claim.number }) };
    const foreign = [
      [await contractBy(a.as, { id: b.contract.id }), await contractBy(a.as, { id: newId("sct") }), { id: b.contract.id }],
      [await contractBy(a.as, { number: b.contract.number }), await contractBy(a.as, { number: "SC-2020-999999" }), { number: b.contract.number }],
      [await claimBy(a.as, { id: b.claim.id }), await claimBy(a.as, { id: newId("wcl") }), { id: b.claim.id }],
      [await claimBy(a.as, { number: b.claim.number }), await claimBy(a.as, { number: "WC-2020-999999" }), { number: b.claim.number }],
    ] as const;
    // then its own are there
    expect(own.contract).toEqual({
      data: {
        serviceContract: expect.objectContaining({ id: a.contract.id, status: "ACTIVE", dealer: { id: a.id }, units: [{ unit: { id: a.sold.id } }] }),
      },
    });
    expect(own.claim).toEqual({ data: { warrantyClaim: expect.objectContaining({ id: a.claim.id, status: "SENT_BACK", dealer: { id: a.id } }) } });
    // and the other dealer's are null, like made-up ones, with no error
    for (const [answer, unknown, asked] of foreign) {
      expect(answer, JSON.stringify(asked)).toEqual(unknown);
      expect(Object.values((answer as GraphQLResponse<Record<string, unknown>>).data ?? {})).toEqual([null]);
    }
  });

  it("lists only its own contracts and claims, whatever the filter names of another dealer's", async () => {
    // given
    const { a, b, product } = await twoDealers();
    const CONTRACTS = graphql(`query WarrantyAccessContracts($filter: ServiceContractFilter) {
      serviceContracts(first: 100, filter: $filter) { edges { cursor node { id dealer { id } } } } }`);
    const CLAIMS = graphql(`query WarrantyAccessClaims($filter: WarrantyClaimFilter) {
      warrantyClaims(first: 100, filter: $filter) { edges { cursor node { id dealer { id } } } } }`);
    const contractFilters: ServiceContractFilter[] = [
      {},
      { dealerId: b.id },
      { customerId: b.customer },
      { unitId: b.sold.id },
      { statuses: ["ACTIVE", "DRAFT"] },
    ];
    const claimFilters: WarrantyClaimFilter[] = [
      {},
      { dealerId: b.id },
      { unitId: b.sold.id },
      { productId: product },
      { statuses: ["SENT_BACK"], failureCode: "E04-PUMP" },
    ];
    // when
    const contracts = await Promise.all(contractFilters.map((filter) => a.as.query(CONTRACTS, { filter })));
    const claims = await Promise.all(claimFilters.map((filter) => a.as.query(CLAIMS, { filter })));
    // then
    const ids = (edges: { node: { id: string } }[]) => edges.map((e) => e.node.id).sort();
    const [allContracts, byDealer, byCustomer, byUnit, byStatus] = contracts.map((c) => c.serviceContracts.edges);
    expect(ids(allContracts!)).toEqual([a.contract.id, a.draft.id].sort());
    expect(ids(byStatus!)).toEqual([a.contract.id, a.draft.id].sort());
    expect([byDealer, byCustomer, byUnit]).toEqual([[], [], []]);
    const [allClaims, claimsByDealer, claimsByUnit, byProduct, byClaimStatus] = claims.map((c) => c.warrantyClaims.edges);
    for (const list of [allClaims, byProduct, byClaimStatus]) expect(ids(list!)).toEqual([a.claim.id]);
    expect([claimsByDealer, claimsByUnit]).toEqual([[], []]);
    const text = JSON.stringify([contracts, claims]);
    for (const secret of [b.contract.id, b.draft.id, b.claim.id, b.contract.number, b.claim.number]) expect(text).not.toContain(secret);
  });

  it("nests none of another dealer's contracts, visits or claims under its unit, its customer or its dealer", async () => {
    // given the warranty subgraph asked directly, as each dealer and as an ADMIN, about the other dealer's unit and customer
    const { a, b } = await twoDealers();
    // `_entities` is a subgraph's own field, outside the API schema the typed documents are checked against.
    const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Unit { id warrantyClaims { id } serviceContracts { id } maintenanceVisits { id } }
      ... on Customer { id serviceContracts { id } }
      ... on Dealer { id maintenanceDue(within: 366) { edges { node { id } } } warrantyExpiring(within: 30) { edges { node { unit { id } } } } } } }`;
    const representations = [
      { __typename: "Unit", id: b.sold.id },
      { __typename: "Customer", id: b.customer },
      { __typename: "Dealer", id: b.id },
    ];
    // when
    const asA = await graph.subgraph("warranty", { role: "DEALER", dealerId: a.id }).request(ENTITIES, { representations });
    const asB = await graph.subgraph("warranty", { role: "DEALER", dealerId: b.id }).request(ENTITIES, { representations });
    // then the other dealer sees the unit, customer and dealer, with nothing under them
    expect(asA).toEqual({
      data: {
        _entities: [
          { id: b.sold.id, warrantyClaims: [], serviceContracts: [], maintenanceVisits: [] },
          { id: b.customer, serviceContracts: [] },
          { id: b.id, maintenanceDue: { edges: [] }, warrantyExpiring: { edges: [] } },
        ],
      },
    });
    // while their dealer sees its own
    expect(asB).toEqual({
      data: {
        _entities: [
          {
            id: b.sold.id,
            warrantyClaims: [{ id: b.claim.id }],
            serviceContracts: [{ id: b.contract.id }],
            maintenanceVisits: expect.arrayContaining([{ id: b.visit.id }]),
          },
          { id: b.customer, serviceContracts: expect.arrayContaining([{ id: b.contract.id }, { id: b.draft.id }]) },
          {
            id: b.id,
            maintenanceDue: { edges: expect.arrayContaining([{ node: { id: b.visit.id } }]) },
            warrantyExpiring: { edges: [{ node: { unit: { id: b.expiring.id } } }] },
          },
        ],
      },
    });
  });

  it("answers another dealer's warrantyExpiring and maintenanceDue with empty lists through the gateway", async () => {
    // given
    const { a, b } = await twoDealers();
    const LISTS = graphql(`query WarrantyAccessDealerLists($id: ID!) { dealer(id: $id) {
      warrantyExpiring(within: 30) { edges { cursor node { unit { id } customer { id } warrantyEndsOn offers { price { amount } } } } }
      maintenanceDue(within: 366) { edges { cursor node { id unit { id } contract { id } } } } } }`);
    // when
    const foreign = await a.as.query(LISTS, { id: b.id });
    const own = await b.as.query(LISTS, { id: b.id });
    // then
    expect(foreign).toEqual({ dealer: { warrantyExpiring: { edges: [] }, maintenanceDue: { edges: [] } } });
    expect(own.dealer!.warrantyExpiring.edges.map((e) => e.node.unit.id)).toEqual([b.expiring.id]);
    expect(own.dealer!.maintenanceDue.edges.map((e) => e.node.id)).toContain(b.visit.id);
  });

  it("quotes another dealer's unit by serial number without its owner or its contract", async () => {
    // given another dealer's unit under its contract, asked about after the warranty ends, while the contract runs
    const { a, b } = await twoDealers();
    const at = `${addMonthsClamped(today(), 8)}T12:00:00Z`;
    const QUOTE = graphql(`query WarrantyAccessQuote($serial: String!, $at: DateTime) { coverageQuote(serialNumber: $serial, at: $at, laborHours: 1) {
      serialNumber coverage { kind contract { id number customer { id } } } total { amount } covered { amount } } }`);
    // when
    const foreign = await a.as.query(QUOTE, { serial: b.sold.serialNumber, at });
    const own = await b.as.query(QUOTE, { serial: b.sold.serialNumber, at });
    // then both learn what covers it, only its dealer by which contract
    expect(own.coverageQuote?.coverage).toMatchObject({ kind: "CONTRACT", contract: { id: b.contract.id } });
    expect(foreign.coverageQuote?.coverage).toEqual({ kind: "CONTRACT", contract: null });
    const text = JSON.stringify(foreign);
    for (const secret of [b.customer, b.contract.id, b.contract.number, b.sold.id]) expect(text).not.toContain(secret);
  });

  it("counts only a DEALER's own claims and sales in the claim statistics", async () => {
    // given both dealers claimed a repair of the same product this month
    const { a, product } = await twoDealers();
    const STATS = graphql(`query WarrantyAccessClaimStats($from: Date!, $to: Date!, $product: ID!) {
      warrantyClaimStats(from: $from, to: $to, productId: $product) { failureCode claims unitsSold claimRate } }`);
    const period = { from: addDays(today(), -30), to: today(), product };
    // when
    const asA = await a.as.query(STATS, period);
    const asAdmin = await graph.query(STATS, period);
    // then
    expect(asA.warrantyClaimStats).toEqual([{ failureCode: "E04-PUMP", claims: 1, unitsSold: 2, claimRate: 0.5 }]);
    expect(asAdmin.warrantyClaimStats).toEqual([{ failureCode: "E04-PUMP", claims: 2, unitsSold: 4, claimRate: 0.5 }]);
  });
});

describe("a claim for a unit another dealer sold", () => {
  graphql(`fragment WarrantyAccessRepairedClaim on WarrantyClaim {
    id number status dealer { id } unit { id serialNumber customer { id } soldBy { id } purchasePrice { amount } }
    repairedUnit { serialNumber product { id } coverage { kind contract { id number } } } lines { lineNumber status } }`);

  it("lets the workshop that repaired it file the claim and read it back with the unit's serial number, product and coverage, and nothing of its owner, price or seller", async () => {
    // given a unit dealer A sold (under A's contract), repaired by dealer B's workshop
    const { a, b, product, pump } = await twoDealers();
    // when B files a claim for it by its serial number, then reads the claim back by id and in its list
    const filed = await b.as.request(
      graphql(`mutation WarrantyAccessFileRepairedClaim($input: FileWarrantyClaimInput!) {
        m: fileWarrantyClaim(input: $input) { claim { ...WarrantyAccessRepairedClaim } errors { code field message } } }`),
      {
        input: {
          serialNumber: a.sold.serialNumber,
          failureOn: addDays(today(), -5),
          repairOn: addDays(today(), -4),
          failureCode: "E04-PUMP",
          lines: [{ kind: "PART", partId: pump, quantity: 1, claimed: eur("120.00") }],
        },
      },
    );
    const claim = filed.data?.m.claim;
    const read = await b.as.request(graphql(`query WarrantyAccessRepairedClaimById($id: ID!) { warrantyClaim(id: $id) { ...WarrantyAccessRepairedClaim } }`), {
      id: claim!.id,
    });
    const listed = await b.as.query(
      graphql(`query WarrantyAccessRepairedClaims { warrantyClaims(first: 10) { edges { node { ...WarrantyAccessRepairedClaim } } } }`),
    );
    // then the claim is filed and B sees it, with what a repairer needs of the unit
    expect(filed).toEqual({
      data: {
        m: {
          claim: {
            id: expect.any(String),
            number: expect.any(String),
            status: "APPROVED",
            dealer: { id: b.id },
            unit: null,
            repairedUnit: { serialNumber: a.sold.serialNumber, product: { id: product }, coverage: { kind: "WARRANTY", contract: null } },
            lines: [{ lineNumber: 1, status: "APPROVED" }],
          },
          errors: [],
        },
      },
    });
    expect(read).toEqual({ data: { warrantyClaim: claim } });
    expect(listed.warrantyClaims.edges.map((e) => e.node)).toContainEqual(claim);
    // and nothing of A's: not the unit's id, owner, seller or contract
    const text = JSON.stringify([filed, read, listed]);
    for (const secret of [a.sold.id, a.customer, a.id, a.contract.id, a.contract.number]) expect(text).not.toContain(secret);
    // while A, whose unit it is, sees it whole, and an AGENT sees B's claim with it
    const asAgent = await graph
      .as(AGENT)
      .query(graphql(`query WarrantyAccessClaimUnit($id: ID!) { warrantyClaim(id: $id) { unit { id customer { id } } } }`), { id: claim!.id });
    expect(asAgent.warrantyClaim!.unit).toEqual({ id: a.sold.id, customer: { id: a.customer } });
  });
});

describe("changing as a DEALER", () => {
  const FILE_CLAIM_ID = graphql(`mutation WarrantyAccessFileClaimId($input: FileWarrantyClaimInput!) {
    m: fileWarrantyClaim(input: $input) { claim { id } errors { code field message } } }`);
  const CREATE_CONTRACT_ID = graphql(`mutation WarrantyAccessCreateContractId($input: CreateServiceContractInput!) {
    m: createServiceContract(input: $input) { contract { id } errors { code field message } } }`);

  it("refuses to act on another dealer's contract, visit or claim exactly like on ones that do not exist, changing nothing", async () => {
    // given
    const { a, b } = await twoDealers();
    const before = await recordsOf(b.id);
    const attempts: [string, string, (id: string) => Record<string, unknown>, string, string, string][] = [
      ["activateServiceContract", "contract { id }", (id) => ({ id, version: b.draft.version }), b.draft.id, newId("sct"), "CONTRACT_NOT_FOUND"],
      [
        "cancelServiceContract",
        "contract { id }",
        (id) => ({ id, version: b.contract.version, reason: "Mine now" }),
        b.contract.id,
        newId("sct"),
        "CONTRACT_NOT_FOUND",
      ],
      [
        "scheduleMaintenanceVisit",
        "visit { id }",
        (id) => ({ id, version: b.visit.version, scheduledFor: `${addDays(today(), 2)}T09:00:00Z` }),
        b.visit.id,
        newId("mvs"),
        "VISIT_NOT_FOUND",
      ],
      ["completeMaintenanceVisit", "visit { id }", (id) => ({ id, version: b.visit.version }), b.visit.id, newId("mvs"), "VISIT_NOT_FOUND"],
      ["cancelMaintenanceVisit", "visit { id }", (id) => ({ id, version: b.visit.version, note: "Not needed" }), b.visit.id, newId("mvs"), "VISIT_NOT_FOUND"],
      [
        "answerWarrantyClaim",
        "claim { id }",
        (id) => ({ id, version: b.claim.version, comment: "Answered for you" }),
        b.claim.id,
        newId("wcl"),
        "CLAIM_NOT_FOUND",
      ],
    ];
    for (const [mutation, selection, input, foreignId, unknownId, code] of attempts) {
      // when
      const foreign = await mutate(a.as, mutation, selection, input(foreignId));
      const unknown = await mutate(a.as, mutation, selection, input(unknownId));
      // then
      expect(foreign, mutation).toEqual({ data: { m: { [selection.split(" ")[0]!]: null, errors: [expect.objectContaining({ code, field: ["id"] })] } } });
      expect(withPlaceholders(foreign, { "<id>": foreignId }), mutation).toEqual(withPlaceholders(unknown, { "<id>": unknownId }));
    }
    expect(await recordsOf(b.id)).toEqual(before);
  });

  it("refuses a DEALER filing a claim or making a contract for another dealer with NOT_YOUR_DEALER", async () => {
    // given
    const { a, b, pump, plan } = await twoDealers();
    const before = await recordsOf(b.id);
    // when
    const claim = await a.as.request(FILE_CLAIM_ID, {
      input: {
        dealerId: b.id,
        unitId: a.sold.id,
        failureOn: addDays(today(), -3),
        repairOn: addDays(today(), -2),
        failureCode: "E04-PUMP",
        lines: [{ kind: "PART", partId: pump, quantity: 1, claimed: eur("120.00") }],
      },
    });
    const contract = await a.as.request(CREATE_CONTRACT_ID, {
      input: { dealerId: b.id, planId: plan, customerId: a.customer, unitIds: [a.expiring.id], startsOn: today() },
    });
    // then
    expect(claim).toEqual({ data: { m: { claim: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })] } } });
    expect(contract).toEqual({ data: { m: { contract: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })] } } });
    expect(await recordsOf(b.id)).toEqual(before);
  });

  it("answers a contract for another dealer's unit exactly like one for a unit that does not exist", async () => {
    // given
    const { a, b, plan } = await twoDealers();
    const unknownUnit = newId("unt");
    const input = (unitId: string) => ({ planId: plan, customerId: a.customer, unitIds: [unitId], startsOn: today() });
    // when
    const foreign = await a.as.request(CREATE_CONTRACT_ID, { input: input(b.expiring.id) });
    const unknown = await a.as.request(CREATE_CONTRACT_ID, { input: input(unknownUnit) });
    // then
    expect(foreign.data?.m).toMatchObject({ contract: null, errors: [expect.anything()] });
    expect(withPlaceholders(foreign, { "<unit>": b.expiring.id })).toEqual(withPlaceholders(unknown, { "<unit>": unknownUnit }));
  });

  it.each([
    { mutation: "reviewWarrantyClaim", input: (c: { id: string; version: number }) => ({ ...c, lines: [{ lineNumber: 2, decision: "APPROVE" }] }) },
    { mutation: "sendBackWarrantyClaim", input: (c: { id: string; version: number }) => ({ ...c, comment: "Asking myself" }) },
    { mutation: "markWarrantyClaimPaid", input: (c: { id: string; version: number }) => ({ ...c, reference: "SELF-PAID" }) },
  ])("refuses $mutation on its own claim to a DEALER as FORBIDDEN: deciding and paying claims is the AGENTs'", async ({ mutation, input }) => {
    // given
    const { a } = await twoDealers();
    const before = await recordsOf(a.id);
    // when
    const response = await mutate(a.as, mutation, "claim { id }", input({ id: a.claim.id, version: a.claim.version }));
    // then
    expect(forbidden(response)).toEqual({ data: null, codes: ["FORBIDDEN"] });
    expect(await recordsOf(a.id)).toEqual(before);
  });

  it("refuses a DEALER the planning run and the terms as FORBIDDEN", async () => {
    // given
    const { a, product, plan } = await twoDealers();
    // when
    const responses = {
      planMaintenance: await mutate(a.as, "planMaintenance", "visitsCreated", { leadDays: 30 }),
      setWarrantyPolicy: await mutate(a.as, "setWarrantyPolicy", "policy { id }", warrantyPolicyInput(product, { effectiveFrom: addDays(today(), 10) })),
      createContractPlan: await mutate(a.as, "createContractPlan", "plan { id }", {
        name: `Own plan ${tag()}`,
        priceSharePercent: 1,
        responseHours: 1,
        resolutionHours: 2,
        partsCovered: true,
        laborCovered: true,
      }),
      updateContractPlan: await mutate(a.as, "updateContractPlan", "plan { id }", { id: plan, version: 1, priceSharePercent: 0.5 }),
    };
    // then
    for (const [mutation, response] of Object.entries(responses)) expect(forbidden(response), mutation).toEqual({ data: null, codes: ["FORBIDDEN"] });
    const { warrantyPolicies, contractPlans } = await graph.query(
      graphql(`query WarrantyAccessTermsAndPlans($product: ID!) { warrantyPolicies(productId: $product) { version } contractPlans { id version } }`),
      { product },
    );
    expect(warrantyPolicies).toEqual([{ version: 1 }]);
    expect(contractPlans).toContainEqual({ id: plan, version: 1 });
  });
});

describe("staff", () => {
  it("lets an AGENT see and serve every dealer's records, filing for a dealer it names", async () => {
    // given
    const { a, b, pump } = await twoDealers();
    const agent = graph.as(AGENT);
    // when
    const { serviceContracts, warrantyClaims } = await agent.query(
      graphql(
        `query WarrantyAccessEveryRecord { serviceContracts(first: 100) { edges { node { id } } } warrantyClaims(first: 100) { edges { node { id } } } }`,
      ),
    );
    const repair = {
      unitId: b.sold.id,
      failureOn: addDays(today(), -3),
      repairOn: addDays(today(), -2),
      failureCode: "E04-PUMP",
      lines: [{ kind: "PART" as const, partId: pump, quantity: 1, claimed: eur("120.00") }],
    };
    const FILE = graphql(`mutation WarrantyAccessAgentFileClaim($input: FileWarrantyClaimInput!) {
      m: fileWarrantyClaim(input: $input) { claim { id dealer { id } status } errors { code field message } } }`);
    const withoutDealer = await agent.request(FILE, { input: repair });
    const forDealer = await agent.request(FILE, { input: { dealerId: b.id, ...repair } });
    // then
    const ids = (edges: { node: Ref }[]) => edges.map((e) => e.node.id);
    expect(ids(serviceContracts.edges)).toEqual(expect.arrayContaining([a.contract.id, a.draft.id, b.contract.id, b.draft.id]));
    expect(ids(warrantyClaims.edges)).toEqual(expect.arrayContaining([a.claim.id, b.claim.id]));
    expect(withoutDealer.data?.m).toEqual({ claim: null, errors: [expect.objectContaining({ code: "REQUIRED", field: ["dealerId"] })] });
    expect(forDealer.data?.m).toEqual({ claim: { id: expect.any(String), dealer: { id: b.id }, status: "APPROVED" }, errors: [] });
  });

  it("lets an ANALYST read every dealer's contracts and claims", async () => {
    // given
    const { a, b } = await twoDealers();
    // when
    const read = await graph.as(ANALYST).query(
      graphql(`query WarrantyAccessAnalystReads($a: ID!, $b: ID!, $ca: ID!, $cb: ID!) {
        a: serviceContract(id: $a) { id } b: serviceContract(id: $b) { id }
        ca: warrantyClaim(id: $ca) { id } cb: warrantyClaim(id: $cb) { id } }`),
      { a: a.contract.id, b: b.contract.id, ca: a.claim.id, cb: b.claim.id },
    );
    // then
    expect(read).toEqual({ a: { id: a.contract.id }, b: { id: b.contract.id }, ca: { id: a.claim.id }, cb: { id: b.claim.id } });
  });

  const ANALYST_MUTATIONS: Record<string, (r: Awaited<ReturnType<typeof twoDealers>>) => [string, Record<string, unknown>]> = {
    setWarrantyPolicy: (r) => ["policy { id }", warrantyPolicyInput(r.product, { effectiveFrom: addDays(today(), 10) })],
    createContractPlan: () => [
      "plan { id }",
      { name: `Analysed ${tag()}`, priceSharePercent: 1, responseHours: 1, resolutionHours: 2, partsCovered: true, laborCovered: true },
    ],
    updateContractPlan: (r) => ["plan { id }", { id: r.plan, version: 1, offered: false }],
    createServiceContract: (r) => [
      "contract { id }",
      { dealerId: r.a.id, planId: r.plan, customerId: r.a.customer, unitIds: [r.a.expiring.id], startsOn: today() },
    ],
    activateServiceContract: (r) => ["contract { id }", { id: r.a.draft.id, version: r.a.draft.version }],
    cancelServiceContract: (r) => ["contract { id }", { id: r.a.contract.id, version: r.a.contract.version, reason: "Analysed" }],
    planMaintenance: () => ["visitsCreated", { leadDays: 30 }],
    scheduleMaintenanceVisit: (r) => ["visit { id }", { id: r.a.visit.id, version: r.a.visit.version, scheduledFor: `${addDays(today(), 2)}T09:00:00Z` }],
    completeMaintenanceVisit: (r) => ["visit { id }", { id: r.a.visit.id, version: r.a.visit.version }],
    cancelMaintenanceVisit: (r) => ["visit { id }", { id: r.a.visit.id, version: r.a.visit.version, note: "Analysed" }],
    fileWarrantyClaim: (r) => [
      "claim { id }",
      {
        dealerId: r.a.id,
        unitId: r.a.sold.id,
        failureOn: addDays(today(), -3),
        repairOn: addDays(today(), -2),
        failureCode: "E04-PUMP",
        lines: [{ kind: "PART", partId: r.pump, quantity: 1, claimed: eur("120.00") }],
      },
    ],
    reviewWarrantyClaim: (r) => ["claim { id }", { id: r.a.claim.id, version: r.a.claim.version, lines: [{ lineNumber: 2, decision: "APPROVE" }] }],
    sendBackWarrantyClaim: (r) => ["claim { id }", { id: r.a.claim.id, version: r.a.claim.version, comment: "Analysed" }],
    answerWarrantyClaim: (r) => ["claim { id }", { id: r.a.claim.id, version: r.a.claim.version, comment: "Analysed" }],
    markWarrantyClaimPaid: (r) => ["claim { id }", { id: r.a.claim.id, version: r.a.claim.version, reference: "ANALYSED" }],
  };

  it.each(Object.keys(ANALYST_MUTATIONS))("refuses %s to an ANALYST as FORBIDDEN, changing nothing", async (mutation) => {
    // given
    const seeded = await twoDealers();
    const before = await recordsOf(seeded.a.id);
    const [selection, input] = ANALYST_MUTATIONS[mutation]!(seeded);
    // when
    const response = await mutate(graph.as(ANALYST), mutation, selection, input);
    // then
    expect(forbidden(response)).toEqual({ data: null, codes: ["FORBIDDEN"] });
    expect(await recordsOf(seeded.a.id)).toEqual(before);
  });
});
