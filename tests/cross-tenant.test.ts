import { addDays, todayUtc } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import fc from "fast-check";
import type { GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dealerInput, tag } from "./src/factories.js";
import { startGraph, type Caller, type Client, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import {
  foundIn,
  personalValuesOf,
  privateValuesOf,
  recordsOf,
  SEED_AS_OF,
  seedNetwork,
  succeed,
  withPlaceholders,
  type Network,
  type SeededDealer,
} from "./src/tenants.js";

/**
 * Cross-tenant properties: for random pairs of seeded dealers, what the one
 * (the attacker) can read and change of the other's (the victim's) records,
 * through every root field of the public API and through `_entities` on the
 * subgraphs. Another dealer's record answers exactly like one that does not
 * exist; its dealer id, public in the directory, is refused as
 * NOT_YOUR_DEALER; nothing of it ever reaches the attacker, and nothing of it
 * changes. ANALYSTs get no personal data of anyone.
 *
 * The network is seeded once. Refused writes change nothing, and the few
 * writes that succeed touch only the writer's own records (which are then
 * read again), so each write property compares the victim's records, as an
 * ADMIN reads them, with the ones read before.
 */

const DEALERS = 4;
const RUNS = 15;

let graph: TestGraph;
let world: Network;
/** Each dealer's records as an ADMIN read them after seeding (see `recordsOf`). */
const seeded = new Map<string, unknown>();

beforeAll(async () => {
  // Only for the ADMIN read-back of a dealer's records (`recordsOf`): one request, deeper and costlier than a client's.
  graph = await startGraph({ limits: { maxDepth: 30, maxCost: 1_000_000 } });
  world = await seedNetwork(graph, DEALERS);
  for (const dealer of world.dealers) seeded.set(dealer.id, await recordsOf(graph, dealer.id));
});
afterAll(() => graph?.stop());

// --- who asks ---------------------------------------------------------------

/** The caller acting for a dealer. */
const dealerCaller = (dealer: SeededDealer): Caller => ({ role: "DEALER", dealerId: dealer.id });
const ANALYST: Caller = { role: "ANALYST" };

interface Attack {
  attacker: SeededDealer;
  victim: SeededDealer;
  /** The attacker, through the gateway. */
  as: Client;
  /** What of the victim's the attacker must never receive. */
  secrets: string[];
}

/** Random ordered pairs of distinct seeded dealers: the attacker and its victim. */
const attacks = (): fc.Arbitrary<Attack> =>
  fc.tuple(fc.nat({ max: DEALERS - 1 }), fc.nat({ max: DEALERS - 2 })).map(([a, v]) => {
    const attacker = world.dealers[a]!;
    const victim = world.dealers[v >= a ? v + 1 : v]!;
    return {
      attacker,
      victim,
      as: graph.as(dealerCaller(attacker)),
      secrets: privateValuesOf(victim, attacker),
      // A counterexample names the two dealers, not everything they hold.
      [fc.toStringMethod]: () => `${attacker.id} attacking ${victim.id}`,
    };
  });

// --- made-up ids of the same shape as real ones -------------------------------

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const madeUpId = (prefix: string) => fc.stringMatching(ULID).map((ulid) => `${prefix}_${ulid}`);
const madeUpSerial = fc.stringMatching(/^[0-9a-f]{6}$/).map((hex) => `SN-${hex}`);
const madeUpHash = fc.stringMatching(/^[0-9a-f]{64}$/);

const check = <T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns = RUNS) =>
  fc.assert(fc.asyncProperty(arbitrary, predicate), { numRuns });

/** The victim's records have not changed since seeding. */
async function expectUnchanged(victim: SeededDealer) {
  expect(await recordsOf(graph, victim.id), `records of ${victim.id}`).toEqual(seeded.get(victim.id));
}

/** After a dealer changed its own records: what they are now is what later properties compare with. */
async function recordChangesOf(dealer: SeededDealer) {
  seeded.set(dealer.id, await recordsOf(graph, dealer.id));
}

/** Nothing of the victim's is in `response`, in its fields or its cursors. */
function expectNothingOf(attack: Attack, response: unknown) {
  expect(foundIn(response, attack.secrets), `the victim's values in ${JSON.stringify(response)}`).toEqual([]);
}

const errorCodes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.extensions?.code);

interface Property {
  behaviour: string;
  run: () => Promise<void>;
}
const property = (behaviour: string, run: () => Promise<void>): Property => ({ behaviour, run });

// --- reads ------------------------------------------------------------------

const CUSTOMER = `query($id: ID!) { customer(id: $id) {
  id kind name companyName email phone address { street city } location { latitude } homeDealer { id } version
  units { edges { node { id } } } consumablePurchases { edges { node { id } } }
  replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}") { runsOutOn } } }`;
const TECHNICIAN = `query($id: ID!) { technician(id: $id) { id name email phone skills active serviceCenter { id } version } }`;
const UNIT_FIELDS = `id serialNumber status version customer { id name } dealer { id } soldBy { id } purchasePrice { amount }
  events { kind occurredOn customer { id } note } product { id }`;
const UNIT_BY_ID = `query($id: ID) { unit(id: $id) { ${UNIT_FIELDS} } }`;
const UNIT_BY_SERIAL = `query($serialNumber: String) { unit(serialNumber: $serialNumber) { ${UNIT_FIELDS} } }`;
const OPERATION = `query($hash: String!) { persistedOperation(hash: $hash) { hash name document registeredAt dealer { id } } }`;

/** Asks the same question about the victim's record and a made-up one; the answers must be the same but for the id. */
async function expectAnsweredLikeUnknown(client: Client, query: string, variable: string, foreign: string, unknown: string) {
  const foreignAnswer = await client.request(query, { [variable]: foreign });
  const unknownAnswer = await client.request(query, { [variable]: unknown });
  expect(withPlaceholders(foreignAnswer, { "<value>": foreign })).toEqual(withPlaceholders(unknownAnswer, { "<value>": unknown }));
  return foreignAnswer;
}

const reads = {
  customer: property("answers another dealer's customer id exactly like an unknown id", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknown: madeUpId("cus") }), async ({ attack, n, unknown }) => {
      // given a customer of the victim
      const foreign = attack.victim.customers[n]!.id;
      // when the attacker asks for it, and for an id that does not exist
      const answer = await expectAnsweredLikeUnknown(attack.as, CUSTOMER, "id", foreign, unknown);
      // then both are null, with no error
      expect(answer).toEqual({ data: { customer: null } });
    }),
  ),
  technician: property("answers another dealer's technician id exactly like an unknown id", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("tec") }), async ({ attack, unknown }) => {
      const answer = await expectAnsweredLikeUnknown(attack.as, TECHNICIAN, "id", attack.victim.technician.id, unknown);
      expect(answer).toEqual({ data: { technician: null } });
    }),
  ),
  unit: property("answers another dealer's unit, by id and by serial number, exactly like one that does not exist", () =>
    check(
      fc.record({ attack: attacks(), pick: fc.nat(), unknownId: madeUpId("unt"), unknownSerial: madeUpSerial }),
      async ({ attack, pick, unknownId, unknownSerial }) => {
        // given any unit of the victim: in stock, sold to its own customer, or sold to another dealer's (the attacker's too)
        const unit = attack.victim.units[pick % attack.victim.units.length]!;
        // when / then
        const byId = await expectAnsweredLikeUnknown(attack.as, UNIT_BY_ID, "id", unit.id, unknownId);
        const bySerial = await expectAnsweredLikeUnknown(attack.as, UNIT_BY_SERIAL, "serialNumber", unit.serialNumber, unknownSerial);
        expect(byId).toEqual({ data: { unit: null } });
        expect(bySerial).toEqual({ data: { unit: null } });
      },
    ),
  ),
  persistedOperation: property("answers another dealer's registered operation hash exactly like an unknown hash", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpHash }), async ({ attack, unknown }) => {
      const answer = await expectAnsweredLikeUnknown(attack.as, OPERATION, "hash", attack.victim.operation.hash, unknown);
      expect(answer).toEqual({ data: { persistedOperation: null } });
    }),
  ),
};

// --- lists ------------------------------------------------------------------

const CUSTOMERS = `query($filter: CustomerFilter) { customers(first: 100, filter: $filter) {
  edges { cursor node { id name email homeDealer { id } } } pageInfo { endCursor } } }`;
type CustomerList = { customers: { edges: { node: { id: string; homeDealer: { id: string } } }[] } };

const UNITS = `query($filter: UnitFilter) { units(first: 100, filter: $filter) {
  edges { cursor node { id serialNumber dealer { id } customer { id name } events { customer { id name } } } } pageInfo { endCursor } } }`;
type UnitList = { units: { edges: { node: { id: string; dealer: { id: string } } }[] } };

const OPERATIONS = `{ persistedOperations(first: 100) { edges { cursor node { hash name document dealer { id } } } } }`;
type OperationList = { persistedOperations: { edges: { node: { hash: string; dealer: { id: string } | null } }[] } };

const lists = {
  customers: property("lists only its own customers, whatever the filter names of another dealer's", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }) }), async ({ attack, n }) => {
      // given a customer of the victim
      const foreign = attack.victim.customers[n]!;
      const own = attack.attacker.customers.map((c) => c.id).sort();
      // when the attacker lists customers: all, by the victim's dealer, by the victim's customer's name and email
      const [all, byDealer, byName, byEmail, byKind] = await Promise.all(
        [
          {},
          { homeDealerId: attack.victim.id },
          { search: foreign.name },
          { search: foreign.email },
          { kinds: ["BUSINESS"], relationshipLevels: ["BASIC"] },
        ].map((filter) => attack.as.query<CustomerList>(CUSTOMERS, { filter })),
      );
      // then it gets exactly its own customers, and nothing of the victim's
      const ids = (list: CustomerList | undefined) => list!.customers.edges.map((e) => e.node.id).sort();
      expect(ids(all)).toEqual(own);
      expect(ids(byKind)).toEqual(own);
      expect(ids(byDealer)).toEqual([]);
      expect(ids(byName)).toEqual([]);
      expect(ids(byEmail)).toEqual([]);
      expectNothingOf(attack, [all, byDealer, byName, byEmail, byKind]);
    }),
  ),
  units: property("lists only its own units, whatever the filter names of another dealer's", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }) }), async ({ attack, n }) => {
      // given a customer of the victim, who bought from the victim and from the attacker
      const customer = attack.victim.customers[n]!.id;
      // when the attacker lists units: all, by the victim's dealer, by the victim's customer, by product
      const [all, byDealer, byCustomer, byProduct] = await Promise.all(
        [
          {},
          { dealerId: attack.victim.id },
          { customerId: customer },
          { productId: world.products.equipment, statuses: ["IN_STOCK", "INSTALLED", "SOLD"] },
        ].map((filter) => attack.as.query<UnitList>(UNITS, { filter })),
      );
      // then only its own units come back (its own sale to the victim's customer included)
      const othersIn = (list: UnitList | undefined) => list!.units.edges.map((e) => e.node.dealer.id).filter((id) => id !== attack.attacker.id);
      for (const list of [all, byCustomer, byProduct]) expect(othersIn(list)).toEqual([]);
      expect(all!.units.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining(attack.attacker.units.map((u) => u.id)));
      expect(byDealer!.units.edges).toEqual([]);
      expect(byCustomer!.units.edges.map((e) => e.node.id).sort()).toEqual(
        attack.attacker.units
          .filter((u) => u.customerId === customer)
          .map((u) => u.id)
          .sort(),
      );
      expectNothingOf(attack, [all, byDealer, byCustomer, byProduct]);
    }),
  ),
  persistedOperations: property("lists only its own and the shared registered operations", () =>
    check(attacks(), async (attack) => {
      const list = await attack.as.query<OperationList>(OPERATIONS);
      const hashes = list.persistedOperations.edges.map((e) => e.node.hash);
      expect(hashes).toEqual(expect.arrayContaining([attack.attacker.operation.hash, world.sharedOperationHash]));
      for (const { node } of list.persistedOperations.edges) expect([null, attack.attacker.id]).toContainEqual(node.dealer?.id ?? null);
      expectNothingOf(attack, list);
    }),
  ),
};

// --- nested -----------------------------------------------------------------

const DEALER_LISTS = `technicians { id name email } unitsSold(first: 100) { edges { cursor node { id serialNumber customer { id } } } }
  partsStock(first: 100) { edges { cursor node { onHand part { id } serviceCenter { id } } } }
  replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}", first: 100) { edges { cursor node { customer { id name } runsOutOn } } }`;
type DealerLists = {
  technicians: unknown[];
  unitsSold: { edges: unknown[] };
  partsStock: { edges: unknown[] };
  replenishmentDue: { edges: unknown[] };
};
const EMPTY_LISTS: DealerLists = { technicians: [], unitsSold: { edges: [] }, partsStock: { edges: [] }, replenishmentDue: { edges: [] } };

const OWN_CUSTOMER_LISTS = `query($id: ID!) { customer(id: $id) {
  units(first: 100) { edges { cursor node { id dealer { id } events { customer { id } } } } }
  consumablePurchases(first: 100) { edges { cursor node { id dealer { id } forecast { dealer { id } } } } }
  replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}") { dealer { id } customer { id } } } }`;
type OwnCustomerLists = {
  customer: {
    units: { edges: { node: { id: string; dealer: { id: string } } }[] };
    consumablePurchases: { edges: { node: { id: string; dealer: { id: string } } }[] };
    replenishmentDue: { dealer: { id: string } }[];
  };
};

const nested = {
  dealer: property("shows none of another dealer's technicians, units sold, parts stock or refills due under that dealer", () =>
    check(attacks(), async (attack) => {
      // when the attacker reads the victim in the directory, by id and in the list
      const { dealer, dealers } = await attack.as.query<{ dealer: DealerLists; dealers: { edges: { node: DealerLists & { id: string } }[] } }>(
        `query($id: ID!, $search: String!) {
          dealer(id: $id) { ${DEALER_LISTS} }
          dealers(first: 100, filter: { search: $search }) { edges { node { id ${DEALER_LISTS} } } } }`,
        { id: attack.victim.id, search: `Tenant ${world.tag}` },
      );
      // then the dealer is there, and every list under it is empty
      expect(dealer).toEqual(EMPTY_LISTS);
      const listed = dealers.edges.map((e) => e.node);
      expect(listed.map((d) => d.id).sort()).toEqual(world.dealers.map((d) => d.id).sort());
      for (const { id, ...lists } of listed) if (id !== attack.attacker.id) expect(lists, id).toEqual(EMPTY_LISTS);
      expectNothingOf(attack, { dealer, dealers });
    }),
  ),
  customer: property("shows only its own units, purchases and refills under its customers, though another dealer sold to them too", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }) }), async ({ attack, n }) => {
      // given the attacker's customer, who bought a unit (first) or a consumable (second) from every other dealer
      const customer = attack.attacker.customers[n]!.id;
      // when
      const seen = await attack.as.query<OwnCustomerLists>(OWN_CUSTOMER_LISTS, { id: customer });
      // then
      const dealersOf = (nodes: { dealer: { id: string } }[]) => [...new Set(nodes.map((node) => node.dealer.id))];
      expect(dealersOf(seen.customer.units.edges.map((e) => e.node))).toEqual(n === 0 ? [attack.attacker.id] : []);
      expect(dealersOf(seen.customer.consumablePurchases.edges.map((e) => e.node))).toEqual([attack.attacker.id]);
      expect(dealersOf(seen.customer.replenishmentDue)).toEqual([attack.attacker.id]);
      expectNothingOf(attack, seen);
    }),
  ),
  unitCustomer: property("shows nothing of another dealer's customer it sold a unit to but the id on its sale, nor what others sold that customer", () =>
    check(attacks(), async (attack) => {
      // given the attacker's unit sold to the victim's customer, who also bought from the victim
      const unit = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
      // when the attacker follows the unit to its buyer, and on to the buyer's units, purchases and refills
      type Seen = {
        unit: {
          id: string;
          customer: {
            units: { edges: { node: { id: string; dealer: { id: string } } }[] };
            consumablePurchases: { edges: { node: { dealer: { id: string } } }[] };
            replenishmentDue: { dealer: { id: string } }[];
          };
        };
      };
      const { unit: seen } = await attack.as.query<Seen>(
        `query($id: ID) { unit(id: $id) { id
          customer { id name companyName email phone location { latitude }
            units(first: 100) { edges { cursor node { id dealer { id } } } }
            consumablePurchases(first: 100) { edges { cursor node { id dealer { id } } } }
            replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}") { dealer { id } } }
          events { customer { id name email phone } } } }`,
        { id: unit.id },
      );
      // then the unit is its own, the buyer's id is on its sale, and nothing else of the buyer is
      expect(seen).toMatchObject({
        id: unit.id,
        customer: { id: unit.customerId, name: null, companyName: null, email: null, phone: null, location: null },
      });
      // and under the buyer are only the attacker's own sales
      const others = (nodes: { dealer: { id: string } }[]) => nodes.map((node) => node.dealer.id).filter((id) => id !== attack.attacker.id);
      expect(others(seen.customer.units.edges.map((e) => e.node))).toEqual([]);
      expect(others(seen.customer.consumablePurchases.edges.map((e) => e.node))).toEqual([]);
      expect(others(seen.customer.replenishmentDue)).toEqual([]);
      expectNothingOf(attack, seen);
    }),
  ),
};

// --- writes -----------------------------------------------------------------

const ERRORS = `errors { code field message }`;
const UPDATE_CUSTOMER = `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id name version } ${ERRORS} } }`;
const UPDATE_TECHNICIAN = `mutation($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { technician { id name version } ${ERRORS} } }`;

/** Sends the same mutation about the victim's record and a made-up one; the answers must be the same but for the id. */
async function expectRefusedLikeUnknown(client: Client, mutation: string, input: (id: string) => Record<string, unknown>, foreign: string, unknown: string) {
  const foreignAnswer = await client.request(mutation, { input: input(foreign) });
  const unknownAnswer = await client.request(mutation, { input: input(unknown) });
  expect(withPlaceholders(foreignAnswer, { "<value>": foreign })).toEqual(withPlaceholders(unknownAnswer, { "<value>": unknown }));
  return foreignAnswer;
}

/** A payload refused with one error. */
const refused = (field: string, object: string, code: string, errorField: string[]) => ({
  data: { [field]: { [object]: null, errors: [expect.objectContaining({ code, field: errorField })] } },
});

const notYourDealer = (field: string[]) => ({ code: "NOT_YOUR_DEALER", field });

/** A sale's terms, after every seeded event. */
const SALE = `price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02"`;
const UNIT_PAYLOAD = `unit { id status } ${ERRORS}`;

/** Catalog mutations naming the victim's unit by id and by serial number, in one request. */
const UNIT_MUTATIONS = `mutation($unitId: ID, $serialNumber: String, $customerId: ID!) {
  sellById: sellUnit(input: { unitId: $unitId, customerId: $customerId, ${SALE} }) { ${UNIT_PAYLOAD} }
  sellBySerial: sellUnit(input: { serialNumber: $serialNumber, customerId: $customerId, ${SALE} }) { ${UNIT_PAYLOAD} }
  eventById: recordUnitEvent(input: { unitId: $unitId, kind: DELIVERED, occurredOn: "2025-03-02" }) { ${UNIT_PAYLOAD} }
  eventBySerial: recordUnitEvent(input: { serialNumber: $serialNumber, kind: RETIRED, occurredOn: "2025-03-02" }) { ${UNIT_PAYLOAD} }
  transferById: transferUnit(input: { unitId: $unitId, newCustomerId: $customerId, occurredOn: "2025-03-02" }) { ${UNIT_PAYLOAD} }
  transferBySerial: transferUnit(input: { serialNumber: $serialNumber, newCustomerId: $customerId, occurredOn: "2025-03-02" }) { ${UNIT_PAYLOAD} } }`;

/** Mutations booking to the victim's dealer id, in one request. */
const BOOKINGS = `mutation($dealerId: ID!, $unitId: ID!, $customerId: ID!, $serialNumber: String!, $importedSerialNumber: String!, $equipment: ID!, $consumable: ID!, $part: ID!) {
  registerUnit(input: { serialNumber: $serialNumber, productId: $equipment, dealerId: $dealerId, registeredOn: "2025-03-02" }) {
    unit { id } ${ERRORS} }
  sellUnit(input: { unitId: $unitId, customerId: $customerId, dealerId: $dealerId, ${SALE} }) { unit { id } ${ERRORS} }
  recordConsumablePurchase(input: { customerId: $customerId, productId: $consumable, dealerId: $dealerId, quantity: 1, purchasedOn: "2025-03-02" }) {
    purchase { id } ${ERRORS} }
  setPartStock(input: { serviceCenterId: $dealerId, partId: $part, onHand: 99 }) { stock { onHand } ${ERRORS} }
  adjustPartStock(input: { serviceCenterId: $dealerId, partId: $part, change: -5, reason: SCRAPPED }) { stock { onHand } ${ERRORS} }
  importUnits(input: { units: [{ serialNumber: $importedSerialNumber, productId: $equipment, dealerId: $dealerId, registeredOn: "2025-03-02" }] }) {
    units { id } ${ERRORS} } }`;

const REGISTER_OPERATION = `mutation($input: RegisterOperationInput!) { registerOperation(input: $input) {
  operation { hash name document dealer { id } } ${ERRORS} } }`;
type Registered = { registerOperation: { operation: { hash: string; name: string; dealer: { id: string } | null } | null } };

const writes = {
  updateCustomer: property("refuses to change another dealer's customer exactly like an unknown one, and cannot hand its own to it", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknown: madeUpId("cus") }), async ({ attack, n, unknown }) => {
      // given a customer of the victim, and one of the attacker's own
      const foreign = attack.victim.customers[n]!.id;
      const own = attack.attacker.customers[n]!.id;
      // when the attacker renames the victim's, and hands its own to the victim
      const rename = (id: string) => ({ id, version: 1, name: "Taken over", email: "x@evil.example" });
      const renamed = await expectRefusedLikeUnknown(attack.as, UPDATE_CUSTOMER, rename, foreign, unknown);
      const handed = await attack.as.request(UPDATE_CUSTOMER, { input: { id: own, version: 1, homeDealerId: attack.victim.id } });
      // then
      expect(renamed).toEqual(refused("updateCustomer", "customer", "CUSTOMER_NOT_FOUND", ["id"]));
      expect(handed).toEqual(refused("updateCustomer", "customer", "NOT_YOUR_DEALER", ["homeDealerId"]));
      await expectUnchanged(attack.victim);
      await expectUnchanged(attack.attacker);
    }),
  ),
  createCustomer: property("registers no customer for another dealer", () =>
    check(attacks(), async (attack) => {
      // when the attacker registers a customer with the victim as its home dealer
      const created = await attack.as.request(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } ${ERRORS} } }`, {
        input: {
          kind: "CONSUMER",
          name: `Planted ${tag()}`,
          address: { street: "Weg 1", postalCode: "10117", city: "Berlin", country: "DE" },
          homeDealerId: attack.victim.id,
        },
      });
      // then it is told the dealer is not its own, and the victim has no new customer
      expect(created).toEqual(refused("createCustomer", "customer", "NOT_YOUR_DEALER", ["homeDealerId"]));
      await expectUnchanged(attack.victim);
    }),
  ),
  updateTechnician: property("refuses to change another dealer's technician exactly like an unknown one, and cannot move its own there", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("tec") }), async ({ attack, unknown }) => {
      // when the attacker deactivates the victim's technician, and moves its own to the victim's service center
      const deactivate = (id: string) => ({ id, version: 1, active: false, name: "Poached" });
      const deactivated = await expectRefusedLikeUnknown(attack.as, UPDATE_TECHNICIAN, deactivate, attack.victim.technician.id, unknown);
      const moved = await attack.as.request(UPDATE_TECHNICIAN, {
        input: { id: attack.attacker.technician.id, version: 1, serviceCenterId: attack.victim.id },
      });
      // then
      expect(deactivated).toEqual(refused("updateTechnician", "technician", "TECHNICIAN_NOT_FOUND", ["id"]));
      expect(moved).toEqual(refused("updateTechnician", "technician", "NOT_YOUR_DEALER", ["serviceCenterId"]));
      await expectUnchanged(attack.victim);
      await expectUnchanged(attack.attacker);
    }),
  ),
  createTechnician: property("adds no technician to another dealer's service center", () =>
    check(attacks(), async (attack) => {
      // when the attacker adds a technician to the victim's service center
      const created = await attack.as.request(`mutation($input: CreateTechnicianInput!) { createTechnician(input: $input) { technician { id } ${ERRORS} } }`, {
        input: { serviceCenterId: attack.victim.id, name: `Planted ${tag()}` },
      });
      // then
      expect(created).toEqual(refused("createTechnician", "technician", "NOT_YOUR_DEALER", ["serviceCenterId"]));
      await expectUnchanged(attack.victim);
    }),
  ),
  updateDealer: property("changes nothing of another dealer, which it is told exists", () =>
    check(attacks(), async (attack) => {
      // when the attacker changes the victim's contact details
      const changed = await attack.as.request(`mutation($input: UpdateDealerInput!) { updateDealer(input: $input) { dealer { id version } ${ERRORS} } }`, {
        input: { id: attack.victim.id, version: 1, email: "hijacked@evil.example", phone: "+1 555" },
      });
      // then
      expect(changed).toEqual(refused("updateDealer", "dealer", "NOT_YOUR_DEALER", ["id"]));
      await expectUnchanged(attack.victim);
    }),
  ),
  unitEvents: property("refuses to sell, record events on or transfer another dealer's unit exactly like one that does not exist", () =>
    check(
      fc.record({ attack: attacks(), pick: fc.nat(), unknownId: madeUpId("unt"), unknownSerial: madeUpSerial }),
      async ({ attack, pick, unknownId, unknownSerial }) => {
        // given any unit of the victim, named by id and by serial number
        const unit = attack.victim.units[pick % attack.victim.units.length]!;
        const customerId = attack.attacker.customers[0].id;
        // when the attacker sells it, delivers or retires it, and transfers it to its own customer; and the same for a made-up unit
        const mutate = (unitId: string, serialNumber: string) =>
          attack.as.request<Record<string, unknown>>(UNIT_MUTATIONS, { unitId, serialNumber, customerId });
        const foreign = await mutate(unit.id, unit.serialNumber);
        const unknown = await mutate(unknownId, unknownSerial);
        // then each is refused with UNIT_NOT_FOUND, word for word as for the made-up unit
        expect(withPlaceholders(foreign, { "<id>": unit.id, "<serial>": unit.serialNumber })).toEqual(
          withPlaceholders(unknown, { "<id>": unknownId, "<serial>": unknownSerial }),
        );
        for (const [alias, field] of [
          ["ById", "unitId"],
          ["BySerial", "serialNumber"],
        ] as const) {
          const value = field === "unitId" ? unit.id : unit.serialNumber;
          for (const mutation of ["sell", "event", "transfer"]) {
            expect(foreign.data?.[`${mutation}${alias}`], `${mutation}${alias}`).toEqual({
              unit: null,
              errors: [{ code: "UNIT_NOT_FOUND", field: [field], message: `No unit has the ${field} \`${value}\`.` }],
            });
          }
        }
        await expectUnchanged(attack.victim);
      },
    ),
  ),
  bookings: property("books no unit, import, sale, consumable purchase or parts stock to another dealer", () =>
    check(attacks(), async (attack) => {
      // given the attacker's unit in stock and its own customer
      const inStock = attack.attacker.units[1]!;
      // when it books each to the victim's dealer id
      const response = await attack.as.request(BOOKINGS, {
        dealerId: attack.victim.id,
        unitId: inStock.id,
        customerId: attack.attacker.customers[0].id,
        serialNumber: `SN-${tag()}`,
        importedSerialNumber: `SN-${tag()}`,
        equipment: world.products.equipment,
        consumable: world.products.consumable,
        part: world.products.part,
      });
      // then every one is refused on the field naming the dealer, and nothing changed on either side
      const message = `You act for the dealer \`${attack.attacker.id}\`; \`${attack.victim.id}\` is another one.`;
      const refusal = (object: string, field: string) => ({ [object]: null, errors: [{ ...notYourDealer([field]), message }] });
      expect(response).toEqual({
        data: {
          registerUnit: refusal("unit", "dealerId"),
          sellUnit: refusal("unit", "dealerId"),
          recordConsumablePurchase: refusal("purchase", "dealerId"),
          setPartStock: refusal("stock", "serviceCenterId"),
          adjustPartStock: refusal("stock", "serviceCenterId"),
          importUnits: { units: null, errors: [{ ...notYourDealer(["units", "0", "dealerId"]), message }] },
        },
      });
      await expectUnchanged(attack.victim);
      await expectUnchanged(attack.attacker);
    }),
  ),
  salesToForeignCustomers: property(
    "refuses to sell or transfer its own unit to another dealer's customer exactly as to a customer id that does not exist",
    () =>
      check(
        fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknownBuyer: madeUpId("cus"), unknownOwner: madeUpId("cus") }),
        async ({ attack, n, unknownBuyer, unknownOwner }) => {
          // given two new units in the attacker's stock
          const serials = [`SN-${tag()}`, `SN-${tag()}`] as const;
          const { a, b } = await attack.as.query<{ a: { unit: { id: string } }; b: { unit: { id: string } } }>(
            `mutation($a: String!, $b: String!, $product: ID!) {
            a: registerUnit(input: { serialNumber: $a, productId: $product, registeredOn: "2025-01-10" }) { unit { id } }
            b: registerUnit(input: { serialNumber: $b, productId: $product, registeredOn: "2025-01-10" }) { unit { id } } }`,
            { a: serials[0], b: serials[1], product: world.products.equipment },
          );
          const buyer = attack.victim.customers[n]!.id;
          const owner = attack.victim.customers[1 - n]!.id;
          const SELECTION = `unit { id serialNumber status customer { id name email phone } events { kind customer { id name } } } ${ERRORS}`;
          const SELL = `mutation($a: ID!, $b: ID!, $buyerA: ID!, $buyerB: ID!) {
          a: sellUnit(input: { unitId: $a, customerId: $buyerA, ${SALE} }) { ${SELECTION} }
          b: sellUnit(input: { unitId: $b, customerId: $buyerB, ${SALE} }) { ${SELECTION} } }`;
          // when it sells one to the victim's customer and one to a made-up id
          const sold = await attack.as.request(SELL, { a: a.unit.id, b: b.unit.id, buyerA: buyer, buyerB: unknownBuyer });
          // and, once both are sold to its own customer, transfers them to another of each
          const ownCustomer = attack.attacker.customers[0].id;
          await attack.as.query(SELL, { a: a.unit.id, b: b.unit.id, buyerA: ownCustomer, buyerB: ownCustomer });
          const transferred = await attack.as.request(
            `mutation($a: ID!, $b: ID!, $ownerA: ID!, $ownerB: ID!) {
            a: transferUnit(input: { unitId: $a, newCustomerId: $ownerA, occurredOn: "2025-03-03" }) { ${SELECTION} }
            b: transferUnit(input: { unitId: $b, newCustomerId: $ownerB, occurredOn: "2025-03-03" }) { ${SELECTION} } }`,
            { a: a.unit.id, b: b.unit.id, ownerA: owner, ownerB: unknownOwner },
          );
          attack.attacker.units.push(
            { id: a.unit.id, serialNumber: serials[0], customerId: ownCustomer },
            { id: b.unit.id, serialNumber: serials[1], customerId: ownCustomer },
          );
          await recordChangesOf(attack.attacker);
          // then each is refused as naming no customer, the two answers the same but for the ids
          for (const [response, field, foreign] of [
            [sold, "customerId", buyer],
            [transferred, "newCustomerId", owner],
          ] as const) {
            const { data, errors } = response as GraphQLResponse<{ a: unknown; b: unknown }>;
            expect(errors).toBeUndefined();
            const toVictims = withPlaceholders(data?.a, { "<unit>": a.unit.id, "<serial>": serials[0], "<customer>": foreign });
            const toNobody = withPlaceholders(data?.b, {
              "<unit>": b.unit.id,
              "<serial>": serials[1],
              "<customer>": field === "customerId" ? unknownBuyer : unknownOwner,
            });
            expect(toVictims).toEqual(toNobody);
            expect(data?.a).toEqual({
              unit: null,
              errors: [{ code: "CUSTOMER_NOT_FOUND", field: [field], message: `No customer has the id \`${foreign}\`.` }],
            });
          }
          // and the victim's records are as they were
          await expectUnchanged(attack.victim);
        },
        10,
      ),
  ),
  duplicateSerialNumber: property("refuses another dealer's serial number as taken, telling nothing more of that unit", () =>
    check(fc.record({ attack: attacks(), pick: fc.nat() }), async ({ attack, pick }) => {
      // Serial numbers are the manufacturer's, unique across the network: that one is taken is the one
      // thing a dealer can learn of another dealer's unit, by registering it. Nothing else of it may come back.
      // given a unit of the victim
      const unit = attack.victim.units[pick % attack.victim.units.length]!;
      // when the attacker registers a unit under its serial number
      const response = await attack.as.request(`mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { unit { id } ${ERRORS} } }`, {
        input: { serialNumber: unit.serialNumber, productId: world.products.equipment, registeredOn: "2025-03-02" },
      });
      // then it is told the serial number is taken, and nothing else
      const message = `Another unit has the serial number \`${unit.serialNumber}\`.`;
      expect(response).toEqual({
        data: { registerUnit: { unit: null, errors: [{ code: "DUPLICATE_SERIAL_NUMBER", field: ["serialNumber"], message }] } },
      });
      expectNothingOf({ ...attack, secrets: attack.secrets.filter((s) => s !== unit.serialNumber) }, response);
      await expectUnchanged(attack.victim);
    }),
  ),
  registerOperation: property("registers another dealer's document as its own operation, leaving the other's untouched", () =>
    check(
      attacks(),
      async (attack) => {
        // given an operation the victim has just registered
        const document = `query Fresh${tag()} { products(first: 1) { edges { cursor } } }`;
        const asVictim = graph.as(dealerCaller(attack.victim));
        const original = await asVictim.query<Registered>(REGISTER_OPERATION, { input: { name: `Victim's ${tag()}`, document } });
        await recordChangesOf(attack.victim);
        // when the attacker registers the same document
        const name = `Attacker's ${tag()}`;
        const copy = await attack.as.query<Registered>(REGISTER_OPERATION, { input: { name, document } });
        await recordChangesOf(attack.attacker);
        // then it gets a registration of its own, under the same hash; each sees its own
        const hash = original.registerOperation.operation!.hash;
        expect(copy.registerOperation).toEqual({ operation: { hash, name, document, dealer: { id: attack.attacker.id } }, errors: [] });
        const seenBy = async (client: Client) =>
          (await client.query<{ persistedOperation: { name: string; dealer: { id: string } } }>(OPERATION, { hash })).persistedOperation;
        expect(await seenBy(attack.as)).toMatchObject({ name, dealer: { id: attack.attacker.id } });
        const victims = original.registerOperation.operation!;
        expect(await seenBy(asVictim)).toMatchObject({ name: victims.name, dealer: { id: attack.victim.id } });
        await expectUnchanged(attack.victim);
      },
      10,
    ),
  ),
  adminOnly: property("is refused every API key field, about another dealer's keys as about unknown ones, and changes no key", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("key") }), async ({ attack, unknown }) => {
      // when the attacker lists, creates and revokes the victim's keys, and creates a dealer
      const asks = [
        [`query($id: ID) { apiKeys(filter: { dealerId: $id }) { edges { node { id name prefix } } } }`, attack.victim.id],
        [`mutation($id: ID) { createApiKey(input: { name: "Mine now", role: DEALER, dealerId: $id }) { key apiKey { id } ${ERRORS} } }`, attack.victim.id],
        [`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id revokedAt } ${ERRORS} } }`, attack.victim.apiKey.id],
      ] as const;
      for (const [operation, foreign] of asks) {
        const answer = await attack.as.request(operation, { id: foreign });
        const unknownAnswer = await attack.as.request(operation, { id: unknown });
        // then each is FORBIDDEN, with nothing of the victim's, as for an id that does not exist
        expect(errorCodes(answer), operation).toEqual(["FORBIDDEN"]);
        expect(answer.data ?? null).toBeNull();
        expect(withPlaceholders(answer, { "<id>": foreign })).toEqual(withPlaceholders(unknownAnswer, { "<id>": unknown }));
        expectNothingOf(attack, answer);
      }
      const dealer = await attack.as.request(`mutation($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } ${ERRORS} } }`, {
        input: dealerInput(),
      });
      expect(errorCodes(dealer)).toEqual(["FORBIDDEN"]);
      await expectUnchanged(attack.victim);
    }),
  ),
};

// --- _entities --------------------------------------------------------------

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {`;

const entities = {
  partners: property("resolves another dealer's customer and technician through _entities on partners as null, like unknown ids", () =>
    check(
      fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknownCustomer: madeUpId("cus"), unknownTechnician: madeUpId("tec") }),
      async ({ attack, n, unknownCustomer, unknownTechnician }) => {
        // given the partners subgraph asked directly, with the attacker's identity signed as the gateway signs it
        const partners = graph.subgraph("partners", dealerCaller(attack.attacker));
        const customer = attack.victim.customers[n]!.id;
        // when
        const response = await partners.request(
          `${ENTITIES} ... on Customer { id name email phone address { street } }
            ... on Technician { id name email }
            ... on Dealer { id technicians { id name } } } }`,
          {
            representations: [
              { __typename: "Customer", id: customer },
              { __typename: "Customer", id: unknownCustomer },
              { __typename: "Technician", id: attack.victim.technician.id },
              { __typename: "Technician", id: unknownTechnician },
              { __typename: "Dealer", id: attack.victim.id },
            ],
          },
        );
        // then
        expect(response).toEqual({ data: { _entities: [null, null, null, null, { id: attack.victim.id, technicians: [] }] } });
      },
    ),
  ),
  catalog: property("resolves another dealer's units through _entities on catalog as null, and nests nothing of it under its customers and dealer", () =>
    check(
      fc.record({
        attack: attacks(),
        pick: fc.nat(),
        n: fc.nat({ max: 1 }),
        unknownUnit: madeUpId("unt"),
        unknownSerial: madeUpSerial,
        unknownDealer: madeUpId("dlr"),
      }),
      async ({ attack, pick, n, unknownUnit, unknownSerial, unknownDealer }) => {
        // given the catalog subgraph asked directly as the attacker, about the victim's unit, customer and dealer
        const catalog = graph.subgraph("catalog", dealerCaller(attack.attacker));
        const unit = attack.victim.units[pick % attack.victim.units.length]!;
        const customer = attack.victim.customers[n]!.id;
        type Nested = { edges: { node: { id: string; dealer: { id: string } } }[] };
        type CustomerLists = { units: Nested; consumablePurchases: Nested; customerDue: { dealer: { id: string } }[] };
        const ask = (values: { unit: string; serial: string; dealer: string }) =>
          catalog.request<{ _entities: [unknown, unknown, CustomerLists, unknown] }>(
            `${ENTITIES} ... on Unit { id serialNumber status events { kind } }
              ... on Customer { id units(first: 100) { edges { cursor node { id dealer { id } } } }
                consumablePurchases(first: 100) { edges { cursor node { id dealer { id } } } }
                customerDue: replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}") { dealer { id } } }
              ... on Dealer { id unitsSold(first: 100) { edges { cursor node { id } } }
                partsStock(first: 100) { edges { cursor node { onHand } } }
                dealerDue: replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}", first: 100) { edges { cursor node { runsOutOn } } } } } }`,
            {
              representations: [
                { __typename: "Unit", id: values.unit },
                { __typename: "Unit", serialNumber: values.serial },
                { __typename: "Customer", id: customer },
                { __typename: "Dealer", id: values.dealer },
              ],
            },
          );
        // when
        const foreign = await ask({ unit: unit.id, serial: unit.serialNumber, dealer: attack.victim.id });
        const unknown = await ask({ unit: unknownUnit, serial: unknownSerial, dealer: unknownDealer });
        // then the units are null and the dealer's lists empty, exactly as for made-up ones
        const [byId, bySerial, customerLists, dealer] = foreign.data!._entities;
        const noLists = { unitsSold: { edges: [] }, partsStock: { edges: [] }, dealerDue: { edges: [] } };
        expect([byId, bySerial, dealer]).toEqual([null, null, { id: attack.victim.id, ...noLists }]);
        expect(
          withPlaceholders(
            foreign.data!._entities.filter((_, i) => i !== 2),
            { "<dealer>": attack.victim.id },
          ),
        ).toEqual(
          withPlaceholders(
            unknown.data!._entities.filter((_, i) => i !== 2),
            { "<dealer>": unknownDealer },
          ),
        );
        // and under the victim's customer are only the attacker's own sales to it
        const dealersIn = (nodes: { dealer: { id: string } }[]) => nodes.map((node) => node.dealer.id).filter((id) => id !== attack.attacker.id);
        expect(dealersIn(customerLists.units.edges.map((e) => e.node))).toEqual([]);
        expect(dealersIn(customerLists.consumablePurchases.edges.map((e) => e.node))).toEqual([]);
        expect(dealersIn(customerLists.customerDue)).toEqual([]);
        expect(customerLists.units.edges.map((e) => e.node.id).sort()).toEqual(
          attack.attacker.units
            .filter((u) => u.customerId === customer)
            .map((u) => u.id)
            .sort(),
        );
        expectNothingOf(attack, foreign);
      },
    ),
  ),
  ownCustomer: property("nests only its own units and purchases under its own customer through _entities on catalog", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }) }), async ({ attack, n }) => {
      const catalog = graph.subgraph("catalog", dealerCaller(attack.attacker));
      const response = await catalog.request(
        `${ENTITIES} ... on Customer { units(first: 100) { edges { cursor node { id dealer { id } } } }
          consumablePurchases(first: 100) { edges { cursor node { id dealer { id } } } } } } }`,
        { representations: [{ __typename: "Customer", id: attack.attacker.customers[n]!.id }] },
      );
      expect(response.errors).toBeUndefined();
      const text = JSON.stringify(response);
      expect(text).not.toContain(attack.victim.id);
      expectNothingOf(attack, response);
    }),
  ),
};

// --- ANALYST ----------------------------------------------------------------

const PERSONAL = `name companyName email phone address { street } location { latitude }`;
const ANALYST_READS = `query($customer: ID!, $technician: ID!, $dealer: ID!) {
  customer(id: $customer) { id ${PERSONAL} }
  customers(first: 100, filter: { homeDealerId: $dealer }) { edges { cursor node { id ${PERSONAL} } } pageInfo { endCursor } }
  technician(id: $technician) { id name email phone }
  dealer(id: $dealer) {
    technicians { id name email phone }
    unitsSold(first: 100) { edges { node { customer { id ${PERSONAL} } events { customer { name email phone } } } } }
    replenishmentDue(within: 3650, asOf: "${SEED_AS_OF}", first: 100) { edges { node { customer { name email phone } } } } }
  units(first: 100, filter: { customerId: $customer }) { edges { cursor node { customer { id ${PERSONAL} } } } } }`;

type AnalystReads = {
  customer: Record<string, unknown>;
  customers: { edges: { node: Record<string, unknown> }[] };
  technician: Record<string, unknown>;
  dealer: { technicians: Record<string, unknown>[] };
};

const NO_PERSONAL_DATA = { name: null, companyName: null, email: null, phone: null, address: { street: null }, location: null };

const analyst = {
  personalData: property("never gives an ANALYST a name, email, phone or street, at the top level, in lists, nested or through _entities", () =>
    check(fc.record({ dealer: fc.nat({ max: DEALERS - 1 }), n: fc.nat({ max: 1 }) }), async ({ dealer: d, n }) => {
      // given any customer and technician of any dealer
      const dealer = world.dealers[d]!;
      const customer = dealer.customers[n]!;
      const everyonesPersonalData = world.dealers.flatMap(personalValuesOf);
      // when an ANALYST reads them every way there is
      const read = await graph.as(ANALYST).query<AnalystReads>(ANALYST_READS, {
        customer: customer.id,
        technician: dealer.technician.id,
        dealer: dealer.id,
      });
      const entities = await graph
        .subgraph("partners", ANALYST)
        .request(`${ENTITIES} ... on Customer { id ${PERSONAL} } ... on Technician { id name email phone } } }`, {
          representations: [
            { __typename: "Customer", id: customer.id },
            { __typename: "Technician", id: dealer.technician.id },
          ],
        });
      const search = await graph.as(ANALYST).request(CUSTOMERS, { filter: { search: customer.name } });
      // then the records are there, without any personal data, not even in a cursor
      expect(read.customer).toEqual({ id: customer.id, ...NO_PERSONAL_DATA });
      const byId = (a: { id: unknown }, b: { id: unknown }) => String(a.id).localeCompare(String(b.id));
      expect(read.customers.edges.map((e) => e.node)).toEqual(dealer.customers.map((c) => ({ id: c.id, ...NO_PERSONAL_DATA })).sort(byId));
      expect(read.technician).toEqual({ id: dealer.technician.id, name: null, email: null, phone: null });
      expect(read.dealer.technicians).toEqual([{ id: dealer.technician.id, name: null, email: null, phone: null }]);
      expect(entities).toEqual({
        data: {
          _entities: [
            { id: customer.id, ...NO_PERSONAL_DATA },
            { id: dealer.technician.id, name: null, email: null, phone: null },
          ],
        },
      });
      expect(foundIn([read, entities], everyonesPersonalData)).toEqual([]);
      // and searching by a name is refused, as looking at personal data
      expect(errorCodes(search)).toEqual(["FORBIDDEN"]);
      expect(foundIn(search, everyonesPersonalData)).toEqual([]);
    }),
  ),
};

// --- warranty ----------------------------------------------------------------

/** What each seeded dealer holds in the warranty subgraph (seeded by `seedWarranty`, before the warranty properties). */
interface DealerWarranty {
  /** Active, from 40 days ago, on the unit it sold its own first customer, with monthly visits. */
  contract: { id: string; number: string; version: number };
  /** A draft on the same unit, starting after the active one ends. */
  draft: { id: string; number: string; version: number };
  visit: { id: string; version: number };
  claim: { id: string; number: string; version: number };
}

const warrantyOf = new Map<string, DealerWarranty>();
/** Each dealer's warranty records as an ADMIN read them after seeding. */
const warrantySeeded = new Map<string, unknown>();

const WARRANTY_RECORDS = `query WarrantyRecords($dealer: ID!) {
  serviceContracts(first: 10, filter: { dealerId: $dealer }) { edges { node {
    id number status version startsOn endsOn cancelledFrom cancellationReason price { amount } refund { amount }
    customer { id } units { unit { id } casesUsed laborHoursUsed }
    maintenanceVisits { id sequence dueOn status version scheduledFor completedOn note } } } }
  warrantyClaims(first: 10, filter: { dealerId: $dealer }) { edges { node {
    id number status version claimedTotal { amount } approvedTotal { amount } paidAt paymentReference
    lines { lineNumber status approved { amount } decidedBy } history { action statusAfter comment actor } } } } }`;

const warrantyRecordsOf = (dealerId: string) => graph.query(WARRANTY_RECORDS, { dealer: dealerId });

async function expectWarrantyUnchanged(victim: SeededDealer) {
  expect(await warrantyRecordsOf(victim.id), `warranty records of ${victim.id}`).toEqual(warrantySeeded.get(victim.id));
}

/** The victim's warranty records' ids and numbers: none may reach another dealer. */
const warrantySecretsOf = (dealer: SeededDealer): string[] => {
  const { contract, draft, visit, claim } = warrantyOf.get(dealer.id)!;
  return [contract.id, contract.number, draft.id, draft.number, visit.id, claim.id, claim.number];
};

const daysFromToday = (days: number) => addDays(todayUtc(), days);

/**
 * A warranty policy for the seeded equipment and a plan with monthly visits;
 * for each dealer, an active contract on the unit it sold its own first
 * customer, a draft after it, and a claim for a repair of that unit (rejected:
 * the seeded dealers are no warranty workshops).
 */
async function seedWarranty() {
  await graph.settle();
  await succeed(graph, "setWarrantyPolicy", "policy { id }", {
    productId: world.products.equipment,
    effectiveFrom: "2023-01-01",
    months: 36,
    startBasis: "PURCHASE",
    partsShare: 100,
    laborShare: 100,
    serviceMode: "ON_SITE",
    transferable: true,
  });
  const { plan } = await succeed<{ plan: { id: string } }>(graph, "createContractPlan", "plan { id }", {
    name: `Tenant care ${world.tag}`,
    priceSharePercent: 5,
    responseHours: 8,
    resolutionHours: 48,
    visitsPerYear: 12,
    partsCovered: true,
    laborCovered: true,
  });
  for (const dealer of world.dealers) {
    const sold = dealer.units[0]!;
    const terms = { dealerId: dealer.id, planId: plan.id, customerId: dealer.customers[0].id, unitIds: [sold.id] };
    const made = await succeed<{ contract: { id: string; version: number } }>(graph, "createServiceContract", "contract { id version }", {
      ...terms,
      startsOn: daysFromToday(-40),
    });
    const { contract } = await succeed<{
      contract: { id: string; number: string; version: number; endsOn: string; maintenanceVisits: { id: string; version: number }[] };
    }>(graph, "activateServiceContract", "contract { id number version endsOn maintenanceVisits { id version } }", made.contract);
    const { contract: draft } = await succeed<{ contract: { id: string; number: string; version: number } }>(
      graph,
      "createServiceContract",
      "contract { id number version }",
      { ...terms, startsOn: addDays(contract.endsOn, 1) },
    );
    const { claim } = await succeed<{ claim: { id: string; number: string; version: number } }>(graph, "fileWarrantyClaim", "claim { id number version }", {
      dealerId: dealer.id,
      unitId: sold.id,
      failureOn: daysFromToday(-10),
      repairOn: daysFromToday(-9),
      failureCode: "E04-PUMP",
      lines: [{ kind: "PART", partId: world.products.part, quantity: 1, claimed: { amount: "120.00", currency: "EUR" } }],
    });
    const visit = contract.maintenanceVisits[0];
    if (!visit) throw new Error(`activating ${contract.id} created no maintenance visit`);
    warrantyOf.set(dealer.id, { contract, draft, visit, claim });
  }
  for (const dealer of world.dealers) warrantySeeded.set(dealer.id, await warrantyRecordsOf(dealer.id));
}

const madeUpNumber = (prefix: "SC" | "WC") => fc.stringMatching(/^[0-9]{6}$/).map((digits) => `${prefix}-2019-${digits}`);

const CONTRACT_READ = `id number status startsOn endsOn price { amount } customer { id name } dealer { id }
  units { unit { id serialNumber } price { amount } } maintenanceVisits { id dueOn status }`;
const CLAIM_READ = `id number status failureOn failureCode unit { id serialNumber } dealer { id } lines { lineNumber status claimed { amount } }
  history { action comment actor }`;

const CONTRACTS = `query($filter: ServiceContractFilter) { serviceContracts(first: 100, filter: $filter) {
  edges { cursor node { id number dealer { id } customer { id } } } pageInfo { endCursor } } }`;
type ContractList = { serviceContracts: { edges: { node: { id: string; dealer: { id: string } } }[] } };
const CLAIMS = `query($filter: WarrantyClaimFilter) { warrantyClaims(first: 100, filter: $filter) {
  edges { cursor node { id number dealer { id } unit { id } } } pageInfo { endCursor } } }`;
type ClaimList = { warrantyClaims: { edges: { node: { id: string; dealer: { id: string } } }[] } };

const CONTRACT_PAYLOAD = `contract { id status } ${ERRORS}`;
const VISIT_PAYLOAD = `visit { id status } ${ERRORS}`;
const CLAIM_PAYLOAD = `claim { id status } ${ERRORS}`;

const warranty = {
  serviceContract: property("answers another dealer's service contract, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("sct"), unknownNumber: madeUpNumber("SC") }), async ({ attack, unknownId, unknownNumber }) => {
      // given the victim's active contract and its draft
      const { contract, draft } = warrantyOf.get(attack.victim.id)!;
      // when the attacker asks for them by id and by number
      const byId = `query($id: ID) { serviceContract(id: $id) { ${CONTRACT_READ} } }`;
      const byNumber = `query($number: String) { serviceContract(number: $number) { ${CONTRACT_READ} } }`;
      const answers = [
        await expectAnsweredLikeUnknown(attack.as, byId, "id", contract.id, unknownId),
        await expectAnsweredLikeUnknown(attack.as, byId, "id", draft.id, unknownId),
        await expectAnsweredLikeUnknown(attack.as, byNumber, "number", contract.number, unknownNumber),
      ];
      // then each is null, with no error
      for (const answer of answers) expect(answer).toEqual({ data: { serviceContract: null } });
    }),
  ),
  warrantyClaim: property("answers another dealer's warranty claim, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("wcl"), unknownNumber: madeUpNumber("WC") }), async ({ attack, unknownId, unknownNumber }) => {
      const { claim } = warrantyOf.get(attack.victim.id)!;
      const byId = await expectAnsweredLikeUnknown(attack.as, `query($id: ID) { warrantyClaim(id: $id) { ${CLAIM_READ} } }`, "id", claim.id, unknownId);
      const byNumber = await expectAnsweredLikeUnknown(
        attack.as,
        `query($number: String) { warrantyClaim(number: $number) { ${CLAIM_READ} } }`,
        "number",
        claim.number,
        unknownNumber,
      );
      expect(byId).toEqual({ data: { warrantyClaim: null } });
      expect(byNumber).toEqual({ data: { warrantyClaim: null } });
    }),
  ),
  coverageQuote: property("quotes another dealer's unit by its serial number with nothing of its owner, contracts or claims", () =>
    check(fc.record({ attack: attacks(), pick: fc.nat() }), async ({ attack, pick }) => {
      // given any sold unit of the victim's, the one under its contract included
      const sold = attack.victim.units.filter((u) => u.customerId !== null);
      const unit = sold[pick % sold.length]!;
      // when the attacker, having its serial number in hand, asks what a repair would cost
      const answer = await attack.as.request<{ coverageQuote: { serialNumber: string } | null }>(
        `query($serial: String!) { coverageQuote(serialNumber: $serial, failureCode: "E04-PUMP", laborHours: 1) {
          serialNumber coverage { kind reason contract { id number customer { id } } } lines { kind price { amount } } total { amount } } }`,
        { serial: unit.serialNumber },
      );
      // then it is told what covers the unit, and nothing that is the victim's but the serial number it asked with
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.coverageQuote?.serialNumber).toBe(unit.serialNumber);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...warrantySecretsOf(attack.victim)].filter((s) => s !== unit.serialNumber) }, answer);
    }),
  ),
  serviceContracts: property("lists only its own service contracts, whatever the filter names of another dealer's", () =>
    check(attacks(), async (attack) => {
      // when the attacker lists contracts: all, by the victim's dealer, customer and unit
      const victimUnit = attack.victim.units[0]!.id;
      const [all, byDealer, byCustomer, byUnit] = await Promise.all(
        [{}, { dealerId: attack.victim.id }, { customerId: attack.victim.customers[0].id }, { unitId: victimUnit }].map((filter) =>
          attack.as.query<ContractList>(CONTRACTS, { filter }),
        ),
      );
      // then it gets exactly its own
      const own = warrantyOf.get(attack.attacker.id)!;
      expect(all!.serviceContracts.edges.map((e) => e.node.id).sort()).toEqual([own.contract.id, own.draft.id].sort());
      expect([byDealer, byCustomer, byUnit].map((list) => list!.serviceContracts.edges)).toEqual([[], [], []]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...warrantySecretsOf(attack.victim)] }, [all, byDealer, byCustomer, byUnit]);
    }),
  ),
  warrantyClaims: property("lists only its own warranty claims, whatever the filter names of another dealer's", () =>
    check(attacks(), async (attack) => {
      const [all, byDealer, byUnit, byProduct] = await Promise.all(
        [{}, { dealerId: attack.victim.id }, { unitId: attack.victim.units[0]!.id }, { productId: world.products.equipment, failureCode: "E04-PUMP" }].map(
          (filter) => attack.as.query<ClaimList>(CLAIMS, { filter }),
        ),
      );
      const own = warrantyOf.get(attack.attacker.id)!;
      expect(all!.warrantyClaims.edges.map((e) => e.node.id)).toEqual([own.claim.id]);
      expect(byProduct!.warrantyClaims.edges.map((e) => e.node.id)).toEqual([own.claim.id]);
      expect([byDealer, byUnit].map((list) => list!.warrantyClaims.edges)).toEqual([[], []]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...warrantySecretsOf(attack.victim)] }, [all, byDealer, byUnit, byProduct]);
    }),
  ),
  claimStats: property("counts only its own claims and its own sales in the claim statistics", () =>
    check(attacks(), async (attack) => {
      // given every event applied (other properties sell units)
      await graph.settle();
      // when
      const { warrantyClaimStats } = await attack.as.query<{ warrantyClaimStats: { claims: number; unitsSold: number }[] }>(
        `query($product: ID!, $from: Date!, $to: Date!) { warrantyClaimStats(from: $from, to: $to, productId: $product) {
          product { id } failureCode claims unitsSold claimRate claimed { amount } approved { amount } } }`,
        { product: world.products.equipment, from: daysFromToday(-30), to: todayUtc() },
      );
      // then at most its own one claim counts, against the units it sold
      const soldByAttacker = attack.attacker.units.filter((u) => u.customerId !== null).length;
      expect(warrantyClaimStats.reduce((sum, row) => sum + row.claims, 0)).toBeLessThanOrEqual(1);
      for (const row of warrantyClaimStats) expect(row.unitsSold).toBe(soldByAttacker);
    }),
  ),
  nested: property("shows none of another dealer's contracts, visits or expiring warranties under that dealer or the customers they share", () =>
    check(attacks(), async (attack) => {
      // given the attacker's unit sold to the victim's customer, who has a contract with the victim
      const unit = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
      // when the attacker reads the victim's dealer and that customer's contracts
      const seen = await attack.as.query<{
        dealer: { maintenanceDue: { edges: unknown[] }; warrantyExpiring: { edges: unknown[] } };
        unit: { customer: { serviceContracts: { dealer: { id: string } }[] } };
      }>(
        `query($dealer: ID!, $unit: ID) {
          dealer(id: $dealer) {
            maintenanceDue(within: 366, first: 100) { edges { cursor node { id unit { id } } } }
            warrantyExpiring(within: 366, first: 100) { edges { cursor node { unit { id } customer { id } } } } }
          unit(id: $unit) { customer { serviceContracts { id number dealer { id } } } } }`,
        { dealer: attack.victim.id, unit: unit.id },
      );
      // then
      expect(seen.dealer).toEqual({ maintenanceDue: { edges: [] }, warrantyExpiring: { edges: [] } });
      expect(seen.unit.customer.serviceContracts.filter((c) => c.dealer.id !== attack.attacker.id)).toEqual([]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...warrantySecretsOf(attack.victim)] }, seen);
    }),
  ),
  entities: property("resolves another dealer's unit and customer through _entities on warranty with no contracts, visits or claims under them", () =>
    check(attacks(), async (attack) => {
      // given the warranty subgraph asked directly, with the attacker's identity
      const subgraph = graph.subgraph("warranty", dealerCaller(attack.attacker));
      // when it asks about the victim's unit under contract, its customer and its dealer
      const response = await subgraph.request(
        `${ENTITIES} ... on Unit { id warrantyClaims { id } serviceContracts { id } maintenanceVisits { id } }
          ... on Customer { id serviceContracts { id } }
          ... on Dealer { id maintenanceDue(within: 366, first: 100) { edges { cursor } } warrantyExpiring(within: 366, first: 100) { edges { cursor } } } } }`,
        {
          representations: [
            { __typename: "Unit", id: attack.victim.units[0]!.id },
            { __typename: "Customer", id: attack.victim.customers[0].id },
            { __typename: "Dealer", id: attack.victim.id },
          ],
        },
      );
      // then everything under them is empty
      expect(response).toEqual({
        data: {
          _entities: [
            { id: attack.victim.units[0]!.id, warrantyClaims: [], serviceContracts: [], maintenanceVisits: [] },
            { id: attack.victim.customers[0].id, serviceContracts: [] },
            { id: attack.victim.id, maintenanceDue: { edges: [] }, warrantyExpiring: { edges: [] } },
          ],
        },
      });
    }),
  ),
  contracts: property("refuses to activate or cancel another dealer's contract exactly like one that does not exist, and makes none for it or its units", () =>
    check(
      fc.record({ attack: attacks(), unknownContract: madeUpId("sct"), unknownUnit: madeUpId("unt") }),
      async ({ attack, unknownContract, unknownUnit }) => {
        // given the victim's contract, draft and unit
        const { contract, draft } = warrantyOf.get(attack.victim.id)!;
        const activate = `mutation($input: ActivateServiceContractInput!) { activateServiceContract(input: $input) { ${CONTRACT_PAYLOAD} } }`;
        const cancel = `mutation($input: CancelServiceContractInput!) { cancelServiceContract(input: $input) { ${CONTRACT_PAYLOAD} } }`;
        const create = `mutation($input: CreateServiceContractInput!) { createServiceContract(input: $input) { ${CONTRACT_PAYLOAD} } }`;
        // when the attacker activates the draft and cancels the contract; makes one as the victim; makes one for the victim's unit
        const activated = await expectRefusedLikeUnknown(attack.as, activate, (id) => ({ id, version: draft.version }), draft.id, unknownContract);
        const cancelled = await expectRefusedLikeUnknown(
          attack.as,
          cancel,
          (id) => ({ id, version: contract.version, reason: "Taken over" }),
          contract.id,
          unknownContract,
        );
        const plan = (await graph.query<{ contractPlans: { id: string }[] }>(`{ contractPlans { id } }`)).contractPlans[0]!.id;
        const asVictim = await attack.as.request(create, {
          input: {
            dealerId: attack.victim.id,
            planId: plan,
            customerId: attack.attacker.customers[0].id,
            unitIds: [attack.attacker.units[0]!.id],
            startsOn: todayUtc(),
          },
        });
        const forVictimsUnit = await expectRefusedLikeUnknown(
          attack.as,
          create,
          (unitId) => ({ planId: plan, customerId: attack.attacker.customers[0].id, unitIds: [unitId], startsOn: todayUtc() }),
          attack.victim.units[0]!.id,
          unknownUnit,
        );
        // then
        expect(activated).toEqual(refused("activateServiceContract", "contract", "CONTRACT_NOT_FOUND", ["id"]));
        expect(cancelled).toEqual(refused("cancelServiceContract", "contract", "CONTRACT_NOT_FOUND", ["id"]));
        expect(asVictim).toEqual(refused("createServiceContract", "contract", "NOT_YOUR_DEALER", ["dealerId"]));
        expect(forVictimsUnit).toMatchObject({ data: { createServiceContract: { contract: null } } });
        // (the refusals echo the ids the attacker sent, and nothing else of the victim's)
        const sent = [draft.id, contract.id, attack.victim.units[0]!.id];
        const secrets = [...attack.secrets, ...warrantySecretsOf(attack.victim)].filter((s) => !sent.includes(s));
        expectNothingOf({ ...attack, secrets }, [activated, cancelled, asVictim, forVictimsUnit]);
        await expectWarrantyUnchanged(attack.victim);
        await expectWarrantyUnchanged(attack.attacker);
      },
    ),
  ),
  visits: property("refuses to book, complete or cancel another dealer's visit exactly like one that does not exist, and to run the planning", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("mvs") }), async ({ attack, unknown }) => {
      const { visit } = warrantyOf.get(attack.victim.id)!;
      const mutations = [
        ["scheduleMaintenanceVisit", "ScheduleMaintenanceVisitInput", { scheduledFor: `${daysFromToday(3)}T09:00:00Z` }],
        ["completeMaintenanceVisit", "CompleteMaintenanceVisitInput", {}],
        ["cancelMaintenanceVisit", "CancelMaintenanceVisitInput", { note: "Not needed" }],
      ] as const;
      for (const [mutation, inputType, extra] of mutations) {
        const answer = await expectRefusedLikeUnknown(
          attack.as,
          `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${VISIT_PAYLOAD} } }`,
          (id) => ({ id, version: visit.version, ...extra }),
          visit.id,
          unknown,
        );
        expect(answer, mutation).toEqual(refused(mutation, "visit", "VISIT_NOT_FOUND", ["id"]));
      }
      const planning = await attack.as.request(`mutation { planMaintenance(input: { leadDays: 30 }) { visitsCreated ${ERRORS} } }`);
      expect(errorCodes(planning)).toEqual(["FORBIDDEN"]);
      await expectWarrantyUnchanged(attack.victim);
    }),
  ),
  claims: property("files no claim as another dealer, cannot answer its claims, and may not decide or pay any", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("wcl") }), async ({ attack, unknown }) => {
      const { claim } = warrantyOf.get(attack.victim.id)!;
      // when the attacker files as the victim, answers the victim's claim, and reviews, sends back and pays it
      const filed = await attack.as.request(`mutation($input: FileWarrantyClaimInput!) { fileWarrantyClaim(input: $input) { ${CLAIM_PAYLOAD} } }`, {
        input: {
          dealerId: attack.victim.id,
          unitId: attack.attacker.units[0]!.id,
          failureOn: daysFromToday(-5),
          repairOn: daysFromToday(-4),
          failureCode: "E04-PUMP",
          lines: [{ kind: "PART", partId: world.products.part, quantity: 1, claimed: { amount: "120.00", currency: "EUR" } }],
        },
      });
      const answered = await expectRefusedLikeUnknown(
        attack.as,
        `mutation($input: AnswerWarrantyClaimInput!) { answerWarrantyClaim(input: $input) { ${CLAIM_PAYLOAD} } }`,
        (id) => ({ id, version: claim.version, comment: "Answered for you" }),
        claim.id,
        unknown,
      );
      const staffOnly = [
        `mutation($id: ID!, $v: Int!) { reviewWarrantyClaim(input: { id: $id, version: $v, lines: [{ lineNumber: 1, decision: APPROVE }] }) { ${CLAIM_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { sendBackWarrantyClaim(input: { id: $id, version: $v, comment: "Why?" }) { ${CLAIM_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { markWarrantyClaimPaid(input: { id: $id, version: $v, reference: "STOLEN" }) { ${CLAIM_PAYLOAD} } }`,
      ];
      // then
      expect(filed).toEqual(refused("fileWarrantyClaim", "claim", "NOT_YOUR_DEALER", ["dealerId"]));
      expect(answered).toEqual(refused("answerWarrantyClaim", "claim", "CLAIM_NOT_FOUND", ["id"]));
      for (const mutation of staffOnly) {
        const foreign = await attack.as.request(mutation, { id: claim.id, v: claim.version });
        const unknownAnswer = await attack.as.request(mutation, { id: unknown, v: claim.version });
        expect(errorCodes(foreign), mutation).toEqual(["FORBIDDEN"]);
        expect(withPlaceholders(foreign, { "<id>": claim.id })).toEqual(withPlaceholders(unknownAnswer, { "<id>": unknown }));
      }
      await expectWarrantyUnchanged(attack.victim);
      await expectWarrantyUnchanged(attack.attacker);
    }),
  ),
};

// --- tickets -----------------------------------------------------------------

/** Each seeded dealer's ticket: opened by itself for its own first customer about the unit it sold them (seeded by `seedTickets`). */
const ticketOf = new Map<string, { id: string; number: string; version: number }>();
/** Each dealer's tickets as an ADMIN read them after seeding. */
const ticketsSeeded = new Map<string, unknown>();

const TICKET_RECORDS = `query TicketRecords($dealer: ID!) { tickets(first: 10, filter: { dealerId: $dealer }) { edges { node {
  id number status priority version subject failureCode resolution customer { id } unit { id } serviceCenter { id }
  timeline { kind note actor } } } } }`;

const ticketRecordsOf = (dealerId: string) => graph.query(TICKET_RECORDS, { dealer: dealerId });

async function expectTicketsUnchanged(dealer: SeededDealer) {
  expect(await ticketRecordsOf(dealer.id), `tickets of ${dealer.id}`).toEqual(ticketsSeeded.get(dealer.id));
}

const ticketSecretsOf = (dealer: SeededDealer): string[] => {
  const ticket = ticketOf.get(dealer.id)!;
  return [ticket.id, ticket.number];
};

/** For each dealer, a ticket it opened itself for its own first customer about the unit it sold them, assigned to itself. */
async function seedTickets() {
  // The tickets subgraph learns customers, units and dealers from the partners' and catalog's events.
  await graph.settle();
  for (const dealer of world.dealers) {
    const as = graph.as(dealerCaller(dealer));
    const { ticket: opened } = await succeed<{ ticket: { id: string; version: number } }>(as, "openTicket", "ticket { id version }", {
      customerId: dealer.customers[0].id,
      unitId: dealer.units[0]!.id,
      kind: "REPAIR",
      channel: "PHONE",
      subject: `Pump noisy ${tag()}`,
      failureCode: "E04-PUMP",
    });
    const { ticket } = await succeed<{ ticket: { id: string; number: string; version: number } }>(as, "assignTicket", "ticket { id number version }", {
      id: opened.id,
      version: opened.version,
      serviceCenterId: dealer.id,
      // Dispatch may have chosen another service center for the repair.
      reason: "The dealer works its own tickets",
    });
    ticketOf.set(dealer.id, ticket);
  }
  for (const dealer of world.dealers) ticketsSeeded.set(dealer.id, await ticketRecordsOf(dealer.id));
}

const madeUpTicketNumber = fc.stringMatching(/^[0-9]{6}$/).map((digits) => `T-2019-${digits}`);

const TICKET_READ = `id number status subject customer { id } unit { id serialNumber } dealer { id } timeline { kind note actor }`;
const TICKET_LIST = `query($filter: TicketFilter) { tickets(first: 100, filter: $filter) { edges { cursor node { id number dealer { id } } } pageInfo { endCursor } } }`;
type TicketList = { tickets: { edges: { node: { id: string } }[] } };
const TICKET_PAYLOAD = `ticket { id status version } ${ERRORS}`;

const tickets = {
  ticket: property("answers another dealer's ticket, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("tkt"), unknownNumber: madeUpTicketNumber }), async ({ attack, unknownId, unknownNumber }) => {
      // given the victim's ticket
      const ticket = ticketOf.get(attack.victim.id)!;
      // when the attacker asks for it by id and by number
      const byId = await expectAnsweredLikeUnknown(attack.as, `query($id: ID) { ticket(id: $id) { ${TICKET_READ} } }`, "id", ticket.id, unknownId);
      const byNumber = await expectAnsweredLikeUnknown(
        attack.as,
        `query($number: String) { ticket(number: $number) { ${TICKET_READ} } }`,
        "number",
        ticket.number,
        unknownNumber,
      );
      // then each is null, with no error
      expect(byId).toEqual({ data: { ticket: null } });
      expect(byNumber).toEqual({ data: { ticket: null } });
    }),
  ),
  tickets: property("lists only its own tickets, whatever the filter names of another dealer's", () =>
    check(attacks(), async (attack) => {
      // when the attacker lists tickets: all, and by the victim's dealer, customer, unit and service center
      const [all, byDealer, byCustomer, byUnit, byServiceCenter] = await Promise.all(
        [
          {},
          { dealerId: attack.victim.id },
          { customerId: attack.victim.customers[0].id },
          { unitId: attack.victim.units[0]!.id },
          { serviceCenterId: attack.victim.id },
        ].map((filter) => attack.as.query<TicketList>(TICKET_LIST, { filter })),
      );
      // and the tickets at risk of missing their SLA within a week
      const atRisk = await attack.as.query<{ ticketsAtRisk: { edges: { node: { id: string; dealer: { id: string } } }[] } }>(
        `{ ticketsAtRisk(within: 10080, first: 100) { edges { cursor node { id number dealer { id } } } } }`,
      );
      // then it gets exactly its own
      expect(all!.tickets.edges.map((e) => e.node.id)).toEqual([ticketOf.get(attack.attacker.id)!.id]);
      expect([byDealer, byCustomer, byUnit, byServiceCenter].map((list) => list!.tickets.edges)).toEqual([[], [], [], []]);
      expect(atRisk.ticketsAtRisk.edges.every((e) => e.node.dealer.id === attack.attacker.id)).toBe(true);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...ticketSecretsOf(attack.victim)] }, [
        all,
        byDealer,
        byCustomer,
        byUnit,
        byServiceCenter,
        atRisk,
      ]);
    }),
  ),
  nested: property("shows none of another dealer's tickets under a customer they share, or through _entities on tickets", () =>
    check(attacks(), async (attack) => {
      // given the attacker's unit sold to the victim's customer, who has a ticket with the victim
      const unit = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
      // when the attacker reads that unit's and its customer's tickets, and asks the tickets subgraph directly about the victim's
      const seen = await attack.as.query<{ unit: { tickets: { edges: unknown[] }; customer: { tickets: { edges: unknown[] } } } }>(
        `query($unit: ID) { unit(id: $unit) { tickets(first: 100) { edges { cursor node { id } } } customer { tickets(first: 100) { edges { cursor node { id } } } } } }`,
        { unit: unit.id },
      );
      const entities = await graph.subgraph("tickets", dealerCaller(attack.attacker)).request(
        `${ENTITIES} ... on Unit { id tickets(first: 100) { edges { cursor } } } ... on Customer { id tickets(first: 100) { edges { cursor } } }
          ... on Ticket { id number } } }`,
        {
          representations: [
            { __typename: "Unit", id: attack.victim.units[0]!.id },
            { __typename: "Customer", id: attack.victim.customers[0].id },
            { __typename: "Ticket", id: ticketOf.get(attack.victim.id)!.id },
          ],
        },
      );
      // then
      expect(seen.unit).toEqual({ tickets: { edges: [] }, customer: { tickets: { edges: [] } } });
      expect(entities).toEqual({
        data: {
          _entities: [{ id: attack.victim.units[0]!.id, tickets: { edges: [] } }, { id: attack.victim.customers[0].id, tickets: { edges: [] } }, null],
        },
      });
      const secrets = [...attack.secrets, ...ticketSecretsOf(attack.victim)];
      expectNothingOf({ ...attack, secrets }, seen);
      // (_entities echoes the ids it was asked about, and nothing else of the victim's)
      const sent = [attack.victim.units[0]!.id, attack.victim.customers[0].id, ticketOf.get(attack.victim.id)!.id];
      expectNothingOf({ ...attack, secrets: secrets.filter((s) => !sent.includes(s)) }, entities);
    }),
  ),
  writes: property("opens no ticket for another dealer's customer and changes none of its tickets, exactly as if they did not exist", () =>
    check(
      fc.record({ attack: attacks(), unknownTicket: madeUpId("tkt"), unknownCustomer: madeUpId("cus") }),
      async ({ attack, unknownTicket, unknownCustomer }) => {
        // given the victim's ticket and customer
        const ticket = ticketOf.get(attack.victim.id)!;
        const changes = [
          ["changeTicketStatus", "ChangeTicketStatusInput", { status: "CANCELLED" }],
          ["assignTicket", "AssignTicketInput", { serviceCenterId: attack.attacker.id }],
          ["changeTicketPriority", "ChangeTicketPriorityInput", { priority: "P1", reason: "Taken over" }],
          ["addTicketNote", "AddTicketNoteInput", { note: "Taken over" }],
          ["dispatchTicket", "DispatchTicketInput", {}],
          ["recordTicketParts", "RecordTicketPartsInput", { parts: [{ partId: "prd_unknown", quantity: 1 }] }],
          ["issueLoaner", "IssueLoanerInput", { serialNumber: "SN-NONE" }],
          ["returnLoaner", "ReturnLoanerInput", {}],
        ] as const;
        // when the attacker changes the victim's ticket in every way
        const answers = [];
        for (const [mutation, inputType, extra] of changes) {
          const answer = await expectRefusedLikeUnknown(
            attack.as,
            `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${TICKET_PAYLOAD} } }`,
            (id) => ({ id, version: ticket.version, ...extra }),
            ticket.id,
            unknownTicket,
          );
          // then each is refused like a ticket that does not exist
          expect(answer, mutation).toEqual(refused(mutation, "ticket", "TICKET_NOT_FOUND", ["id"]));
          answers.push(answer);
        }
        // when it opens a ticket for the victim's customer, about its own unit sold to them
        const shared = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
        const opened = await expectRefusedLikeUnknown(
          attack.as,
          `mutation($input: OpenTicketInput!) { openTicket(input: $input) { ${TICKET_PAYLOAD} } }`,
          (customerId) => ({ customerId, unitId: shared.id, kind: "REPAIR", channel: "PORTAL", subject: "Pump noisy" }),
          attack.victim.customers[0].id,
          unknownCustomer,
        );
        expect(opened).toEqual(refused("openTicket", "ticket", "CUSTOMER_NOT_FOUND", ["customerId"]));
        // when it gives its own ticket to the victim's service center
        const own = ticketOf.get(attack.attacker.id)!;
        const assigned = await attack.as.request(`mutation($input: AssignTicketInput!) { assignTicket(input: $input) { ${TICKET_PAYLOAD} } }`, {
          input: { id: own.id, version: own.version, serviceCenterId: attack.victim.id },
        });
        expect(assigned).toEqual(refused("assignTicket", "ticket", "NOT_YOUR_DEALER", ["serviceCenterId"]));
        // when it sets the victim's SLA policy, or reads it
        const targets = ["P1", "P2", "P3", "P4"].map((priority) => ({ priority, responseMinutes: 1, resolutionMinutes: 1 }));
        const policy = await attack.as.request(`mutation($input: SetSlaPolicyInput!) { setSlaPolicy(input: $input) { slaPolicy { version } ${ERRORS} } }`, {
          input: { dealerId: attack.victim.id, version: 0, targets, pausesOnWaitingParts: true },
        });
        expect(policy).toEqual(refused("setSlaPolicy", "slaPolicy", "NOT_YOUR_DEALER", ["dealerId"]));
        const read = await attack.as.query<{ dealer: { slaPolicy: unknown } }>(
          `query($id: ID!) { dealer(id: $id) { slaPolicy { version targets { priority } } } }`,
          { id: attack.victim.id },
        );
        expect(read.dealer.slaPolicy).toBeNull();
        // then nothing of the victim's but the ids it sent reaches it, and no one's tickets changed
        const sent = [ticket.id, attack.victim.customers[0].id, attack.victim.id];
        const secrets = [...attack.secrets, ...ticketSecretsOf(attack.victim)].filter((s) => !sent.includes(s));
        expectNothingOf({ ...attack, secrets }, [...answers, opened, assigned, policy, read]);
        await expectTicketsUnchanged(attack.victim);
        await expectTicketsUnchanged(attack.attacker);
      },
    ),
  ),
  analyst: property("lets an ANALYST read every dealer's tickets and change none", () =>
    check(fc.record({ attack: attacks() }), async ({ attack }) => {
      const analyst = graph.as(ANALYST);
      const ticket = ticketOf.get(attack.victim.id)!;
      // when an analyst reads the victim's ticket and changes it
      const read = await analyst.query<{ ticket: { id: string } | null }>(`query($id: ID) { ticket(id: $id) { id } }`, { id: ticket.id });
      const writes = [
        `mutation($id: ID!, $v: Int!) { changeTicketStatus(input: { id: $id, version: $v, status: CANCELLED }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { assignTicket(input: { id: $id, version: $v, serviceCenterId: "${attack.attacker.id}" }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { changeTicketPriority(input: { id: $id, version: $v, priority: P1, reason: "Why" }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { addTicketNote(input: { id: $id, version: $v, note: "Hi" }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { dispatchTicket(input: { id: $id, version: $v }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { recordTicketParts(input: { id: $id, version: $v, parts: [{ partId: "prd_x", quantity: 1 }] }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { issueLoaner(input: { id: $id, version: $v, serialNumber: "SN-X" }) { ${TICKET_PAYLOAD} } }`,
        `mutation($id: ID!, $v: Int!) { returnLoaner(input: { id: $id, version: $v }) { ${TICKET_PAYLOAD} } }`,
      ];
      // then it reads it, and every change is forbidden
      expect(read.ticket).toEqual({ id: ticket.id });
      for (const mutation of writes) expect(errorCodes(await analyst.request(mutation, { id: ticket.id, v: ticket.version })), mutation).toEqual(["FORBIDDEN"]);
      const opened = await analyst.request(`mutation($input: OpenTicketInput!) { openTicket(input: $input) { ${TICKET_PAYLOAD} } }`, {
        input: { customerId: attack.victim.customers[0].id, kind: "QUESTION", channel: "EMAIL", subject: "Hello" },
      });
      expect(errorCodes(opened)).toEqual(["FORBIDDEN"]);
      const targets = ["P1", "P2", "P3", "P4"].map((priority) => ({ priority, responseMinutes: 1, resolutionMinutes: 1 }));
      const policy = await analyst.request(`mutation($input: SetSlaPolicyInput!) { setSlaPolicy(input: $input) { errors { code } } }`, {
        input: { dealerId: attack.victim.id, version: 0, targets, pausesOnWaitingParts: true },
      });
      expect(errorCodes(policy)).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await analyst.request(`mutation { recordSlaBreaches { recorded } }`))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await attack.as.request(`mutation { recordSlaBreaches { recorded } }`))).toEqual(["FORBIDDEN"]);
      await expectTicketsUnchanged(attack.victim);
    }),
  ),
};

// --- webhooks -------------------------------------------------------------------

/** Each seeded dealer's webhook endpoint (registered by itself) and a delivery to it (seeded by `seedWebhooks`). */
const webhookOf = new Map<string, { endpoint: { id: string; url: string; version: number }; delivery: { id: string } }>();
/** Each dealer's endpoint as an ADMIN read it after seeding. */
const webhooksSeeded = new Map<string, unknown>();

const WEBHOOK_ENDPOINT = `query($id: ID!) { webhookEndpoint(id: $id) { id url eventTypes description active secretHint version dealer { id }
  deliveries(first: 100) { edges { cursor node { id eventId eventType status body attempts { number } replayOf { id } } } } } }`;
const WEBHOOK_DELIVERY = `query($id: ID!) { webhookDelivery(id: $id) { id eventId eventType body status endpoint { id url } } }`;

const webhookRecordsOf = (dealerId: string) => graph.query(WEBHOOK_ENDPOINT, { id: webhookOf.get(dealerId)!.endpoint.id });

async function expectWebhooksUnchanged(dealer: SeededDealer) {
  expect(await webhookRecordsOf(dealer.id), `webhooks of ${dealer.id}`).toEqual(webhooksSeeded.get(dealer.id));
}

const webhookSecretsOf = (dealer: SeededDealer): string[] => {
  const { endpoint, delivery } = webhookOf.get(dealer.id)!;
  return [endpoint.id, endpoint.url, delivery.id];
};

/**
 * For each dealer, an endpoint it registered for changes of itself, and a
 * delivery to it: the dealer's change of its own phone number (nothing ever
 * sends it: the test graph sends webhooks only when asked).
 */
async function seedWebhooks() {
  for (const dealer of world.dealers) {
    const as = graph.as(dealerCaller(dealer));
    const { endpoint } = await succeed<{ endpoint: { id: string; url: string; version: number } }>(
      as,
      "registerWebhookEndpoint",
      "endpoint { id url version }",
      { url: `http://127.0.0.1:9/erp-${tag()}`, eventTypes: ["dealer.updated"] },
    );
    const { dealer: current } = await graph.query<{ dealer: { version: number } }>(`query($id: ID!) { dealer(id: $id) { version } }`, { id: dealer.id });
    await succeed(as, "updateDealer", "dealer { id }", { id: dealer.id, version: current.version, phone: `+49 30 ${tag().replace(/\D/g, "7")}` });
    await recordChangesOf(dealer);
    await graph.settle();
    const { webhookEndpoint } = await graph.query<{ webhookEndpoint: { deliveries: { edges: { node: { id: string } }[] } } }>(
      `query($id: ID!) { webhookEndpoint(id: $id) { deliveries { edges { node { id } } } } }`,
      { id: endpoint.id },
    );
    webhookOf.set(dealer.id, { endpoint, delivery: webhookEndpoint.deliveries.edges[0]!.node });
  }
  for (const dealer of world.dealers) webhooksSeeded.set(dealer.id, await webhookRecordsOf(dealer.id));
}

const webhooks = {
  reads: property("answers another dealer's webhook endpoint and delivery exactly like ones that do not exist, and lists none of its endpoints", () =>
    check(
      fc.record({ attack: attacks(), unknownEndpoint: madeUpId("whe"), unknownDelivery: madeUpId("whd") }),
      async ({ attack, unknownEndpoint, unknownDelivery }) => {
        // given the victim's endpoint and a delivery to it
        const { endpoint, delivery } = webhookOf.get(attack.victim.id)!;
        // when the attacker asks for them, and for the victim's endpoints in the directory
        const byId = await expectAnsweredLikeUnknown(attack.as, WEBHOOK_ENDPOINT, "id", endpoint.id, unknownEndpoint);
        const deliveryById = await expectAnsweredLikeUnknown(attack.as, WEBHOOK_DELIVERY, "id", delivery.id, unknownDelivery);
        const listed = await attack.as.query<{ dealer: { webhookEndpoints: unknown[] } }>(
          `query($id: ID!) { dealer(id: $id) { webhookEndpoints { id url secretHint } } }`,
          { id: attack.victim.id },
        );
        // then nothing is there
        expect(byId).toEqual({ data: { webhookEndpoint: null } });
        expect(deliveryById).toEqual({ data: { webhookDelivery: null } });
        expect(listed.dealer.webhookEndpoints).toEqual([]);
        expectNothingOf({ ...attack, secrets: [...attack.secrets, ...webhookSecretsOf(attack.victim)] }, listed);
      },
    ),
  ),
  writes: property("registers no endpoint for another dealer, and changes, rotates, removes or replays none of its, exactly as if they did not exist", () =>
    check(
      fc.record({ attack: attacks(), unknownEndpoint: madeUpId("whe"), unknownDelivery: madeUpId("whd") }),
      async ({ attack, unknownEndpoint, unknownDelivery }) => {
        const { endpoint, delivery } = webhookOf.get(attack.victim.id)!;
        // when the attacker registers an endpoint for the victim's events
        const registered = await attack.as.request(
          `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { endpoint { id } secret ${ERRORS} } }`,
          { input: { dealerId: attack.victim.id, url: `http://127.0.0.1:9/stolen-${tag()}`, eventTypes: ["*"] } },
        );
        expect(registered).toEqual({
          data: {
            registerWebhookEndpoint: { endpoint: null, secret: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })] },
          },
        });
        // when it changes, rotates and removes the victim's endpoint, and replays its delivery
        const changes = [
          ["updateWebhookEndpoint", "endpoint { id url }", { version: endpoint.version, url: `http://127.0.0.1:9/stolen-${tag()}`, active: true }],
          ["rotateWebhookSecret", "endpoint { id } secret", {}],
          ["removeWebhookEndpoint", "endpoint { id url }", {}],
        ] as const;
        const answers = [];
        for (const [mutation, selection, extra] of changes) {
          const answer = await expectRefusedLikeUnknown(
            attack.as,
            `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} ${ERRORS} } }`,
            (id) => ({ id, ...extra }),
            endpoint.id,
            unknownEndpoint,
          );
          expect(answer, mutation).toMatchObject({ data: { [mutation]: { endpoint: null, errors: [{ code: "WEBHOOK_ENDPOINT_NOT_FOUND", field: ["id"] }] } } });
          answers.push(answer);
        }
        const replayed = await expectRefusedLikeUnknown(
          attack.as,
          `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { delivery { id body } ${ERRORS} } }`,
          (id) => ({ id }),
          delivery.id,
          unknownDelivery,
        );
        expect(replayed).toEqual(refused("replayWebhookDelivery", "delivery", "WEBHOOK_DELIVERY_NOT_FOUND", ["id"]));
        // then nothing of the victim's but the ids it sent reaches it, and no one's endpoints changed
        const sent = [endpoint.id, delivery.id, attack.victim.id];
        const secrets = [...attack.secrets, ...webhookSecretsOf(attack.victim)].filter((s) => !sent.includes(s));
        expectNothingOf({ ...attack, secrets }, [registered, ...answers, replayed]);
        await expectWebhooksUnchanged(attack.victim);
        await expectWebhooksUnchanged(attack.attacker);
      },
    ),
  ),
};

// --- every root field is covered ---------------------------------------------

/** Why a root field has no cross-tenant property. */
interface NotTenantData {
  notTenantData: string;
}
type Coverage = readonly Property[] | NotTenantData;

// --- feedback ------------------------------------------------------------------

/** The complaint case a recorded complaint opened, as staff read it. */
async function caseOfComplaint(feedbackId: string): Promise<string> {
  const data = await graph.query<{ complaintCases: { edges: { node: { id: string; feedback: { id: string } | null } }[] } }>(
    `{ complaintCases(first: 100) { edges { node { id feedback { id } } } } }`,
  );
  const found = data.complaintCases.edges.find((e) => e.node.feedback?.id === feedbackId);
  if (!found) throw new Error(`no complaint case for the feedback ${feedbackId}`);
  return found.node.id;
}

/** Each seeded dealer's complaint about its ticket, and its first customer's survey, answered (seeded by `seedFeedback`). */
const feedbackOf = new Map<string, { feedbackId: string; comment: string; surveyId: string; kind: string; token: string }>();

/**
 * For each dealer: a complaint it recorded about its own ticket, and the
 * survey opened for its first customer (a post-sale survey about a unit
 * delivered long ago, or an NPS survey, which come due at once here),
 * answered by them.
 */
async function seedFeedback() {
  await graph.settle();
  await succeed(graph, "setSurveyTimings", "timings { npsFirstAfterDays }", { npsFirstAfterDays: 0 });
  await graph.query(`mutation { openDueSurveys { opened errors { code } } }`);
  for (const dealer of world.dealers) {
    const comment = `Pump still loud ${tag()}`;
    const { feedback } = await succeed<{ feedback: { id: string } }>(graph.as(dealerCaller(dealer)), "recordFeedback", "feedback { id }", {
      kind: "COMPLAINT",
      ticketId: ticketOf.get(dealer.id)!.id,
      comment,
    });
    const surveys = await graph.query<{ surveys: { edges: { node: { id: string; kind: string; link: string } }[] } }>(
      `query($customerId: ID!) { surveys(filter: { customerId: $customerId, statuses: [OPEN] }) { edges { node { id kind link } } } }`,
      { customerId: dealer.customers[0].id },
    );
    const survey = surveys.surveys.edges[0]!.node;
    const token = survey.link.split("/").at(-1)!;
    // 5 is within every kind's scale.
    await succeed(graph, "answerSurvey", "survey { id }", { token, score: 5, comment: `Good ${tag()}` });
    feedbackOf.set(dealer.id, { feedbackId: feedback.id, comment, surveyId: survey.id, kind: survey.kind, token });
  }
  await succeed(graph, "setSurveyTimings", "timings { npsFirstAfterDays }", { npsFirstAfterDays: 30 });
}

const feedbackSecretsOf = (dealer: SeededDealer): string[] => {
  const seededFeedback = feedbackOf.get(dealer.id)!;
  return [seededFeedback.feedbackId, seededFeedback.comment, seededFeedback.surveyId, seededFeedback.token];
};

const FEEDBACK_READ = `id kind comment dealer { id } customer { id } ticket { id }`;
const SURVEY_READ = `id kind status dealer { id } customer { id } link answer { score comment }`;

const feedbackProperties = {
  reads: property("answers another dealer's survey and feedback, by id, in lists and under its customer, exactly like ones that do not exist", () =>
    check(fc.record({ attack: attacks(), unknownSurvey: madeUpId("svy") }), async ({ attack, unknownSurvey }) => {
      // given the victim's survey and complaint
      const victim = feedbackOf.get(attack.victim.id)!;
      // when the attacker asks for the survey by id, lists surveys and feedback (also by the victim's customer), and reads that customer
      const byId = await expectAnsweredLikeUnknown(attack.as, `query($id: ID!) { survey(id: $id) { ${SURVEY_READ} } }`, "id", victim.surveyId, unknownSurvey);
      const lists = await attack.as.query<{
        surveys: { edges: { node: { id: string } }[] };
        feedback: { edges: { node: { id: string } }[] };
        byCustomer: { edges: unknown[] };
      }>(
        `query($customerId: ID!) { surveys(first: 100) { edges { cursor node { ${SURVEY_READ} } } }
          byCustomer: surveys(first: 100, filter: { customerId: $customerId }) { edges { cursor node { id } } }
          feedback(first: 100) { edges { cursor node { ${FEEDBACK_READ} } } } }`,
        { customerId: attack.victim.customers[0].id },
      );
      const entities = await graph.subgraph("feedback", dealerCaller(attack.attacker)).request(
        `${ENTITIES} ... on Survey { id kind } ... on Feedback { id comment } ... on Customer { id feedback(first: 100) { edges { cursor } } surveys(first: 100) { edges { cursor } } }
          ... on Ticket { id survey { id } } } }`,
        {
          representations: [
            { __typename: "Survey", id: victim.surveyId },
            { __typename: "Feedback", id: victim.feedbackId },
            { __typename: "Customer", id: attack.victim.customers[0].id },
            { __typename: "Ticket", id: ticketOf.get(attack.victim.id)!.id },
          ],
        },
      );
      // then none of it is there
      expect(byId).toEqual({ data: { survey: null } });
      const own = feedbackOf.get(attack.attacker.id)!;
      expect(lists.surveys.edges.map((e) => e.node.id)).toContain(own.surveyId);
      expect(lists.feedback.edges.map((e) => e.node.id)).toEqual([own.feedbackId]);
      expect(lists.byCustomer.edges).toEqual([]);
      expect(entities).toEqual({
        data: {
          _entities: [
            null,
            null,
            { id: attack.victim.customers[0].id, feedback: { edges: [] }, surveys: { edges: [] } },
            { id: ticketOf.get(attack.victim.id)!.id, survey: null },
          ],
        },
      });
      const secrets = [...attack.secrets, ...feedbackSecretsOf(attack.victim)];
      expectNothingOf({ ...attack, secrets }, lists);
      const sent = [victim.surveyId, victim.feedbackId, attack.victim.customers[0].id, ticketOf.get(attack.victim.id)!.id];
      expectNothingOf({ ...attack, secrets: secrets.filter((s) => !sent.includes(s)) }, entities);
    }),
  ),
  writes: property("answers no survey and records no feedback of another dealer's, exactly as if they did not exist", () =>
    check(
      fc.record({
        attack: attacks(),
        unknownToken: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        unknownTicket: madeUpId("tkt"),
        unknownCustomer: madeUpId("cus"),
      }),
      async ({ attack, unknownToken, unknownTicket, unknownCustomer }) => {
        const victim = feedbackOf.get(attack.victim.id)!;
        const answer = (token: string) =>
          attack.as.query(`mutation($token: String!) { answerSurvey(input: { token: $token, score: 1 }) { survey { id } ${ERRORS} } }`, { token });
        const record = (input: Record<string, unknown>) =>
          attack.as.query(`mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { feedback { id } ${ERRORS} } }`, {
            input: { kind: "COMPLAINT", comment: "Broken", ...input },
          });
        // when the attacker answers the victim's survey, and records feedback about its ticket, unit and customer
        const [victimsAnswer, unknownAnswer] = [await answer(victim.token), await answer(unknownToken)];
        const [onTicket, onUnknownTicket] = [await record({ ticketId: ticketOf.get(attack.victim.id)!.id }), await record({ ticketId: unknownTicket })];
        const [onCustomer, onUnknownCustomer] = [
          await record({ customerId: attack.victim.customers[0].id, productId: world.products.equipment }),
          await record({ customerId: unknownCustomer, productId: world.products.equipment }),
        ];
        const aboutVictim = await record({ dealerId: attack.victim.id });
        // then each is refused like an unknown one, and the dealer it is not is named as such
        expect(victimsAnswer).toEqual(unknownAnswer);
        expect(JSON.stringify(onTicket).replace(ticketOf.get(attack.victim.id)!.id, "ID")).toEqual(
          JSON.stringify(onUnknownTicket).replace(unknownTicket, "ID"),
        );
        expect(JSON.stringify(onCustomer).replace(attack.victim.customers[0].id, "ID")).toEqual(
          JSON.stringify(onUnknownCustomer).replace(unknownCustomer, "ID"),
        );
        expect(aboutVictim).toMatchObject({ recordFeedback: { feedback: null, errors: [{ code: "NOT_YOUR_DEALER" }] } });
        expectNothingOf({ ...attack, secrets: [...attack.secrets, ...feedbackSecretsOf(attack.victim)] }, [victimsAnswer, onTicket, onCustomer]);
      },
    ),
  ),
  insights: property("reads only its own figures, whatever dealer its insights filter names", () =>
    check(attacks(), async (attack) => {
      const seen = await attack.as.query<{
        insights: { filter: { dealerIds: string[] }; satisfaction: { edges: { node: { group: { key: string }; figures: { responses: number } } }[] } };
      }>(
        `query($dealerIds: [ID!], $measure: SatisfactionMeasure!) { insights(filter: { dealerIds: $dealerIds }) { filter { dealerIds }
          satisfaction(measure: $measure, groupBy: DEALER) { edges { node { group { key } figures { responses } } } } } }`,
        // the kind of survey the attacker's own customer answered, so its own figures are there to see
        { dealerIds: [attack.victim.id], measure: feedbackOf.get(attack.attacker.id)!.kind },
      );
      expect(seen.insights.filter.dealerIds).toEqual([attack.attacker.id]);
      expect(seen.insights.satisfaction.edges.map((e) => e.node.group.key)).toEqual([attack.attacker.id]);
    }),
  ),
  cases: property("answers another dealer's complaint case by id, in lists, at risk and to changes exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownCase: madeUpId("cpl") }), async ({ attack, unknownCase }) => {
      // given the case the victim's complaint opened
      const victimCase = await caseOfComplaint(feedbackOf.get(attack.victim.id)!.feedbackId);
      // when the attacker reads it by id, lists cases and those at risk, and tries each change on it
      const byId = await expectAnsweredLikeUnknown(attack.as, `query($id: ID!) { complaintCase(id: $id) { id comment } }`, "id", victimCase, unknownCase);
      const lists = await attack.as.query<{
        complaintCases: { edges: { node: { id: string } }[] };
        complaintCasesAtRisk: { edges: { node: { id: string } }[] };
      }>(
        `{ complaintCases(first: 100) { edges { cursor node { id comment } } } complaintCasesAtRisk(within: 10080, first: 100) { edges { cursor node { id comment } } } }`,
      );
      const changes = [
        `assignComplaintCase(input: { id: $id, version: 1, ownerName: "Mallory" })`,
        `respondToComplaintCase(input: { id: $id, version: 1, response: "Done" })`,
        `resolveComplaintCase(input: { id: $id, version: 1, resolution: "Done" })`,
      ];
      const refused = [];
      for (const change of changes)
        refused.push(
          await expectAnsweredLikeUnknown(attack.as, `mutation($id: ID!) { ${change} { complaintCase { id } ${ERRORS} } }`, "id", victimCase, unknownCase),
        );
      // then none of it is there, and nothing changed
      expect(byId).toEqual({ data: { complaintCase: null } });
      const own = await caseOfComplaint(feedbackOf.get(attack.attacker.id)!.feedbackId);
      expect(lists.complaintCases.edges.map((e) => e.node.id)).toEqual([own]);
      expect(lists.complaintCasesAtRisk.edges.map((e) => e.node.id)).not.toContain(victimCase);
      for (const answer of refused) expect(JSON.stringify(answer)).toContain("COMPLAINT_CASE_NOT_FOUND");
      expect(
        (await graph.query<{ complaintCase: { version: number } }>(`query($id: ID!) { complaintCase(id: $id) { version } }`, { id: victimCase })).complaintCase
          .version,
      ).toBe(1);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...feedbackSecretsOf(attack.victim)] }, [lists, ...refused]);
    }),
  ),
  staff: property("may not run the survey schedule, change its timings, open a survey by token or record complaint breaches", () =>
    check(attacks(), async (attack) => {
      const victim = feedbackOf.get(attack.victim.id)!;
      const responses = [
        await attack.as.request(`mutation { openDueSurveys { opened errors { code } } }`),
        await attack.as.request(`mutation { setSurveyTimings(input: { csatDelayHours: 1 }) { errors { code } } }`),
        await attack.as.request(`query($token: String!) { surveyByToken(token: $token) { id } }`, { token: victim.token }),
        await attack.as.request(`mutation { recordComplaintBreaches { recorded errors { code } } }`),
      ];
      expect(responses.map(errorCodes)).toEqual([["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"]]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...feedbackSecretsOf(attack.victim)] }, responses);
    }),
  ),
  analyst: property("shows an ANALYST surveys and feedback without the customer or the survey's link", async () => {
    const seen = await graph
      .as(ANALYST)
      .query<{ surveys: { edges: { node: { customer: unknown; link: unknown } }[] }; feedback: { edges: { node: { customer: unknown } }[] } }>(
        `{ surveys(first: 100) { edges { node { ${SURVEY_READ} } } } feedback(first: 100) { edges { node { ${FEEDBACK_READ} } } } }`,
      );
    expect(seen.surveys.edges.length).toBeGreaterThanOrEqual(DEALERS);
    expect(seen.surveys.edges.every((e) => e.node.customer === null && e.node.link === null)).toBe(true);
    expect(seen.feedback.edges.map((e) => e.node.customer)).toEqual(world.dealers.map(() => null));
    expect(
      foundIn(
        seen,
        world.dealers.flatMap((dealer) => feedbackOf.get(dealer.id)!.token),
      ),
    ).toEqual([]);
  }),
};

// --- outreach ------------------------------------------------------------------

/** Each seeded dealer's outreach item: the call back its complaint asks for, once its customer is RESPONSIBLE (seeded by `seedOutreach`). */
const outreachOf = new Map<string, { id: string; version: number; customerId: string }>();

/**
 * For each dealer: the customer of its ticket, whose complaint `seedFeedback`
 * recorded, raised to RESPONSIBLE, so the complaint waiting in the outreach
 * subgraph becomes an item on the dealer's worklist.
 */
async function seedOutreach() {
  for (const dealer of world.dealers) {
    const customerId = dealer.customers[0].id;
    const { customer } = await graph.query<{ customer: { version: number } }>(`query($id: ID!) { customer(id: $id) { version } }`, { id: customerId });
    await succeed(graph, "updateCustomer", "customer { id }", { id: customerId, version: customer.version, relationshipLevel: "RESPONSIBLE" });
  }
  await graph.settle();
  for (const dealer of world.dealers) {
    const customerId = dealer.customers[0].id;
    const { outreachWorklist } = await graph.query<{ outreachWorklist: { edges: { node: { id: string; version: number } }[] } }>(
      `query($dealerId: ID!, $customerId: ID!) { outreachWorklist(dealerId: $dealerId, filter: { customerId: $customerId }) { edges { node { id version } } } }`,
      { dealerId: dealer.id, customerId },
    );
    outreachOf.set(dealer.id, { ...outreachWorklist.edges[0]!.node, customerId });
    // The level is part of the records every dealer is compared with at the end.
    await recordChangesOf(dealer);
  }
}

const OUTREACH_ITEM = `id version status reason dealer { id } customer { id } reasons { kind feedback { id } } outcome { outcome }`;
const RECORD_OUTCOME = `mutation($id: ID!) { recordOutreachOutcome(input: { itemId: $id, version: 1, outcome: CONTACTED, channel: PHONE }) { item { id } ${ERRORS} } }`;

const outreachProperties = {
  reads: property("answers another dealer's outreach item by id, in worklists and in _entities, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("otr") }), async ({ attack, unknown }) => {
      const victim = outreachOf.get(attack.victim.id)!;
      const own = outreachOf.get(attack.attacker.id)!;
      // when the attacker asks for the victim's item, lists its worklist (also by the victim's customer) and asks the subgraph's _entities
      const byId = await expectAnsweredLikeUnknown(attack.as, `query($id: ID!) { outreachItem(id: $id) { ${OUTREACH_ITEM} } }`, "id", victim.id, unknown);
      const lists = await attack.as.query<{ all: { edges: { node: { id: string } }[] }; byCustomer: { edges: unknown[] } }>(
        `query($customerId: ID!) { all: outreachWorklist(first: 20, filter: { statuses: [OPEN, CONTACTED, DECLINED, CONVERTED, NOT_APPLICABLE, MOOT] }) { edges { cursor node { ${OUTREACH_ITEM} } } }
          byCustomer: outreachWorklist(filter: { customerId: $customerId }) { edges { cursor node { id } } } }`,
        { customerId: victim.customerId },
      );
      const named = await attack.as.request(`query($dealerId: ID!) { outreachWorklist(dealerId: $dealerId) { edges { node { id } } } }`, {
        dealerId: attack.victim.id,
      });
      const entities = await graph.subgraph("outreach", dealerCaller(attack.attacker)).request(`${ENTITIES} ... on OutreachItem { id status } } }`, {
        representations: [{ __typename: "OutreachItem", id: victim.id }],
      });
      // then none of it is there
      expect(byId).toEqual({ data: { outreachItem: null } });
      expect(lists.all.edges.map((e) => e.node.id)).toEqual([own.id]);
      expect(lists.byCustomer.edges).toEqual([]);
      expect(errorCodes(named)).toEqual(["FORBIDDEN"]);
      expect(entities).toEqual({ data: { _entities: [null] } });
      const secrets = [...attack.secrets, victim.id, ...feedbackSecretsOf(attack.victim)];
      expectNothingOf({ ...attack, secrets }, lists);
      expectNothingOf({ ...attack, secrets }, named);
    }),
  ),
  writes: property("records no outcome on another dealer's outreach item, exactly as if it did not exist", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("otr") }), async ({ attack, unknown }) => {
      const victim = outreachOf.get(attack.victim.id)!;
      const answer = await expectAnsweredLikeUnknown(attack.as, RECORD_OUTCOME, "id", victim.id, unknown);
      expect(answer).toMatchObject({ data: { recordOutreachOutcome: { item: null, errors: [{ code: "ITEM_NOT_FOUND", field: ["itemId"] }] } } });
      // and the victim's item is as it was
      const { outreachItem } = await graph.query<{ outreachItem: { status: string; version: number } }>(
        `query($id: ID!) { outreachItem(id: $id) { status version } }`,
        { id: victim.id },
      );
      expect(outreachItem).toEqual({ status: "OPEN", version: victim.version });
    }),
  ),
  insights: property("shows a DEALER outreach figures of its own items only, whatever dealers it names", () =>
    check(fc.record({ attack: attacks() }), async ({ attack }) => {
      const dealersIn = async (dealerIds: string[] | null) => {
        const { outreachInsights } = await attack.as.query<{ outreachInsights: { conversion: { edges: { node: { group: { key: string } } }[] } } }>(
          `query($dealerIds: [ID!]) { outreachInsights(filter: { dealerIds: $dealerIds }) { conversion(groupBy: DEALER) { edges { node { group { key } } } } } }`,
          { dealerIds },
        );
        return outreachInsights.conversion.edges.map((edge) => edge.node.group.key);
      };
      // when the attacker asks for the victim's figures, and for everyone's
      const named = await dealersIn([attack.victim.id]);
      const all = await dealersIn(null);
      // then it gets its own, or nothing, never the victim's
      expect(named.filter((key) => key !== attack.attacker.id)).toEqual([]);
      expect(all.filter((key) => key !== attack.attacker.id)).toEqual([]);
    }),
  ),
  analyst: property("shows an ANALYST no worklist and lets it record no outcome: worklists name whom to call", async () => {
    const analyst = graph.as(ANALYST);
    const item = outreachOf.get(world.dealers[0]!.id)!;
    const reads = await analyst.request(`query($id: ID!) { outreachItem(id: $id) { id } outreachWorklist { edges { node { id } } } }`, { id: item.id });
    const write = await analyst.request(RECORD_OUTCOME, { id: item.id });
    expect(errorCodes(reads)).toContain("FORBIDDEN");
    expect(reads.data ?? null).toBeNull();
    expect(errorCodes(write)).toEqual(["FORBIDDEN"]);
  }),
};

/** Every root field of the public API, with the properties that keep it tenant-safe or why it needs none. */
const ROOT_FIELDS: Record<string, Coverage> = {
  // partners
  "Query.dealer": [nested.dealer, analyst.personalData, warranty.nested],
  "Query.dealers": [nested.dealer],
  "Query.technician": [reads.technician, analyst.personalData],
  "Query.customer": [reads.customer, nested.customer, analyst.personalData],
  "Query.customers": [lists.customers, analyst.personalData],
  "Query.apiKeys": [writes.adminOnly], // ADMIN only
  "Query.persistedOperation": [reads.persistedOperation, writes.registerOperation],
  "Query.persistedOperations": [lists.persistedOperations],
  "Mutation.createDealer": [writes.adminOnly], // ADMIN only
  "Mutation.updateDealer": [writes.updateDealer],
  "Mutation.createTechnician": [writes.createTechnician],
  "Mutation.updateTechnician": [writes.updateTechnician],
  "Mutation.createCustomer": [writes.createCustomer],
  "Mutation.updateCustomer": [writes.updateCustomer],
  "Mutation.createApiKey": [writes.adminOnly], // ADMIN only
  "Mutation.revokeApiKey": [writes.adminOnly], // ADMIN only
  "Mutation.registerOperation": [writes.registerOperation],
  "Query.webhookEndpoint": [webhooks.reads],
  "Query.webhookDelivery": [webhooks.reads],
  "Mutation.registerWebhookEndpoint": [webhooks.writes],
  "Mutation.updateWebhookEndpoint": [webhooks.writes],
  "Mutation.rotateWebhookSecret": [webhooks.writes],
  "Mutation.removeWebhookEndpoint": [webhooks.writes],
  "Mutation.replayWebhookDelivery": [webhooks.writes],
  // catalog
  "Query.product": { notTenantData: "the product catalog is the same for every caller" },
  "Query.products": { notTenantData: "the product catalog is the same for every caller" },
  "Query.unit": [reads.unit, nested.unitCustomer, warranty.nested],
  "Query.units": [lists.units, analyst.personalData],
  "Mutation.createProduct": { notTenantData: "product master data, ADMIN only (catalog-access.test.ts)" },
  "Mutation.updateProduct": { notTenantData: "product master data, ADMIN only (catalog-access.test.ts)" },
  "Mutation.changeProductLifecycle": { notTenantData: "product master data, ADMIN only (catalog-access.test.ts)" },
  "Mutation.registerUnit": [writes.bookings, writes.duplicateSerialNumber],
  // The customers and selling dealers an import's events name: reference-arguments.test.ts.
  "Mutation.importUnits": [writes.bookings],
  "Mutation.sellUnit": [writes.unitEvents, writes.bookings, writes.salesToForeignCustomers],
  "Mutation.recordUnitEvent": [writes.unitEvents],
  "Mutation.transferUnit": [writes.unitEvents, writes.salesToForeignCustomers],
  // By design a DEALER may record a purchase for another dealer's customer (customers buy where they
  // like); only the dealer id is checked here. See the report on what that purchase reveals and moves.
  "Mutation.recordConsumablePurchase": [writes.bookings],
  "Mutation.setPartStock": [writes.bookings],
  "Mutation.adjustPartStock": [writes.bookings],
  // warranty
  "Query.warrantyPolicies": { notTenantData: "warranty terms are the same for every caller" },
  "Query.contractPlans": { notTenantData: "service contract plans are the same for every caller" },
  "Query.serviceContract": [warranty.serviceContract],
  "Query.serviceContracts": [warranty.serviceContracts, warranty.nested, warranty.entities],
  // Any dealer may quote a serial number it has in hand; nothing of the unit's owner, contracts or claims comes with it.
  "Query.coverageQuote": [warranty.coverageQuote],
  "Query.warrantyClaim": [warranty.warrantyClaim],
  "Query.warrantyClaims": [warranty.warrantyClaims, warranty.entities],
  "Query.warrantyClaimStats": [warranty.claimStats],
  "Mutation.setWarrantyPolicy": { notTenantData: "warranty terms, ADMIN only (warranty.test.ts, warranty-access.test.ts)" },
  "Mutation.createContractPlan": { notTenantData: "contract plans, ADMIN only (warranty-access.test.ts)" },
  "Mutation.updateContractPlan": { notTenantData: "contract plans, ADMIN only (warranty-access.test.ts)" },
  "Mutation.createServiceContract": [warranty.contracts],
  "Mutation.activateServiceContract": [warranty.contracts],
  "Mutation.cancelServiceContract": [warranty.contracts],
  "Mutation.planMaintenance": [warranty.visits], // AGENT or ADMIN only
  "Mutation.scheduleMaintenanceVisit": [warranty.visits],
  "Mutation.completeMaintenanceVisit": [warranty.visits],
  "Mutation.cancelMaintenanceVisit": [warranty.visits],
  "Mutation.fileWarrantyClaim": [warranty.claims],
  "Mutation.reviewWarrantyClaim": [warranty.claims], // AGENT or ADMIN only
  "Mutation.sendBackWarrantyClaim": [warranty.claims], // AGENT or ADMIN only
  "Mutation.answerWarrantyClaim": [warranty.claims],
  "Mutation.markWarrantyClaimPaid": [warranty.claims], // AGENT or ADMIN only
  // tickets
  "Query.ticket": [tickets.ticket, tickets.nested, tickets.analyst],
  "Query.tickets": [tickets.tickets, tickets.nested],
  "Mutation.openTicket": [tickets.writes, tickets.analyst],
  "Mutation.changeTicketStatus": [tickets.writes, tickets.analyst],
  "Mutation.assignTicket": [tickets.writes, tickets.analyst],
  "Mutation.changeTicketPriority": [tickets.writes, tickets.analyst],
  "Mutation.addTicketNote": [tickets.writes, tickets.analyst],
  "Mutation.dispatchTicket": [tickets.writes, tickets.analyst],
  "Mutation.recordTicketParts": [tickets.writes, tickets.analyst],
  "Mutation.issueLoaner": [tickets.writes, tickets.analyst],
  "Mutation.returnLoaner": [tickets.writes, tickets.analyst],
  "Mutation.setSlaPolicy": [tickets.writes, tickets.analyst],
  "Mutation.recordSlaBreaches": [tickets.analyst], // AGENT or ADMIN only
  "Query.ticketsAtRisk": [tickets.tickets],
  "Mutation.importTickets": { notTenantData: "ADMIN only: a migration's history, for any dealer (history-import.test.ts, reference-arguments.test.ts)" },
  // feedback
  "Query.survey": [feedbackProperties.reads, feedbackProperties.analyst],
  "Query.surveys": [feedbackProperties.reads, feedbackProperties.analyst],
  "Query.surveyByToken": [feedbackProperties.staff], // AGENT or ADMIN only
  "Query.feedback": [feedbackProperties.reads, feedbackProperties.analyst],
  "Query.insights": [feedbackProperties.insights],
  "Query.surveyTimings": { notTenantData: "the survey timings are the same for every dealer" },
  "Mutation.answerSurvey": [feedbackProperties.writes],
  "Mutation.recordFeedback": [feedbackProperties.writes],
  "Mutation.importSurveyAnswers": { notTenantData: "ADMIN only: a migration's answers, for any dealer (history-import.test.ts, reference-arguments.test.ts)" },
  "Mutation.openDueSurveys": [feedbackProperties.staff], // AGENT or ADMIN only
  "Mutation.setSurveyTimings": [feedbackProperties.staff], // ADMIN only
  "Query.complaintCase": [feedbackProperties.cases],
  "Query.complaintCases": [feedbackProperties.cases],
  "Query.complaintCasesAtRisk": [feedbackProperties.cases],
  "Mutation.assignComplaintCase": [feedbackProperties.cases],
  "Mutation.respondToComplaintCase": [feedbackProperties.cases],
  "Mutation.resolveComplaintCase": [feedbackProperties.cases],
  "Mutation.recordComplaintBreaches": [feedbackProperties.staff], // AGENT or ADMIN only
  // outreach
  "Query.outreachWorklist": [outreachProperties.reads, outreachProperties.analyst],
  "Query.outreachItem": [outreachProperties.reads, outreachProperties.analyst],
  "Mutation.recordOutreachOutcome": [outreachProperties.writes, outreachProperties.analyst],
  "Query.outreachInsights": [outreachProperties.insights],
  "Mutation.importOutreachItems": { notTenantData: "ADMIN only: a migration's contacts, for any dealer (history-import.test.ts, reference-arguments.test.ts)" },
};

/** The root fields of the API clients see through the gateway, as `Type.field`. */
function rootFieldsOf(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
  );
}

describe("the cross-tenant suite", () => {
  it("has a property, or a stated reason for none, for every root field of the API", () => {
    // given the API schema composed from the committed supergraph, as the gateway serves it
    const apiSchema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();
    // then every root field has an entry, and every entry is a root field
    const fields = rootFieldsOf(apiSchema).sort();
    expect(Object.keys(ROOT_FIELDS).sort()).toEqual(fields);
    for (const [field, coverage] of Object.entries(ROOT_FIELDS)) {
      if ("notTenantData" in coverage) expect(coverage.notTenantData, field).not.toBe("");
      else expect(coverage.length, field).toBeGreaterThan(0);
    }
  });
});

describe("a DEALER reading another dealer's record by id", () => {
  for (const { behaviour, run } of Object.values(reads)) it(behaviour, run);
});

describe("a DEALER listing records", () => {
  for (const { behaviour, run } of Object.values(lists)) it(behaviour, run);
});

describe("a DEALER reading nested lists", () => {
  for (const { behaviour, run } of Object.values(nested)) it(behaviour, run);
});

describe("a DEALER changing another dealer's records", () => {
  for (const { behaviour, run } of Object.values(writes)) it(behaviour, run);
});

describe("a DEALER asking a subgraph's _entities", () => {
  for (const { behaviour, run } of Object.values(entities)) it(behaviour, run);
});

describe("an ANALYST", () => {
  for (const { behaviour, run } of Object.values(analyst)) it(behaviour, run);
});

describe("a DEALER and another dealer's warranty records", () => {
  beforeAll(seedWarranty, 120_000);
  for (const { behaviour, run } of Object.values(warranty)) it(behaviour, run);
  it("leaves every dealer's warranty records as they were seeded", async () => {
    for (const dealer of world.dealers) await expectWarrantyUnchanged(dealer);
  });
});

describe("a DEALER and another dealer's tickets", () => {
  beforeAll(seedTickets, 120_000);
  for (const { behaviour, run } of Object.values(tickets)) it(behaviour, run);
  it("leaves every dealer's tickets as they were seeded", async () => {
    for (const dealer of world.dealers) await expectTicketsUnchanged(dealer);
  });
});

describe("a DEALER and another dealer's surveys and feedback", () => {
  beforeAll(seedFeedback, 120_000);
  for (const { behaviour, run } of Object.values(feedbackProperties)) it(behaviour, run);
});

describe("a DEALER and another dealer's outreach items", () => {
  beforeAll(seedOutreach, 120_000);
  for (const { behaviour, run } of Object.values(outreachProperties)) it(behaviour, run);
});

describe("a DEALER and another dealer's webhooks", () => {
  beforeAll(seedWebhooks, 120_000);
  for (const { behaviour, run } of Object.values(webhooks)) it(behaviour, run);
  it("leaves every dealer's webhook endpoints as they were seeded", async () => {
    for (const dealer of world.dealers) await expectWebhooksUnchanged(dealer);
  });
});

describe("after every property", () => {
  it("leaves every dealer's records as they were seeded", async () => {
    for (const dealer of world.dealers) await expectUnchanged(dealer);
  });
});
