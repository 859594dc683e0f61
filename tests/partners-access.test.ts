import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, customerInput, dealerInput, tag, WEEKDAYS_9_TO_5 } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { AccessCustomersQuery, CreateApiKeyInput } from "./src/generated/graphql.js";
import { startGraph, type Caller, type GraphQLResponse, type Operation, type TestGraph } from "./src/graph.js";

/**
 * Who may see and do what in the partners subgraph, through the gateway: a
 * DEALER's own rows only, ANALYSTs without personal data, mutations by role,
 * API keys and registered operations.
 */

let graph: TestGraph;

/** Two dealers, each with two customers and a technician, named with a tag of their own. */
interface Network {
  tag: string;
  dealers: [string, string];
  customers: [string[], string[]];
  technicians: [string, string];
}
let world: Network;

beforeAll(async () => {
  graph = await startGraph();
  const t = tag();
  const dealers = [(await createDealer(graph, { name: `Access ${t} A` })).id, (await createDealer(graph, { name: `Access ${t} B` })).id] as [string, string];
  const customers: [string[], string[]] = [[], []];
  const technicians: string[] = [];
  for (const [i, dealerId] of dealers.entries()) {
    for (const n of [1, 2]) {
      const customer = await createCustomer(graph, dealerId, {
        kind: "BUSINESS",
        name: `Person ${t} ${i}${n}`,
        companyName: `Company ${t} ${i}${n}`,
        phone: "+49 30 1234567",
        location: { latitude: 52.5, longitude: 13.4 },
      });
      customers[i]!.push(customer.id);
    }
    const technician = await create(graph, "createTechnician", "technician", {
      serviceCenterId: dealerId,
      name: `Tech ${t} ${i}`,
      email: `tech-${t}-${i}@dealer.example`,
      phone: "+49 30 7654321",
      skills: ["espresso-machines"],
    });
    technicians.push(technician.id);
  }
  world = { tag: t, dealers, customers, technicians: technicians as [string, string] };
});
afterAll(() => graph?.stop());

const dealerA = (): Caller => ({ role: "DEALER", dealerId: world.dealers[0] });
const dealerB = (): Caller => ({ role: "DEALER", dealerId: world.dealers[1] });
const ANALYST: Caller = { role: "ANALYST" };
const AGENT: Caller = { role: "AGENT" };

/** A response with the given ids written as placeholders, to compare answers about different ids. */
const withoutIds = (response: unknown, ids: Record<string, string>) =>
  Object.entries(ids).reduce((json, [placeholder, id]) => json.replaceAll(id, placeholder), JSON.stringify(response));

const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;

/** A raw POST to the gateway, for what `postGraphQL` does not send (a `documentId` instead of a query). */
async function post(body: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse<Record<string, unknown>>> {
  const response = await fetch(graph.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as GraphQLResponse<Record<string, unknown>>;
}

const CUSTOMER = graphql(`query AccessCustomer($id: ID!) { customer(id: $id) { id name homeDealer { id } } }`);
const TECHNICIAN = graphql(`query AccessTechnician($id: ID!) { technician(id: $id) { id name } }`);
const CUSTOMERS = graphql(`query AccessCustomers($search: String, $homeDealerId: ID, $first: Int, $after: String) {
  customers(filter: { search: $search, homeDealerId: $homeDealerId }, first: $first, after: $after) {
    edges { node { id name } } pageInfo { hasNextPage endCursor } } }`);
const UPDATE_CUSTOMER = graphql(`mutation AccessUpdateCustomer($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id name version homeDealer { id } } errors { code field message } } }`);
const UPDATE_DEALER = graphql(`mutation AccessUpdateDealer($input: UpdateDealerInput!) {
  updateDealer(input: $input) { dealer { id email version kind calendar { timeZone } } errors { code field message } } }`);

describe("a DEALER", () => {
  it("sees only its own customers and technicians at the top level", async () => {
    // given
    const asA = graph.as(dealerA());
    // when
    const own = await asA.query(CUSTOMER, { id: world.customers[0][0]! });
    const foreign = await asA.request(CUSTOMER, { id: world.customers[1][0]! });
    const unknown = await asA.request(CUSTOMER, { id: "cus_01UNKNOWN" });
    const ownTechnician = await asA.query(TECHNICIAN, { id: world.technicians[0] });
    const foreignTechnician = await asA.request(TECHNICIAN, { id: world.technicians[1] });
    // then: another dealer's customer answers exactly like one that does not exist
    expect(own.customer?.id).toBe(world.customers[0][0]!);
    expect(foreign).toEqual({ data: { customer: null } });
    expect(foreign).toEqual(unknown);
    expect(ownTechnician.technician?.id).toBe(world.technicians[0]);
    expect(foreignTechnician).toEqual({ data: { technician: null } });
  });

  it("lists only its own customers, whatever the filter asks for", async () => {
    const asA = graph.as(dealerA());
    const everyone = await asA.query(CUSTOMERS, { search: `Person ${world.tag}` });
    const othersAskedFor = await asA.query(CUSTOMERS, { homeDealerId: world.dealers[1] });
    expect(everyone.customers.edges.map((e) => e.node.id).sort()).toEqual([...world.customers[0]].sort());
    expect(othersAskedFor.customers.edges).toEqual([]);
  });

  it("sees another service center in the directory, but none of its technicians", async () => {
    const { a, b } = await graph
      .as(dealerA())
      .query(
        graphql(
          `query AccessTwoDealersTechnicians($a: ID!, $b: ID!) { a: dealer(id: $a) { technicians { id } } b: dealer(id: $b) { name technicians { id } } }`,
        ),
        {
          a: world.dealers[0],
          b: world.dealers[1],
        },
      );
    expect(a?.technicians).toEqual([{ id: world.technicians[0] }]);
    expect(b).toEqual({ name: `Access ${world.tag} B`, technicians: [] });
  });

  it("gets null through _entities for another dealer's customer and technician, like an unknown id", async () => {
    // A subgraph's own field, outside the API schema the typed documents are checked against.
    const response = await graph.subgraph("partners", dealerA()).request<{ _entities: unknown[] }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Customer { id } ... on Technician { id } ... on Dealer { id } } }`,
      {
        representations: [
          { __typename: "Customer", id: world.customers[1][0]! },
          { __typename: "Customer", id: "cus_01UNKNOWN" },
          { __typename: "Customer", id: world.customers[0][0]! },
          { __typename: "Technician", id: world.technicians[1] },
          { __typename: "Dealer", id: world.dealers[1] },
        ],
      },
    );
    expect(response).toEqual({
      data: { _entities: [null, null, { id: world.customers[0][0]! }, null, { id: world.dealers[1] }] },
    });
  });

  it("is told CUSTOMER_NOT_FOUND for another dealer's customer, exactly as for an id that does not exist", async () => {
    // given
    const asA = graph.as(dealerA());
    const foreignId = world.customers[1][1]!;
    const madeUpId = "cus_01MADEUPMADEUPMADEUPMADEU";
    // when
    const foreign = await asA.request(UPDATE_CUSTOMER, { input: { id: foreignId, version: 1, name: "Taken over" } });
    const madeUp = await asA.request(UPDATE_CUSTOMER, { input: { id: madeUpId, version: 1, name: "Taken over" } });
    // then
    expect(withoutIds(foreign, { "<id>": foreignId })).toEqual(withoutIds(madeUp, { "<id>": madeUpId }));
    expect(foreign.data).toEqual({
      updateCustomer: { customer: null, errors: [expect.objectContaining({ code: "CUSTOMER_NOT_FOUND", field: ["id"] })] },
    });
    const { customer } = await graph.query(CUSTOMER, { id: foreignId });
    expect(customer?.name).toBe(`Person ${world.tag} 12`);
  });

  it("registers customers for itself by default and for no other dealer; staff must name the dealer", async () => {
    const CREATE = graphql(`mutation AccessCreateCustomer($input: CreateCustomerInput!) { createCustomer(input: $input) {
      customer { homeDealer { id } } errors { code field } } }`);
    const { homeDealerId: _, ...withoutDealer } = customerInput(world.dealers[0]);
    const own = await graph.as(dealerA()).query(CREATE, { input: withoutDealer });
    const foreign = await graph.as(dealerA()).query(CREATE, { input: customerInput(world.dealers[1]) });
    const staff = await graph.as(AGENT).query(CREATE, { input: withoutDealer });
    expect(own.createCustomer).toEqual({ customer: { homeDealer: { id: world.dealers[0] } }, errors: [] });
    expect(foreign.createCustomer).toEqual({ customer: null, errors: [{ code: "NOT_YOUR_DEALER", field: ["homeDealerId"] }] });
    expect(staff.createCustomer).toEqual({ customer: null, errors: [{ code: "REQUIRED", field: ["homeDealerId"] }] });
  });

  it("changes its own customers but cannot hand one to another dealer", async () => {
    const customer = await createCustomer(graph, world.dealers[0]);
    const renamed = await graph.as(dealerA()).query(UPDATE_CUSTOMER, { input: { id: customer.id, version: 1, name: "Renamed" } });
    const handed = await graph.as(dealerA()).query(UPDATE_CUSTOMER, {
      input: { id: customer.id, version: 2, homeDealerId: world.dealers[1] },
    });
    expect(renamed.updateCustomer).toMatchObject({ customer: { version: 2 }, errors: [] });
    expect(handed.updateCustomer).toEqual({
      customer: null,
      errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["homeDealerId"] })],
    });
  });

  it("adds technicians to its own service center only, and cannot see another's to change it", async () => {
    const CREATE = graphql(
      `mutation AccessCreateTechnician($input: CreateTechnicianInput!) { createTechnician(input: $input) { technician { id } errors { code field } } }`,
    );
    const UPDATE = graphql(`mutation AccessUpdateTechnician($input: UpdateTechnicianInput!) {
      updateTechnician(input: $input) { technician { id } errors { code field message } } }`);
    const asA = graph.as(dealerA());
    const own = await asA.query(CREATE, {
      input: { serviceCenterId: world.dealers[0], name: "New hire" },
    });
    const foreign = await asA.query(CREATE, {
      input: { serviceCenterId: world.dealers[1], name: "Poached" },
    });
    const unknownCenter = await asA.query(CREATE, {
      input: { serviceCenterId: "dlr_unknown", name: "Nobody" },
    });
    const foreignUpdate = await asA.request(UPDATE, { input: { id: world.technicians[1], version: 1, active: false } });
    const unknownUpdate = await asA.request(UPDATE, { input: { id: "tec_unknown", version: 1, active: false } });
    expect(own.createTechnician.errors).toEqual([]);
    expect(foreign.createTechnician).toEqual({ technician: null, errors: [{ code: "NOT_YOUR_DEALER", field: ["serviceCenterId"] }] });
    // a dealer id that names nobody is answered like another dealer's: only its own is not refused
    expect(unknownCenter.createTechnician).toEqual(foreign.createTechnician);
    expect(withoutIds(foreignUpdate, { "<id>": world.technicians[1] })).toEqual(withoutIds(unknownUpdate, { "<id>": "tec_unknown" }));
    expect(foreignUpdate.data).toEqual({
      updateTechnician: { technician: null, errors: [expect.objectContaining({ code: "TECHNICIAN_NOT_FOUND", field: ["id"] })] },
    });
  });
});

describe("a DEALER changing its dealer", () => {
  it("changes its own contact details and calendar", async () => {
    const dealer = await createDealer(graph);
    const { updateDealer } = await graph.as({ role: "DEALER", dealerId: dealer.id }).query(UPDATE_DEALER, {
      input: {
        id: dealer.id,
        version: 1,
        email: "new@dealer.example",
        phone: "+49 30 555",
        // the kind it already has: sending a form back whole is not a change
        kind: "BOTH",
        calendar: { timeZone: "Europe/Vienna", weeklyWindows: WEEKDAYS_9_TO_5 },
      },
    });
    expect(updateDealer).toEqual({
      dealer: { id: dealer.id, email: "new@dealer.example", version: 2, kind: "BOTH", calendar: { timeZone: "Europe/Vienna" } },
      errors: [],
    });
  });

  it("is refused every change to the terms of its contract, each on its field, and nothing changes", async () => {
    // given
    const dealer = await createDealer(graph);
    // when
    const { updateDealer } = await graph.as({ role: "DEALER", dealerId: dealer.id }).query(UPDATE_DEALER, {
      input: {
        id: dealer.id,
        version: 1,
        email: "fine@dealer.example",
        name: "Better name",
        kind: "SERVICE_CENTER",
        region: "Nordics",
        serviceRadiusKm: 500,
        laborRate: { amount: "150.00", currency: "EUR" },
        warrantyWorkshop: { authorizedFrom: "2020-01-01" },
      },
    });
    // then
    expect(updateDealer.dealer).toBeNull();
    expect(updateDealer.errors.map((e) => [e.code, e.field])).toEqual([
      ["NOT_PERMITTED", ["name"]],
      ["NOT_PERMITTED", ["kind"]],
      ["NOT_PERMITTED", ["region"]],
      ["NOT_PERMITTED", ["serviceRadiusKm"]],
      ["NOT_PERMITTED", ["laborRate"]],
      ["NOT_PERMITTED", ["warrantyWorkshop"]],
    ]);
    const { dealer: stored } = await graph.query(graphql(`query AccessDealerEmail($id: ID!) { dealer(id: $id) { version email } }`), {
      id: dealer.id,
    });
    expect(stored).toEqual({ version: 1, email: "service@dealer.example" });
  });

  it("cannot change another dealer, which it is told exists", async () => {
    const { updateDealer } = await graph.as(dealerA()).query(UPDATE_DEALER, {
      input: { id: world.dealers[1], version: 1, email: "hijacked@dealer.example" },
    });
    expect(updateDealer).toEqual({ dealer: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["id"] })] });
  });

  it("lets an AGENT change what a dealer may not", async () => {
    const dealer = await createDealer(graph);
    const { updateDealer } = await graph.as(AGENT).query(UPDATE_DEALER, {
      input: { id: dealer.id, version: 1, kind: "SERVICE_CENTER" },
    });
    expect(updateDealer).toMatchObject({ dealer: { version: 2, kind: "SERVICE_CENTER" }, errors: [] });
  });
});

describe("an ANALYST", () => {
  it("reads customers without their personal data", async () => {
    const { customer } = await graph.as(ANALYST).query(
      graphql(`query AccessCustomerPersonalData($id: ID!) { customer(id: $id) { id kind name companyName email phone
        address { street postalCode city country } location { latitude } homeDealer { id } relationshipLevel } }`),
      { id: world.customers[1][0]! },
    );
    expect(customer).toEqual({
      id: world.customers[1][0]!,
      kind: "BUSINESS",
      name: null,
      companyName: null,
      email: null,
      phone: null,
      address: { street: null, postalCode: "10117", city: "Berlin", country: "DE" },
      location: null,
      homeDealer: { id: world.dealers[1] },
      relationshipLevel: "BASIC",
    });
  });

  it("reads technicians without their name or contact details, but with their skills", async () => {
    // given
    const center = await createDealer(graph, { kind: "SERVICE_CENTER" });
    const technician = await create(graph, "createTechnician", "technician", {
      serviceCenterId: center.id,
      name: "Ada Lovelace",
      email: "ada@center.example",
      phone: "+44 20 1234",
      skills: ["dishwashers"],
    });
    // when
    const { dealer } = await graph
      .as(ANALYST)
      .query(graphql(`query AccessCenterTechnicians($id: ID!) { dealer(id: $id) { technicians { id name email phone skills serviceCenter { id } } } }`), {
        id: center.id,
      });
    const { technician: alone } = await graph
      .as(ANALYST)
      .query(graphql(`query AccessTechnicianContact($id: ID!) { technician(id: $id) { name email phone } }`), { id: technician.id });
    // then
    expect(dealer?.technicians).toEqual([
      { id: technician.id, name: null, email: null, phone: null, skills: ["dishwashers"], serviceCenter: { id: center.id } },
    ]);
    expect(alone).toEqual({ name: null, email: null, phone: null });
  });

  it("pages through every dealer's customers, without names, and without a name in the cursor", async () => {
    const analyst = graph.as(ANALYST);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: AccessCustomersQuery = await analyst.query(CUSTOMERS, { homeDealerId: world.dealers[1], first: 1, after });
      seen.push(...page.customers.edges.map((e) => e.node.id));
      expect(page.customers.edges.every((e) => e.node.name === null)).toBe(true);
      if (page.customers.pageInfo.endCursor) {
        expect(Buffer.from(page.customers.pageInfo.endCursor, "base64url").toString()).not.toContain("Person");
      }
      after = page.customers.pageInfo.hasNextPage ? page.customers.pageInfo.endCursor : null;
    } while (after);
    expect(seen.sort()).toEqual([...world.customers[1]].sort());
  });

  it("is refused a search of customers by name or email", async () => {
    const response = await graph.as(ANALYST).request(CUSTOMERS, { search: "Person" });
    expect(codeOf(response)).toBe("FORBIDDEN");
    expect(response.data).toBeNull();
  });

  it.each([
    { mutation: "createDealer", input: () => dealerInput() },
    { mutation: "updateDealer", input: () => ({ id: world.dealers[0], version: 1, email: "x@dealer.example" }) },
    { mutation: "createTechnician", input: () => ({ serviceCenterId: world.dealers[0], name: "Analyst's pick" }) },
    { mutation: "updateTechnician", input: () => ({ id: world.technicians[0], version: 1, active: false }) },
    { mutation: "createCustomer", input: () => customerInput(world.dealers[0]) },
    { mutation: "updateCustomer", input: () => ({ id: world.customers[0][0]!, version: 1, name: "Analysed" }) },
    { mutation: "createApiKey", input: () => ({ name: "analyst's", role: "ANALYST" }) },
    { mutation: "revokeApiKey", input: () => ({ id: "key_unknown" }) },
    { mutation: "registerOperation", input: () => ({ name: "mine", document: "query Mine { dealers { edges { cursor } } }" }) },
  ])("is refused $mutation", async ({ mutation, input }) => {
    // One operation per mutation of the table, written from its name: no literal for graphql().
    const response = await graph
      .as(ANALYST)
      .request(`mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { errors { code } } }`, {
        input: input(),
      });
    expect(codeOf(response)).toBe("FORBIDDEN");
    expect(response.data).toBeNull();
  });
});

const API_KEY_CURSORS = graphql(`query AccessApiKeyCursors { apiKeys { edges { cursor } } }`);

describe("mutations by role", () => {
  it.each([
    { role: "AGENT", caller: () => AGENT },
    { role: "DEALER", caller: dealerA },
  ])("refuses createDealer to a $role and writes nothing", async ({ caller }) => {
    const region = `Refused ${tag()}`;
    const response = await graph
      .as(caller())
      .request(graphql(`mutation AccessCreateDealer($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } errors { code } } }`), {
        input: dealerInput({ region }),
      });
    expect(codeOf(response)).toBe("FORBIDDEN");
    const { dealers } = await graph.query(
      graphql(`query AccessDealersOfRegion($region: String) { dealers(filter: { region: $region }) { edges { cursor } } }`),
      {
        region,
      },
    );
    expect(dealers.edges).toEqual([]);
  });

  it.each<{ what: string; caller: () => Caller; query: Operation<unknown, Record<string, never>> }>([
    { what: "createApiKey", caller: () => AGENT, query: graphql(`mutation AccessAgentCreatesKey { createApiKey(input: { name: "x", role: AGENT }) { key } }`) },
    { what: "revokeApiKey", caller: dealerA, query: graphql(`mutation AccessDealerRevokesKey { revokeApiKey(input: { id: "key_x" }) { errors { code } } }`) },
    { what: "apiKeys", caller: () => AGENT, query: API_KEY_CURSORS },
    { what: "apiKeys", caller: dealerA, query: API_KEY_CURSORS },
  ])("refuses $what to anyone but an ADMIN", async ({ caller, query }) => {
    expect(codeOf(await graph.as(caller()).request(query))).toBe("FORBIDDEN");
  });
});

const CREATE_KEY = graphql(`mutation AccessCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) {
  key apiKey { id name prefix role dealer { id } operationsOnly createdBy expiresAt revokedAt } errors { code field message } } }`);

/** Creates an API key (named with a tag unless `input` names it) that must be created. */
async function createKey(input: Omit<CreateApiKeyInput, "name"> & { name?: string }) {
  const { createApiKey } = await graph.query(CREATE_KEY, { input: { name: `Key ${tag()}`, ...input } });
  if (!createApiKey.key || !createApiKey.apiKey) throw new Error(`createApiKey refused: ${JSON.stringify(createApiKey.errors)}`);
  return { key: createApiKey.key, apiKey: createApiKey.apiKey };
}

const withKey = (key: string) => ({ "x-api-key": key });

const REVOKE_KEY = graphql(`mutation AccessRevokeApiKey($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id revokedAt } errors { code } } }`);
const DEALER_CURSOR = graphql(`query AccessDealerCursor { dealers(first: 1) { edges { cursor } } }`);

describe("API keys", () => {
  it("are shown once, when created; the list shows their prefix and never the key", async () => {
    // given
    const { key, apiKey } = await createKey({ role: "DEALER", dealerId: world.dealers[0], name: "ERP sync" });
    // when
    const { apiKeys } = await graph.query(
      graphql(`query AccessApiKeysOfDealer($dealerId: ID) { apiKeys(filter: { dealerId: $dealerId }) { edges { node {
        id name prefix role dealer { id } operationsOnly createdBy expiresAt revokedAt createdAt } } } }`),
      { dealerId: world.dealers[0] },
    );
    // then
    expect(key).toMatch(/^ask_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Z]{26}$/),
      name: "ERP sync",
      prefix: key.slice(0, 10),
      role: "DEALER",
      dealer: { id: world.dealers[0] },
      operationsOnly: false,
      createdBy: "test-admin",
      expiresAt: null,
      revokedAt: null,
    });
    expect(apiKeys.edges.map((e) => e.node.id)).toContain(apiKey.id);
    expect(JSON.stringify(apiKeys)).not.toContain(key);
    expect(JSON.stringify(apiKeys)).not.toContain(createHash("sha256").update(key).digest("hex"));
  });

  it("lists keys newest first, leaving revoked ones out unless asked for", async () => {
    const dealer = await createDealer(graph);
    const first = await createKey({ role: "DEALER", dealerId: dealer.id });
    const second = await createKey({ role: "DEALER", dealerId: dealer.id });
    await graph.query(REVOKE_KEY, { id: first.apiKey.id });
    const list = async (includeRevoked: boolean) =>
      (
        await graph.query(
          graphql(`query AccessApiKeyIds($d: ID, $r: Boolean) { apiKeys(filter: { dealerId: $d, includeRevoked: $r }) { edges { node { id } } } }`),
          { d: dealer.id, r: includeRevoked },
        )
      ).apiKeys.edges.map((e) => e.node.id);
    expect(await list(false)).toEqual([second.apiKey.id]);
    expect(await list(true)).toEqual([second.apiKey.id, first.apiKey.id]);
  });

  it("act with the key's role and dealer: a DEALER key sees only its dealer's customers", async () => {
    const { key } = await createKey({ role: "DEALER", dealerId: world.dealers[0] });
    const own = await postGraphQLWith(key, CUSTOMER, { id: world.customers[0][0]! });
    const foreign = await postGraphQLWith(key, CUSTOMER, { id: world.customers[1][0]! });
    const listed = await postGraphQLWith(key, CUSTOMERS, { search: `Person ${world.tag}` });
    expect(own.data).toEqual({ customer: expect.objectContaining({ id: world.customers[0][0]! }) });
    expect(foreign).toEqual({ data: { customer: null } });
    expect(listed.data?.customers.edges.map((e) => e.node.id).sort()).toEqual([...world.customers[0]].sort());
  });

  it("act as an ANALYST key would: no personal data, no mutations", async () => {
    const { key } = await createKey({ role: "ANALYST" });
    const read = await postGraphQLWith(key, CUSTOMER, { id: world.customers[1][0]! });
    const write = await postGraphQLWith(key, UPDATE_CUSTOMER, { input: { id: world.customers[1][0]!, version: 1, name: "x" } });
    expect(read.data).toEqual({ customer: { id: world.customers[1][0]!, name: null, homeDealer: { id: world.dealers[1] } } });
    expect(codeOf(write)).toBe("FORBIDDEN");
  });

  it("stop working at once when revoked; revoking again changes nothing", async () => {
    // given
    const { key, apiKey } = await createKey({ role: "AGENT" });
    expect((await postGraphQLWith(key, DEALER_CURSOR)).errors).toBeUndefined();
    // when
    const { revokeApiKey: revoked } = await graph.query(REVOKE_KEY, { id: apiKey.id });
    const { revokeApiKey: again } = await graph.query(REVOKE_KEY, { id: apiKey.id });
    // then
    const refused = await postGraphQLWith(key, DEALER_CURSOR);
    expect(codeOf(refused)).toBe("UNAUTHENTICATED");
    expect(revoked.errors).toEqual([]);
    expect(again).toEqual(revoked);
    const unknown = await graph.query(REVOKE_KEY, { id: "key_unknown" });
    expect(unknown.revokeApiKey).toEqual({ apiKey: null, errors: [{ code: "API_KEY_NOT_FOUND" }] });
  });

  it("stop working when they expire", async () => {
    const expiresAt = new Date(Date.now() + 2_000);
    const { key, apiKey } = await createKey({ role: "AGENT", expiresAt: expiresAt.toISOString() });
    expect(apiKey.expiresAt).toBe(expiresAt.toISOString());
    expect((await postGraphQLWith(key, DEALER_CURSOR)).errors).toBeUndefined();
    await sleep(expiresAt.getTime() - Date.now() + 100);
    expect(codeOf(await postGraphQLWith(key, DEALER_CURSOR))).toBe("UNAUTHENTICATED");
  });

  it("refuses an unknown key", async () => {
    expect(codeOf(await postGraphQLWith("ask_not-a-key", DEALER_CURSOR))).toBe("UNAUTHENTICATED");
  });

  it.each<{ problem: string; input: Omit<CreateApiKeyInput, "name"> & { name?: string }; code: string; field: string[] }>([
    { problem: "a DEALER key without a dealer", input: { role: "DEALER" }, code: "REQUIRED", field: ["dealerId"] },
    { problem: "a dealer for an AGENT key", input: { role: "AGENT", dealerId: "DEALER_A" }, code: "DEALER_NOT_ALLOWED", field: ["dealerId"] },
    { problem: "an unknown dealer", input: { role: "DEALER", dealerId: "dlr_unknown" }, code: "DEALER_NOT_FOUND", field: ["dealerId"] },
    { problem: "an expiry in the past", input: { role: "AGENT", expiresAt: "2020-01-01T00:00:00Z" }, code: "EXPIRY_IN_PAST", field: ["expiresAt"] },
    { problem: "a blank name", input: { role: "AGENT", name: " " }, code: "REQUIRED", field: ["name"] },
  ])("refuses $problem", async ({ input, code, field }) => {
    const resolved = { name: `Key ${tag()}`, ...input, ...(input.dealerId === "DEALER_A" ? { dealerId: world.dealers[0] } : {}) };
    const { createApiKey } = await graph.query(CREATE_KEY, { input: resolved });
    expect(createApiKey).toEqual({ key: null, apiKey: null, errors: [expect.objectContaining({ code, field })] });
  });

  it("are looked up by the gateway directly on the subgraph, outside the public API", async () => {
    // given
    const { key, apiKey } = await createKey({ role: "DEALER", dealerId: world.dealers[1], operationsOnly: true });
    // The gateway's own field on the subgraph, outside the API schema: the typed documents cannot name it.
    const LOOKUP = `query($keyHash: String!) { credentialForApiKey(keyHash: $keyHash) { keyId role dealerId operationsOnly } }`;
    const keyHash = createHash("sha256").update(key).digest("hex");
    // when
    const found = await graph.subgraph("partners", { role: "ADMIN", subject: "gateway" }).request(LOOKUP, { keyHash });
    const unknown = await graph.subgraph("partners", { role: "ADMIN", subject: "gateway" }).request(LOOKUP, { keyHash: "0".repeat(64) });
    const byAgent = await graph.subgraph("partners", AGENT).request(LOOKUP, { keyHash });
    const throughGateway = await graph.request(LOOKUP, { keyHash });
    // then
    expect(found).toEqual({
      data: { credentialForApiKey: { keyId: apiKey.id, role: "DEALER", dealerId: world.dealers[1], operationsOnly: true } },
    });
    expect(unknown).toEqual({ data: { credentialForApiKey: null } });
    expect(codeOf(byAgent)).toBe("FORBIDDEN");
    expect(codeOf(throughGateway)).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

async function postGraphQLWith<TResult, TVariables>(key: string, query: Operation<TResult, TVariables>, variables: TVariables | Record<string, never> = {}) {
  return (await post({ query: query.toString(), variables }, withKey(key))) as GraphQLResponse<TResult>;
}

const REGISTER = graphql(`mutation AccessRegisterOperation($input: RegisterOperationInput!) { registerOperation(input: $input) {
  operation { hash name document registeredAt dealer { id } } errors { code field message } } }`);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

// The documents registered here are data the mutation takes: named at run time (a tag of their own, as an operation is
// registered once per scope), hashed exactly as sent, or broken on purpose, so strings.
describe("registered operations", () => {
  it("are registered once per scope, under the SHA-256 of the document exactly as sent", async () => {
    // given: trailing whitespace is part of the document
    const document = `query DealerNames${tag()} { dealers(first: 2) { edges { node { name } } } }\n`;
    // when
    const first = await graph.as(dealerA()).query(REGISTER, { input: { name: "Dealer names", document } });
    const again = await graph.as(dealerA()).query(REGISTER, { input: { name: "Same, renamed", document } });
    const byStaff = await graph.as(AGENT).query(REGISTER, { input: { name: "Dealer names", document } });
    // then
    expect(first.registerOperation).toEqual({
      operation: { hash: sha256(document), name: "Dealer names", document, registeredAt: expect.any(String), dealer: { id: world.dealers[0] } },
      errors: [],
    });
    expect(again).toEqual(first);
    expect(byStaff.registerOperation.operation).toMatchObject({ hash: sha256(document), dealer: null });
  });

  it.each([
    { problem: "a document that does not parse", document: "query Broken {", code: "INVALID_DOCUMENT" },
    { problem: "two operations", document: "query A { dealers { edges { cursor } } } query B { dealers { edges { cursor } } }", code: "NOT_ONE_OPERATION" },
    { problem: "an anonymous operation", document: "{ dealers { edges { cursor } } }", code: "OPERATION_NAME_REQUIRED" },
    { problem: "type definitions", document: "query A { dealers { edges { cursor } } } type Evil { id: ID }", code: "INVALID_DOCUMENT" },
    { problem: "only fragments", document: "fragment F on Dealer { id }", code: "NOT_ONE_OPERATION" },
    { problem: "a document over 20 000 characters", document: `query Long { dealers { edges { cursor } } }${" ".repeat(20_000)}`, code: "TOO_LONG" },
  ])("refuses $problem", async ({ document, code }) => {
    const { registerOperation } = await graph.query(REGISTER, { input: { name: "Refused", document } });
    expect(registerOperation).toEqual({ operation: null, errors: [expect.objectContaining({ code, field: ["document"] })] });
  });

  it("accepts a named operation with the fragments it uses", async () => {
    const document = `query WithFragment${tag()} { dealers(first: 1) { edges { node { ...Name } } } } fragment Name on Dealer { name }`;
    const { registerOperation } = await graph.query(REGISTER, { input: { name: "With a fragment", document } });
    expect(registerOperation.errors).toEqual([]);
  });

  it("are callable by an operations-only key by documentId, which is refused a query of its own", async () => {
    // given
    const document = `query CustomerName${tag()}($id: ID!) { customer(id: $id) { name } }`;
    const { registerOperation } = await graph.query(REGISTER, { input: { name: "Customer name", document } });
    const { key } = await createKey({ role: "DEALER", dealerId: world.dealers[0], operationsOnly: true });
    // when
    const freeForm = await postGraphQLWith(key, document, { id: world.customers[0][0]! });
    const registered = await post({ documentId: registerOperation.operation!.hash, variables: { id: world.customers[0][0]! } }, withKey(key));
    const foreign = await post({ documentId: registerOperation.operation!.hash, variables: { id: world.customers[1][0]! } }, withKey(key));
    // then
    expect(codeOf(freeForm)).toBe("PERSISTED_OPERATION_REQUIRED");
    expect(registered).toEqual({ data: { customer: { name: `Person ${world.tag} 01` } } });
    expect(foreign).toEqual({ data: { customer: null } });
  });

  it("registered by a DEALER cannot be called, nor seen, by another dealer", async () => {
    // given
    const document = `query MyDealers${tag()} { dealers(first: 1) { edges { cursor } } }`;
    const { registerOperation } = await graph.as(dealerA()).query(REGISTER, { input: { name: "Mine", document } });
    const hash = registerOperation.operation!.hash;
    const headersOf = async (caller: Caller) => ({ authorization: `Bearer ${await graph.token(caller)}` });
    // when
    const byOwner = await post({ documentId: hash }, await headersOf(dealerA()));
    const byOther = await post({ documentId: hash }, await headersOf(dealerB()));
    const byOtherWithApolloExtension = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, await headersOf(dealerB()));
    const seenByOther = await graph.as(dealerB()).query(
      graphql(`query AccessOperationSeen($hash: String!) {
          persistedOperation(hash: $hash) { document } persistedOperations(first: 100) { edges { node { hash } } } }`),
      { hash },
    );
    // then
    expect(byOwner.errors).toBeUndefined();
    expect(byOwner.data).toEqual({ dealers: { edges: [expect.objectContaining({ cursor: expect.any(String) })] } });
    expect(codeOf(byOther)).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(codeOf(byOtherWithApolloExtension)).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(seenByOther.persistedOperation).toBeNull();
    expect(seenByOther.persistedOperations.edges.map((e) => e.node.hash)).not.toContain(hash);
  });

  it("registered by staff are callable by every caller", async () => {
    const document = `query Shared${tag()} { dealers(first: 1) { edges { cursor } } }`;
    const { registerOperation } = await graph.query(REGISTER, { input: { name: "Shared", document } });
    for (const caller of [dealerA(), dealerB(), ANALYST]) {
      const response = await post({ documentId: registerOperation.operation!.hash }, { authorization: `Bearer ${await graph.token(caller)}` });
      expect(response.errors, caller.role).toBeUndefined();
    }
  });
});
