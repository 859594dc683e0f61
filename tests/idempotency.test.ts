import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDealer, createProduct, customerInput, tag } from "./src/factories.js";
import { databaseFingerprint } from "./src/fingerprint.js";
import { graphql } from "./src/generated/index.js";
import type {
  AdjustPartStockInput,
  CreateCustomerInput,
  CreateTechnicianInput,
  RecordConsumablePurchaseInput,
  RecordUnitEventInput,
  RegisterUnitInput,
  SellUnitInput,
  TransferUnitInput,
} from "./src/generated/graphql.js";
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

/** What a keyed mutation answers: its payload as `m`, read whole to compare the answers. */
type Answer = { m: { errors: { code: string; field: string[] | null }[] } };

/** A keyed create: its document, and inputs for it. */
interface Keyed<Input> {
  /** Sends the mutation as the dealer, aliased `m`, with what its payload returns and `errors { code field }`. */
  send: (input: Input) => Promise<Answer>;
  /** A valid input for `key`, on records of its own (`prepare`'s). */
  input: (w: World, key: string, prepared: string) => Input;
  /** The same input with something else changed: what the key must refuse. */
  other: (input: Input) => Input;
  prepare?: (w: World) => Promise<string>;
}

/** A row of the table: the mutation's name, and what sends it as the dealer with one key's input (`request`) or another input (`reused`). */
interface Row {
  mutation: string;
  prepare?: (w: World) => Promise<string>;
  requests: (w: World, key: string, prepared: string) => { request: () => Promise<Answer>; reused: () => Promise<Answer> };
}

const keyed = <Input>(mutation: string, { send, input, other, prepare }: Keyed<Input>): Row => ({
  mutation,
  ...(prepare ? { prepare } : {}),
  requests: (w, key, prepared) => {
    const first = input(w, key, prepared);
    return { request: () => send(first), reused: () => send(other(first)) };
  },
});

const CREATE_CUSTOMER = graphql(`mutation IdempotencyCreateCustomer($input: CreateCustomerInput!) {
  m: createCustomer(input: $input) { customer { id name } errors { code field } } }`);
const REGISTER_UNIT = graphql(`mutation IdempotencyRegisterUnit($input: RegisterUnitInput!) {
  m: registerUnit(input: $input) { unit { id serialNumber status } errors { code field } } }`);
const SELL_UNIT = graphql(`mutation IdempotencySellUnit($input: SellUnitInput!) {
  m: sellUnit(input: $input) { unit { id status customer { id } events { kind } } errors { code field } } }`);

const CREATE_TECHNICIAN = graphql(`mutation IdempotencyCreateTechnician($input: CreateTechnicianInput!) {
  m: createTechnician(input: $input) { technician { id name } errors { code field } } }`);
const RECORD_UNIT_EVENT = graphql(`mutation IdempotencyRecordUnitEvent($input: RecordUnitEventInput!) {
  m: recordUnitEvent(input: $input) { unit { id status events { kind } } errors { code field } } }`);
const TRANSFER_UNIT = graphql(`mutation IdempotencyTransferUnit($input: TransferUnitInput!) {
  m: transferUnit(input: $input) { unit { id customer { id } events { kind } } errors { code field } } }`);
const RECORD_PURCHASE = graphql(`mutation IdempotencyRecordPurchase($input: RecordConsumablePurchaseInput!) {
  m: recordConsumablePurchase(input: $input) { purchase { id quantity forecast { purchaseCount } } errors { code field } } }`);
const ADJUST_PART_STOCK = graphql(`mutation IdempotencyAdjustPartStock($input: AdjustPartStockInput!) {
  m: adjustPartStock(input: $input) { stock { onHand } errors { code field } } }`);

const today = todayUtc();
const PRICE = { amount: "899.00", currency: "EUR" };

const KEYED: Row[] = [
  keyed<CreateCustomerInput>("createCustomer", {
    send: (input) => asDealer.query(CREATE_CUSTOMER, { input }),
    input: (w, key) => ({ ...customerInput(w.dealer, { name: `Retry ${tag()}` }), idempotencyKey: key }),
    other: (input) => ({ ...input, name: "Someone else" }),
  }),
  keyed<CreateTechnicianInput>("createTechnician", {
    send: (input) => asDealer.query(CREATE_TECHNICIAN, { input }),
    input: (w, key) => ({ serviceCenterId: w.dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"], idempotencyKey: key }),
    other: (input) => ({ ...input, name: "Someone else" }),
  }),
  keyed<RegisterUnitInput>("registerUnit", {
    send: (input) => asDealer.query(REGISTER_UNIT, { input }),
    input: (w, key) => ({ serialNumber: `SN-${tag()}-${tag()}`, productId: w.equipment, registeredOn: addDays(today, -5), idempotencyKey: key }),
    other: (input) => ({ ...input, serialNumber: `SN-${tag()}-${tag()}` }),
  }),
  keyed<SellUnitInput>("sellUnit", {
    send: (input) => asDealer.query(SELL_UNIT, { input }),
    prepare: (w) => w.unitInStock(),
    input: (w, key, unitId) => ({ unitId, customerId: w.customer, price: PRICE, soldOn: addDays(today, -1), idempotencyKey: key }),
    other: (input) => ({ ...input, price: { amount: "1.00", currency: "EUR" } }),
  }),
  keyed<RecordUnitEventInput>("recordUnitEvent", {
    send: (input) => asDealer.query(RECORD_UNIT_EVENT, { input }),
    prepare: (w) => w.soldUnit(),
    input: (_w, key, unitId) => ({ unitId, kind: "DELIVERED", occurredOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, kind: "INSTALLED" }),
  }),
  keyed<TransferUnitInput>("transferUnit", {
    send: (input) => asDealer.query(TRANSFER_UNIT, { input }),
    prepare: async (w) => `${await w.soldUnit()}|${(await succeed(asDealer, CREATE_CUSTOMER, { input: customerInput(w.dealer) })).customer!.id}`,
    input: (_w, key, prepared) => ({ unitId: prepared.split("|")[0], newCustomerId: prepared.split("|")[1]!, occurredOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, note: "Another transfer" }),
  }),
  keyed<RecordConsumablePurchaseInput>("recordConsumablePurchase", {
    send: (input) => asDealer.query(RECORD_PURCHASE, { input }),
    input: (w, key) => ({ customerId: w.customer, productId: w.consumable, quantity: 2, purchasedOn: today, idempotencyKey: key }),
    other: (input) => ({ ...input, quantity: 3 }),
  }),
  keyed<AdjustPartStockInput>("adjustPartStock", {
    send: (input) => asDealer.query(ADJUST_PART_STOCK, { input }),
    input: (w, key) => ({ serviceCenterId: w.dealer, partId: w.part, change: 4, reason: "RECEIVED", idempotencyKey: key }),
    other: (input) => ({ ...input, change: 5 }),
  }),
];

let graph: TestGraph;
let world: World;
let asDealer: Client;
let database: DatabaseHandle;

beforeAll(async () => {
  graph = await startGraph();
  const { id: dealer } = await createDealer(graph);
  asDealer = graph.as({ role: "DEALER", dealerId: dealer });
  const product = async (overrides: Record<string, unknown>) => (await createProduct(graph, overrides)).id;
  const [equipment, consumable, part] = [await product({}), await product({ kind: "CONSUMABLE" }), await product({ kind: "SPARE_PART" })];
  const customer = (await succeed(asDealer, CREATE_CUSTOMER, { input: customerInput(dealer) })).customer!.id;
  const unitInStock = async () =>
    (await succeed(asDealer, REGISTER_UNIT, { input: { serialNumber: `SN-${tag()}-${tag()}`, productId: equipment, registeredOn: addDays(today, -10) } })).unit!
      .id;
  const soldUnit = async () => {
    const unitId = await unitInStock();
    await succeed(asDealer, SELL_UNIT, { input: { unitId, customerId: customer, price: PRICE, soldOn: addDays(today, -2) } });
    return unitId;
  };
  world = { dealer, customer, equipment, consumable, part, unitInStock, soldUnit };
  database = openDatabase(graph.database);
});
afterAll(async () => {
  await database?.close();
  await graph?.stop();
});

/** What the graph holds, once every event of what was written has been applied. */
async function settledFingerprint() {
  await graph.settle();
  return databaseFingerprint(database.db);
}

describe.each(KEYED)("$mutation with an idempotency key", ({ requests, prepare }) => {
  it("answers a retry with the first result and writes nothing more; refuses the key with another input", async () => {
    // given: a first request with a key, answered
    const prepared = prepare ? await prepare(world) : "";
    const { request, reused: withOtherInput } = requests(world, `retry-${tag()}`, prepared);
    const first = await request();
    expect(first.m.errors).toEqual([]);
    const afterFirst = await settledFingerprint();
    // when: it is sent again, and the key with another input
    const retry = await request();
    const afterRetry = await settledFingerprint();
    const reused = await withOtherInput();
    // then: the retry is answered like the first, nothing more is written, and the other input is refused
    expect(retry).toEqual(first);
    expect(afterRetry).toEqual(afterFirst);
    expect(reused.m.errors).toEqual([{ code: "IDEMPOTENCY_KEY_REUSED", field: ["idempotencyKey"] }]);
    expect(await settledFingerprint()).toEqual(afterFirst);
  });

  it("makes one record of a retry that races its first request", async () => {
    // given
    const prepared = prepare ? await prepare(world) : "";
    const { request } = requests(world, `race-${tag()}`, prepared);
    // when: both are sent at once
    const [a, b] = await Promise.all([request(), request()]);
    const afterBoth = await settledFingerprint();
    // then: both answer the one record, and one more retry writes nothing
    expect(a.m.errors).toEqual([]);
    expect(b).toEqual(a);
    expect(await request()).toEqual(a);
    expect(await settledFingerprint()).toEqual(afterBoth);
  });
});
