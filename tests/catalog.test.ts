import { addDays, executeRows, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, productInput, registerUnit, sku, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type {
  AdjustPartStockInput,
  CatalogRecordConsumablePurchaseMutation,
  ChangeProductLifecycleInput,
  CreateProductInput,
  LifecycleStage,
  RecordConsumablePurchaseInput,
  SellUnitInput,
  CatalogDueFragment,
  CatalogUnitDetailsFragment,
  PartStockFilter,
  SetPartStockInput,
  UpdateProductInput,
} from "./src/generated/graphql.js";
import { startGraph, type Operation, type TestGraph } from "./src/graph.js";

let graph: TestGraph;
/** Beneath the API: other subgraphs' events, and stock movements, which the API does not show. */
let handle: DatabaseHandle;
beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

interface CatalogError {
  code: string;
  field: string[] | null;
  message: string;
}

/** A day a few days ahead of today in UTC: beyond the one day of slack allowed for time zones ahead of UTC. */
const inAFewDays = () => addDays(todayUtc(), 3);

const productBySku = async (sku: string) => {
  const { product } = await graph.query(graphql(`query CatalogProduct($sku: String!) { product(sku: $sku) { id } }`), { sku });
  return product;
};

describe("products", () => {
  const CREATE_PRODUCT = graphql(`mutation CatalogCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id sku version } errors { code field message } } }`);

  // What the product tests read of a product, spread into the operations below.
  graphql(`fragment CatalogProductDetails on Product {
    id sku name kind category lifecycleStage version replenishmentCycleDays discontinuedOn partsGuaranteedUntil
    listPrice { amount currency } successor { id }
    billOfMaterials { part { id name } quantity serviceableSeparately }
    repairStandards { failureCode hours }
    fittings { id name } }`);

  const UPDATE_PRODUCT = graphql(`mutation CatalogUpdateProduct($input: UpdateProductInput!) {
    updateProduct(input: $input) { product { ...CatalogProductDetails } errors { code field message } } }`);

  const readProduct = async (id: string) => {
    const { product } = await graph.query(graphql(`query CatalogReadProduct($id: ID!) { product(id: $id) { ...CatalogProductDetails } }`), { id });
    if (!product) throw new Error(`No product ${id}.`);
    return product;
  };

  const updateProduct = async (input: UpdateProductInput) => (await graph.query(UPDATE_PRODUCT, { input })).updateProduct;

  it("creates equipment with its parts, repair standards and fittings, and reads it back by id and by SKU", async () => {
    // given
    const t = tag().toUpperCase();
    const pump = await createProduct(graph, { kind: "SPARE_PART", name: `Pump ${t}`, category: "pumps" });
    const heater = await createProduct(graph, { kind: "SPARE_PART", name: `Heater ${t}`, category: "heaters" });
    const beans = await createProduct(graph, { kind: "CONSUMABLE", name: `Beans ${t}`, category: "coffee-beans" });
    const jug = await createProduct(graph, { kind: "ACCESSORY", name: `A milk jug ${t}`, category: "milk-jugs" });
    // when
    const { createProduct: created } = await graph.query(CREATE_PRODUCT, {
      input: {
        sku: ` esp-${t.toLowerCase()} `,
        name: `Espresso ${t}`,
        kind: "EQUIPMENT",
        category: "espresso-machines",
        listPrice: { amount: "1299.90", currency: "eur" },
        billOfMaterials: [
          { partId: pump.id, quantity: 1, serviceableSeparately: false },
          { partId: heater.id, quantity: 2 },
        ],
        repairStandards: [
          { failureCode: "e10-heater", hours: 2.25 },
          { failureCode: "E04-PUMP", hours: 1.5 },
        ],
        fittingIds: [beans.id, jug.id],
      },
    });
    // then
    expect(created.errors).toEqual([]);
    expect(created.product).toEqual({ id: expect.stringMatching(/^prd_/), sku: `ESP-${t}`, version: 1 });
    const id = created.product?.id ?? "";
    const { byId, bySku } = await graph.query(
      graphql(`query CatalogProductByIdAndSku($id: ID!, $sku: String!) {
        byId: product(id: $id) { ...CatalogProductDetails
          pumpHours: standardRepairHours(failureCode: "e04-pump")
          heaterHours: standardRepairHours(failureCode: "E10-HEATER")
          unknownHours: standardRepairHours(failureCode: "E99")
          consumables: fittings(kinds: [CONSUMABLE]) { id }
          lifecycleHistory { fromStage toStage note } }
        bySku: product(sku: $sku) { id } }`),
      { id, sku: `esp-${t.toLowerCase()}` },
    );
    expect(bySku).toEqual({ id });
    expect({ ...byId, billOfMaterials: [...byId!.billOfMaterials].sort((a, b) => a.part.name.localeCompare(b.part.name)) }).toEqual({
      id,
      sku: `ESP-${t}`,
      name: `Espresso ${t}`,
      kind: "EQUIPMENT",
      category: "espresso-machines",
      lifecycleStage: "INTRODUCTION",
      version: 1,
      replenishmentCycleDays: null,
      discontinuedOn: null,
      partsGuaranteedUntil: null,
      listPrice: { amount: "1299.90", currency: "EUR" },
      successor: null,
      billOfMaterials: [
        { part: { id: heater.id, name: `Heater ${t}` }, quantity: 2, serviceableSeparately: true },
        { part: { id: pump.id, name: `Pump ${t}` }, quantity: 1, serviceableSeparately: false },
      ],
      repairStandards: [
        { failureCode: "E04-PUMP", hours: 1.5 },
        { failureCode: "E10-HEATER", hours: 2.25 },
      ],
      fittings: [
        { id: jug.id, name: `A milk jug ${t}` },
        { id: beans.id, name: `Beans ${t}` },
      ],
      pumpHours: 1.5,
      heaterHours: 2.25,
      unknownHours: null,
      consumables: [{ id: beans.id }],
      lifecycleHistory: [{ fromStage: null, toStage: "INTRODUCTION", note: null }],
    });
  });

  it("navigates from a consumable to the equipment it fits and from a part to the products that use it", async () => {
    // given
    const t = tag();
    const part = await createProduct(graph, { kind: "SPARE_PART", name: `Gasket ${t}` });
    const filter = await createProduct(graph, { kind: "CONSUMABLE", name: `Water filter ${t}` });
    const zeta = await createProduct(graph, { name: `Zeta ${t}`, billOfMaterials: [{ partId: part.id, quantity: 1 }], fittingIds: [filter.id] });
    const alpha = await createProduct(graph, { name: `Alpha ${t}`, billOfMaterials: [{ partId: part.id, quantity: 4 }], fittingIds: [filter.id] });
    await createProduct(graph, { name: `Mu ${t}` });
    // when
    const data = await graph.query(
      graphql(`query CatalogProductUsedInFits($part: ID!, $filter: ID!) {
        part: product(id: $part) { usedIn { id } fits { id } }
        filter: product(id: $filter) { fits { id } usedIn { id } } }`),
      { part: part.id, filter: filter.id },
    );
    // then: by name
    expect(data).toEqual({
      part: { usedIn: [{ id: alpha.id }, { id: zeta.id }], fits: [] },
      filter: { fits: [{ id: alpha.id }, { id: zeta.id }], usedIn: [] },
    });
  });

  it("refuses a second product with the same SKU, whatever its case, and keeps the first", async () => {
    // given
    const taken = sku("DUP");
    const first = await createProduct(graph, { sku: taken, name: "The first" });
    // when
    const { createProduct: second } = await graph.query(CREATE_PRODUCT, {
      input: productInput({ sku: taken.toLowerCase(), name: "The second" }),
    });
    // then
    expect(second).toEqual({ product: null, errors: [expect.objectContaining({ code: "DUPLICATE_SKU", field: ["sku"] })] });
    const { product } = await graph.query(graphql(`query CatalogProductIdName($sku: String!) { product(sku: $sku) { id name } }`), {
      sku: taken,
    });
    expect(product).toEqual({ id: first.id, name: "The first" });
  });

  describe("refusals of createProduct", () => {
    let refs: { part: string; consumable: string; accessory: string; equipment: string };
    beforeAll(async () => {
      const [part, consumable, accessory, equipment] = [
        await createProduct(graph, { kind: "SPARE_PART" }),
        await createProduct(graph, { kind: "CONSUMABLE" }),
        await createProduct(graph, { kind: "ACCESSORY" }),
        await createProduct(graph, { kind: "EQUIPMENT" }),
      ];
      refs = { part: part.id, consumable: consumable.id, accessory: accessory.id, equipment: equipment.id };
    });

    it.each<{ problem: string; change: (r: typeof refs) => Partial<CreateProductInput>; code: string; field: string[] }>([
      { problem: "a SKU with a space", change: () => ({ sku: `ESP 200 ${tag()}` }), code: "INVALID_FORMAT", field: ["sku"] },
      { problem: "a SKU of 41 characters", change: () => ({ sku: `X${tag()}`.padEnd(41, "X").toUpperCase() }), code: "INVALID_FORMAT", field: ["sku"] },
      { problem: "a category that is not a slug", change: () => ({ category: "Espresso Machines" }), code: "INVALID_FORMAT", field: ["category"] },
      { problem: "a blank name", change: () => ({ name: "  " }), code: "REQUIRED", field: ["name"] },
      {
        problem: "a price with fractions of a cent",
        change: () => ({ listPrice: { amount: "9.999", currency: "EUR" } }),
        code: "INVALID_AMOUNT",
        field: ["listPrice", "amount"],
      },
      {
        problem: "an unknown currency",
        change: () => ({ listPrice: { amount: "9.99", currency: "EURO" } }),
        code: "INVALID_CURRENCY",
        field: ["listPrice", "currency"],
      },
      {
        problem: "a consumable without a cycle",
        change: () => ({ kind: "CONSUMABLE", replenishmentCycleDays: null }),
        code: "CYCLE_REQUIRED",
        field: ["replenishmentCycleDays"],
      },
      {
        problem: "a cycle of 0 days",
        change: () => ({ kind: "CONSUMABLE", replenishmentCycleDays: 0 }),
        code: "OUT_OF_RANGE",
        field: ["replenishmentCycleDays"],
      },
      {
        problem: "a BOM part that is not a spare part",
        change: (r) => ({ billOfMaterials: [{ partId: r.consumable, quantity: 1 }] }),
        code: "WRONG_PRODUCT_KIND",
        field: ["billOfMaterials", "0", "partId"],
      },
      {
        problem: "the same BOM part twice",
        change: (r) => ({
          billOfMaterials: [
            { partId: r.part, quantity: 1 },
            { partId: r.part, quantity: 2 },
          ],
        }),
        code: "DUPLICATE_ENTRY",
        field: ["billOfMaterials", "1", "partId"],
      },
      {
        problem: "a BOM quantity of 0",
        change: (r) => ({ billOfMaterials: [{ partId: r.part, quantity: 0 }] }),
        code: "OUT_OF_RANGE",
        field: ["billOfMaterials", "0", "quantity"],
      },
      {
        problem: "an unknown BOM part",
        change: () => ({ billOfMaterials: [{ partId: "prd_unknown", quantity: 1 }] }),
        code: "PRODUCT_NOT_FOUND",
        field: ["billOfMaterials", "0", "partId"],
      },
      {
        problem: "a failure code with a space",
        change: () => ({ repairStandards: [{ failureCode: "E04 PUMP", hours: 1 }] }),
        code: "INVALID_FORMAT",
        field: ["repairStandards", "0", "failureCode"],
      },
      {
        problem: "the same failure code twice",
        change: () => ({
          repairStandards: [
            { failureCode: "E04-PUMP", hours: 1 },
            { failureCode: "e04-pump", hours: 2 },
          ],
        }),
        code: "DUPLICATE_ENTRY",
        field: ["repairStandards", "1", "failureCode"],
      },
      {
        problem: "0 standard repair hours",
        change: () => ({ repairStandards: [{ failureCode: "E04-PUMP", hours: 0 }] }),
        code: "OUT_OF_RANGE",
        field: ["repairStandards", "0", "hours"],
      },
      {
        problem: "more than 100 standard repair hours",
        change: () => ({ repairStandards: [{ failureCode: "E04-PUMP", hours: 100.5 }] }),
        code: "OUT_OF_RANGE",
        field: ["repairStandards", "0", "hours"],
      },
      {
        problem: "fittings on a consumable",
        change: (r) => ({ kind: "CONSUMABLE", fittingIds: [r.accessory] }),
        code: "WRONG_PRODUCT_KIND",
        field: ["fittingIds"],
      },
      { problem: "a spare part as a fitting", change: (r) => ({ fittingIds: [r.part] }), code: "WRONG_PRODUCT_KIND", field: ["fittingIds", "0"] },
      {
        problem: "the same fitting twice",
        change: (r) => ({ fittingIds: [r.consumable, r.accessory, r.consumable] }),
        code: "DUPLICATE_ENTRY",
        field: ["fittingIds", "2"],
      },
      { problem: "a successor of another kind", change: (r) => ({ successorId: r.consumable }), code: "WRONG_PRODUCT_KIND", field: ["successorId"] },
      { problem: "an unknown successor", change: () => ({ successorId: "prd_unknown" }), code: "PRODUCT_NOT_FOUND", field: ["successorId"] },
      {
        problem: "a product that starts discontinued",
        change: () => ({ lifecycleStage: "DISCONTINUED" }),
        code: "CANNOT_START_DISCONTINUED",
        field: ["lifecycleStage"],
      },
    ])("refuses $problem and writes nothing", async ({ change, code, field }) => {
      // given
      const input = productInput({ sku: sku("REF"), ...change(refs) });
      // when
      const { createProduct } = await graph.query(CREATE_PRODUCT, { input });
      // then
      expect(createProduct).toEqual({ product: null, errors: [expect.objectContaining({ code, field })] });
      expect(createProduct.errors[0]?.message).toMatch(/\w+/);
      expect(await productBySku(input.sku)).toBeNull();
    });

    it("reports every problem of an input at once", async () => {
      const input = productInput({ kind: "CONSUMABLE", replenishmentCycleDays: null, category: "Beans", name: "", fittingIds: [refs.accessory] });
      const { createProduct } = await graph.query(CREATE_PRODUCT, { input });
      expect(createProduct.errors.map((e) => e.code).sort()).toEqual(["CYCLE_REQUIRED", "INVALID_FORMAT", "REQUIRED", "WRONG_PRODUCT_KIND"]);
      expect(await productBySku(input.sku)).toBeNull();
    });
  });

  it("replaces a list of a product only when the update gives it", async () => {
    // given
    const t = tag();
    const gasket = await createProduct(graph, { kind: "SPARE_PART", name: `Gasket ${t}` });
    const valve = await createProduct(graph, { kind: "SPARE_PART", name: `Valve ${t}` });
    const beans = await createProduct(graph, { kind: "CONSUMABLE", name: `Beans ${t}` });
    const machine = await createProduct(graph, {
      category: "espresso-machines",
      billOfMaterials: [{ partId: gasket.id, quantity: 1 }],
      repairStandards: [{ failureCode: "E01", hours: 1 }],
      fittingIds: [beans.id],
    });
    // when: only the name and the repair standards
    const renamed = await updateProduct({ id: machine.id, version: 1, name: `Renamed ${t}`, repairStandards: [{ failureCode: "e02", hours: 3 }] });
    // then
    expect(renamed.errors).toEqual([]);
    expect(renamed.product).toMatchObject({
      name: `Renamed ${t}`,
      category: "espresso-machines",
      version: 2,
      billOfMaterials: [{ part: { id: gasket.id }, quantity: 1, serviceableSeparately: true }],
      repairStandards: [{ failureCode: "E02", hours: 3 }],
      fittings: [{ id: beans.id }],
    });
    // when: a new bill of materials and no fittings
    const rebuilt = await updateProduct({
      id: machine.id,
      version: 2,
      billOfMaterials: [{ partId: valve.id, quantity: 3, serviceableSeparately: false }],
      fittingIds: [],
    });
    // then
    expect(rebuilt.errors).toEqual([]);
    const stored = await readProduct(machine.id);
    expect(stored).toMatchObject({
      name: `Renamed ${t}`,
      version: 3,
      billOfMaterials: [{ part: { id: valve.id }, quantity: 3, serviceableSeparately: false }],
      repairStandards: [{ failureCode: "E02", hours: 3 }],
      fittings: [],
    });
  });

  it("refuses an update made on a stale version and keeps the stored data", async () => {
    // given: someone else renamed the product after we read version 1
    const part = await createProduct(graph, { kind: "SPARE_PART" });
    const machine = await createProduct(graph, { name: "Original", billOfMaterials: [{ partId: part.id, quantity: 1 }] });
    await updateProduct({ id: machine.id, version: 1, name: "Renamed by someone else" });
    // when
    const ours = await updateProduct({ id: machine.id, version: 1, name: "Our rename", billOfMaterials: [] });
    // then
    expect(ours).toEqual({ product: null, errors: [expect.objectContaining({ code: "STALE_VERSION", field: ["version"] })] });
    expect(await readProduct(machine.id)).toMatchObject({
      name: "Renamed by someone else",
      version: 2,
      billOfMaterials: [{ part: { id: part.id }, quantity: 1 }],
    });
  });

  it.each<{ problem: string; change: (self: string) => Record<string, unknown>; code: string; field: string[] }>([
    { problem: "a product as its own successor", change: (self) => ({ successorId: self }), code: "SELF_REFERENCE", field: ["successorId"] },
    { problem: "a product as its own fitting", change: (self) => ({ fittingIds: [self] }), code: "SELF_REFERENCE", field: ["fittingIds", "0"] },
    { problem: "clearing the name", change: () => ({ name: null }), code: "REQUIRED", field: ["name"] },
    { problem: "null for the bill of materials", change: () => ({ billOfMaterials: null }), code: "REQUIRED", field: ["billOfMaterials"] },
    { problem: "null for the fittings", change: () => ({ fittingIds: null }), code: "REQUIRED", field: ["fittingIds"] },
    { problem: "an invalid category", change: () => ({ category: "Not a slug" }), code: "INVALID_FORMAT", field: ["category"] },
  ])("refuses an update with $problem and keeps the product as it was", async ({ change, code, field }) => {
    // given
    const machine = await createProduct(graph, { name: "Unchanged", category: "grinders" });
    // when
    const refused = await updateProduct({ id: machine.id, version: 1, ...change(machine.id) });
    // then
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code, field })] });
    expect(await readProduct(machine.id)).toMatchObject({ name: "Unchanged", category: "grinders", version: 1, successor: null, fittings: [] });
  });

  it("refuses an update of an unknown product", async () => {
    const refused = await updateProduct({ id: "prd_unknown", version: 1, name: "Ghost" });
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code: "PRODUCT_NOT_FOUND", field: ["id"] })] });
  });

  it.each<{ query: Operation<unknown, Record<string, never>>; given: string }>([
    { query: graphql(`query CatalogProductByIdAndSkuAtOnce { product(id: "prd_x", sku: "X") { id } }`), given: "both an id and a SKU" },
    { query: graphql(`query CatalogProductByNothing { product { id } }`), given: "neither an id nor a SKU" },
  ])("answers a product query with $given with a BAD_USER_INPUT error", async ({ query }) => {
    const response = await graph.request(query);
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.errors?.[0]?.message).toMatch(/exactly one of `id` and `sku`/);
  });

  it("answers null for a SKU no product has", async () => {
    expect(await productBySku(sku("NONE"))).toBeNull();
  });
});

describe("lifecycle", () => {
  const CHANGE_LIFECYCLE = graphql(`mutation CatalogChangeProductLifecycle($input: ChangeProductLifecycleInput!) {
    changeProductLifecycle(input: $input) {
      product { id lifecycleStage discontinuedOn partsGuaranteedUntil successor { id } version }
      errors { code field message } } }`);

  const changeLifecycle = async (input: ChangeProductLifecycleInput) => (await graph.query(CHANGE_LIFECYCLE, { input })).changeProductLifecycle;

  const lifecycleOf = async (id: string) => {
    const { product } = await graph.query(
      graphql(`query CatalogProductLifecycleStageVersion($id: ID!) { product(id: $id) {
        lifecycleStage version discontinuedOn partsGuaranteedUntil successor { id } lifecycleHistory { fromStage toStage effectiveOn note } } }`),
      { id },
    );
    if (!product) throw new Error(`No product ${id}.`);
    return product;
  };

  it("moves a product through its stages and lists every change in order", async () => {
    // given: a product launched on 2024-01-15
    const product = await createProduct(graph);
    // when
    const steps: { stage: LifecycleStage; effectiveOn: string; note?: string }[] = [
      { stage: "GROWTH", effectiveOn: "2025-02-01", note: "Launch campaign over" },
      { stage: "MATURITY", effectiveOn: "2025-06-01" },
      { stage: "DECLINE", effectiveOn: "2025-09-15" },
      { stage: "GROWTH", effectiveOn: "2025-10-01", note: "Relaunch" },
    ];
    const versions: number[] = [];
    for (const [i, step] of steps.entries()) {
      const changed = await changeLifecycle({ productId: product.id, version: i + 1, ...step });
      expect(changed.errors).toEqual([]);
      versions.push(changed.product?.version ?? 0);
    }
    // then
    expect(versions).toEqual([2, 3, 4, 5]);
    const stored = await lifecycleOf(product.id);
    expect(stored).toEqual({
      lifecycleStage: "GROWTH",
      version: 5,
      discontinuedOn: null,
      partsGuaranteedUntil: null,
      successor: null,
      lifecycleHistory: [
        { fromStage: null, toStage: "INTRODUCTION", effectiveOn: "2024-01-15", note: null },
        { fromStage: "INTRODUCTION", toStage: "GROWTH", effectiveOn: "2025-02-01", note: "Launch campaign over" },
        { fromStage: "GROWTH", toStage: "MATURITY", effectiveOn: "2025-06-01", note: null },
        { fromStage: "MATURITY", toStage: "DECLINE", effectiveOn: "2025-09-15", note: null },
        { fromStage: "DECLINE", toStage: "GROWTH", effectiveOn: "2025-10-01", note: "Relaunch" },
      ],
    });
  });

  it("refuses a change dated before the product's last change, and keeps the history in order", async () => {
    // given
    const product = await createProduct(graph);
    expect((await changeLifecycle({ productId: product.id, version: 1, stage: "GROWTH", effectiveOn: "2025-05-01" })).errors).toEqual([]);
    // when
    const refused = await changeLifecycle({ productId: product.id, version: 2, stage: "MATURITY", effectiveOn: "2025-04-30" });
    // then
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code: "BEFORE_LAST_EVENT", field: ["effectiveOn"] })] });
    const stored = await lifecycleOf(product.id);
    expect(stored.lifecycleStage).toBe("GROWTH");
    expect(stored.lifecycleHistory.map((c) => c.effectiveOn)).toEqual(["2024-01-15", "2025-05-01"]);
  });

  it("starts a product's history today unless told when it was introduced, and never in the future", async () => {
    const today = todayUtc();
    const launchedToday = await createProduct(graph, { introducedOn: null });
    expect((await lifecycleOf(launchedToday.id)).lifecycleHistory[0]?.effectiveOn).toBe(today);
    const input = productInput({ introducedOn: addDays(today, 5) });
    const { createProduct: refused } = await graph.query(
      graphql(
        `mutation CatalogCreateProductProductErrors($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code field } } }`,
      ),
      { input },
    );
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code: "DATE_IN_FUTURE", field: ["introducedOn"] })] });
  });

  it("discontinues a product with parts guaranteed for ten years and names its successor", async () => {
    // given
    const product = await createProduct(graph);
    const successor = await createProduct(graph);
    await changeLifecycle({ productId: product.id, version: 1, stage: "DECLINE", effectiveOn: "2025-01-15" });
    // when
    const discontinued = await changeLifecycle({
      productId: product.id,
      version: 2,
      stage: "DISCONTINUED",
      effectiveOn: "2025-03-31",
      successorId: successor.id,
      note: "Replaced by the 300",
    });
    // then
    expect(discontinued).toEqual({
      product: {
        id: product.id,
        lifecycleStage: "DISCONTINUED",
        discontinuedOn: "2025-03-31",
        partsGuaranteedUntil: "2035-03-31",
        successor: { id: successor.id },
        version: 3,
      },
      errors: [],
    });
    expect((await lifecycleOf(product.id)).lifecycleHistory.at(-1)).toEqual({
      fromStage: "DECLINE",
      toStage: "DISCONTINUED",
      effectiveOn: "2025-03-31",
      note: "Replaced by the 300",
    });
  });

  it("guarantees parts for the years given, from a leap day to the 28th of February", async () => {
    // given
    const product = await createProduct(graph);
    // when
    const discontinued = await changeLifecycle({
      productId: product.id,
      version: 1,
      stage: "DISCONTINUED",
      effectiveOn: "2024-02-29",
      partsGuaranteeYears: 7,
    });
    // then
    expect(discontinued.product).toMatchObject({ discontinuedOn: "2024-02-29", partsGuaranteedUntil: "2031-02-28", successor: null });
  });

  it.each<{ stage: LifecycleStage; refused: string }>([
    { stage: "GROWTH", refused: "back into the market" },
    { stage: "DISCONTINUED", refused: "discontinued again" },
  ])("keeps a discontinued product discontinued: refuses it $refused", async ({ stage }) => {
    // given
    const product = await createProduct(graph);
    await changeLifecycle({ productId: product.id, version: 1, stage: "DISCONTINUED", effectiveOn: "2025-03-31" });
    // when
    const refused = await changeLifecycle({ productId: product.id, version: 2, stage, effectiveOn: "2025-05-01" });
    // then
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code: "LIFECYCLE_FINAL", field: ["stage"] })] });
    const stored = await lifecycleOf(product.id);
    expect(stored).toMatchObject({ lifecycleStage: "DISCONTINUED", version: 2, discontinuedOn: "2025-03-31", partsGuaranteedUntil: "2035-03-31" });
    expect(stored.lifecycleHistory).toHaveLength(2);
  });

  it.each<{
    problem: string;
    input: (r: { product: string; other: string; consumable: string }) => Partial<ChangeProductLifecycleInput> & Pick<ChangeProductLifecycleInput, "stage">;
    code: string;
    field: string[];
  }>([
    { problem: "the stage it is in", input: () => ({ stage: "INTRODUCTION" }), code: "SAME_STAGE", field: ["stage"] },
    {
      problem: "a parts guarantee when not discontinuing",
      input: () => ({ stage: "GROWTH", partsGuaranteeYears: 5 }),
      code: "ONLY_WHEN_DISCONTINUING",
      field: ["partsGuaranteeYears"],
    },
    {
      problem: "a successor when not discontinuing",
      input: (r) => ({ stage: "MATURITY", successorId: r.other }),
      code: "ONLY_WHEN_DISCONTINUING",
      field: ["successorId"],
    },
    {
      problem: "a parts guarantee of 31 years",
      input: () => ({ stage: "DISCONTINUED", partsGuaranteeYears: 31 }),
      code: "OUT_OF_RANGE",
      field: ["partsGuaranteeYears"],
    },
    {
      problem: "a successor of another kind",
      input: (r) => ({ stage: "DISCONTINUED", successorId: r.consumable }),
      code: "WRONG_PRODUCT_KIND",
      field: ["successorId"],
    },
    {
      problem: "the product as its own successor",
      input: (r) => ({ stage: "DISCONTINUED", successorId: r.product }),
      code: "SELF_REFERENCE",
      field: ["successorId"],
    },
    {
      problem: "a change taking effect in the future",
      input: () => ({ stage: "GROWTH", effectiveOn: inAFewDays() }),
      code: "DATE_IN_FUTURE",
      field: ["effectiveOn"],
    },
    { problem: "a stale version", input: () => ({ stage: "GROWTH", version: 2 }), code: "STALE_VERSION", field: ["version"] },
    { problem: "an unknown product", input: () => ({ stage: "GROWTH", productId: "prd_unknown" }), code: "PRODUCT_NOT_FOUND", field: ["productId"] },
  ])("refuses a change to $problem and leaves the product in its stage", async ({ input, code, field }) => {
    // given
    const product = await createProduct(graph);
    const other = await createProduct(graph);
    const consumable = await createProduct(graph, { kind: "CONSUMABLE" });
    // when
    const refused = await changeLifecycle({
      productId: product.id,
      version: 1,
      effectiveOn: "2025-04-01",
      ...input({ product: product.id, other: other.id, consumable: consumable.id }),
    });
    // then
    expect(refused).toEqual({ product: null, errors: [expect.objectContaining({ code, field })] });
    const stored = await lifecycleOf(product.id);
    expect(stored).toMatchObject({ lifecycleStage: "INTRODUCTION", version: 1, discontinuedOn: null, partsGuaranteedUntil: null, successor: null });
    expect(stored.lifecycleHistory).toHaveLength(1);
  });
});

describe("units", () => {
  const UNIT_DETAILS = graphql(`fragment CatalogUnitDetails on Unit {
    id serialNumber status version soldOn deliveredOn installedOn retiredOn
    product { id } customer { id } dealer { id } soldBy { id } purchasePrice { amount currency }
    events { kind occurredOn statusAfter customer { id } note } }`);

  type Unit = CatalogUnitDetailsFragment;

  interface UnitPayload {
    unit: Unit | null;
    errors: CatalogError[];
  }

  type UnitMutation = "registerUnit" | "sellUnit" | "recordUnitEvent" | "transferUnit";

  const mutateUnit = async (mutation: UnitMutation, input: Record<string, unknown>): Promise<UnitPayload> => {
    const inputType = `${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input`;
    // One operation per mutation the tables name, written from its name: no literal for graphql().
    const data = await graph.query<Record<string, UnitPayload>>(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { unit { ...CatalogUnitDetails } errors { code field message } } } ${UNIT_DETAILS}`,
      { input },
    );
    const payload = data[mutation];
    if (!payload) throw new Error(`no ${mutation} payload`);
    return payload;
  };

  const unitBySerialNumber = async (serialNumber: string) => {
    const { unit } = await graph.query(graphql(`query CatalogUnitBySerialNumber($s: String!) { unit(serialNumber: $s) { ...CatalogUnitDetails } }`), {
      s: serialNumber,
    });
    return unit;
  };

  const PRICE = { amount: "1299.00", currency: "EUR" };

  /** A dealer, two of its customers and a piece of equipment. */
  const installedBase = async () => {
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    const otherCustomer = await createCustomer(graph, dealer.id);
    const product = await createProduct(graph);
    return { dealer, customer, otherCustomer, product };
  };

  it("registers a unit of equipment in a dealer's stock", async () => {
    // given
    const { dealer, product } = await installedBase();
    const serialNumber = `SN-${tag()}/2025.A_1`;
    // when
    const registered = await mutateUnit("registerUnit", {
      serialNumber: ` ${serialNumber} `,
      productId: product.id,
      dealerId: dealer.id,
      registeredOn: "2025-01-10",
    });
    // then
    expect(registered.errors).toEqual([]);
    expect(await unitBySerialNumber(serialNumber)).toEqual({
      id: registered.unit?.id,
      serialNumber,
      status: "IN_STOCK",
      version: 1,
      soldOn: null,
      deliveredOn: null,
      installedOn: null,
      retiredOn: null,
      product: { id: product.id },
      customer: null,
      dealer: { id: dealer.id },
      soldBy: null,
      purchasePrice: null,
      events: [{ kind: "REGISTERED", occurredOn: "2025-01-10", statusAfter: "IN_STOCK", customer: null, note: null }],
    });
  });

  it("registers a unit today when no date is given", async () => {
    const { dealer, product } = await installedBase();
    const from = todayUtc();
    const registered = await mutateUnit("registerUnit", { serialNumber: `SN-${tag()}`, productId: product.id, dealerId: dealer.id });
    expect([from, todayUtc()]).toContain(registered.unit?.events[0]?.occurredOn);
  });

  it.each<{ problem: string; input: (r: { consumable: string; part: string }) => Record<string, unknown>; code: string; field: string[] }>([
    { problem: "a consumable", input: (r) => ({ productId: r.consumable }), code: "WRONG_PRODUCT_KIND", field: ["productId"] },
    { problem: "a spare part", input: (r) => ({ productId: r.part }), code: "WRONG_PRODUCT_KIND", field: ["productId"] },
    { problem: "an unknown product", input: () => ({ productId: "prd_unknown" }), code: "PRODUCT_NOT_FOUND", field: ["productId"] },
    { problem: "a serial number with a space", input: () => ({ serialNumber: `SN ${tag()}` }), code: "INVALID_FORMAT", field: ["serialNumber"] },
    { problem: "a serial number starting with a dash", input: () => ({ serialNumber: `-SN${tag()}` }), code: "INVALID_FORMAT", field: ["serialNumber"] },
    {
      problem: "a serial number of 65 characters",
      input: () => ({ serialNumber: `SN${tag()}`.padEnd(65, "0") }),
      code: "INVALID_FORMAT",
      field: ["serialNumber"],
    },
    { problem: "a registration in the future", input: () => ({ registeredOn: inAFewDays() }), code: "DATE_IN_FUTURE", field: ["registeredOn"] },
  ])("refuses to register $problem and writes nothing", async ({ input, code, field }) => {
    // given
    const { dealer, product } = await installedBase();
    const consumable = await createProduct(graph, { kind: "CONSUMABLE" });
    const part = await createProduct(graph, { kind: "SPARE_PART" });
    const attempt = {
      serialNumber: `SN-${tag()}`,
      productId: product.id,
      dealerId: dealer.id,
      registeredOn: "2025-01-10",
      ...input({ consumable: consumable.id, part: part.id }),
    };
    // when
    const refused = await mutateUnit("registerUnit", attempt);
    // then
    expect(refused).toEqual({ unit: null, errors: [expect.objectContaining({ code, field })] });
    expect(await unitBySerialNumber(String(attempt.serialNumber))).toBeNull();
    const { units } = await graph.query(graphql(`query CatalogUnits($d: ID) { units(filter: { dealerId: $d }) { edges { cursor } } }`), {
      d: dealer.id,
    });
    expect(units.edges).toHaveLength(0);
  });

  it("refuses a second unit with the same serial number and keeps the first", async () => {
    // given
    const { dealer, product } = await installedBase();
    const otherDealer = await createDealer(graph);
    const first = await registerUnit(graph, product.id, dealer.id);
    const serialNumber = (await graph.query(graphql(`query CatalogUnit($id: ID!) { unit(id: $id) { serialNumber } }`), { id: first.id })).unit!.serialNumber;
    // when
    const second = await mutateUnit("registerUnit", { serialNumber: `${serialNumber} `, productId: product.id, dealerId: otherDealer.id });
    // then
    expect(second).toEqual({ unit: null, errors: [expect.objectContaining({ code: "DUPLICATE_SERIAL_NUMBER", field: ["serialNumber"] })] });
    expect(await unitBySerialNumber(serialNumber)).toMatchObject({ id: first.id, dealer: { id: dealer.id }, version: 1 });
  });

  it("sells one unit by serial number and another by id, through another dealer", async () => {
    // given
    const { dealer, customer, product } = await installedBase();
    const sellingDealer = await createDealer(graph);
    const bySerial = `SN-${tag()}`;
    await registerUnit(graph, product.id, dealer.id, { serialNumber: bySerial });
    const byId = await registerUnit(graph, product.id, dealer.id);
    // when
    const first = await mutateUnit("sellUnit", { serialNumber: bySerial, customerId: customer.id, price: PRICE, soldOn: "2025-02-01" });
    const second = await mutateUnit("sellUnit", {
      unitId: byId.id,
      customerId: customer.id,
      dealerId: sellingDealer.id,
      price: { amount: "1199.50", currency: "eur" },
      soldOn: "2025-02-03",
    });
    // then
    expect(first.errors).toEqual([]);
    expect(first.unit).toMatchObject({
      serialNumber: bySerial,
      status: "SOLD",
      version: 2,
      soldOn: "2025-02-01",
      customer: { id: customer.id },
      dealer: { id: dealer.id },
      soldBy: { id: dealer.id },
      purchasePrice: PRICE,
      events: [
        { kind: "REGISTERED", occurredOn: "2025-01-10", statusAfter: "IN_STOCK", customer: null, note: null },
        { kind: "SOLD", occurredOn: "2025-02-01", statusAfter: "SOLD", customer: { id: customer.id }, note: null },
      ],
    });
    expect(second.errors).toEqual([]);
    expect(second.unit).toMatchObject({
      id: byId.id,
      status: "SOLD",
      soldOn: "2025-02-03",
      customer: { id: customer.id },
      dealer: { id: sellingDealer.id },
      soldBy: { id: sellingDealer.id },
      purchasePrice: { amount: "1199.50", currency: "EUR" },
    });
  });

  it("follows a unit from sale to retirement, a repair returning it to installed", async () => {
    // given
    const { dealer, customer, otherCustomer, product } = await installedBase();
    const serialNumber = `SN-${tag()}`;
    const { id: unitId } = await registerUnit(graph, product.id, dealer.id, { serialNumber });
    // when
    const steps: [UnitMutation, Record<string, unknown>][] = [
      ["sellUnit", { serialNumber, customerId: customer.id, price: PRICE, soldOn: "2025-02-01" }],
      ["recordUnitEvent", { serialNumber, kind: "DELIVERED", occurredOn: "2025-02-03" }],
      ["recordUnitEvent", { unitId, kind: "INSTALLED", occurredOn: "2025-02-04" }],
      ["recordUnitEvent", { unitId, kind: "COMMISSIONED", occurredOn: "2025-02-04", note: "Water hardness set to 3" }],
      ["recordUnitEvent", { serialNumber, kind: "REPAIR_STARTED", occurredOn: "2025-05-10" }],
      ["recordUnitEvent", { serialNumber, kind: "REPAIRED", occurredOn: "2025-05-12" }],
      ["transferUnit", { unitId, newCustomerId: otherCustomer.id, occurredOn: "2025-07-01", note: "Sold on with the café" }],
      ["recordUnitEvent", { unitId, kind: "RETIRED", occurredOn: "2025-12-31" }],
    ];
    const statuses: string[] = [];
    for (const [mutation, input] of steps) {
      const payload = await mutateUnit(mutation, input);
      expect(payload.errors).toEqual([]);
      statuses.push(payload.unit?.status ?? "refused");
    }
    // then
    expect(statuses).toEqual(["SOLD", "DELIVERED", "INSTALLED", "INSTALLED", "IN_REPAIR", "INSTALLED", "INSTALLED", "RETIRED"]);
    const a = { id: customer.id };
    const b = { id: otherCustomer.id };
    expect(await unitBySerialNumber(serialNumber)).toEqual({
      id: unitId,
      serialNumber,
      status: "RETIRED",
      version: 9,
      soldOn: "2025-02-01",
      deliveredOn: "2025-02-03",
      installedOn: "2025-02-04",
      retiredOn: "2025-12-31",
      product: { id: product.id },
      customer: b,
      dealer: { id: dealer.id },
      soldBy: { id: dealer.id },
      purchasePrice: PRICE,
      events: [
        { kind: "REGISTERED", occurredOn: "2025-01-10", statusAfter: "IN_STOCK", customer: null, note: null },
        { kind: "SOLD", occurredOn: "2025-02-01", statusAfter: "SOLD", customer: a, note: null },
        { kind: "DELIVERED", occurredOn: "2025-02-03", statusAfter: "DELIVERED", customer: a, note: null },
        { kind: "INSTALLED", occurredOn: "2025-02-04", statusAfter: "INSTALLED", customer: a, note: null },
        { kind: "COMMISSIONED", occurredOn: "2025-02-04", statusAfter: "INSTALLED", customer: a, note: "Water hardness set to 3" },
        { kind: "REPAIR_STARTED", occurredOn: "2025-05-10", statusAfter: "IN_REPAIR", customer: a, note: null },
        { kind: "REPAIRED", occurredOn: "2025-05-12", statusAfter: "INSTALLED", customer: a, note: null },
        { kind: "TRANSFERRED", occurredOn: "2025-07-01", statusAfter: "INSTALLED", customer: b, note: "Sold on with the café" },
        { kind: "RETIRED", occurredOn: "2025-12-31", statusAfter: "RETIRED", customer: b, note: null },
      ],
    });
  });

  it.each([
    { history: [{ kind: "DELIVERED", occurredOn: "2025-02-03" }], back: "DELIVERED" },
    { history: [], back: "SOLD" },
  ])("returns a repaired unit to $back when it was $back before the repair", async ({ history, back }) => {
    // given
    const { dealer, customer, product } = await installedBase();
    const serialNumber = `SN-${tag()}`;
    await registerUnit(graph, product.id, dealer.id, { serialNumber });
    await mutateUnit("sellUnit", { serialNumber, customerId: customer.id, price: PRICE, soldOn: "2025-02-01" });
    for (const event of history) await mutateUnit("recordUnitEvent", { serialNumber, ...event });
    await mutateUnit("recordUnitEvent", { serialNumber, kind: "REPAIR_STARTED", occurredOn: "2025-03-01" });
    // when
    const repaired = await mutateUnit("recordUnitEvent", { serialNumber, kind: "REPAIRED", occurredOn: "2025-03-05" });
    // then
    expect(repaired.errors).toEqual([]);
    expect(repaired.unit).toMatchObject({
      status: back,
      installedOn: null,
      events: expect.arrayContaining([expect.objectContaining({ kind: "REPAIRED", statusAfter: back })]),
    });
  });

  interface RefusalCase {
    refusal: string;
    /** The unit starts in stock (registered 2025-01-10) or sold (2025-03-01, to `owner`). */
    sold: boolean;
    mutation: UnitMutation;
    input: (unit: { id: string; serialNumber: string; owner: string; other: string }) => Record<string, unknown>;
    code: string;
    field: string[] | null;
  }

  it.each<RefusalCase>([
    {
      refusal: "delivering a unit that is still in stock",
      sold: false,
      mutation: "recordUnitEvent",
      input: (u) => ({ serialNumber: u.serialNumber, kind: "DELIVERED", occurredOn: "2025-04-01" }),
      code: "INVALID_TRANSITION",
      field: ["kind"],
    },
    {
      refusal: "finishing a repair that never started",
      sold: true,
      mutation: "recordUnitEvent",
      input: (u) => ({ unitId: u.id, kind: "REPAIRED", occurredOn: "2025-04-01" }),
      code: "INVALID_TRANSITION",
      field: ["kind"],
    },
    {
      refusal: "selling a unit that was sold",
      sold: true,
      mutation: "sellUnit",
      input: (u) => ({ serialNumber: u.serialNumber, customerId: u.other, price: PRICE, soldOn: "2025-04-01" }),
      code: "INVALID_TRANSITION",
      field: null,
    },
    {
      refusal: "transferring a unit that is still in stock",
      sold: false,
      mutation: "transferUnit",
      input: (u) => ({ unitId: u.id, newCustomerId: u.other, occurredOn: "2025-04-01" }),
      code: "INVALID_TRANSITION",
      field: null,
    },
    {
      refusal: "an event dated before the unit's last event",
      sold: true,
      mutation: "recordUnitEvent",
      input: (u) => ({ serialNumber: u.serialNumber, kind: "DELIVERED", occurredOn: "2025-02-28" }),
      code: "BEFORE_LAST_EVENT",
      field: ["occurredOn"],
    },
    {
      refusal: "a sale dated before the unit was registered",
      sold: false,
      mutation: "sellUnit",
      input: (u) => ({ unitId: u.id, customerId: u.owner, price: PRICE, soldOn: "2025-01-09" }),
      code: "BEFORE_LAST_EVENT",
      field: ["soldOn"],
    },
    {
      refusal: "an event in the future",
      sold: true,
      mutation: "recordUnitEvent",
      input: (u) => ({ unitId: u.id, kind: "DELIVERED", occurredOn: inAFewDays() }),
      code: "DATE_IN_FUTURE",
      field: ["occurredOn"],
    },
    {
      refusal: "a sale in the future",
      sold: false,
      mutation: "sellUnit",
      input: (u) => ({ unitId: u.id, customerId: u.owner, price: PRICE, soldOn: inAFewDays() }),
      code: "DATE_IN_FUTURE",
      field: ["soldOn"],
    },
    {
      refusal: "a transfer to the customer who owns the unit",
      sold: true,
      mutation: "transferUnit",
      input: (u) => ({ serialNumber: u.serialNumber, newCustomerId: u.owner, occurredOn: "2025-04-01" }),
      code: "SAME_OWNER",
      field: ["newCustomerId"],
    },
    {
      refusal: "a sale with a price in fractions of a cent",
      sold: false,
      mutation: "sellUnit",
      input: (u) => ({ unitId: u.id, customerId: u.owner, price: { amount: "10.005", currency: "EUR" }, soldOn: "2025-04-01" }),
      code: "INVALID_AMOUNT",
      field: ["price", "amount"],
    },
    {
      refusal: "a sale in yen with a fraction of a yen",
      sold: false,
      mutation: "sellUnit",
      input: (u) => ({ unitId: u.id, customerId: u.owner, price: { amount: "129800.50", currency: "JPY" }, soldOn: "2025-04-01" }),
      code: "INVALID_AMOUNT",
      field: ["price", "amount"],
    },
    {
      refusal: "a unit named by both id and serial number",
      sold: true,
      mutation: "recordUnitEvent",
      input: (u) => ({ unitId: u.id, serialNumber: u.serialNumber, kind: "DELIVERED", occurredOn: "2025-04-01" }),
      code: "UNIT_REFERENCE_REQUIRED",
      field: ["unitId"],
    },
    {
      refusal: "a unit named by neither id nor serial number",
      sold: false,
      mutation: "sellUnit",
      input: (u) => ({ customerId: u.owner, price: PRICE, soldOn: "2025-04-01" }),
      code: "UNIT_REFERENCE_REQUIRED",
      field: ["unitId"],
    },
    {
      refusal: "an unknown serial number",
      sold: true,
      mutation: "transferUnit",
      input: (u) => ({ serialNumber: `${u.serialNumber}-X`, newCustomerId: u.other, occurredOn: "2025-04-01" }),
      code: "UNIT_NOT_FOUND",
      field: ["serialNumber"],
    },
    {
      refusal: "an unknown unit id",
      sold: true,
      mutation: "recordUnitEvent",
      input: () => ({ unitId: "unt_unknown", kind: "DELIVERED", occurredOn: "2025-04-01" }),
      code: "UNIT_NOT_FOUND",
      field: ["unitId"],
    },
  ])("refuses $refusal and leaves the unit as it was", async ({ sold, mutation, input, code, field }) => {
    // given
    const { dealer, customer, otherCustomer, product } = await installedBase();
    const serialNumber = `SN-${tag()}`;
    const { id } = await registerUnit(graph, product.id, dealer.id, { serialNumber });
    if (sold) await mutateUnit("sellUnit", { unitId: id, customerId: customer.id, price: PRICE, soldOn: "2025-03-01" });
    const before = await unitBySerialNumber(serialNumber);
    // when
    const refused = await mutateUnit(mutation, input({ id, serialNumber, owner: customer.id, other: otherCustomer.id }));
    // then
    expect(refused).toEqual({ unit: null, errors: [expect.objectContaining({ code, field })] });
    expect(refused.errors[0]?.message).toMatch(/\w+/);
    const after = await unitBySerialNumber(serialNumber);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: sold ? "SOLD" : "IN_STOCK", version: sold ? 2 : 1 });
    expect(after?.events).toHaveLength(sold ? 2 : 1);
  });

  it("takes each currency's own decimals, says how many when there are more, and writes amounts and events with exactly them", async () => {
    // given a unit in stock and a product to price
    const { dealer, customer } = await installedBase();
    const product = await createProduct(graph, { listPrice: { amount: "12.5", currency: "KWD" } });
    const { id } = await registerUnit(graph, product.id, dealer.id);
    // when it is sold for a price in yen with decimals, then refused, saying yen have none
    const refused = await mutateUnit("sellUnit", { unitId: id, customerId: customer.id, price: { amount: "129800.5", currency: "JPY" }, soldOn: "2025-04-01" });
    expect(refused.errors).toEqual([
      { code: "INVALID_AMOUNT", field: ["price", "amount"], message: "`price` must be zero or more with no decimals, as JPY has none." },
    ]);
    // when it is sold for whole yen, then the price reads in whole yen, as a partner's system stores yen
    const sold = await mutateUnit("sellUnit", { unitId: id, customerId: customer.id, price: { amount: "129800", currency: "JPY" }, soldOn: "2025-04-01" });
    expect(sold.unit?.purchasePrice).toEqual({ amount: "129800", currency: "JPY" });
    // and a list price in dinars takes three decimals, written out to the fils
    const { product: priced } = await graph.query(graphql(`query CatalogProductListPrice($id: ID!) { product(id: $id) { listPrice { amount currency } } }`), {
      id: product.id,
    });
    expect(priced?.listPrice).toEqual({ amount: "12.500", currency: "KWD" });
    // and the events say the same
    const rows = await executeRows<{ type: string; payload: Record<string, unknown> }>(
      handle.db,
      sql`select type, payload from catalog.outbox where aggregate_id in (${id}, ${product.id}) and type in ('unit.sold', 'product.created')`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.type, row.payload.purchasePrice ?? row.payload.listPrice]))).toEqual({
      "unit.sold": { amount: "129800", currency: "JPY" },
      "product.created": { amount: "12.500", currency: "KWD" },
    });
  });

  it("reports an unknown unit together with the other problems of a sale", async () => {
    const { customer } = await installedBase();
    const refused = await mutateUnit("sellUnit", {
      serialNumber: "NO-SUCH-UNIT",
      customerId: customer.id,
      price: { amount: "-5.00", currency: "EUR" },
      soldOn: "2025-04-01",
    });
    expect(refused.errors.map((e) => [e.code, e.field])).toEqual([
      ["INVALID_AMOUNT", ["price", "amount"]],
      ["UNIT_NOT_FOUND", ["serialNumber"]],
    ]);
  });

  it("refuses any event on a retired unit", async () => {
    // given
    const { dealer, product } = await installedBase();
    const serialNumber = `SN-${tag()}`;
    await registerUnit(graph, product.id, dealer.id, { serialNumber });
    await mutateUnit("recordUnitEvent", { serialNumber, kind: "RETIRED", occurredOn: "2025-02-01" });
    // when
    const refused = await mutateUnit("recordUnitEvent", { serialNumber, kind: "REPAIR_STARTED", occurredOn: "2025-03-01" });
    // then
    expect(refused.errors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION", field: ["kind"] })]);
    expect(await unitBySerialNumber(serialNumber)).toMatchObject({ status: "RETIRED", retiredOn: "2025-02-01", version: 2 });
  });
});

describe("the installed base across subgraphs", () => {
  const PRICE = { amount: "899.00", currency: "EUR" };

  const sell = async (input: Omit<SellUnitInput, "price" | "soldOn">) => {
    const { sellUnit } = await graph.query(
      graphql(`mutation CatalogSellUnit($input: SellUnitInput!) { sellUnit(input: $input) { unit { id } errors { code field message } } }`),
      { input: { price: PRICE, soldOn: "2025-02-01", ...input } },
    );
    expect(sellUnit.errors).toEqual([]);
  };

  interface UnitConnection {
    edges: { node: { serialNumber: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }

  const serialsOf = (connection: UnitConnection) => connection.edges.map((edge) => edge.node.serialNumber);

  it("names the owner, the dealers and the product of a unit from the subgraphs that own them", async () => {
    // given
    const t = tag();
    const stocking = await createDealer(graph, { name: `Stocking dealer ${t}` });
    const selling = await createDealer(graph, { name: `Selling dealer ${t}` });
    const customer = await createCustomer(graph, selling.id, { name: `Jane Roe ${t}` });
    const product = await createProduct(graph, { name: `Espresso ${t}` });
    const sold = `SN-${t}-SOLD`;
    const inStock = `SN-${t}-STOCK`;
    await registerUnit(graph, product.id, stocking.id, { serialNumber: sold });
    await registerUnit(graph, product.id, stocking.id, { serialNumber: inStock });
    await sell({ serialNumber: sold, customerId: customer.id, dealerId: selling.id });
    // when
    const data = await graph.query(
      graphql(`query CatalogUnitCustomerSoldBy($sold: String!, $inStock: String!) {
        sold: unit(serialNumber: $sold) { customer { name } soldBy { name } dealer { name } product { name } }
        inStock: unit(serialNumber: $inStock) { customer { name } soldBy { name } dealer { name } product { name } } }`),
      { sold, inStock },
    );
    // then
    expect(data).toEqual({
      sold: {
        customer: { name: `Jane Roe ${t}` },
        soldBy: { name: `Selling dealer ${t}` },
        dealer: { name: `Selling dealer ${t}` },
        product: { name: `Espresso ${t}` },
      },
      inStock: { customer: null, soldBy: null, dealer: { name: `Stocking dealer ${t}` }, product: { name: `Espresso ${t}` } },
    });
  });

  it("lists a customer's units by serial number, a transferred unit under its new owner", async () => {
    // given
    const t = tag();
    const dealer = await createDealer(graph);
    const jane = await createCustomer(graph, dealer.id);
    const john = await createCustomer(graph, dealer.id);
    const product = await createProduct(graph);
    for (const [suffix, owner] of [
      ["C", jane],
      ["A", jane],
      ["B", john],
      ["D", john],
    ] as const) {
      await registerUnit(graph, product.id, dealer.id, { serialNumber: `SN-${t}-${suffix}` });
      await sell({ serialNumber: `SN-${t}-${suffix}`, customerId: owner.id });
    }
    const { transferUnit } = await graph.query(
      graphql(`mutation CatalogTransferUnit($input: TransferUnitInput!) { transferUnit(input: $input) { unit { id } errors { code } } }`),
      { input: { serialNumber: `SN-${t}-B`, newCustomerId: jane.id, occurredOn: "2025-03-01" } },
    );
    expect(transferUnit.errors).toEqual([]);
    // when
    const data = await graph.query(
      graphql(`query CatalogUnitsOfTwoCustomers($jane: ID!, $john: ID!) {
        jane: customer(id: $jane) { name units { edges { node { serialNumber } } pageInfo { hasNextPage endCursor } } }
        john: customer(id: $john) { units { edges { node { serialNumber } } pageInfo { hasNextPage endCursor } } } }`),
      { jane: jane.id, john: john.id },
    );
    // then
    expect(serialsOf(data.jane!.units)).toEqual([`SN-${t}-A`, `SN-${t}-B`, `SN-${t}-C`]);
    expect(serialsOf(data.john!.units)).toEqual([`SN-${t}-D`]);
  });

  it("lists the units a dealer sold, not those still in its stock", async () => {
    // given
    const t = tag();
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    const product = await createProduct(graph);
    for (const suffix of ["A", "B", "C", "D"]) await registerUnit(graph, product.id, dealer.id, { serialNumber: `SN-${t}-${suffix}` });
    await sell({ serialNumber: `SN-${t}-D`, customerId: customer.id });
    await sell({ serialNumber: `SN-${t}-B`, customerId: customer.id });
    // when
    const { dealer: data } = await graph.query(
      graphql(`query CatalogDealer($id: ID!) { dealer(id: $id) { unitsSold { edges { node { serialNumber } } pageInfo { hasNextPage endCursor } } } }`),
      { id: dealer.id },
    );
    // then
    expect(serialsOf(data!.unitsSold)).toEqual([`SN-${t}-B`, `SN-${t}-D`]);
    expect(data?.unitsSold.pageInfo.hasNextPage).toBe(false);
  });

  it("pages through units without gaps or repeats", async () => {
    // given
    const t = tag();
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    const product = await createProduct(graph);
    const serials = ["E", "B", "D", "A", "C"].map((suffix) => `SN-${t}-${suffix}`);
    for (const serialNumber of serials) await registerUnit(graph, product.id, dealer.id, { serialNumber });
    await sell({ serialNumber: `SN-${t}-B`, customerId: customer.id });
    await sell({ serialNumber: `SN-${t}-E`, customerId: customer.id });
    const page = async (filter: Record<string, unknown>, after: string | null) =>
      (
        await graph.query(
          graphql(`query CatalogUnitsEdgesPageInfo($filter: UnitFilter, $after: String) { units(filter: $filter, first: 2, after: $after) {
            edges { node { serialNumber } } pageInfo { hasNextPage endCursor } } }`),
          { filter, after },
        )
      ).units;
    // when
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const units: UnitConnection = await page({ dealerId: dealer.id }, after);
      seen.push(...serialsOf(units));
      after = units.pageInfo.hasNextPage ? units.pageInfo.endCursor : null;
      pages++;
    } while (after);
    // then
    expect(seen).toEqual([...serials].sort());
    expect(pages).toBe(3);
    expect(serialsOf(await page({ dealerId: dealer.id, statuses: ["SOLD"] }, null))).toEqual([`SN-${t}-B`, `SN-${t}-E`]);
    expect(serialsOf(await page({ customerId: customer.id, statuses: ["IN_STOCK"] }, null))).toEqual([]);
  });
});

describe("consumables", () => {
  const RECORD_PURCHASE = graphql(`mutation CatalogRecordConsumablePurchase($input: RecordConsumablePurchaseInput!) {
    recordConsumablePurchase(input: $input) {
      purchase { id quantity purchasedOn customer { id } product { id } dealer { id }
        forecast { runsOutOn method purchaseCount daysPerUnit lastPurchasedOn lastQuantity explanation dealer { id } } }
      errors { code field message } } }`);

  const recordPurchase = async (input: RecordConsumablePurchaseInput) => (await graph.query(RECORD_PURCHASE, { input })).recordConsumablePurchase;

  /** Records purchases that must succeed; returns the forecast after the last one. */
  const buy = async (base: { customerId: string; productId: string; dealerId: string }, ...purchases: [string, number][]) => {
    let forecast: NonNullable<CatalogRecordConsumablePurchaseMutation["recordConsumablePurchase"]["purchase"]>["forecast"] | null = null;
    for (const [purchasedOn, quantity] of purchases) {
      const payload = await recordPurchase({ ...base, purchasedOn, quantity });
      expect(payload.errors).toEqual([]);
      forecast = payload.purchase?.forecast ?? null;
    }
    return forecast;
  };

  type DueForecast = CatalogDueFragment;

  graphql(`fragment CatalogDue on ReplenishmentForecast { customer { id } product { id } dealer { id } runsOutOn daysLeft method daysPerUnit }`);

  const dueForCustomer = async (customerId: string, within: number, asOf: string) => {
    const { customer } = await graph.query(
      graphql(`query CatalogDueForCustomer($id: ID!, $within: Int!, $asOf: Date) {
        customer(id: $id) { replenishmentDue(within: $within, asOf: $asOf) { ...CatalogDue } } }`),
      { id: customerId, within, asOf },
    );
    if (!customer) throw new Error(`No customer ${customerId}.`);
    return customer.replenishmentDue;
  };

  /** A dealer, a customer of theirs and a consumable lasting 30 days per unit. */
  const shop = async (cycle = 30) => {
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    const product = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee-beans", replenishmentCycleDays: cycle });
    return { dealer, customer, product, base: { customerId: customer.id, productId: product.id, dealerId: dealer.id } };
  };

  it.each<{ problem: string; input: (r: { equipment: string; part: string }) => Partial<RecordConsumablePurchaseInput>; code: string; field: string[] }>([
    { problem: "a purchase of equipment", input: (r) => ({ productId: r.equipment }), code: "WRONG_PRODUCT_KIND", field: ["productId"] },
    { problem: "a purchase of a spare part", input: (r) => ({ productId: r.part }), code: "WRONG_PRODUCT_KIND", field: ["productId"] },
    { problem: "a purchase of an unknown product", input: () => ({ productId: "prd_unknown" }), code: "PRODUCT_NOT_FOUND", field: ["productId"] },
    { problem: "a quantity of 0", input: () => ({ quantity: 0 }), code: "OUT_OF_RANGE", field: ["quantity"] },
    { problem: "a negative quantity", input: () => ({ quantity: -2 }), code: "OUT_OF_RANGE", field: ["quantity"] },
    { problem: "a purchase in the future", input: () => ({ purchasedOn: inAFewDays() }), code: "DATE_IN_FUTURE", field: ["purchasedOn"] },
  ])("refuses $problem and forecasts nothing", async ({ input, code, field }) => {
    // given
    const { customer, base } = await shop();
    const equipment = await createProduct(graph);
    const part = await createProduct(graph, { kind: "SPARE_PART" });
    // when
    const refused = await recordPurchase({ ...base, quantity: 1, purchasedOn: "2025-05-01", ...input({ equipment: equipment.id, part: part.id }) });
    // then
    expect(refused).toEqual({ purchase: null, errors: [expect.objectContaining({ code, field })] });
    const { customer: stored } = await graph.query(
      graphql(
        `query CatalogCustomerConsumablePurchasesReplenishmentDue($id: ID!) { customer(id: $id) { consumablePurchases { edges { cursor } } replenishmentDue(within: 3650, asOf: "2020-01-01") { runsOutOn } } }`,
      ),
      { id: customer.id },
    );
    expect(stored).toEqual({ consumablePurchases: { edges: [] }, replenishmentDue: [] });
  });

  it("forecasts from the product's cycle until the third purchase, then from the customer's own rhythm", async () => {
    // given: beans that last 30 days per bag
    const { dealer, customer, product, base } = await shop(30);
    // when
    const first = await buy(base, ["2025-01-01", 1]);
    const second = await buy(base, ["2025-01-21", 2]);
    const third = await buy(base, ["2025-02-20", 1]);
    // then
    expect(first).toEqual({
      runsOutOn: "2025-01-31", // 2025-01-01 + 30 × 1
      method: "PRODUCT_CYCLE",
      purchaseCount: 1,
      daysPerUnit: 30,
      lastPurchasedOn: "2025-01-01",
      lastQuantity: 1,
      explanation: "Bought 1 unit on 2025-01-01; at the product's cycle of 30 days per unit (fewer than 3 purchases so far), that lasts until 2025-01-31.",
      dealer: { id: dealer.id },
    });
    // 2025-01-21 + 30 × 2 = + 60: 10 days to the end of January, 28 in February, 22 in March
    expect(second).toMatchObject({ runsOutOn: "2025-03-22", method: "PRODUCT_CYCLE", purchaseCount: 2, daysPerUnit: 30, lastQuantity: 2 });
    // 20 days / 1 bag = 20, 30 days / 2 bags = 15 → median 17.5; 2025-02-20 + round(17.5 × 1) = + 18
    expect(third).toEqual({
      runsOutOn: "2025-03-10",
      method: "CUSTOMER_HISTORY",
      purchaseCount: 3,
      daysPerUnit: 17.5,
      lastPurchasedOn: "2025-02-20",
      lastQuantity: 1,
      explanation: "Bought 1 unit on 2025-02-20; at the customer's own median of 17.5 days per unit over 3 purchases, that lasts until 2025-03-10.",
      dealer: { id: dealer.id },
    });
    const { customer: stored } = await graph.query(
      graphql(
        `query CatalogCustomerConsumablePurchases($id: ID!) { customer(id: $id) { consumablePurchases { edges { node { purchasedOn quantity product { id } } } } } }`,
      ),
      { id: customer.id },
    );
    expect(stored?.consumablePurchases.edges.map((e) => e.node)).toEqual([
      { purchasedOn: "2025-02-20", quantity: 1, product: { id: product.id } },
      { purchasedOn: "2025-01-21", quantity: 2, product: { id: product.id } },
      { purchasedOn: "2025-01-01", quantity: 1, product: { id: product.id } },
    ]);
  });

  it("recomputes the dealer's forecast when a purchase is recorded late, and leaves it alone when another dealer sells", async () => {
    // given: 60 days, then 10 days between purchases → median 35; 2025-03-12 + 35
    const { dealer, customer, product, base } = await shop(30);
    const before = await buy(base, ["2025-01-01", 1], ["2025-03-02", 1], ["2025-03-12", 1]);
    expect(before).toMatchObject({ runsOutOn: "2025-04-16", daysPerUnit: 35, purchaseCount: 3 });
    // when: a purchase of February is recorded now
    const late = await recordPurchase({ ...base, purchasedOn: "2025-02-01", quantity: 1 });
    // then: 31, 29, 10 days → median 29; 2025-03-12 + 29
    expect(late.errors).toEqual([]);
    const recomputed = {
      runsOutOn: "2025-04-10",
      method: "CUSTOMER_HISTORY",
      purchaseCount: 4,
      daysPerUnit: 29,
      lastPurchasedOn: "2025-03-12",
      lastQuantity: 1,
      dealer: { id: dealer.id },
    };
    expect(late.purchase?.forecast).toMatchObject(recomputed);
    // when: the customer buys the same product at another dealer, after all of these
    const otherDealer = await createDealer(graph);
    const elsewhere = await recordPurchase({ ...base, dealerId: otherDealer.id, purchasedOn: "2025-03-20", quantity: 2 });
    // then: the other dealer forecasts from its own sale (2025-03-20 + 30 × 2), and the first dealer's forecast stays
    expect(elsewhere.purchase?.forecast).toMatchObject({
      runsOutOn: "2025-05-19",
      method: "PRODUCT_CYCLE",
      purchaseCount: 1,
      lastPurchasedOn: "2025-03-20",
      dealer: { id: otherDealer.id },
    });
    expect((await dueForCustomer(customer.id, 3650, "2025-03-20")).map((f) => [f.dealer.id, f.product.id, f.runsOutOn])).toEqual([
      [dealer.id, product.id, "2025-04-10"],
      [otherDealer.id, product.id, "2025-05-19"],
    ]);
  });

  it("counts every one of purchases recorded at once for the same customer, product and dealer", async () => {
    // given: eight purchases of one bag, ten days apart, sent together (on PostgreSQL they run side by side)
    const { dealer, base } = await shop(30);
    const days = Array.from({ length: 8 }, (_, i) => addDays("2025-01-01", 10 * i));
    // when
    const payloads = await Promise.all(days.map((purchasedOn) => recordPurchase({ ...base, purchasedOn, quantity: 1 })));
    // then: each was recorded, and each recomputation saw every purchase committed before it: counts 1 to 8
    expect(payloads.map((p) => p.errors)).toEqual(days.map(() => []));
    expect(payloads.map((p) => p.purchase?.forecast.purchaseCount).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // and the forecast rests on all eight: 10 days per bag; 2025-03-12 + 10
    expect(await dueForCustomer(base.customerId, 3650, "2025-01-01")).toEqual([
      expect.objectContaining({ dealer: { id: dealer.id }, runsOutOn: "2025-03-22", method: "CUSTOMER_HISTORY", daysPerUnit: 10 }),
    ]);
    const { customer } = await graph.query(
      graphql(
        `query CatalogCustomerConsumablePurchases2($id: ID!) { customer(id: $id) { consumablePurchases { edges { node { forecast { purchaseCount } } } } } }`,
      ),
      { id: base.customerId },
    );
    expect(customer?.consumablePurchases.edges.map((e) => e.node.forecast.purchaseCount)).toEqual(days.map(() => 8));
  });

  it("refuses a purchase for a customer id that names nobody, whatever characters it holds, and forecasts nothing", async () => {
    // given: an id no customer has, with characters no id of the graph holds
    const { base } = await shop(30);
    const customerId = `cus_${tag()}|${tag()}"[]`;
    // when
    const payload = await recordPurchase({ ...base, customerId, purchasedOn: "2025-05-01", quantity: 1 });
    // then
    expect(payload).toEqual({
      purchase: null,
      errors: [{ code: "CUSTOMER_NOT_FOUND", field: ["customerId"], message: `No customer has the id \`${customerId}\`.` }],
    });
  });

  it("lists a customer's refills due by a date, the boundary day included, with days left from the reference date", async () => {
    // given: three consumables bought on 2025-05-01, lasting 10, 20 and 21 days
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    const [filters, beans, descaler] = [
      await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 10 }),
      await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 20 }),
      await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 21 }),
    ];
    for (const product of [descaler, filters, beans]) {
      await buy({ customerId: customer.id, productId: product.id, dealerId: dealer.id }, ["2025-05-01", 1]);
    }
    // when
    const byTheTwentyFirst = await dueForCustomer(customer.id, 6, "2025-05-15");
    const byTheTwentySecond = await dueForCustomer(customer.id, 7, "2025-05-15");
    const onTheFirst = await dueForCustomer(customer.id, 9, "2025-05-01");
    // then: filters ran out on 05-11 (4 days ago), beans run out on 05-21, descaler on 05-22
    expect(byTheTwentyFirst).toEqual([
      {
        customer: { id: customer.id },
        product: { id: filters.id },
        dealer: { id: dealer.id },
        runsOutOn: "2025-05-11",
        daysLeft: -4,
        method: "PRODUCT_CYCLE",
        daysPerUnit: 10,
      },
      {
        customer: { id: customer.id },
        product: { id: beans.id },
        dealer: { id: dealer.id },
        runsOutOn: "2025-05-21",
        daysLeft: 6,
        method: "PRODUCT_CYCLE",
        daysPerUnit: 20,
      },
    ]);
    expect(byTheTwentySecond.map((f) => [f.product.id, f.daysLeft])).toEqual([
      [filters.id, -4],
      [beans.id, 6],
      [descaler.id, 7],
    ]);
    expect(onTheFirst).toEqual([]);
    expect((await dueForCustomer(customer.id, 10, "2025-05-01")).map((f) => [f.product.id, f.daysLeft])).toEqual([[filters.id, 10]]);
  });

  it("lists a dealer's refills due, from its own sales, for every customer it sold to", async () => {
    // given: 30-day beans
    const first = await createDealer(graph);
    const second = await createDealer(graph);
    const product = await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 30 });
    const [moved, stayed, later] = [await createCustomer(graph, first.id), await createCustomer(graph, first.id), await createCustomer(graph, first.id)];
    // bought at the first dealer, then at the second: 2025-05-01 + 30 = 05-31 at the first, 2025-05-05 + 30 = 06-04 at the second
    await buy({ customerId: moved.id, productId: product.id, dealerId: first.id }, ["2025-05-01", 1]);
    await buy({ customerId: moved.id, productId: product.id, dealerId: second.id }, ["2025-05-05", 1]);
    // 2025-05-10 + 30 = 06-09 and 2025-05-11 + 30 = 06-10, both the first dealer's
    await buy({ customerId: stayed.id, productId: product.id, dealerId: first.id }, ["2025-05-10", 1]);
    await buy({ customerId: later.id, productId: product.id, dealerId: first.id }, ["2025-05-11", 1]);
    const due = async (dealerId: string, within: number, asOf: string, first?: number, after?: string | null) => {
      const { dealer } = await graph.query(
        graphql(`query CatalogDueForDealer($id: ID!, $within: Int!, $asOf: Date, $first: Int, $after: String) { dealer(id: $id) {
          replenishmentDue(within: $within, asOf: $asOf, first: $first, after: $after) { edges { node { ...CatalogDue } } pageInfo { hasNextPage endCursor } } } }`),
        { id: dealerId, within, asOf, first, after },
      );
      if (!dealer) throw new Error(`No dealer ${dealerId}.`);
      return dealer.replenishmentDue;
    };
    const customersAndDaysLeft = (connection: { edges: { node: DueForecast }[] }) => connection.edges.map((e) => [e.node.customer.id, e.node.daysLeft]);
    // when / then: until 06-09, the boundary day, but not 06-10
    expect(customersAndDaysLeft(await due(first.id, 30, "2025-05-10"))).toEqual([
      [moved.id, 21],
      [stayed.id, 30],
    ]);
    expect(customersAndDaysLeft(await due(second.id, 30, "2025-05-10"))).toEqual([[moved.id, 25]]);
    // overdue ones too, soonest first
    expect(customersAndDaysLeft(await due(first.id, 0, "2025-06-20"))).toEqual([
      [moved.id, -20],
      [stayed.id, -11],
      [later.id, -10],
    ]);
    // one page at a time
    const firstPage = await due(first.id, 0, "2025-06-20", 2);
    expect(customersAndDaysLeft(firstPage)).toEqual([
      [moved.id, -20],
      [stayed.id, -11],
    ]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = await due(first.id, 0, "2025-06-20", 2, firstPage.pageInfo.endCursor);
    expect(customersAndDaysLeft(secondPage)).toEqual([[later.id, -10]]);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
  });

  it("flags the refills a customer already ran out of as overdue, and lists only those, or only those still ahead, when asked", async () => {
    // given: 30-day beans bought by three customers of one dealer, running out on 05-31, 06-04 and 06-09
    const dealer = await createDealer(graph);
    const product = await createProduct(graph, { kind: "CONSUMABLE", replenishmentCycleDays: 30 });
    const [ranOut, runsOutToday, ahead] = [
      await createCustomer(graph, dealer.id),
      await createCustomer(graph, dealer.id),
      await createCustomer(graph, dealer.id),
    ];
    await buy({ customerId: ranOut.id, productId: product.id, dealerId: dealer.id }, ["2025-05-01", 1]);
    await buy({ customerId: runsOutToday.id, productId: product.id, dealerId: dealer.id }, ["2025-05-05", 1]);
    await buy({ customerId: ahead.id, productId: product.id, dealerId: dealer.id }, ["2025-05-10", 1]);
    const due = async (overdue: boolean | null) => {
      const { dealer: found, customer } = await graph.query(
        graphql(`query CatalogDealerCustomer($id: ID!, $customerId: ID!, $overdue: Boolean) {
          dealer(id: $id) { replenishmentDue(within: 7, asOf: "2025-06-04", overdue: $overdue) { edges { node { customer { id } daysLeft overdue } } } }
          customer(id: $customerId) { replenishmentDue(within: 7, asOf: "2025-06-04", overdue: $overdue) { overdue } } }`),
        { id: dealer.id, customerId: ranOut.id, overdue },
      );
      return { dealer: found!.replenishmentDue.edges.map((e) => [e.node.customer.id, e.node.daysLeft, e.node.overdue]), customer: customer!.replenishmentDue };
    };
    // when / then: "this week" as of 06-04 holds the one that ran out 4 days ago, flagged; running out today is not overdue yet
    expect(await due(null)).toEqual({
      dealer: [
        [ranOut.id, -4, true],
        [runsOutToday.id, 0, false],
        [ahead.id, 5, false],
      ],
      customer: [{ overdue: true }],
    });
    expect(await due(true)).toEqual({ dealer: [[ranOut.id, -4, true]], customer: [{ overdue: true }] });
    expect(await due(false)).toEqual({
      dealer: [
        [runsOutToday.id, 0, false],
        [ahead.id, 5, false],
      ],
      customer: [],
    });
  });

  it("moves the run-out date of customers on the product's cycle when the cycle changes, not of those with a rhythm of their own", async () => {
    // given: 30-day beans
    const { dealer, product } = await shop(30);
    const newcomer = await createCustomer(graph, dealer.id);
    const regular = await createCustomer(graph, dealer.id);
    // 2025-01-01 + 30 × 2
    await buy({ customerId: newcomer.id, productId: product.id, dealerId: dealer.id }, ["2025-01-01", 2]);
    // 10, 20 days → median 15; 2025-01-31 + 15
    await buy({ customerId: regular.id, productId: product.id, dealerId: dealer.id }, ["2025-01-01", 1], ["2025-01-11", 1], ["2025-01-31", 1]);
    expect((await dueForCustomer(newcomer.id, 3650, "2025-01-01"))[0]).toMatchObject({ runsOutOn: "2025-03-02", daysPerUnit: 30 });
    // when
    const { updateProduct } = await graph.query(
      graphql(
        `mutation CatalogUpdateReplenishmentCycle($input: UpdateProductInput!) { updateProduct(input: $input) { product { replenishmentCycleDays version } errors { code field } } }`,
      ),
      { input: { id: product.id, version: 1, replenishmentCycleDays: 45 } },
    );
    // then: 2025-01-01 + 45 × 2 = + 90
    expect(updateProduct).toEqual({ product: { replenishmentCycleDays: 45, version: 2 }, errors: [] });
    expect(await dueForCustomer(newcomer.id, 3650, "2025-01-01")).toEqual([
      expect.objectContaining({ runsOutOn: "2025-04-01", daysLeft: 90, daysPerUnit: 45, method: "PRODUCT_CYCLE" }),
    ]);
    expect(await dueForCustomer(regular.id, 3650, "2025-01-01")).toEqual([
      expect.objectContaining({ runsOutOn: "2025-02-15", daysLeft: 45, daysPerUnit: 15, method: "CUSTOMER_HISTORY" }),
    ]);
    const { customer } = await graph.query(
      graphql(
        `query CatalogCustomerConsumablePurchases3($id: ID!) { customer(id: $id) { consumablePurchases { edges { node { forecast { explanation } } } } } }`,
      ),
      { id: newcomer.id },
    );
    expect(customer?.consumablePurchases.edges[0]?.node.forecast.explanation).toBe(
      "Bought 2 units on 2025-01-01; at the product's cycle of 45 days per unit (fewer than 3 purchases so far), that lasts until 2025-04-01.",
    );
  });
});

describe("parts stock", () => {
  graphql(`fragment CatalogStockDetails on PartStock { onHand reserved available reorderPoint maxLevel shortage overstock
    stockValue { amount currency } overstockValue { amount currency } version part { id } serviceCenter { id } }`);

  const setPartStock = async (input: SetPartStockInput) =>
    (
      await graph.query(
        graphql(`mutation CatalogSetPartStock($input: SetPartStockInput!) {
          setPartStock(input: $input) { stock { ...CatalogStockDetails } errors { code field message } } }`),
        { input },
      )
    ).setPartStock;

  const adjustPartStock = async (input: AdjustPartStockInput) =>
    (
      await graph.query(
        graphql(`mutation CatalogAdjustPartStock($input: AdjustPartStockInput!) {
          adjustPartStock(input: $input) { stock { ...CatalogStockDetails } errors { code field message } } }`),
        { input },
      )
    ).adjustPartStock;

  const partsStock = async (serviceCenterId: string, filter: PartStockFilter | null = null) => {
    const { dealer } = await graph.query(
      graphql(`query CatalogPartsStock($id: ID!, $filter: PartStockFilter) {
        dealer(id: $id) { partsStock(filter: $filter) { edges { node { ...CatalogStockDetails } } } } }`),
      { id: serviceCenterId, filter },
    );
    if (!dealer) throw new Error(`No dealer ${serviceCenterId}.`);
    return dealer.partsStock.edges.map((edge) => edge.node);
  };

  const serviceCenter = () => createDealer(graph, { kind: "SERVICE_CENTER" });

  it.each<{ problem: string; mutation: "set" | "adjust"; kind: string | null; code: string }>([
    { problem: "sets the stock of a consumable", mutation: "set", kind: "CONSUMABLE", code: "WRONG_PRODUCT_KIND" },
    { problem: "sets the stock of equipment", mutation: "set", kind: "EQUIPMENT", code: "WRONG_PRODUCT_KIND" },
    { problem: "adjusts the stock of an accessory", mutation: "adjust", kind: "ACCESSORY", code: "WRONG_PRODUCT_KIND" },
    { problem: "adjusts the stock of an unknown product", mutation: "adjust", kind: null, code: "PRODUCT_NOT_FOUND" },
  ])("refuses a change that $problem and stocks nothing", async ({ mutation, kind, code }) => {
    // given
    const center = await serviceCenter();
    const partId = kind ? (await createProduct(graph, { kind })).id : "prd_unknown";
    // when
    const refused =
      mutation === "set"
        ? await setPartStock({ serviceCenterId: center.id, partId, onHand: 5, reorderPoint: 1 })
        : await adjustPartStock({ serviceCenterId: center.id, partId, change: 5, reason: "RECEIVED" });
    // then
    expect(refused).toEqual({ stock: null, errors: [expect.objectContaining({ code, field: ["partId"] })] });
    expect(await partsStock(center.id)).toEqual([]);
  });

  it.each([
    { levels: { onHand: 10, reorderPoint: 3, maxLevel: 20 }, shortage: false, overstock: false, stockValue: "123.40", overstockValue: "0.00" },
    { levels: { onHand: 4, reorderPoint: 3, maxLevel: 20 }, shortage: false, overstock: false, stockValue: "49.36", overstockValue: "0.00" },
    { levels: { onHand: 3, reorderPoint: 3, maxLevel: 20 }, shortage: true, overstock: false, stockValue: "37.02", overstockValue: "0.00" },
    { levels: { onHand: 2, reorderPoint: 3, maxLevel: 20 }, shortage: true, overstock: false, stockValue: "24.68", overstockValue: "0.00" },
    { levels: { onHand: 0, reorderPoint: 2, maxLevel: 0 }, shortage: true, overstock: false, stockValue: "0.00", overstockValue: "0.00" },
    { levels: { onHand: 20, reorderPoint: 3, maxLevel: 20 }, shortage: false, overstock: false, stockValue: "246.80", overstockValue: "0.00" },
    { levels: { onHand: 21, reorderPoint: 3, maxLevel: 20 }, shortage: false, overstock: true, stockValue: "259.14", overstockValue: "12.34" },
    { levels: { onHand: 25, reorderPoint: 3, maxLevel: 20 }, shortage: false, overstock: true, stockValue: "308.50", overstockValue: "61.70" },
    { levels: { onHand: 500, reorderPoint: 3, maxLevel: 0 }, shortage: false, overstock: false, stockValue: "6170.00", overstockValue: "0.00" },
    { levels: { onHand: 0, reorderPoint: 0, maxLevel: 0 }, shortage: false, overstock: false, stockValue: "0.00", overstockValue: "0.00" },
  ])("flags $levels: shortage $shortage, overstock $overstock, worth $stockValue", async ({ levels, shortage, overstock, stockValue, overstockValue }) => {
    // given: a part at 12.34 EUR
    const center = await serviceCenter();
    const part = await createProduct(graph, { kind: "SPARE_PART", listPrice: { amount: "12.34", currency: "EUR" } });
    // when
    const set = await setPartStock({ serviceCenterId: center.id, partId: part.id, ...levels });
    // then
    const expected = {
      ...levels,
      reserved: 0,
      available: levels.onHand,
      shortage,
      overstock,
      stockValue: { amount: stockValue, currency: "EUR" },
      overstockValue: { amount: overstockValue, currency: "EUR" },
      part: { id: part.id },
      serviceCenter: { id: center.id },
    };
    expect(set.errors).toEqual([]);
    expect(set.stock).toMatchObject({ ...expected, version: 1 });
    expect(await partsStock(center.id)).toEqual([{ ...expected, version: 1 }]);
  });

  it("keeps the levels not given when setting stock", async () => {
    const center = await serviceCenter();
    const part = await createProduct(graph, { kind: "SPARE_PART" });
    await setPartStock({ serviceCenterId: center.id, partId: part.id, onHand: 8, reorderPoint: 2, maxLevel: 12 });
    const counted = await setPartStock({ serviceCenterId: center.id, partId: part.id, onHand: 1 });
    expect(counted.stock).toMatchObject({ onHand: 1, reorderPoint: 2, maxLevel: 12, shortage: true });
  });

  it.each([
    { field: "onHand", value: -1 },
    { field: "reorderPoint", value: -3 },
    { field: "maxLevel", value: 1_000_001 },
  ])("refuses to set $field to $value", async ({ field, value }) => {
    const center = await serviceCenter();
    const part = await createProduct(graph, { kind: "SPARE_PART" });
    const refused = await setPartStock({ serviceCenterId: center.id, partId: part.id, onHand: 1, [field]: value });
    expect(refused).toEqual({ stock: null, errors: [expect.objectContaining({ code: "OUT_OF_RANGE", field: [field] })] });
    expect(await partsStock(center.id)).toEqual([]);
  });

  it("reports a wrong part and a level out of range together", async () => {
    const center = await serviceCenter();
    const consumable = await createProduct(graph, { kind: "CONSUMABLE" });
    const refused = await setPartStock({ serviceCenterId: center.id, partId: consumable.id, onHand: -1 });
    expect(refused.errors.map((e) => [e.code, e.field])).toEqual([
      ["WRONG_PRODUCT_KIND", ["partId"]],
      ["OUT_OF_RANGE", ["onHand"]],
    ]);
    expect(await partsStock(center.id)).toEqual([]);
  });

  it("adjusts the quantity on hand, refusing to take away more than there is", async () => {
    // given: 5 on hand at 12.34 EUR, reorder at 2, at most 10
    const center = await serviceCenter();
    const part = await createProduct(graph, { kind: "SPARE_PART", listPrice: { amount: "12.34", currency: "EUR" } });
    const set = await setPartStock({ serviceCenterId: center.id, partId: part.id, onHand: 5, reorderPoint: 2, maxLevel: 10 });
    const version = set.stock?.version ?? 0;
    const stock = { serviceCenterId: center.id, partId: part.id };
    // when
    const tooMany = await adjustPartStock({ ...stock, change: -6, reason: "USED" });
    const nothing = await adjustPartStock({ ...stock, change: 0, reason: "COUNTED" });
    // then
    expect(tooMany).toEqual({ stock: null, errors: [expect.objectContaining({ code: "INSUFFICIENT_STOCK", field: ["change"] })] });
    expect(nothing).toEqual({ stock: null, errors: [expect.objectContaining({ code: "OUT_OF_RANGE", field: ["change"] })] });
    expect(await partsStock(center.id)).toEqual([expect.objectContaining({ onHand: 5, version, shortage: false, overstock: false })]);
    // when: a delivery of 7, then 12 used in repairs
    const received = await adjustPartStock({ ...stock, change: 7, reason: "RECEIVED", note: "Delivery 4711" });
    const used = await adjustPartStock({ ...stock, change: -12, reason: "USED" });
    // then
    expect(received).toEqual({
      stock: expect.objectContaining({
        onHand: 12,
        available: 12,
        overstock: true,
        shortage: false,
        stockValue: { amount: "148.08", currency: "EUR" },
        overstockValue: { amount: "24.68", currency: "EUR" },
        version: version + 1,
      }),
      errors: [],
    });
    expect(used).toEqual({
      stock: expect.objectContaining({ onHand: 0, shortage: true, overstock: false, stockValue: { amount: "0.00", currency: "EUR" }, version: version + 2 }),
      errors: [],
    });
  });

  it("takes the parts a ticket used off the service center's stock, to nothing and noting the shortfall when the count was short", async () => {
    // given: 5 of one part on hand, 1 of another, and a third part never stocked
    const center = await serviceCenter();
    const [stocked, short, unstocked] = [
      (await createProduct(graph, { kind: "SPARE_PART" })).id,
      (await createProduct(graph, { kind: "SPARE_PART" })).id,
      (await createProduct(graph, { kind: "SPARE_PART" })).id,
    ];
    await setPartStock({ serviceCenterId: center.id, partId: stocked, onHand: 5, reorderPoint: 3 });
    await setPartStock({ serviceCenterId: center.id, partId: short, onHand: 1 });
    // when: a repair on a ticket the center works used 2, 3 and 1 of them (the tickets subgraph records it; its event reaches the catalog)
    const customer = await createCustomer(graph, center.id);
    await graph.settle();
    const opened = await create(graph, "openTicket", "ticket", { customerId: customer.id, kind: "QUESTION", channel: "PHONE", subject: "Parts" });
    const assigned = await create(graph, "assignTicket", "ticket", { id: opened.id, version: opened.version, serviceCenterId: center.id });
    const { recordTicketParts } = await graph.query(
      graphql(`mutation CatalogRecordTicketParts($input: RecordTicketPartsInput!) { recordTicketParts(input: $input) { ticket { number } errors { code } } }`),
      {
        input: {
          id: assigned.id,
          version: assigned.version,
          parts: [
            { partId: stocked, quantity: 2 },
            { partId: short, quantity: 3 },
            { partId: unstocked, quantity: 1 },
          ],
        },
      },
    );
    expect(recordTicketParts.errors).toEqual([]);
    const ticketNumber = recordTicketParts.ticket!.number;
    await graph.settle();
    // then
    const byPart = new Map((await partsStock(center.id)).map((stock) => [stock.part.id, stock]));
    expect(byPart.get(stocked)).toMatchObject({ onHand: 3, shortage: true, version: 2 });
    expect(byPart.get(short)).toMatchObject({ onHand: 0, version: 2 });
    expect(byPart.get(unstocked)).toMatchObject({ onHand: 0, reorderPoint: 0, version: 1 });
    const movements = await handle.db.execute(sql`
      select part_id as "partId", change, note from catalog.part_stock_movements
      where service_center_id = ${center.id} and reason = 'USED'`);
    const used = (Array.isArray(movements) ? movements : (movements as { rows: unknown[] }).rows) as { partId: string }[];
    expect([...used].sort((a, b) => a.partId.localeCompare(b.partId))).toEqual(
      [
        { partId: stocked, change: -2, note: `Ticket ${ticketNumber}` },
        { partId: short, change: -1, note: `Ticket ${ticketNumber}: 3 used, 1 on hand; the count was 2 short.` },
        { partId: unstocked, change: 0, note: `Ticket ${ticketNumber}: 1 used, 0 on hand; the count was 1 short.` },
      ].sort((a, b) => a.partId.localeCompare(b.partId)),
    );
  });

  it("lists exactly the short parts, or the overstocked ones, of a service center", async () => {
    // given: parts at a center, sorted by id as the list is; and a short part at another center
    const center = await serviceCenter();
    const otherCenter = await serviceCenter();
    const parts: Record<"short" | "fine" | "over" | "empty", string> = {
      short: (await createProduct(graph, { kind: "SPARE_PART" })).id,
      fine: (await createProduct(graph, { kind: "SPARE_PART" })).id,
      over: (await createProduct(graph, { kind: "SPARE_PART" })).id,
      empty: (await createProduct(graph, { kind: "SPARE_PART" })).id,
    };
    await setPartStock({ serviceCenterId: center.id, partId: parts.short, onHand: 2, reorderPoint: 2, maxLevel: 10 });
    await setPartStock({ serviceCenterId: center.id, partId: parts.fine, onHand: 5, reorderPoint: 2, maxLevel: 10 });
    await setPartStock({ serviceCenterId: center.id, partId: parts.over, onHand: 11, reorderPoint: 2, maxLevel: 10 });
    await setPartStock({ serviceCenterId: center.id, partId: parts.empty, onHand: 0, reorderPoint: 1, maxLevel: 10 });
    await setPartStock({ serviceCenterId: otherCenter.id, partId: parts.fine, onHand: 0, reorderPoint: 3 });
    const partIds = async (filter: Record<string, unknown> | null) => (await partsStock(center.id, filter)).map((stock) => stock.part.id);
    const sorted = (...ids: string[]) => [...ids].sort();
    // when / then
    expect(await partIds({ shortage: true })).toEqual(sorted(parts.short, parts.empty));
    expect(await partIds({ overstock: true })).toEqual([parts.over]);
    expect(await partIds({ shortage: true, overstock: true })).toEqual(sorted(parts.short, parts.empty, parts.over));
    expect(await partIds({ shortage: false })).toEqual(sorted(parts.fine, parts.over));
    expect(await partIds(null)).toEqual(sorted(parts.short, parts.fine, parts.over, parts.empty));
  });
});
