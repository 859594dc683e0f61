import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, customerInput, dealerInput, productInput, setWarrantyPolicy, tag } from "./src/factories.js";
import { databaseFingerprint } from "./src/fingerprint.js";
import { graphql } from "./src/generated/index.js";
import type { ImportedUnitInput, UnitImportWarrantyExpiringQuery } from "./src/generated/graphql.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { succeed } from "./src/tenants.js";

/**
 * `importUnits` brings a dealer's installed base in at once: each unit with
 * its history, checked by the rules each event has when recorded on its own,
 * all or nothing.
 */

let graph: TestGraph;
let database: DatabaseHandle;
let dealerId: string;
let partner: Client;
let equipment: string;
let consumable: string;
let buyer: string;
let nextOwner: string;

const today = todayUtc();
const day = (n: number) => addDays(today, n);
const PRICE = { amount: "1299.00", currency: "EUR" };
const serial = () => `IMP-${tag()}-${tag()}`;

beforeAll(async () => {
  graph = await startGraph();
  database = openDatabase(graph.database);
  dealerId = (await create(graph, "createDealer", "dealer", dealerInput())).id;
  equipment = (await create(graph, "createProduct", "product", productInput())).id;
  consumable = (await create(graph, "createProduct", "product", productInput({ kind: "CONSUMABLE" }))).id;
  await graph.settle();
  await setWarrantyPolicy(graph, equipment);
  partner = graph.as({ role: "DEALER", dealerId });
  buyer = (await succeed<{ customer: { id: string } }>(partner, "createCustomer", "customer { id }", customerInput(dealerId))).customer.id;
  nextOwner = (await succeed<{ customer: { id: string } }>(partner, "createCustomer", "customer { id }", customerInput(dealerId))).customer.id;
}, 120_000);
afterAll(async () => {
  await database?.close();
  await graph?.stop();
});

const IMPORT_UNITS = graphql(`mutation UnitImportImportUnits($input: ImportUnitsInput!) {
  importUnits(input: $input) {
    units { id serialNumber status soldBy { id } customer { id } events { kind occurredOn statusAfter customer { id } note } }
    errors { code field message }
  }
}`);
const COVERAGE = graphql(`query UnitImportCoverage($id: ID!) { unit(id: $id) { coverage { kind startsOn } } }`);
const WARRANTY_EXPIRING = graphql(`query UnitImportWarrantyExpiring($dealer: ID!, $after: String) {
  dealer(id: $dealer) { warrantyExpiring(within: 60, first: 100, after: $after) { edges { node { unit { serialNumber } } } pageInfo { hasNextPage endCursor } } }
}`);

const importUnits = (client: Client, units: ImportedUnitInput[]) => client.query(IMPORT_UNITS, { input: { units } });

describe("importUnits", () => {
  it("brings units in with their histories, as if each event had been recorded on its own", async () => {
    // given: a unit still in stock, and one sold, delivered, installed, repaired and passed on to another owner
    const [inStock, passedOn] = [serial(), serial()];
    // when the dealer imports both
    const { importUnits: answer } = await importUnits(partner, [
      { serialNumber: inStock, productId: equipment, registeredOn: day(-30) },
      {
        serialNumber: passedOn,
        productId: equipment,
        registeredOn: day(-400),
        events: [
          { kind: "SOLD", occurredOn: day(-300), customerId: buyer, price: PRICE },
          { kind: "DELIVERED", occurredOn: day(-298) },
          { kind: "INSTALLED", occurredOn: day(-297), note: "Kitchen, left of the sink" },
          { kind: "REPAIR_STARTED", occurredOn: day(-100) },
          { kind: "REPAIRED", occurredOn: day(-95) },
          { kind: "TRANSFERRED", occurredOn: day(-10), customerId: nextOwner, note: "Sold with the house" },
        ],
      },
    ]);
    // then both are saved, in the order given, each with its whole history and where it stands now
    expect(answer.errors).toEqual([]);
    expect(answer.units?.map((u) => [u.serialNumber, u.status, u.soldBy?.id ?? null, u.customer?.id ?? null])).toEqual([
      [inStock, "IN_STOCK", null, null],
      [passedOn, "INSTALLED", dealerId, nextOwner],
    ]);
    expect(answer.units?.[1]?.events.map((e) => [e.kind, e.occurredOn, e.statusAfter, e.customer?.id ?? null])).toEqual([
      ["REGISTERED", day(-400), "IN_STOCK", null],
      ["SOLD", day(-300), "SOLD", buyer],
      ["DELIVERED", day(-298), "DELIVERED", buyer],
      ["INSTALLED", day(-297), "INSTALLED", buyer],
      ["REPAIR_STARTED", day(-100), "IN_REPAIR", buyer],
      ["REPAIRED", day(-95), "INSTALLED", buyer],
      ["TRANSFERRED", day(-10), "INSTALLED", nextOwner],
    ]);
    // and the other subgraphs hear of every step: the warranty subgraph covers the unit from its sale
    await graph.settle();
    const { unit } = await graph.query(COVERAGE, { id: answer.units![1]!.id });
    expect(unit?.coverage).toEqual({ kind: "WARRANTY", startsOn: day(-300) });
  });

  it("reaches every subgraph whole when it brings more events than the relay hands on at once", async () => {
    // given: 130 units of a product of their own, each sold almost two years ago, delivered and installed: 520 events in one transaction
    const product = (await create(graph, "createProduct", "product", productInput())).id;
    await graph.settle();
    await setWarrantyPolicy(graph, product);
    const units = Array.from(
      { length: 130 },
      (): ImportedUnitInput => ({
        serialNumber: serial(),
        productId: product,
        registeredOn: day(-720),
        events: [
          { kind: "SOLD", occurredOn: day(-700), customerId: buyer, price: PRICE },
          { kind: "DELIVERED", occurredOn: day(-699) },
          { kind: "INSTALLED", occurredOn: day(-698) },
        ],
      }),
    );
    // when
    const { importUnits: answer } = await importUnits(partner, units);
    expect(answer.errors).toEqual([]);
    await graph.settle();
    // then the warranty subgraph's own copy holds every one: each is listed as its 24-month warranty runs out
    const expiring: string[] = [];
    for (let after: string | null = null; ; ) {
      const { dealer }: UnitImportWarrantyExpiringQuery = await partner.query(WARRANTY_EXPIRING, { dealer: dealerId, after });
      if (!dealer) throw new Error(`No dealer ${dealerId}.`);
      expiring.push(...dealer.warrantyExpiring.edges.map((edge) => edge.node.unit.serialNumber));
      if (!dealer.warrantyExpiring.pageInfo.hasNextPage) break;
      after = dealer.warrantyExpiring.pageInfo.endCursor;
    }
    expect(expiring.sort()).toEqual(units.map((unit) => unit.serialNumber).sort());
  });

  it("refuses the whole import with every problem of every unit, and writes nothing", async () => {
    // given: a unit already in the installed base
    const taken = serial();
    await importUnits(partner, [{ serialNumber: taken, productId: equipment, registeredOn: day(-5) }]);
    const twice = serial();
    await graph.settle();
    const before = await databaseFingerprint(database.db);
    // when an import holds a good unit beside bad ones
    const { importUnits: answer } = await importUnits(partner, [
      { serialNumber: serial(), productId: equipment, registeredOn: day(-20) },
      { serialNumber: taken, productId: equipment, registeredOn: day(-20) },
      { serialNumber: twice, productId: equipment, registeredOn: day(-20) },
      { serialNumber: twice, productId: consumable, registeredOn: day(3) },
      {
        serialNumber: serial(),
        productId: equipment,
        registeredOn: day(-20),
        events: [
          { kind: "DELIVERED", occurredOn: day(-19) },
          { kind: "SOLD", occurredOn: day(-18), customerId: buyer },
          { kind: "INSTALLED", occurredOn: day(-25), customerId: buyer },
        ],
      },
    ]);
    // then nothing is saved, and each problem says where it is
    expect(answer.units).toBeNull();
    expect(answer.errors.map((e) => [e.code, e.field?.join(".")])).toEqual(
      expect.arrayContaining([
        ["DUPLICATE_SERIAL_NUMBER", "units.1.serialNumber"],
        ["DUPLICATE_SERIAL_NUMBER", "units.3.serialNumber"],
        ["WRONG_PRODUCT_KIND", "units.3.productId"],
        ["DATE_IN_FUTURE", "units.3.registeredOn"],
        ["INVALID_TRANSITION", "units.4.events.0.kind"],
        ["REQUIRED", "units.4.events.1.price"],
        ["OUT_OF_RANGE", "units.4.events.2.customerId"],
      ]),
    );
    await graph.settle();
    expect(await databaseFingerprint(database.db)).toEqual(before);
  });

  it("refuses more units than one import takes, saying how many it takes", async () => {
    const units = Array.from({ length: 501 }, (): ImportedUnitInput => ({ serialNumber: serial(), productId: equipment, registeredOn: day(-1) }));
    const { importUnits: answer } = await importUnits(partner, units);
    expect(answer.errors).toEqual([expect.objectContaining({ code: "OUT_OF_RANGE", field: ["units"] })]);
  });
});
