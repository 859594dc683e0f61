import { addDays, todayUtc } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import fc from "fast-check";
import type { GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContractPlan, dealerInput, setWarrantyPolicy, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { CustomerFilter, SatisfactionMeasure, ServiceContractFilter, TicketFilter, UnitFilter, WarrantyClaimFilter } from "./src/generated/graphql.js";
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

const CUSTOMER = graphql(`query CrossTenantCustomer($id: ID!, $asOf: Date!) { customer(id: $id) {
  id kind name companyName email phone address { street city } location { latitude } homeDealer { id } version
  units { edges { node { id } } } consumablePurchases { edges { node { id } } }
  replenishmentDue(within: 3650, asOf: $asOf) { runsOutOn } } }`);
const TECHNICIAN = graphql(`query CrossTenantTechnician($id: ID!) { technician(id: $id) { id name email phone skills active serviceCenter { id } version } }`);
graphql(`fragment CrossTenantUnit on Unit { id serialNumber status version customer { id name } dealer { id } soldBy { id } purchasePrice { amount }
  events { kind occurredOn customer { id } note } product { id } }`);
const UNIT_BY_ID = graphql(`query CrossTenantUnitById($id: ID) { unit(id: $id) { ...CrossTenantUnit } }`);
const UNIT_BY_SERIAL = graphql(`query CrossTenantUnitBySerial($serialNumber: String) { unit(serialNumber: $serialNumber) { ...CrossTenantUnit } }`);
const OPERATION = graphql(`query CrossTenantOperation($hash: String!) { persistedOperation(hash: $hash) { hash name document registeredAt dealer { id } } }`);

/**
 * Asks the same question (`ask`) about the victim's record and a made-up one;
 * the answers must be the same but for the id.
 */
async function expectAnsweredLikeUnknown<T>(ask: (value: string) => Promise<GraphQLResponse<T>>, foreign: string, unknown: string) {
  const foreignAnswer = await ask(foreign);
  const unknownAnswer = await ask(unknown);
  expect(withPlaceholders(foreignAnswer, { "<value>": foreign })).toEqual(withPlaceholders(unknownAnswer, { "<value>": unknown }));
  return foreignAnswer;
}

const reads = {
  customer: property("answers another dealer's customer id exactly like an unknown id", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknown: madeUpId("cus") }), async ({ attack, n, unknown }) => {
      // given a customer of the victim
      const foreign = attack.victim.customers[n]!.id;
      // when the attacker asks for it, and for an id that does not exist
      const answer = await expectAnsweredLikeUnknown((id) => attack.as.request(CUSTOMER, { id, asOf: SEED_AS_OF }), foreign, unknown);
      // then both are null, with no error
      expect(answer).toEqual({ data: { customer: null } });
    }),
  ),
  technician: property("answers another dealer's technician id exactly like an unknown id", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("tec") }), async ({ attack, unknown }) => {
      const answer = await expectAnsweredLikeUnknown((id) => attack.as.request(TECHNICIAN, { id }), attack.victim.technician.id, unknown);
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
        const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(UNIT_BY_ID, { id }), unit.id, unknownId);
        const bySerial = await expectAnsweredLikeUnknown(
          (serialNumber) => attack.as.request(UNIT_BY_SERIAL, { serialNumber }),
          unit.serialNumber,
          unknownSerial,
        );
        expect(byId).toEqual({ data: { unit: null } });
        expect(bySerial).toEqual({ data: { unit: null } });
      },
    ),
  ),
  persistedOperation: property("answers another dealer's registered operation hash exactly like an unknown hash", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpHash }), async ({ attack, unknown }) => {
      const answer = await expectAnsweredLikeUnknown((hash) => attack.as.request(OPERATION, { hash }), attack.victim.operation.hash, unknown);
      expect(answer).toEqual({ data: { persistedOperation: null } });
    }),
  ),
};

// --- lists ------------------------------------------------------------------

const CUSTOMERS = graphql(`query CrossTenantCustomers($filter: CustomerFilter) { customers(first: 100, filter: $filter) {
  edges { cursor node { id name email homeDealer { id } } } pageInfo { endCursor } } }`);

const UNITS = graphql(`query CrossTenantUnits($filter: UnitFilter) { units(first: 100, filter: $filter) {
  edges { cursor node { id serialNumber dealer { id } customer { id name } events { customer { id name } } } } pageInfo { endCursor } } }`);

const OPERATIONS = graphql(`query CrossTenantOperations { persistedOperations(first: 100) { edges { cursor node { hash name document dealer { id } } } } }`);

const lists = {
  customers: property("lists only its own customers, whatever the filter names of another dealer's", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }) }), async ({ attack, n }) => {
      // given a customer of the victim
      const foreign = attack.victim.customers[n]!;
      const own = attack.attacker.customers.map((c) => c.id).sort();
      // when the attacker lists customers: all, by the victim's dealer, by the victim's customer's name and email
      const filters: CustomerFilter[] = [
        {},
        { homeDealerId: attack.victim.id },
        { search: foreign.name },
        { search: foreign.email },
        { kinds: ["BUSINESS"], relationshipLevels: ["BASIC"] },
      ];
      const [all, byDealer, byName, byEmail, byKind] = await Promise.all(filters.map((filter) => attack.as.query(CUSTOMERS, { filter })));
      // then it gets exactly its own customers, and nothing of the victim's
      const ids = (list: { customers: { edges: { node: { id: string } }[] } } | undefined) => list!.customers.edges.map((e) => e.node.id).sort();
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
      const filters: UnitFilter[] = [
        {},
        { dealerId: attack.victim.id },
        { customerId: customer },
        { productId: world.products.equipment, statuses: ["IN_STOCK", "INSTALLED", "SOLD"] },
      ];
      const [all, byDealer, byCustomer, byProduct] = await Promise.all(filters.map((filter) => attack.as.query(UNITS, { filter })));
      // then only its own units come back (its own sale to the victim's customer included)
      const othersIn = (list: { units: { edges: { node: { dealer: { id: string } } }[] } } | undefined) =>
        list!.units.edges.map((e) => e.node.dealer.id).filter((id) => id !== attack.attacker.id);
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
      const list = await attack.as.query(OPERATIONS);
      const hashes = list.persistedOperations.edges.map((e) => e.node.hash);
      expect(hashes).toEqual(expect.arrayContaining([attack.attacker.operation.hash, world.sharedOperationHash]));
      for (const { node } of list.persistedOperations.edges) expect([null, attack.attacker.id]).toContainEqual(node.dealer?.id ?? null);
      expectNothingOf(attack, list);
    }),
  ),
};

// --- nested -----------------------------------------------------------------

graphql(`fragment CrossTenantDealerLists on Dealer {
  technicians { id name email } unitsSold(first: 100) { edges { cursor node { id serialNumber customer { id } } } }
  partsStock(first: 100) { edges { cursor node { onHand part { id } serviceCenter { id } } } }
  replenishmentDue(within: 3650, asOf: $asOf, first: 100) { edges { cursor node { customer { id name } runsOutOn } } } }`);
const VICTIM_DEALER = graphql(`query CrossTenantVictimDealer($id: ID!, $search: String!, $asOf: Date!) {
  dealer(id: $id) { ...CrossTenantDealerLists }
  dealers(first: 100, filter: { search: $search }) { edges { node { id ...CrossTenantDealerLists } } } }`);
const EMPTY_LISTS = { technicians: [], unitsSold: { edges: [] }, partsStock: { edges: [] }, replenishmentDue: { edges: [] } };

const OWN_CUSTOMER_LISTS = graphql(`query CrossTenantOwnCustomerLists($id: ID!, $asOf: Date!) { customer(id: $id) {
  units(first: 100) { edges { cursor node { id dealer { id } events { customer { id } } } } }
  consumablePurchases(first: 100) { edges { cursor node { id dealer { id } forecast { dealer { id } } } } }
  replenishmentDue(within: 3650, asOf: $asOf) { dealer { id } customer { id } } } }`);

const UNIT_CUSTOMER = graphql(`query CrossTenantUnitCustomer($id: ID, $asOf: Date!) { unit(id: $id) { id
  customer { id name companyName email phone location { latitude }
    units(first: 100) { edges { cursor node { id dealer { id } } } }
    consumablePurchases(first: 100) { edges { cursor node { id dealer { id } } } }
    replenishmentDue(within: 3650, asOf: $asOf) { dealer { id } } }
  events { customer { id name email phone } } } }`);

const nested = {
  dealer: property("shows none of another dealer's technicians, units sold, parts stock or refills due under that dealer", () =>
    check(attacks(), async (attack) => {
      // when the attacker reads the victim in the directory, by id and in the list
      const { dealer, dealers } = await attack.as.query(VICTIM_DEALER, { id: attack.victim.id, search: `Tenant ${world.tag}`, asOf: SEED_AS_OF });
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
      const seen = await attack.as.query(OWN_CUSTOMER_LISTS, { id: customer, asOf: SEED_AS_OF });
      // then
      const dealersOf = (nodes: { dealer: { id: string } }[]) => [...new Set(nodes.map((node) => node.dealer.id))];
      const lists = seen.customer!;
      expect(dealersOf(lists.units.edges.map((e) => e.node))).toEqual(n === 0 ? [attack.attacker.id] : []);
      expect(dealersOf(lists.consumablePurchases.edges.map((e) => e.node))).toEqual([attack.attacker.id]);
      expect(dealersOf(lists.replenishmentDue)).toEqual([attack.attacker.id]);
      expectNothingOf(attack, seen);
    }),
  ),
  unitCustomer: property("shows nothing of another dealer's customer it sold a unit to but the id on its sale, nor what others sold that customer", () =>
    check(attacks(), async (attack) => {
      // given the attacker's unit sold to the victim's customer, who also bought from the victim
      const unit = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
      // when the attacker follows the unit to its buyer, and on to the buyer's units, purchases and refills
      const { unit: seen } = await attack.as.query(UNIT_CUSTOMER, { id: unit.id, asOf: SEED_AS_OF });
      // then the unit is its own, the buyer's id is on its sale, and nothing else of the buyer is
      expect(seen).toMatchObject({
        id: unit.id,
        customer: { id: unit.customerId, name: null, companyName: null, email: null, phone: null, location: null },
      });
      // and under the buyer are only the attacker's own sales
      const others = (nodes: { dealer: { id: string } }[]) => nodes.map((node) => node.dealer.id).filter((id) => id !== attack.attacker.id);
      const buyer = seen!.customer!;
      expect(others(buyer.units.edges.map((e) => e.node))).toEqual([]);
      expect(others(buyer.consumablePurchases.edges.map((e) => e.node))).toEqual([]);
      expect(others(buyer.replenishmentDue)).toEqual([]);
      expectNothingOf(attack, seen);
    }),
  ),
};

// --- writes -----------------------------------------------------------------

const UPDATE_CUSTOMER = graphql(`mutation CrossTenantUpdateCustomer($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id name version } errors { code field message } } }`);
const CREATE_CUSTOMER = graphql(`mutation CrossTenantCreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } errors { code field message } } }`);
const UPDATE_TECHNICIAN = graphql(`mutation CrossTenantUpdateTechnician($input: UpdateTechnicianInput!) {
  updateTechnician(input: $input) { technician { id name version } errors { code field message } } }`);
const CREATE_TECHNICIAN = graphql(`mutation CrossTenantCreateTechnician($input: CreateTechnicianInput!) {
  createTechnician(input: $input) { technician { id } errors { code field message } } }`);
const UPDATE_DEALER = graphql(`mutation CrossTenantUpdateDealer($input: UpdateDealerInput!) {
  updateDealer(input: $input) { dealer { id version } errors { code field message } } }`);

/** A payload refused with one error. */
const refused = (field: string, object: string, code: string, errorField: string[]) => ({
  data: { [field]: { [object]: null, errors: [expect.objectContaining({ code, field: errorField })] } },
});

const notYourDealer = (field: string[]) => ({ code: "NOT_YOUR_DEALER", field });

graphql(`fragment CrossTenantUnitPayload on UnitPayload { unit { id status } errors { code field message } }`);

/** Catalog mutations naming the victim's unit by id and by serial number, in one request; a sale's terms come after every seeded event. */
const UNIT_MUTATIONS = graphql(`mutation CrossTenantUnitMutations($unitId: ID, $serialNumber: String, $customerId: ID!) {
  sellById: sellUnit(input: { unitId: $unitId, customerId: $customerId, price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02" }) {
    ...CrossTenantUnitPayload }
  sellBySerial: sellUnit(input: { serialNumber: $serialNumber, customerId: $customerId, price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02" }) {
    ...CrossTenantUnitPayload }
  eventById: recordUnitEvent(input: { unitId: $unitId, kind: DELIVERED, occurredOn: "2025-03-02" }) { ...CrossTenantUnitPayload }
  eventBySerial: recordUnitEvent(input: { serialNumber: $serialNumber, kind: RETIRED, occurredOn: "2025-03-02" }) { ...CrossTenantUnitPayload }
  transferById: transferUnit(input: { unitId: $unitId, newCustomerId: $customerId, occurredOn: "2025-03-02" }) { ...CrossTenantUnitPayload }
  transferBySerial: transferUnit(input: { serialNumber: $serialNumber, newCustomerId: $customerId, occurredOn: "2025-03-02" }) {
    ...CrossTenantUnitPayload } }`);

/** Mutations booking to the victim's dealer id, in one request. */
const BOOKINGS = graphql(`mutation CrossTenantBookings($dealerId: ID!, $unitId: ID!, $customerId: ID!, $serialNumber: String!,
    $importedSerialNumber: String!, $equipment: ID!, $consumable: ID!, $part: ID!) {
  registerUnit(input: { serialNumber: $serialNumber, productId: $equipment, dealerId: $dealerId, registeredOn: "2025-03-02" }) {
    unit { id } errors { code field message } }
  sellUnit(input: { unitId: $unitId, customerId: $customerId, dealerId: $dealerId, price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02" }) {
    unit { id } errors { code field message } }
  recordConsumablePurchase(input: { customerId: $customerId, productId: $consumable, dealerId: $dealerId, quantity: 1, purchasedOn: "2025-03-02" }) {
    purchase { id } errors { code field message } }
  setPartStock(input: { serviceCenterId: $dealerId, partId: $part, onHand: 99 }) { stock { onHand } errors { code field message } }
  adjustPartStock(input: { serviceCenterId: $dealerId, partId: $part, change: -5, reason: SCRAPPED }) { stock { onHand } errors { code field message } }
  importUnits(input: { units: [{ serialNumber: $importedSerialNumber, productId: $equipment, dealerId: $dealerId, registeredOn: "2025-03-02" }] }) {
    units { id } errors { code field message } } }`);

const REGISTER_TWO_UNITS = graphql(`mutation CrossTenantRegisterTwoUnits($a: String!, $b: String!, $product: ID!) {
  a: registerUnit(input: { serialNumber: $a, productId: $product, registeredOn: "2025-01-10" }) { unit { id } }
  b: registerUnit(input: { serialNumber: $b, productId: $product, registeredOn: "2025-01-10" }) { unit { id } } }`);
graphql(`fragment CrossTenantSaleSeen on UnitPayload {
  unit { id serialNumber status customer { id name email phone } events { kind customer { id name } } } errors { code field message } }`);
const SELL_TWO = graphql(`mutation CrossTenantSellTwo($a: ID!, $b: ID!, $buyerA: ID!, $buyerB: ID!) {
  a: sellUnit(input: { unitId: $a, customerId: $buyerA, price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02" }) { ...CrossTenantSaleSeen }
  b: sellUnit(input: { unitId: $b, customerId: $buyerB, price: { amount: "10.00", currency: "EUR" }, soldOn: "2025-03-02" }) { ...CrossTenantSaleSeen } }`);
const TRANSFER_TWO = graphql(`mutation CrossTenantTransferTwo($a: ID!, $b: ID!, $ownerA: ID!, $ownerB: ID!) {
  a: transferUnit(input: { unitId: $a, newCustomerId: $ownerA, occurredOn: "2025-03-03" }) { ...CrossTenantSaleSeen }
  b: transferUnit(input: { unitId: $b, newCustomerId: $ownerB, occurredOn: "2025-03-03" }) { ...CrossTenantSaleSeen } }`);
const REGISTER_UNIT = graphql(`mutation CrossTenantRegisterUnit($input: RegisterUnitInput!) {
  registerUnit(input: $input) { unit { id } errors { code field message } } }`);

const REGISTER_OPERATION = graphql(`mutation CrossTenantRegisterOperation($input: RegisterOperationInput!) { registerOperation(input: $input) {
  operation { hash name document dealer { id } } errors { code field message } } }`);

const API_KEYS = graphql(`query CrossTenantApiKeys($id: ID) { apiKeys(filter: { dealerId: $id }) { edges { node { id name prefix } } } }`);
const CREATE_API_KEY = graphql(`mutation CrossTenantCreateApiKey($id: ID) {
  createApiKey(input: { name: "Mine now", role: DEALER, dealerId: $id }) { key apiKey { id } errors { code field message } } }`);
const REVOKE_API_KEY = graphql(`mutation CrossTenantRevokeApiKey($id: ID!) {
  revokeApiKey(input: { id: $id }) { apiKey { id revokedAt } errors { code field message } } }`);
const CREATE_DEALER = graphql(`mutation CrossTenantCreateDealer($input: CreateDealerInput!) {
  createDealer(input: $input) { dealer { id } errors { code field message } } }`);

const writes = {
  updateCustomer: property("refuses to change another dealer's customer exactly like an unknown one, and cannot hand its own to it", () =>
    check(fc.record({ attack: attacks(), n: fc.nat({ max: 1 }), unknown: madeUpId("cus") }), async ({ attack, n, unknown }) => {
      // given a customer of the victim, and one of the attacker's own
      const foreign = attack.victim.customers[n]!.id;
      const own = attack.attacker.customers[n]!.id;
      // when the attacker renames the victim's, and hands its own to the victim
      const rename = (id: string) => ({ id, version: 1, name: "Taken over", email: "x@evil.example" });
      const renamed = await expectAnsweredLikeUnknown((id) => attack.as.request(UPDATE_CUSTOMER, { input: rename(id) }), foreign, unknown);
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
      const created = await attack.as.request(CREATE_CUSTOMER, {
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
      const deactivated = await expectAnsweredLikeUnknown(
        (id) => attack.as.request(UPDATE_TECHNICIAN, { input: deactivate(id) }),
        attack.victim.technician.id,
        unknown,
      );
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
      const created = await attack.as.request(CREATE_TECHNICIAN, {
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
      const changed = await attack.as.request(UPDATE_DEALER, {
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
        const mutate = (unitId: string, serialNumber: string) => attack.as.request(UNIT_MUTATIONS, { unitId, serialNumber, customerId });
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
          for (const mutation of ["sell", "event", "transfer"] as const) {
            expect(foreign.data?.[`${mutation}${alias}` as const], `${mutation}${alias}`).toEqual({
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
          const registered = await attack.as.query(REGISTER_TWO_UNITS, { a: serials[0], b: serials[1], product: world.products.equipment });
          const a = registered.a.unit!;
          const b = registered.b.unit!;
          const buyer = attack.victim.customers[n]!.id;
          const owner = attack.victim.customers[1 - n]!.id;
          // when it sells one to the victim's customer and one to a made-up id
          const sold = await attack.as.request(SELL_TWO, { a: a.id, b: b.id, buyerA: buyer, buyerB: unknownBuyer });
          // and, once both are sold to its own customer, transfers them to another of each
          const ownCustomer = attack.attacker.customers[0].id;
          await attack.as.query(SELL_TWO, { a: a.id, b: b.id, buyerA: ownCustomer, buyerB: ownCustomer });
          const transferred = await attack.as.request(TRANSFER_TWO, { a: a.id, b: b.id, ownerA: owner, ownerB: unknownOwner });
          attack.attacker.units.push(
            { id: a.id, serialNumber: serials[0], customerId: ownCustomer },
            { id: b.id, serialNumber: serials[1], customerId: ownCustomer },
          );
          await recordChangesOf(attack.attacker);
          // then each is refused as naming no customer, the two answers the same but for the ids
          for (const [response, field, foreign] of [
            [sold, "customerId", buyer],
            [transferred, "newCustomerId", owner],
          ] as const) {
            const { data, errors } = response;
            expect(errors).toBeUndefined();
            const toVictims = withPlaceholders(data?.a, { "<unit>": a.id, "<serial>": serials[0], "<customer>": foreign });
            const toNobody = withPlaceholders(data?.b, {
              "<unit>": b.id,
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
      const response = await attack.as.request(REGISTER_UNIT, {
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
        const original = await asVictim.query(REGISTER_OPERATION, { input: { name: `Victim's ${tag()}`, document } });
        await recordChangesOf(attack.victim);
        // when the attacker registers the same document
        const name = `Attacker's ${tag()}`;
        const copy = await attack.as.query(REGISTER_OPERATION, { input: { name, document } });
        await recordChangesOf(attack.attacker);
        // then it gets a registration of its own, under the same hash; each sees its own
        const hash = original.registerOperation.operation!.hash;
        expect(copy.registerOperation).toEqual({ operation: { hash, name, document, dealer: { id: attack.attacker.id } }, errors: [] });
        const seenBy = async (client: Client) => (await client.query(OPERATION, { hash })).persistedOperation;
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
        ["apiKeys", (id: string) => attack.as.request(API_KEYS, { id }), attack.victim.id],
        ["createApiKey", (id: string) => attack.as.request(CREATE_API_KEY, { id }), attack.victim.id],
        ["revokeApiKey", (id: string) => attack.as.request(REVOKE_API_KEY, { id }), attack.victim.apiKey.id],
      ] as const;
      for (const [operation, ask, foreign] of asks) {
        const answer = await ask(foreign);
        const unknownAnswer = await ask(unknown);
        // then each is FORBIDDEN, with nothing of the victim's, as for an id that does not exist
        expect(errorCodes(answer), operation).toEqual(["FORBIDDEN"]);
        expect(answer.data ?? null).toBeNull();
        expect(withPlaceholders(answer, { "<id>": foreign })).toEqual(withPlaceholders(unknownAnswer, { "<id>": unknown }));
        expectNothingOf(attack, answer);
      }
      const dealer = await attack.as.request(CREATE_DEALER, { input: dealerInput() });
      expect(errorCodes(dealer)).toEqual(["FORBIDDEN"]);
      await expectUnchanged(attack.victim);
    }),
  ),
};

// --- _entities --------------------------------------------------------------

// `_entities` is a subgraph's own field, outside the API schema typed documents are checked against:
// the documents sent to subgraphs directly stay plain strings.
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
graphql(`fragment CrossTenantPersonal on Customer { name companyName email phone address { street } location { latitude } }`);
const ANALYST_READS = graphql(`query CrossTenantAnalystReads($customer: ID!, $technician: ID!, $dealer: ID!, $asOf: Date!) {
  customer(id: $customer) { id ...CrossTenantPersonal }
  customers(first: 100, filter: { homeDealerId: $dealer }) { edges { cursor node { id ...CrossTenantPersonal } } pageInfo { endCursor } }
  technician(id: $technician) { id name email phone }
  dealer(id: $dealer) {
    technicians { id name email phone }
    unitsSold(first: 100) { edges { node { customer { id ...CrossTenantPersonal } events { customer { name email phone } } } } }
    replenishmentDue(within: 3650, asOf: $asOf, first: 100) { edges { node { customer { name email phone } } } } }
  units(first: 100, filter: { customerId: $customer }) { edges { cursor node { customer { id ...CrossTenantPersonal } } } } }`);

const NO_PERSONAL_DATA = { name: null, companyName: null, email: null, phone: null, address: { street: null }, location: null };

const analyst = {
  personalData: property("never gives an ANALYST a name, email, phone or street, at the top level, in lists, nested or through _entities", () =>
    check(fc.record({ dealer: fc.nat({ max: DEALERS - 1 }), n: fc.nat({ max: 1 }) }), async ({ dealer: d, n }) => {
      // given any customer and technician of any dealer
      const dealer = world.dealers[d]!;
      const customer = dealer.customers[n]!;
      const everyonesPersonalData = world.dealers.flatMap(personalValuesOf);
      // when an ANALYST reads them every way there is
      const read = await graph.as(ANALYST).query(ANALYST_READS, {
        customer: customer.id,
        technician: dealer.technician.id,
        dealer: dealer.id,
        asOf: SEED_AS_OF,
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
      expect(read.dealer?.technicians).toEqual([{ id: dealer.technician.id, name: null, email: null, phone: null }]);
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

const WARRANTY_RECORDS = graphql(`query CrossTenantWarrantyRecords($dealer: ID!) {
  serviceContracts(first: 10, filter: { dealerId: $dealer }) { edges { node {
    id number status version startsOn endsOn cancelledFrom cancellationReason price { amount } refund { amount }
    customer { id } units { unit { id } casesUsed laborHoursUsed }
    maintenanceVisits { id sequence dueOn status version scheduledFor completedOn note } } } }
  warrantyClaims(first: 10, filter: { dealerId: $dealer }) { edges { node {
    id number status version claimedTotal { amount } approvedTotal { amount } paidAt paymentReference
    lines { lineNumber status approved { amount } decidedBy } history { action statusAfter comment actor } } } } }`);

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
const SEED_CONTRACT = graphql(`mutation CrossTenantSeedContract($input: CreateServiceContractInput!) {
  createServiceContract(input: $input) { contract { id number version } errors { code field message } } }`);
const SEED_ACTIVATION = graphql(`mutation CrossTenantSeedActivation($input: ActivateServiceContractInput!) {
  activateServiceContract(input: $input) { contract { id number version endsOn maintenanceVisits { id version } } errors { code field message } } }`);
const SEED_CLAIM = graphql(`mutation CrossTenantSeedClaim($input: FileWarrantyClaimInput!) {
  fileWarrantyClaim(input: $input) { claim { id number version } errors { code field message } } }`);

async function seedWarranty() {
  await graph.settle();
  // 36 months from the sale, everything covered on site, transferable
  await setWarrantyPolicy(graph, world.products.equipment, { months: 36 });
  // 5 % a year, 8 and 48 hours, a visit a month
  const plan = await createContractPlan(graph, { name: `Tenant care ${world.tag}`, priceSharePercent: 5, visitsPerYear: 12 });
  for (const dealer of world.dealers) {
    const sold = dealer.units[0]!;
    const terms = { dealerId: dealer.id, planId: plan.id, customerId: dealer.customers[0].id, unitIds: [sold.id] };
    const made = (await succeed(graph, SEED_CONTRACT, { input: { ...terms, startsOn: daysFromToday(-40) } })).contract!;
    const { contract: active } = await succeed(graph, SEED_ACTIVATION, { input: { id: made.id, version: made.version } });
    const contract = active!;
    const { contract: draft } = await succeed(graph, SEED_CONTRACT, { input: { ...terms, startsOn: addDays(contract.endsOn, 1) } });
    const { claim } = await succeed(graph, SEED_CLAIM, {
      input: {
        dealerId: dealer.id,
        unitId: sold.id,
        failureOn: daysFromToday(-10),
        repairOn: daysFromToday(-9),
        failureCode: "E04-PUMP",
        lines: [{ kind: "PART", partId: world.products.part, quantity: 1, claimed: { amount: "120.00", currency: "EUR" } }],
      },
    });
    const visit = contract.maintenanceVisits[0];
    if (!visit) throw new Error(`activating ${contract.id} created no maintenance visit`);
    warrantyOf.set(dealer.id, { contract, draft: draft!, visit, claim: claim! });
  }
  for (const dealer of world.dealers) warrantySeeded.set(dealer.id, await warrantyRecordsOf(dealer.id));
}

const madeUpNumber = (prefix: "SC" | "WC") => fc.stringMatching(/^[0-9]{6}$/).map((digits) => `${prefix}-2019-${digits}`);

graphql(`fragment CrossTenantContractRead on ServiceContract { id number status startsOn endsOn price { amount } customer { id name } dealer { id }
  units { unit { id serialNumber } price { amount } } maintenanceVisits { id dueOn status } }`);
const CONTRACT_BY_ID = graphql(`query CrossTenantContractById($id: ID) { serviceContract(id: $id) { ...CrossTenantContractRead } }`);
const CONTRACT_BY_NUMBER = graphql(`query CrossTenantContractByNumber($number: String) { serviceContract(number: $number) { ...CrossTenantContractRead } }`);
graphql(`fragment CrossTenantClaimRead on WarrantyClaim { id number status failureOn failureCode unit { id serialNumber } dealer { id }
  lines { lineNumber status claimed { amount } } history { action comment actor } }`);
const CLAIM_BY_ID = graphql(`query CrossTenantClaimById($id: ID) { warrantyClaim(id: $id) { ...CrossTenantClaimRead } }`);
const CLAIM_BY_NUMBER = graphql(`query CrossTenantClaimByNumber($number: String) { warrantyClaim(number: $number) { ...CrossTenantClaimRead } }`);
const COVERAGE_QUOTE =
  graphql(`query CrossTenantCoverageQuote($serial: String!) { coverageQuote(serialNumber: $serial, failureCode: "E04-PUMP", laborHours: 1) {
  serialNumber coverage { kind reason contract { id number customer { id } } } lines { kind price { amount } } total { amount } } }`);

const CONTRACTS = graphql(`query CrossTenantContracts($filter: ServiceContractFilter) { serviceContracts(first: 100, filter: $filter) {
  edges { cursor node { id number dealer { id } customer { id } } } pageInfo { endCursor } } }`);
const CLAIMS = graphql(`query CrossTenantClaims($filter: WarrantyClaimFilter) { warrantyClaims(first: 100, filter: $filter) {
  edges { cursor node { id number dealer { id } unit { id } } } pageInfo { endCursor } } }`);
const CLAIM_STATS = graphql(`query CrossTenantClaimStats($product: ID!, $from: Date!, $to: Date!) {
  warrantyClaimStats(from: $from, to: $to, productId: $product) {
    product { id } failureCode claims unitsSold claimRate claimed { amount } approved { amount } } }`);
const WARRANTY_NESTED = graphql(`query CrossTenantWarrantyNested($dealer: ID!, $unit: ID) {
  dealer(id: $dealer) {
    maintenanceDue(within: 366, first: 100) { edges { cursor node { id unit { id } } } }
    warrantyExpiring(within: 366, first: 100) { edges { cursor node { unit { id } customer { id } } } } }
  unit(id: $unit) { customer { serviceContracts { id number dealer { id } } } } }`);

graphql(`fragment CrossTenantContractPayload on ServiceContractPayload { contract { id status } errors { code field message } }`);
const ACTIVATE_CONTRACT = graphql(`mutation CrossTenantActivateContract($input: ActivateServiceContractInput!) {
  activateServiceContract(input: $input) { ...CrossTenantContractPayload } }`);
const CANCEL_CONTRACT = graphql(`mutation CrossTenantCancelContract($input: CancelServiceContractInput!) {
  cancelServiceContract(input: $input) { ...CrossTenantContractPayload } }`);
const CREATE_CONTRACT = graphql(`mutation CrossTenantCreateContract($input: CreateServiceContractInput!) {
  createServiceContract(input: $input) { ...CrossTenantContractPayload } }`);
const CONTRACT_PLANS = graphql(`query CrossTenantContractPlans { contractPlans { id } }`);

graphql(`fragment CrossTenantVisitPayload on MaintenanceVisitPayload { visit { id status } errors { code field message } }`);
const SCHEDULE_VISIT = graphql(`mutation CrossTenantScheduleVisit($input: ScheduleMaintenanceVisitInput!) {
  scheduleMaintenanceVisit(input: $input) { ...CrossTenantVisitPayload } }`);
const COMPLETE_VISIT = graphql(`mutation CrossTenantCompleteVisit($input: CompleteMaintenanceVisitInput!) {
  completeMaintenanceVisit(input: $input) { ...CrossTenantVisitPayload } }`);
const CANCEL_VISIT = graphql(`mutation CrossTenantCancelVisit($input: CancelMaintenanceVisitInput!) {
  cancelMaintenanceVisit(input: $input) { ...CrossTenantVisitPayload } }`);
const PLAN_MAINTENANCE = graphql(`mutation CrossTenantPlanMaintenance {
  planMaintenance(input: { leadDays: 30 }) { visitsCreated errors { code field message } } }`);

graphql(`fragment CrossTenantClaimPayload on WarrantyClaimPayload { claim { id status } errors { code field message } }`);
const FILE_CLAIM = graphql(
  `mutation CrossTenantFileClaim($input: FileWarrantyClaimInput!) { fileWarrantyClaim(input: $input) { ...CrossTenantClaimPayload } }`,
);
const ANSWER_CLAIM = graphql(`mutation CrossTenantAnswerClaim($input: AnswerWarrantyClaimInput!) {
  answerWarrantyClaim(input: $input) { ...CrossTenantClaimPayload } }`);
const REVIEW_CLAIM = graphql(`mutation CrossTenantReviewClaim($id: ID!, $v: Int!) {
  reviewWarrantyClaim(input: { id: $id, version: $v, lines: [{ lineNumber: 1, decision: APPROVE }] }) { ...CrossTenantClaimPayload } }`);
const SEND_BACK_CLAIM = graphql(`mutation CrossTenantSendBackClaim($id: ID!, $v: Int!) {
  sendBackWarrantyClaim(input: { id: $id, version: $v, comment: "Why?" }) { ...CrossTenantClaimPayload } }`);
const MARK_CLAIM_PAID = graphql(`mutation CrossTenantMarkClaimPaid($id: ID!, $v: Int!) {
  markWarrantyClaimPaid(input: { id: $id, version: $v, reference: "STOLEN" }) { ...CrossTenantClaimPayload } }`);

const warranty = {
  serviceContract: property("answers another dealer's service contract, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("sct"), unknownNumber: madeUpNumber("SC") }), async ({ attack, unknownId, unknownNumber }) => {
      // given the victim's active contract and its draft
      const { contract, draft } = warrantyOf.get(attack.victim.id)!;
      // when the attacker asks for them by id and by number
      const byId = (id: string) => attack.as.request(CONTRACT_BY_ID, { id });
      const answers = [
        await expectAnsweredLikeUnknown(byId, contract.id, unknownId),
        await expectAnsweredLikeUnknown(byId, draft.id, unknownId),
        await expectAnsweredLikeUnknown((number) => attack.as.request(CONTRACT_BY_NUMBER, { number }), contract.number, unknownNumber),
      ];
      // then each is null, with no error
      for (const answer of answers) expect(answer).toEqual({ data: { serviceContract: null } });
    }),
  ),
  warrantyClaim: property("answers another dealer's warranty claim, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("wcl"), unknownNumber: madeUpNumber("WC") }), async ({ attack, unknownId, unknownNumber }) => {
      const { claim } = warrantyOf.get(attack.victim.id)!;
      const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(CLAIM_BY_ID, { id }), claim.id, unknownId);
      const byNumber = await expectAnsweredLikeUnknown((number) => attack.as.request(CLAIM_BY_NUMBER, { number }), claim.number, unknownNumber);
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
      const answer = await attack.as.request(COVERAGE_QUOTE, { serial: unit.serialNumber });
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
      const filters: ServiceContractFilter[] = [{}, { dealerId: attack.victim.id }, { customerId: attack.victim.customers[0].id }, { unitId: victimUnit }];
      const [all, byDealer, byCustomer, byUnit] = await Promise.all(filters.map((filter) => attack.as.query(CONTRACTS, { filter })));
      // then it gets exactly its own
      const own = warrantyOf.get(attack.attacker.id)!;
      expect(all!.serviceContracts.edges.map((e) => e.node.id).sort()).toEqual([own.contract.id, own.draft.id].sort());
      expect([byDealer, byCustomer, byUnit].map((list) => list!.serviceContracts.edges)).toEqual([[], [], []]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...warrantySecretsOf(attack.victim)] }, [all, byDealer, byCustomer, byUnit]);
    }),
  ),
  warrantyClaims: property("lists only its own warranty claims, whatever the filter names of another dealer's", () =>
    check(attacks(), async (attack) => {
      const filters: WarrantyClaimFilter[] = [
        {},
        { dealerId: attack.victim.id },
        { unitId: attack.victim.units[0]!.id },
        { productId: world.products.equipment, failureCode: "E04-PUMP" },
      ];
      const [all, byDealer, byUnit, byProduct] = await Promise.all(filters.map((filter) => attack.as.query(CLAIMS, { filter })));
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
      const { warrantyClaimStats } = await attack.as.query(CLAIM_STATS, { product: world.products.equipment, from: daysFromToday(-30), to: todayUtc() });
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
      const seen = await attack.as.query(WARRANTY_NESTED, { dealer: attack.victim.id, unit: unit.id });
      // then
      expect(seen.dealer).toEqual({ maintenanceDue: { edges: [] }, warrantyExpiring: { edges: [] } });
      expect(seen.unit!.customer!.serviceContracts.filter((c) => c.dealer.id !== attack.attacker.id)).toEqual([]);
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
        // when the attacker activates the draft and cancels the contract; makes one as the victim; makes one for the victim's unit
        const activated = await expectAnsweredLikeUnknown(
          (id) => attack.as.request(ACTIVATE_CONTRACT, { input: { id, version: draft.version } }),
          draft.id,
          unknownContract,
        );
        const cancelled = await expectAnsweredLikeUnknown(
          (id) => attack.as.request(CANCEL_CONTRACT, { input: { id, version: contract.version, reason: "Taken over" } }),
          contract.id,
          unknownContract,
        );
        const plan = (await graph.query(CONTRACT_PLANS)).contractPlans[0]!.id;
        const asVictim = await attack.as.request(CREATE_CONTRACT, {
          input: {
            dealerId: attack.victim.id,
            planId: plan,
            customerId: attack.attacker.customers[0].id,
            unitIds: [attack.attacker.units[0]!.id],
            startsOn: todayUtc(),
          },
        });
        const forVictimsUnit = await expectAnsweredLikeUnknown(
          (unitId) =>
            attack.as.request(CREATE_CONTRACT, {
              input: { planId: plan, customerId: attack.attacker.customers[0].id, unitIds: [unitId], startsOn: todayUtc() },
            }),
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
      const version = visit.version;
      const mutations = [
        [
          "scheduleMaintenanceVisit",
          (id: string) => attack.as.request(SCHEDULE_VISIT, { input: { id, version, scheduledFor: `${daysFromToday(3)}T09:00:00Z` } }),
        ],
        ["completeMaintenanceVisit", (id: string) => attack.as.request(COMPLETE_VISIT, { input: { id, version } })],
        ["cancelMaintenanceVisit", (id: string) => attack.as.request(CANCEL_VISIT, { input: { id, version, note: "Not needed" } })],
      ] as const;
      for (const [mutation, send] of mutations) {
        const answer = await expectAnsweredLikeUnknown<unknown>(send, visit.id, unknown);
        expect(answer, mutation).toEqual(refused(mutation, "visit", "VISIT_NOT_FOUND", ["id"]));
      }
      const planning = await attack.as.request(PLAN_MAINTENANCE);
      expect(errorCodes(planning)).toEqual(["FORBIDDEN"]);
      await expectWarrantyUnchanged(attack.victim);
    }),
  ),
  claims: property("files no claim as another dealer, cannot answer its claims, and may not decide or pay any", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("wcl") }), async ({ attack, unknown }) => {
      const { claim } = warrantyOf.get(attack.victim.id)!;
      // when the attacker files as the victim, answers the victim's claim, and reviews, sends back and pays it
      const filed = await attack.as.request(FILE_CLAIM, {
        input: {
          dealerId: attack.victim.id,
          unitId: attack.attacker.units[0]!.id,
          failureOn: daysFromToday(-5),
          repairOn: daysFromToday(-4),
          failureCode: "E04-PUMP",
          lines: [{ kind: "PART", partId: world.products.part, quantity: 1, claimed: { amount: "120.00", currency: "EUR" } }],
        },
      });
      const answered = await expectAnsweredLikeUnknown(
        (id) => attack.as.request(ANSWER_CLAIM, { input: { id, version: claim.version, comment: "Answered for you" } }),
        claim.id,
        unknown,
      );
      const staffOnly = [
        ["reviewWarrantyClaim", (id: string) => attack.as.request(REVIEW_CLAIM, { id, v: claim.version })],
        ["sendBackWarrantyClaim", (id: string) => attack.as.request(SEND_BACK_CLAIM, { id, v: claim.version })],
        ["markWarrantyClaimPaid", (id: string) => attack.as.request(MARK_CLAIM_PAID, { id, v: claim.version })],
      ] as const;
      // then
      expect(filed).toEqual(refused("fileWarrantyClaim", "claim", "NOT_YOUR_DEALER", ["dealerId"]));
      expect(answered).toEqual(refused("answerWarrantyClaim", "claim", "CLAIM_NOT_FOUND", ["id"]));
      for (const [mutation, send] of staffOnly) {
        const foreign = await send(claim.id);
        const unknownAnswer = await send(unknown);
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

const TICKET_RECORDS = graphql(`query CrossTenantTicketRecords($dealer: ID!) { tickets(first: 10, filter: { dealerId: $dealer }) { edges { node {
  id number status priority version subject failureCode resolution customer { id } unit { id } serviceCenter { id }
  timeline { kind note actor } } } } }`);

const ticketRecordsOf = (dealerId: string) => graph.query(TICKET_RECORDS, { dealer: dealerId });

async function expectTicketsUnchanged(dealer: SeededDealer) {
  expect(await ticketRecordsOf(dealer.id), `tickets of ${dealer.id}`).toEqual(ticketsSeeded.get(dealer.id));
}

const ticketSecretsOf = (dealer: SeededDealer): string[] => {
  const ticket = ticketOf.get(dealer.id)!;
  return [ticket.id, ticket.number];
};

graphql(`fragment CrossTenantTicketPayload on TicketPayload { ticket { id number status version } errors { code field message } }`);
const OPEN_TICKET = graphql(`mutation CrossTenantOpenTicket($input: OpenTicketInput!) { openTicket(input: $input) { ...CrossTenantTicketPayload } }`);
const ASSIGN_TICKET = graphql(`mutation CrossTenantAssignTicket($input: AssignTicketInput!) { assignTicket(input: $input) { ...CrossTenantTicketPayload } }`);

/** For each dealer, a ticket it opened itself for its own first customer about the unit it sold them, assigned to itself. */
async function seedTickets() {
  // The tickets subgraph learns customers, units and dealers from the partners' and catalog's events.
  await graph.settle();
  for (const dealer of world.dealers) {
    const as = graph.as(dealerCaller(dealer));
    const { ticket: opened } = await succeed(as, OPEN_TICKET, {
      input: {
        customerId: dealer.customers[0].id,
        unitId: dealer.units[0]!.id,
        kind: "REPAIR",
        channel: "PHONE",
        subject: `Pump noisy ${tag()}`,
        failureCode: "E04-PUMP",
      },
    });
    const { ticket } = await succeed(as, ASSIGN_TICKET, {
      input: {
        id: opened!.id,
        version: opened!.version,
        serviceCenterId: dealer.id,
        // Dispatch may have chosen another service center for the repair.
        reason: "The dealer works its own tickets",
      },
    });
    ticketOf.set(dealer.id, { id: ticket!.id, number: ticket!.number, version: ticket!.version });
  }
  for (const dealer of world.dealers) ticketsSeeded.set(dealer.id, await ticketRecordsOf(dealer.id));
}

const madeUpTicketNumber = fc.stringMatching(/^[0-9]{6}$/).map((digits) => `T-2019-${digits}`);

graphql(
  `fragment CrossTenantTicketRead on Ticket { id number status subject customer { id } unit { id serialNumber } dealer { id } timeline { kind note actor } }`,
);
const TICKET_BY_ID = graphql(`query CrossTenantTicketById($id: ID) { ticket(id: $id) { ...CrossTenantTicketRead } }`);
const TICKET_BY_NUMBER = graphql(`query CrossTenantTicketByNumber($number: String) { ticket(number: $number) { ...CrossTenantTicketRead } }`);
const TICKET_LIST = graphql(`query CrossTenantTickets($filter: TicketFilter) {
  tickets(first: 100, filter: $filter) { edges { cursor node { id number dealer { id } } } pageInfo { endCursor } } }`);
const TICKETS_AT_RISK = graphql(
  `query CrossTenantTicketsAtRisk { ticketsAtRisk(within: 10080, first: 100) { edges { cursor node { id number dealer { id } } } } }`,
);
const TICKETS_NESTED = graphql(`query CrossTenantTicketsNested($unit: ID) {
  unit(id: $unit) { tickets(first: 100) { edges { cursor node { id } } } customer { tickets(first: 100) { edges { cursor node { id } } } } } }`);
const TICKET_ID = graphql(`query CrossTenantTicketId($id: ID) { ticket(id: $id) { id } }`);

const CHANGE_TICKET_STATUS = graphql(`mutation CrossTenantChangeTicketStatus($input: ChangeTicketStatusInput!) {
  changeTicketStatus(input: $input) { ...CrossTenantTicketPayload } }`);
const CHANGE_TICKET_PRIORITY = graphql(`mutation CrossTenantChangeTicketPriority($input: ChangeTicketPriorityInput!) {
  changeTicketPriority(input: $input) { ...CrossTenantTicketPayload } }`);
const ADD_TICKET_NOTE = graphql(
  `mutation CrossTenantAddTicketNote($input: AddTicketNoteInput!) { addTicketNote(input: $input) { ...CrossTenantTicketPayload } }`,
);
const DISPATCH_TICKET = graphql(
  `mutation CrossTenantDispatchTicket($input: DispatchTicketInput!) { dispatchTicket(input: $input) { ...CrossTenantTicketPayload } }`,
);
const RECORD_TICKET_PARTS = graphql(`mutation CrossTenantRecordTicketParts($input: RecordTicketPartsInput!) {
  recordTicketParts(input: $input) { ...CrossTenantTicketPayload } }`);
const ISSUE_LOANER = graphql(`mutation CrossTenantIssueLoaner($input: IssueLoanerInput!) { issueLoaner(input: $input) { ...CrossTenantTicketPayload } }`);
const RETURN_LOANER = graphql(`mutation CrossTenantReturnLoaner($input: ReturnLoanerInput!) { returnLoaner(input: $input) { ...CrossTenantTicketPayload } }`);
const SET_SLA_POLICY = graphql(`mutation CrossTenantSetSlaPolicy($input: SetSlaPolicyInput!) {
  setSlaPolicy(input: $input) { slaPolicy { version } errors { code field message } } }`);
const SLA_POLICY = graphql(`query CrossTenantSlaPolicy($id: ID!) { dealer(id: $id) { slaPolicy { version targets { priority } } } }`);
const RECORD_SLA_BREACHES = graphql(`mutation CrossTenantRecordSlaBreaches { recordSlaBreaches { recorded } }`);

/** Every change of a ticket, as `client` sends it about the ticket `id` at `version` (moving it to `serviceCenterId`). */
const ticketChanges = (client: Client, version: number, serviceCenterId: string) =>
  [
    ["changeTicketStatus", (id: string) => client.request(CHANGE_TICKET_STATUS, { input: { id, version, status: "CANCELLED" } })],
    ["assignTicket", (id: string) => client.request(ASSIGN_TICKET, { input: { id, version, serviceCenterId } })],
    ["changeTicketPriority", (id: string) => client.request(CHANGE_TICKET_PRIORITY, { input: { id, version, priority: "P1", reason: "Taken over" } })],
    ["addTicketNote", (id: string) => client.request(ADD_TICKET_NOTE, { input: { id, version, note: "Taken over" } })],
    ["dispatchTicket", (id: string) => client.request(DISPATCH_TICKET, { input: { id, version } })],
    ["recordTicketParts", (id: string) => client.request(RECORD_TICKET_PARTS, { input: { id, version, parts: [{ partId: "prd_unknown", quantity: 1 }] } })],
    ["issueLoaner", (id: string) => client.request(ISSUE_LOANER, { input: { id, version, serialNumber: "SN-NONE" } })],
    ["returnLoaner", (id: string) => client.request(RETURN_LOANER, { input: { id, version } })],
  ] as const;

const EVERY_PRIORITY = ["P1", "P2", "P3", "P4"] as const;

const tickets = {
  ticket: property("answers another dealer's ticket, by id and by number, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknownId: madeUpId("tkt"), unknownNumber: madeUpTicketNumber }), async ({ attack, unknownId, unknownNumber }) => {
      // given the victim's ticket
      const ticket = ticketOf.get(attack.victim.id)!;
      // when the attacker asks for it by id and by number
      const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(TICKET_BY_ID, { id }), ticket.id, unknownId);
      const byNumber = await expectAnsweredLikeUnknown((number) => attack.as.request(TICKET_BY_NUMBER, { number }), ticket.number, unknownNumber);
      // then each is null, with no error
      expect(byId).toEqual({ data: { ticket: null } });
      expect(byNumber).toEqual({ data: { ticket: null } });
    }),
  ),
  tickets: property("lists only its own tickets, whatever the filter names of another dealer's", () =>
    check(attacks(), async (attack) => {
      // when the attacker lists tickets: all, and by the victim's dealer, customer, unit and service center
      const filters: TicketFilter[] = [
        {},
        { dealerId: attack.victim.id },
        { customerId: attack.victim.customers[0].id },
        { unitId: attack.victim.units[0]!.id },
        { serviceCenterId: attack.victim.id },
      ];
      const [all, byDealer, byCustomer, byUnit, byServiceCenter] = await Promise.all(filters.map((filter) => attack.as.query(TICKET_LIST, { filter })));
      // and the tickets at risk of missing their SLA within a week
      const atRisk = await attack.as.query(TICKETS_AT_RISK);
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
      const seen = await attack.as.query(TICKETS_NESTED, { unit: unit.id });
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
        // when the attacker changes the victim's ticket in every way
        const answers = [];
        for (const [mutation, send] of ticketChanges(attack.as, ticket.version, attack.attacker.id)) {
          const answer = await expectAnsweredLikeUnknown<unknown>(send, ticket.id, unknownTicket);
          // then each is refused like a ticket that does not exist
          expect(answer, mutation).toEqual(refused(mutation, "ticket", "TICKET_NOT_FOUND", ["id"]));
          answers.push(answer);
        }
        // when it opens a ticket for the victim's customer, about its own unit sold to them
        const shared = attack.attacker.units.find((u) => u.customerId === attack.victim.customers[0].id)!;
        const opened = await expectAnsweredLikeUnknown(
          (customerId) =>
            attack.as.request(OPEN_TICKET, { input: { customerId, unitId: shared.id, kind: "REPAIR", channel: "PORTAL", subject: "Pump noisy" } }),
          attack.victim.customers[0].id,
          unknownCustomer,
        );
        expect(opened).toEqual(refused("openTicket", "ticket", "CUSTOMER_NOT_FOUND", ["customerId"]));
        // when it gives its own ticket to the victim's service center
        const own = ticketOf.get(attack.attacker.id)!;
        const assigned = await attack.as.request(ASSIGN_TICKET, {
          input: { id: own.id, version: own.version, serviceCenterId: attack.victim.id },
        });
        expect(assigned).toEqual(refused("assignTicket", "ticket", "NOT_YOUR_DEALER", ["serviceCenterId"]));
        // when it sets the victim's SLA policy, or reads it
        const targets = EVERY_PRIORITY.map((priority) => ({ priority, responseMinutes: 1, resolutionMinutes: 1 }));
        const policy = await attack.as.request(SET_SLA_POLICY, {
          input: { dealerId: attack.victim.id, version: 0, targets, pausesOnWaitingParts: true },
        });
        expect(policy).toEqual(refused("setSlaPolicy", "slaPolicy", "NOT_YOUR_DEALER", ["dealerId"]));
        const read = await attack.as.query(SLA_POLICY, { id: attack.victim.id });
        expect(read.dealer?.slaPolicy).toBeNull();
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
      const read = await analyst.query(TICKET_ID, { id: ticket.id });
      // then it reads it, and every change is forbidden
      expect(read.ticket).toEqual({ id: ticket.id });
      for (const [mutation, send] of ticketChanges(analyst, ticket.version, attack.attacker.id)) {
        expect(errorCodes(await send(ticket.id)), mutation).toEqual(["FORBIDDEN"]);
      }
      const opened = await analyst.request(OPEN_TICKET, {
        input: { customerId: attack.victim.customers[0].id, kind: "QUESTION", channel: "EMAIL", subject: "Hello" },
      });
      expect(errorCodes(opened)).toEqual(["FORBIDDEN"]);
      const targets = EVERY_PRIORITY.map((priority) => ({ priority, responseMinutes: 1, resolutionMinutes: 1 }));
      const policy = await analyst.request(SET_SLA_POLICY, {
        input: { dealerId: attack.victim.id, version: 0, targets, pausesOnWaitingParts: true },
      });
      expect(errorCodes(policy)).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await analyst.request(RECORD_SLA_BREACHES))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await attack.as.request(RECORD_SLA_BREACHES))).toEqual(["FORBIDDEN"]);
      await expectTicketsUnchanged(attack.victim);
    }),
  ),
};

// --- webhooks -------------------------------------------------------------------

/** Each seeded dealer's webhook endpoint (registered by itself) and a delivery to it (seeded by `seedWebhooks`). */
const webhookOf = new Map<string, { endpoint: { id: string; url: string; version: number }; delivery: { id: string } }>();
/** Each dealer's endpoint as an ADMIN read it after seeding. */
const webhooksSeeded = new Map<string, unknown>();

const WEBHOOK_ENDPOINT = graphql(`query CrossTenantWebhookEndpoint($id: ID!) {
  webhookEndpoint(id: $id) { id url eventTypes description active secretHint version dealer { id }
    deliveries(first: 100) { edges { cursor node { id eventId eventType status body attempts { number } replayOf { id } } } } } }`);
const WEBHOOK_DELIVERY = graphql(`query CrossTenantWebhookDelivery($id: ID!) {
  webhookDelivery(id: $id) { id eventId eventType body status endpoint { id url } } }`);
const REGISTER_WEBHOOK_ENDPOINT = graphql(`mutation CrossTenantRegisterWebhookEndpoint($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { endpoint { id url version } secret errors { code field message } } }`);
const DEALER_VERSION = graphql(`query CrossTenantDealerVersion($id: ID!) { dealer(id: $id) { version } }`);
const DELIVERIES = graphql(`query CrossTenantDeliveries($id: ID!) { webhookEndpoint(id: $id) { deliveries { edges { node { id } } } } }`);
const DEALER_ENDPOINTS = graphql(`query CrossTenantDealerEndpoints($id: ID!) { dealer(id: $id) { webhookEndpoints { id url secretHint } } }`);
const UPDATE_WEBHOOK_ENDPOINT = graphql(`mutation CrossTenantUpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id url } errors { code field message } } }`);
const ROTATE_WEBHOOK_SECRET = graphql(`mutation CrossTenantRotateWebhookSecret($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) { endpoint { id } secret errors { code field message } } }`);
const REMOVE_WEBHOOK_ENDPOINT = graphql(`mutation CrossTenantRemoveWebhookEndpoint($input: RemoveWebhookEndpointInput!) {
  removeWebhookEndpoint(input: $input) { endpoint { id url } errors { code field message } } }`);
const REPLAY_WEBHOOK_DELIVERY = graphql(`mutation CrossTenantReplayWebhookDelivery($input: ReplayWebhookDeliveryInput!) {
  replayWebhookDelivery(input: $input) { delivery { id body } errors { code field message } } }`);

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
    const registered = await succeed(as, REGISTER_WEBHOOK_ENDPOINT, { input: { url: `http://127.0.0.1:9/erp-${tag()}`, eventTypes: ["dealer.updated"] } });
    const endpoint = registered.endpoint!;
    const { dealer: current } = await graph.query(DEALER_VERSION, { id: dealer.id });
    await succeed(as, UPDATE_DEALER, { input: { id: dealer.id, version: current!.version, phone: `+49 30 ${tag().replace(/\D/g, "7")}` } });
    await recordChangesOf(dealer);
    await graph.settle();
    const { webhookEndpoint } = await graph.query(DELIVERIES, { id: endpoint.id });
    webhookOf.set(dealer.id, { endpoint, delivery: webhookEndpoint!.deliveries.edges[0]!.node });
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
        const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(WEBHOOK_ENDPOINT, { id }), endpoint.id, unknownEndpoint);
        const deliveryById = await expectAnsweredLikeUnknown((id) => attack.as.request(WEBHOOK_DELIVERY, { id }), delivery.id, unknownDelivery);
        const listed = await attack.as.query(DEALER_ENDPOINTS, { id: attack.victim.id });
        // then nothing is there
        expect(byId).toEqual({ data: { webhookEndpoint: null } });
        expect(deliveryById).toEqual({ data: { webhookDelivery: null } });
        expect(listed.dealer?.webhookEndpoints).toEqual([]);
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
        const registered = await attack.as.request(REGISTER_WEBHOOK_ENDPOINT, {
          input: { dealerId: attack.victim.id, url: `http://127.0.0.1:9/stolen-${tag()}`, eventTypes: ["*"] },
        });
        expect(registered).toEqual({
          data: {
            registerWebhookEndpoint: { endpoint: null, secret: null, errors: [expect.objectContaining({ code: "NOT_YOUR_DEALER", field: ["dealerId"] })] },
          },
        });
        // when it changes, rotates and removes the victim's endpoint, and replays its delivery
        const url = `http://127.0.0.1:9/stolen-${tag()}`;
        const changes = [
          [
            "updateWebhookEndpoint",
            (id: string) => attack.as.request(UPDATE_WEBHOOK_ENDPOINT, { input: { id, version: endpoint.version, url, active: true } }),
          ],
          ["rotateWebhookSecret", (id: string) => attack.as.request(ROTATE_WEBHOOK_SECRET, { input: { id } })],
          ["removeWebhookEndpoint", (id: string) => attack.as.request(REMOVE_WEBHOOK_ENDPOINT, { input: { id } })],
        ] as const;
        const answers = [];
        for (const [mutation, send] of changes) {
          const answer = await expectAnsweredLikeUnknown<unknown>(send, endpoint.id, unknownEndpoint);
          expect(answer, mutation).toMatchObject({ data: { [mutation]: { endpoint: null, errors: [{ code: "WEBHOOK_ENDPOINT_NOT_FOUND", field: ["id"] }] } } });
          answers.push(answer);
        }
        const replayed = await expectAnsweredLikeUnknown((id) => attack.as.request(REPLAY_WEBHOOK_DELIVERY, { input: { id } }), delivery.id, unknownDelivery);
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

const COMPLAINT_CASES = graphql(`query CrossTenantComplaintCases { complaintCases(first: 100) { edges { node { id feedback { id } } } } }`);

/** The complaint case a recorded complaint opened, as staff read it. */
async function caseOfComplaint(feedbackId: string): Promise<string> {
  const data = await graph.query(COMPLAINT_CASES);
  const found = data.complaintCases.edges.find((e) => e.node.feedback?.id === feedbackId);
  if (!found) throw new Error(`no complaint case for the feedback ${feedbackId}`);
  return found.node.id;
}

/** Each seeded dealer's complaint about its ticket, and its first customer's survey, answered (seeded by `seedFeedback`). */
const feedbackOf = new Map<string, { feedbackId: string; comment: string; surveyId: string; kind: SatisfactionMeasure; token: string }>();

/**
 * For each dealer: a complaint it recorded about its own ticket, and the
 * survey opened for its first customer (a post-sale survey about a unit
 * delivered long ago, or an NPS survey, which come due at once here),
 * answered by them.
 */
const SET_SURVEY_TIMINGS = graphql(`mutation CrossTenantSetSurveyTimings($input: SetSurveyTimingsInput!) {
  setSurveyTimings(input: $input) { timings { npsFirstAfterDays } errors { code field message } } }`);
const OPEN_DUE_SURVEYS = graphql(`mutation CrossTenantOpenDueSurveys { openDueSurveys { opened errors { code } } }`);
const RECORD_FEEDBACK = graphql(`mutation CrossTenantRecordFeedback($input: RecordFeedbackInput!) {
  recordFeedback(input: $input) { feedback { id } errors { code field message } } }`);
const OPEN_SURVEYS = graphql(`query CrossTenantOpenSurveys($customerId: ID!) {
  surveys(filter: { customerId: $customerId, statuses: [OPEN] }) { edges { node { id kind link } } } }`);
const ANSWER_SURVEY = graphql(`mutation CrossTenantAnswerSurvey($input: AnswerSurveyInput!) {
  answerSurvey(input: $input) { survey { id } errors { code field message } } }`);

async function seedFeedback() {
  await graph.settle();
  await succeed(graph, SET_SURVEY_TIMINGS, { input: { npsFirstAfterDays: 0 } });
  await graph.query(OPEN_DUE_SURVEYS);
  for (const dealer of world.dealers) {
    const comment = `Pump still loud ${tag()}`;
    const { feedback } = await succeed(graph.as(dealerCaller(dealer)), RECORD_FEEDBACK, {
      input: { kind: "COMPLAINT", ticketId: ticketOf.get(dealer.id)!.id, comment },
    });
    const surveys = await graph.query(OPEN_SURVEYS, { customerId: dealer.customers[0].id });
    const survey = surveys.surveys.edges[0]!.node;
    const { kind } = survey;
    if (kind !== "POST_SALE" && kind !== "NPS") throw new Error(`${dealer.id}'s customer was sent a ${kind} survey, not a post-sale or NPS one.`);
    const token = survey.link!.split("/").at(-1)!;
    // 5 is within every kind's scale.
    await succeed(graph, ANSWER_SURVEY, { input: { token, score: 5, comment: `Good ${tag()}` } });
    feedbackOf.set(dealer.id, { feedbackId: feedback!.id, comment, surveyId: survey.id, kind, token });
  }
  await succeed(graph, SET_SURVEY_TIMINGS, { input: { npsFirstAfterDays: 30 } });
}

const feedbackSecretsOf = (dealer: SeededDealer): string[] => {
  const seededFeedback = feedbackOf.get(dealer.id)!;
  return [seededFeedback.feedbackId, seededFeedback.comment, seededFeedback.surveyId, seededFeedback.token];
};

graphql(`fragment CrossTenantFeedbackRead on Feedback { id kind comment dealer { id } customer { id } ticket { id } }`);
graphql(`fragment CrossTenantSurveyRead on Survey { id kind status dealer { id } customer { id } link answer { score comment } }`);
const SURVEY = graphql(`query CrossTenantSurvey($id: ID!) { survey(id: $id) { ...CrossTenantSurveyRead } }`);
const SURVEYS_AND_FEEDBACK = graphql(`query CrossTenantSurveysAndFeedback($customerId: ID!) {
  surveys(first: 100) { edges { cursor node { ...CrossTenantSurveyRead } } }
  byCustomer: surveys(first: 100, filter: { customerId: $customerId }) { edges { cursor node { id } } }
  feedback(first: 100) { edges { cursor node { ...CrossTenantFeedbackRead } } } }`);
const ANSWER_ONE = graphql(`mutation CrossTenantAnswerOne($token: String!) {
  answerSurvey(input: { token: $token, score: 1 }) { survey { id } errors { code field message } } }`);
const INSIGHTS = graphql(`query CrossTenantInsights($dealerIds: [ID!], $measure: SatisfactionMeasure!) {
  insights(filter: { dealerIds: $dealerIds }) { filter { dealerIds }
    satisfaction(measure: $measure, groupBy: DEALER) { edges { node { group { key } figures { responses } } } } } }`);
const COMPLAINT_CASE = graphql(`query CrossTenantComplaintCase($id: ID!) { complaintCase(id: $id) { id comment } }`);
const CASE_LISTS = graphql(`query CrossTenantCaseLists {
  complaintCases(first: 100) { edges { cursor node { id comment } } }
  complaintCasesAtRisk(within: 10080, first: 100) { edges { cursor node { id comment } } } }`);
graphql(`fragment CrossTenantCasePayload on ComplaintCasePayload { complaintCase { id } errors { code field message } }`);
const ASSIGN_CASE = graphql(`mutation CrossTenantAssignCase($id: ID!) {
  assignComplaintCase(input: { id: $id, version: 1, ownerName: "Mallory" }) { ...CrossTenantCasePayload } }`);
const RESPOND_TO_CASE = graphql(`mutation CrossTenantRespondToCase($id: ID!) {
  respondToComplaintCase(input: { id: $id, version: 1, response: "Done" }) { ...CrossTenantCasePayload } }`);
const RESOLVE_CASE = graphql(`mutation CrossTenantResolveCase($id: ID!) {
  resolveComplaintCase(input: { id: $id, version: 1, resolution: "Done" }) { ...CrossTenantCasePayload } }`);
const CASE_VERSION = graphql(`query CrossTenantCaseVersion($id: ID!) { complaintCase(id: $id) { version } }`);
const SURVEY_BY_TOKEN = graphql(`query CrossTenantSurveyByToken($token: String!) { surveyByToken(token: $token) { id } }`);
const RECORD_COMPLAINT_BREACHES = graphql(`mutation CrossTenantRecordComplaintBreaches { recordComplaintBreaches { recorded errors { code } } }`);
const ANALYST_FEEDBACK = graphql(`query CrossTenantAnalystFeedback {
  surveys(first: 100) { edges { node { ...CrossTenantSurveyRead } } } feedback(first: 100) { edges { node { ...CrossTenantFeedbackRead } } } }`);

const feedbackProperties = {
  reads: property("answers another dealer's survey and feedback, by id, in lists and under its customer, exactly like ones that do not exist", () =>
    check(fc.record({ attack: attacks(), unknownSurvey: madeUpId("svy") }), async ({ attack, unknownSurvey }) => {
      // given the victim's survey and complaint
      const victim = feedbackOf.get(attack.victim.id)!;
      // when the attacker asks for the survey by id, lists surveys and feedback (also by the victim's customer), and reads that customer
      const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(SURVEY, { id }), victim.surveyId, unknownSurvey);
      const lists = await attack.as.query(SURVEYS_AND_FEEDBACK, { customerId: attack.victim.customers[0].id });
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
        const answer = (token: string) => attack.as.query(ANSWER_ONE, { token });
        const record = (about: { ticketId?: string; customerId?: string; productId?: string; dealerId?: string }) =>
          attack.as.query(RECORD_FEEDBACK, { input: { kind: "COMPLAINT", comment: "Broken", ...about } });
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
      const seen = await attack.as.query(
        INSIGHTS,
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
      const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(COMPLAINT_CASE, { id }), victimCase, unknownCase);
      const lists = await attack.as.query(CASE_LISTS);
      const changes = [
        (id: string) => attack.as.request(ASSIGN_CASE, { id }),
        (id: string) => attack.as.request(RESPOND_TO_CASE, { id }),
        (id: string) => attack.as.request(RESOLVE_CASE, { id }),
      ];
      const refused = [];
      for (const change of changes) refused.push(await expectAnsweredLikeUnknown<unknown>(change, victimCase, unknownCase));
      // then none of it is there, and nothing changed
      expect(byId).toEqual({ data: { complaintCase: null } });
      const own = await caseOfComplaint(feedbackOf.get(attack.attacker.id)!.feedbackId);
      expect(lists.complaintCases.edges.map((e) => e.node.id)).toEqual([own]);
      expect(lists.complaintCasesAtRisk.edges.map((e) => e.node.id)).not.toContain(victimCase);
      for (const answer of refused) expect(JSON.stringify(answer)).toContain("COMPLAINT_CASE_NOT_FOUND");
      expect((await graph.query(CASE_VERSION, { id: victimCase })).complaintCase?.version).toBe(1);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...feedbackSecretsOf(attack.victim)] }, [lists, ...refused]);
    }),
  ),
  staff: property("may not run the survey schedule, change its timings, open a survey by token or record complaint breaches", () =>
    check(attacks(), async (attack) => {
      const victim = feedbackOf.get(attack.victim.id)!;
      const responses = [
        await attack.as.request(OPEN_DUE_SURVEYS),
        await attack.as.request(SET_SURVEY_TIMINGS, { input: { csatDelayHours: 1 } }),
        await attack.as.request(SURVEY_BY_TOKEN, { token: victim.token }),
        await attack.as.request(RECORD_COMPLAINT_BREACHES),
      ];
      expect(responses.map(errorCodes)).toEqual([["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"]]);
      expectNothingOf({ ...attack, secrets: [...attack.secrets, ...feedbackSecretsOf(attack.victim)] }, responses);
    }),
  ),
  analyst: property("shows an ANALYST surveys and feedback without the customer or the survey's link", async () => {
    const seen = await graph.as(ANALYST).query(ANALYST_FEEDBACK);
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

const CUSTOMER_VERSION = graphql(`query CrossTenantCustomerVersion($id: ID!) { customer(id: $id) { version } }`);
const CUSTOMER_WORKLIST = graphql(`query CrossTenantCustomerWorklist($dealerId: ID!, $customerId: ID!) {
  outreachWorklist(dealerId: $dealerId, filter: { customerId: $customerId }) { edges { node { id version } } } }`);

/**
 * For each dealer: the customer of its ticket, whose complaint `seedFeedback`
 * recorded, raised to RESPONSIBLE, so the complaint waiting in the outreach
 * subgraph becomes an item on the dealer's worklist.
 */
async function seedOutreach() {
  for (const dealer of world.dealers) {
    const customerId = dealer.customers[0].id;
    const { customer } = await graph.query(CUSTOMER_VERSION, { id: customerId });
    await succeed(graph, UPDATE_CUSTOMER, { input: { id: customerId, version: customer!.version, relationshipLevel: "RESPONSIBLE" } });
  }
  await graph.settle();
  for (const dealer of world.dealers) {
    const customerId = dealer.customers[0].id;
    const { outreachWorklist } = await graph.query(CUSTOMER_WORKLIST, { dealerId: dealer.id, customerId });
    outreachOf.set(dealer.id, { ...outreachWorklist.edges[0]!.node, customerId });
    // The level is part of the records every dealer is compared with at the end.
    await recordChangesOf(dealer);
  }
}

graphql(`fragment CrossTenantOutreachItem on OutreachItem {
  id version status reason dealer { id } customer { id } reasons { kind feedback { id } } outcome { outcome } }`);
const OUTREACH_ITEM = graphql(`query CrossTenantOutreachItem($id: ID!) { outreachItem(id: $id) { ...CrossTenantOutreachItem } }`);
const WORKLISTS = graphql(`query CrossTenantWorklists($customerId: ID!) {
  all: outreachWorklist(first: 20, filter: { statuses: [OPEN, CONTACTED, DECLINED, CONVERTED, NOT_APPLICABLE, MOOT] }) {
    edges { cursor node { ...CrossTenantOutreachItem } } }
  byCustomer: outreachWorklist(filter: { customerId: $customerId }) { edges { cursor node { id } } } }`);
const NAMED_WORKLIST = graphql(`query CrossTenantNamedWorklist($dealerId: ID!) { outreachWorklist(dealerId: $dealerId) { edges { node { id } } } }`);
const RECORD_OUTCOME = graphql(`mutation CrossTenantRecordOutcome($id: ID!) {
  recordOutreachOutcome(input: { itemId: $id, version: 1, outcome: CONTACTED, channel: PHONE }) { item { id } errors { code field message } } }`);
const ITEM_STATUS = graphql(`query CrossTenantItemStatus($id: ID!) { outreachItem(id: $id) { status version } }`);
const OUTREACH_INSIGHTS = graphql(`query CrossTenantOutreachInsights($dealerIds: [ID!]) {
  outreachInsights(filter: { dealerIds: $dealerIds }) { conversion(groupBy: DEALER) { edges { node { group { key } } } } } }`);
const ANALYST_OUTREACH = graphql(`query CrossTenantAnalystOutreach($id: ID!) { outreachItem(id: $id) { id } outreachWorklist { edges { node { id } } } }`);

const outreachProperties = {
  reads: property("answers another dealer's outreach item by id, in worklists and in _entities, exactly like one that does not exist", () =>
    check(fc.record({ attack: attacks(), unknown: madeUpId("otr") }), async ({ attack, unknown }) => {
      const victim = outreachOf.get(attack.victim.id)!;
      const own = outreachOf.get(attack.attacker.id)!;
      // when the attacker asks for the victim's item, lists its worklist (also by the victim's customer) and asks the subgraph's _entities
      const byId = await expectAnsweredLikeUnknown((id) => attack.as.request(OUTREACH_ITEM, { id }), victim.id, unknown);
      const lists = await attack.as.query(WORKLISTS, { customerId: victim.customerId });
      const named = await attack.as.request(NAMED_WORKLIST, { dealerId: attack.victim.id });
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
      const answer = await expectAnsweredLikeUnknown((id) => attack.as.request(RECORD_OUTCOME, { id }), victim.id, unknown);
      expect(answer).toMatchObject({ data: { recordOutreachOutcome: { item: null, errors: [{ code: "ITEM_NOT_FOUND", field: ["itemId"] }] } } });
      // and the victim's item is as it was
      const { outreachItem } = await graph.query(ITEM_STATUS, { id: victim.id });
      expect(outreachItem).toEqual({ status: "OPEN", version: victim.version });
    }),
  ),
  insights: property("shows a DEALER outreach figures of its own items only, whatever dealers it names", () =>
    check(fc.record({ attack: attacks() }), async ({ attack }) => {
      const dealersIn = async (dealerIds: string[] | null) => {
        const { outreachInsights } = await attack.as.query(OUTREACH_INSIGHTS, { dealerIds });
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
    const reads = await analyst.request(ANALYST_OUTREACH, { id: item.id });
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
