import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerInput, dealerInput, inputTypeOf, productInput, tag } from "./src/factories.js";
import { databaseFingerprint } from "./src/fingerprint.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { succeed } from "./src/tenants.js";

/**
 * The creates a dealer's system sends take an idempotency key: sent again
 * with the same key and input (a retry after an answer that never arrived),
 * they answer with what the first one made and make nothing more; the same
 * key with another input is refused, so a key reused by mistake cannot hide
 * a new request. A retry may also race the first request: both answer the
 * one record.
 */

interface World {
  dealer: string;
  customer: string;
  equipment: string;
  consumable: string;
  part: string;
  /** A unit in stock, a fresh one per call: each row's requests act on their own unit. */
  unitInStock: () => Promise<string>;
  /** A sold unit, fresh per call. */
  soldUnit: () => Promise<string>;
}

interface Keyed {
  mutation: string;
  /** What the payload returns, read to compare the answers. */
  selection: string;
  /** A valid input for `key`, on records of its own (`prepare`'s). */
  input: (w: World, key: string, prepared: string) => Record<string, unknown>;
  /** The same input with something else changed: what the key must refuse. */
  other: (input: Record<string, unknown>) => Record<string, unknown>;
  prepare?: (w: World) => Promise<string>;
}

const today = todayUtc();
const PRICE = { amount: "899.00", currency: "EUR" };

const KEYED: Keyed[] = [
  {
    mutation: "createCustomer",
    selection: "customer { id name }",
    input: (w, key) => ({ ...customerInput(w.dealer, { name: `Retry ${tag()}` }), idempotencyKey: key }),
    other: (input) => ({ ...input, name: "Someone else" }),
  },
  {
    mutation: "createTechnician",
    selection: "technician { id name }",
    input: (w, key) => ({ serviceCenterId: w.dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"], idempotencyKey: key }),
    other: (input) => ({ ...input, name: "Someone else" }),
  },
  {
    mutation: "registerUnit",
    selection: "unit { id serialNumber status }",
    input: (w, key) => ({ serialNumber: `SN-${tag()}-${tag()}`, productId: w.equipment, registeredOn: addDays(today, -5), idempotencyKey: key }),
    other: (input) => ({ ...input, serialNumber: `SN-${tag()}-${tag()}` }),
  },
  {
    mutation: "sellUnit",
    selection: "unit { id status customer { id } events { kind } }",
    prepare: (w) => w.unitInStock(),
    input: (w, key, unitId) => ({ unitId, customerId: w.customer, price: PRICE, soldOn: addDays(today, -1), idempotencyKey: key }),
    other: (input) => ({ ...input, price: { amount: "1.00", currency: "EUR" } }),
  },
  {
    mutation: "recordUnitEvent",
    selection: "unit { id status events { kind } }",
    prepare: (w) => w.soldUnit(),
    input: (_w, key, unitId) => ({ unitId, kind: "DELIVERED", occurredOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, kind: "INSTALLED" }),
  },
  {
    mutation: "transferUnit",
    selection: "unit { id customer { id } events { kind } }",
    prepare: async (w) =>
      `${await w.soldUnit()}|${(await succeed<{ customer: { id: string } }>(asDealer, "createCustomer", "customer { id }", customerInput(w.dealer))).customer.id}`,
    input: (_w, key, prepared) => ({ unitId: prepared.split("|")[0], newCustomerId: prepared.split("|")[1], occurredOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, note: "Another transfer" }),
  },
  {
    mutation: "recordConsumablePurchase",
    selection: "purchase { id quantity forecast { purchaseCount } }",
    input: (w, key) => ({ customerId: w.customer, productId: w.consumable, quantity: 2, purchasedOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, quantity: 3 }),
  },
  {
    mutation: "adjustPartStock",
    selection: "stock { onHand }",
    input: (w, key) => ({ serviceCenterId: w.dealer, partId: w.part, change: 4, reason: "RECEIVED", idempotencyKey: key }),
    other: (input) => ({ ...input, change: 5 }),
  },
];

let graph: TestGraph;
let world: World;
let asDealer: Client;
let database: DatabaseHandle;

beforeAll(async () => {
  graph = await startGraph();
  const dealer = (await succeed<{ dealer: { id: string } }>(graph, "createDealer", "dealer { id }", dealerInput())).dealer.id;
  asDealer = graph.as({ role: "DEALER", dealerId: dealer });
  const product = async (overrides: Record<string, unknown>) =>
    (await succeed<{ product: { id: string } }>(graph, "createProduct", "product { id }", productInput(overrides))).product.id;
  const [equipment, consumable, part] = [await product({}), await product({ kind: "CONSUMABLE" }), await product({ kind: "SPARE_PART" })];
  const customer = (await succeed<{ customer: { id: string } }>(asDealer, "createCustomer", "customer { id }", customerInput(dealer))).customer.id;
  const unitInStock = async () =>
    (
      await succeed<{ unit: { id: string } }>(asDealer, "registerUnit", "unit { id }", {
        serialNumber: `SN-${tag()}-${tag()}`,
        productId: equipment,
        registeredOn: addDays(today, -10),
      })
    ).unit.id;
  const soldUnit = async () => {
    const unitId = await unitInStock();
    await succeed(asDealer, "sellUnit", "unit { id }", { unitId, customerId: customer, price: PRICE, soldOn: addDays(today, -2) });
    return unitId;
  };
  world = { dealer, customer, equipment, consumable, part, unitInStock, soldUnit };
  database = openDatabase(graph.database);
});
afterAll(async () => {
  await database?.close();
  await graph?.stop();
});

const send = (mutation: string, selection: string, input: Record<string, unknown>) =>
  asDealer.query<{ m: { errors: { code: string; field: string[] }[] } & Record<string, unknown> }>(
    `mutation($input: ${inputTypeOf(mutation)}!) { m: ${mutation}(input: $input) { ${selection} errors { code field } } }`,
    { input },
  );

/** What the graph holds, once every event of what was written has been applied. */
async function settledFingerprint() {
  await graph.settle();
  return databaseFingerprint(database.db);
}

describe.each(KEYED)("$mutation with an idempotency key", ({ mutation, selection, input, other, prepare }) => {
  it("answers a retry with the first result and writes nothing more; refuses the key with another input", async () => {
    // given: a first request with a key, answered
    const prepared = prepare ? await prepare(world) : "";
    const request = input(world, `retry-${tag()}`, prepared);
    const first = await send(mutation, selection, request);
    expect(first.m.errors).toEqual([]);
    const afterFirst = await settledFingerprint();
    // when: it is sent again, and the key with another input
    const retry = await send(mutation, selection, request);
    const afterRetry = await settledFingerprint();
    const reused = await send(mutation, selection, other(request));
    // then: the retry is answered like the first, nothing more is written, and the other input is refused
    expect(retry).toEqual(first);
    expect(afterRetry).toEqual(afterFirst);
    expect(reused.m.errors).toEqual([{ code: "IDEMPOTENCY_KEY_REUSED", field: ["idempotencyKey"] }]);
    expect(await settledFingerprint()).toEqual(afterFirst);
  });

  it("makes one record of a retry that races its first request", async () => {
    // given
    const prepared = prepare ? await prepare(world) : "";
    const request = input(world, `race-${tag()}`, prepared);
    // when: both are sent at once
    const [a, b] = await Promise.all([send(mutation, selection, request), send(mutation, selection, request)]);
    const afterBoth = await settledFingerprint();
    // then: both answer the one record, and one more retry writes nothing
    expect(a.m.errors).toEqual([]);
    expect(b).toEqual(a);
    expect(await send(mutation, selection, request)).toEqual(a);
    expect(await settledFingerprint()).toEqual(afterBoth);
  });
});
