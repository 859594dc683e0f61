import { InputChecks, Refusal, type UserError } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import type { CatalogErrorCode } from "../src/domain/errors.js";
import { checkProduct, checkProductReference, referencedProductIds, type ProductDraft, type ProductKind } from "../src/domain/product.js";

/** Products that exist, by kind, as the store would report them. */
const PART = "prd_part";
const OTHER_PART = "prd_other_part";
const BEANS = "prd_beans";
const MILK_JUG = "prd_milk_jug";
const GRINDER = "prd_grinder";
const SELF = "prd_self";
const existing = new Map<string, ProductKind>([
  [PART, "SPARE_PART"],
  [OTHER_PART, "SPARE_PART"],
  [BEANS, "CONSUMABLE"],
  [MILK_JUG, "ACCESSORY"],
  [GRINDER, "EQUIPMENT"],
  [SELF, "EQUIPMENT"],
]);

const espressoMachine = (overrides: Partial<ProductDraft> = {}): ProductDraft => ({
  sku: "ESP-200",
  name: "Espresso 200",
  kind: "EQUIPMENT",
  category: "espresso-machines",
  listPrice: { amount: "1299.00", currency: "EUR" },
  replenishmentCycleDays: null,
  successorId: null,
  billOfMaterials: [{ partId: PART, quantity: 2, serviceableSeparately: true }],
  repairStandards: [{ failureCode: "E04-PUMP", hours: 1.5 }],
  fittingIds: [BEANS, MILK_JUG],
  ...overrides,
});

/** The problems a check found: what it refused with (a Refusal's errors), or none. */
function problemsOf(work: (checks: InputChecks<CatalogErrorCode>) => unknown): UserError[] {
  const checks = new InputChecks<CatalogErrorCode>();
  try {
    work(checks);
  } catch (error) {
    if (error instanceof Refusal) return error.errors;
    throw error;
  }
  return checks.errors;
}

const codesAndFields = (errors: UserError[]) => errors.map(({ code, field }) => ({ code, field }));

describe("checkProduct", () => {
  it("accepts a complete product, normalizing SKU, failure codes and currency", () => {
    const checked = checkProduct(
      espressoMachine({
        sku: " esp-200 ",
        name: "  Espresso 200 ",
        category: " espresso-machines ",
        listPrice: { amount: "1299.00", currency: "eur" },
        repairStandards: [{ failureCode: "e04-pump", hours: 1.5 }],
      }),
      existing,
      null,
      new InputChecks<CatalogErrorCode>(),
    );
    expect(checked).toEqual({
      sku: "ESP-200",
      name: "Espresso 200",
      kind: "EQUIPMENT",
      category: "espresso-machines",
      listPrice: "1299.00",
      currency: "EUR",
      replenishmentCycleDays: null,
      successorId: null,
      billOfMaterials: [{ partId: PART, quantity: 2, serviceableSeparately: true }],
      repairStandards: [{ failureCode: "E04-PUMP", hours: 1.5 }],
      fittingIds: [BEANS, MILK_JUG],
    });
  });

  it.each([
    { sku: "ESP-200", ok: true },
    { sku: "esp_2.0-a", ok: true },
    { sku: "9", ok: true },
    { sku: "A".repeat(40), ok: true },
    { sku: "A".repeat(41), ok: false },
    { sku: "ESP 200", ok: false },
    { sku: "-ESP", ok: false },
    { sku: ".ESP", ok: false },
    { sku: "ESP/200", ok: false },
    { sku: "ÉSP", ok: false },
    { sku: "   ", ok: false },
  ])("SKU $sku: accepted $ok", ({ sku, ok }) => {
    const errors = problemsOf((checks) => checkProduct(espressoMachine({ sku }), existing, null, checks));
    expect(codesAndFields(errors)).toEqual(ok ? [] : [{ code: "INVALID_FORMAT", field: ["sku"] }]);
  });

  it.each([
    { category: "espresso-machines", ok: true },
    { category: "filters", ok: true },
    { category: "type-2-filters", ok: true },
    { category: `${"a".repeat(30)}-${"b".repeat(29)}`, ok: true },
    { category: `${"a".repeat(30)}-${"b".repeat(30)}`, ok: false },
    { category: "Espresso-Machines", ok: false },
    { category: "espresso machines", ok: false },
    { category: "espresso_machines", ok: false },
    { category: "espresso--machines", ok: false },
    { category: "-espresso", ok: false },
    { category: "espresso-", ok: false },
    { category: "", ok: false },
  ])("category $category: accepted $ok", ({ category, ok }) => {
    const errors = problemsOf((checks) => checkProduct(espressoMachine({ category }), existing, null, checks));
    expect(codesAndFields(errors)).toEqual(ok ? [] : [{ code: "INVALID_FORMAT", field: ["category"] }]);
  });

  it.each([
    { failureCode: "E04-PUMP", ok: true },
    { failureCode: "e04_pump.2", ok: true },
    { failureCode: "X".repeat(32), ok: true },
    { failureCode: "X".repeat(33), ok: false },
    { failureCode: "E04 PUMP", ok: false },
    { failureCode: "-E04", ok: false },
    { failureCode: "E04:PUMP", ok: false },
    { failureCode: "", ok: false },
  ])("failure code $failureCode: accepted $ok", ({ failureCode, ok }) => {
    const errors = problemsOf((checks) => checkProduct(espressoMachine({ repairStandards: [{ failureCode, hours: 1 }] }), existing, null, checks));
    expect(codesAndFields(errors)).toEqual(ok ? [] : [{ code: "INVALID_FORMAT", field: ["repairStandards", "0", "failureCode"] }]);
  });

  const beans = (overrides: Partial<ProductDraft>) =>
    espressoMachine({ kind: "CONSUMABLE", billOfMaterials: [], repairStandards: [], fittingIds: [], replenishmentCycleDays: 30, ...overrides });

  it.each([
    {
      problem: "a consumable without a cycle",
      draft: beans({ replenishmentCycleDays: null }),
      errors: [{ code: "CYCLE_REQUIRED", field: ["replenishmentCycleDays"] }],
    },
    { problem: "a cycle of 0 days", draft: beans({ replenishmentCycleDays: 0 }), errors: [{ code: "OUT_OF_RANGE", field: ["replenishmentCycleDays"] }] },
    {
      problem: "a cycle over ten years",
      draft: beans({ replenishmentCycleDays: 3651 }),
      errors: [{ code: "OUT_OF_RANGE", field: ["replenishmentCycleDays"] }],
    },
    {
      problem: "a BOM part that is not a spare part",
      draft: espressoMachine({ billOfMaterials: [{ partId: BEANS, quantity: 1, serviceableSeparately: true }] }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["billOfMaterials", "0", "partId"] }],
    },
    {
      problem: "the same BOM part twice",
      draft: espressoMachine({
        billOfMaterials: [
          { partId: PART, quantity: 1, serviceableSeparately: true },
          { partId: OTHER_PART, quantity: 1, serviceableSeparately: true },
          { partId: PART, quantity: 3, serviceableSeparately: false },
        ],
      }),
      errors: [{ code: "DUPLICATE_ENTRY", field: ["billOfMaterials", "2", "partId"] }],
    },
    {
      problem: "a BOM quantity of 0",
      draft: espressoMachine({ billOfMaterials: [{ partId: PART, quantity: 0, serviceableSeparately: true }] }),
      errors: [{ code: "OUT_OF_RANGE", field: ["billOfMaterials", "0", "quantity"] }],
    },
    {
      problem: "an unknown BOM part",
      draft: espressoMachine({ billOfMaterials: [{ partId: "prd_nope", quantity: 1, serviceableSeparately: true }] }),
      errors: [{ code: "PRODUCT_NOT_FOUND", field: ["billOfMaterials", "0", "partId"] }],
    },
    {
      problem: "the same failure code twice, whatever its case",
      draft: espressoMachine({
        repairStandards: [
          { failureCode: "E04-PUMP", hours: 1 },
          { failureCode: "e04-pump", hours: 2 },
        ],
      }),
      errors: [{ code: "DUPLICATE_ENTRY", field: ["repairStandards", "1", "failureCode"] }],
    },
    {
      problem: "the same fitting twice",
      draft: espressoMachine({ fittingIds: [BEANS, MILK_JUG, BEANS] }),
      errors: [{ code: "DUPLICATE_ENTRY", field: ["fittingIds", "2"] }],
    },
    {
      problem: "fittings on a consumable",
      draft: beans({ fittingIds: [MILK_JUG] }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["fittingIds"] }],
    },
    {
      problem: "fittings on a spare part",
      draft: espressoMachine({ kind: "SPARE_PART", billOfMaterials: [], fittingIds: [BEANS] }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["fittingIds"] }],
    },
    {
      problem: "a spare part as a fitting",
      draft: espressoMachine({ fittingIds: [PART] }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["fittingIds", "0"] }],
    },
    {
      problem: "equipment as a fitting",
      draft: espressoMachine({ fittingIds: [GRINDER] }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["fittingIds", "0"] }],
    },
    {
      problem: "an unknown fitting",
      draft: espressoMachine({ fittingIds: ["prd_nope"] }),
      errors: [{ code: "PRODUCT_NOT_FOUND", field: ["fittingIds", "0"] }],
    },
    {
      problem: "a successor of another kind",
      draft: espressoMachine({ successorId: BEANS }),
      errors: [{ code: "WRONG_PRODUCT_KIND", field: ["successorId"] }],
    },
    {
      problem: "an unknown successor",
      draft: espressoMachine({ successorId: "prd_nope" }),
      errors: [{ code: "PRODUCT_NOT_FOUND", field: ["successorId"] }],
    },
    {
      problem: "0 repair hours",
      draft: espressoMachine({ repairStandards: [{ failureCode: "E1", hours: 0 }] }),
      errors: [{ code: "OUT_OF_RANGE", field: ["repairStandards", "0", "hours"] }],
    },
    {
      problem: "negative repair hours",
      draft: espressoMachine({ repairStandards: [{ failureCode: "E1", hours: -1 }] }),
      errors: [{ code: "OUT_OF_RANGE", field: ["repairStandards", "0", "hours"] }],
    },
    {
      problem: "over 100 repair hours",
      draft: espressoMachine({ repairStandards: [{ failureCode: "E1", hours: 100.5 }] }),
      errors: [{ code: "OUT_OF_RANGE", field: ["repairStandards", "0", "hours"] }],
    },
    {
      problem: "repair hours that are not a number",
      draft: espressoMachine({ repairStandards: [{ failureCode: "E1", hours: Number.NaN }] }),
      errors: [{ code: "OUT_OF_RANGE", field: ["repairStandards", "0", "hours"] }],
    },
    { problem: "a blank name", draft: espressoMachine({ name: "  " }), errors: [{ code: "REQUIRED", field: ["name"] }] },
    {
      problem: "a price with fractions of a cent",
      draft: espressoMachine({ listPrice: { amount: "9.999", currency: "EUR" } }),
      errors: [{ code: "INVALID_AMOUNT", field: ["listPrice", "amount"] }],
    },
    {
      problem: "an unknown currency",
      draft: espressoMachine({ listPrice: { amount: "9.99", currency: "EURO" } }),
      errors: [{ code: "INVALID_CURRENCY", field: ["listPrice", "currency"] }],
    },
  ] satisfies { problem: string; draft: ProductDraft; errors: { code: CatalogErrorCode; field: string[] }[] }[])("refuses $problem", ({ draft, errors }) => {
    expect(codesAndFields(problemsOf((checks) => checkProduct(draft, existing, null, checks)))).toEqual(errors);
  });

  it.each([
    { hours: 100, cycle: 3650 },
    { hours: 0.25, cycle: 1 },
  ])("accepts the bounds: $hours repair hours, a cycle of $cycle days", ({ hours, cycle }) => {
    const draft = beans({ replenishmentCycleDays: cycle });
    expect(problemsOf((checks) => checkProduct(draft, existing, null, checks))).toEqual([]);
    const machine = espressoMachine({ repairStandards: [{ failureCode: "E1", hours }] });
    expect(problemsOf((checks) => checkProduct(machine, existing, null, checks))).toEqual([]);
  });

  it.each([
    { role: "successor", draft: espressoMachine({ successorId: SELF }), field: ["successorId"] },
    {
      role: "part",
      draft: espressoMachine({ kind: "SPARE_PART", fittingIds: [], billOfMaterials: [{ partId: SELF, quantity: 1, serviceableSeparately: true }] }),
      field: ["billOfMaterials", "0", "partId"],
    },
    { role: "fitting", draft: espressoMachine({ fittingIds: [SELF] }), field: ["fittingIds", "0"] },
  ])("refuses a product that is its own $role", ({ draft, field }) => {
    const errors = problemsOf((checks) => checkProduct(draft, existing, SELF, checks));
    expect(codesAndFields(errors)).toEqual([{ code: "SELF_REFERENCE", field }]);
  });

  it("reports every problem of a draft at once, with the ones checked before it", () => {
    const checks = new InputChecks<CatalogErrorCode>();
    checks.add("CANNOT_START_DISCONTINUED", "not discontinued yet", ["lifecycleStage"]);
    const errors = problemsOf(() =>
      checkProduct(beans({ sku: "bad sku", name: "", replenishmentCycleDays: null, fittingIds: [MILK_JUG] }), existing, null, checks),
    );
    expect(errors.map((e) => e.code).sort()).toEqual(
      ["CANNOT_START_DISCONTINUED", "CYCLE_REQUIRED", "INVALID_FORMAT", "REQUIRED", "WRONG_PRODUCT_KIND"].sort(),
    );
  });
});

describe("checkProductReference", () => {
  const check = (id: string, kinds: ProductKind[], self: string | null = null) =>
    codesAndFields(problemsOf((checks) => checkProductReference(checks, { id, field: ["successorId"], kinds, role: "successor" }, existing, self)));

  it.each([
    { id: GRINDER, kinds: ["EQUIPMENT"], self: SELF, errors: [] },
    { id: BEANS, kinds: ["CONSUMABLE", "ACCESSORY"], self: null, errors: [] },
    { id: MILK_JUG, kinds: ["CONSUMABLE", "ACCESSORY"], self: null, errors: [] },
    { id: PART, kinds: ["EQUIPMENT"], self: null, errors: [{ code: "WRONG_PRODUCT_KIND", field: ["successorId"] }] },
    { id: "prd_nope", kinds: ["EQUIPMENT"], self: null, errors: [{ code: "PRODUCT_NOT_FOUND", field: ["successorId"] }] },
    { id: SELF, kinds: ["EQUIPMENT"], self: SELF, errors: [{ code: "SELF_REFERENCE", field: ["successorId"] }] },
  ] satisfies { id: string; kinds: ProductKind[]; self: string | null; errors: unknown[] }[])(
    "$id as a product of kind $kinds: $errors",
    ({ id, kinds, self, errors }) => {
      expect(check(id, kinds, self)).toEqual(errors);
    },
  );

  it("says which kinds the role takes and which kind the product is", () => {
    const checks = new InputChecks<CatalogErrorCode>();
    checkProductReference(checks, { id: BEANS, field: ["fittingIds", 0], kinds: ["SPARE_PART"], role: "part" }, existing, null);
    expect(checks.errors).toEqual([
      { code: "WRONG_PRODUCT_KIND", message: "A part must be SPARE_PART; `prd_beans` is CONSUMABLE.", field: ["fittingIds", "0"] },
    ]);
  });
});

describe("referencedProductIds", () => {
  it("lists the successor, parts and fittings once each", () => {
    const draft = espressoMachine({
      successorId: GRINDER,
      billOfMaterials: [
        { partId: PART, quantity: 1, serviceableSeparately: true },
        { partId: PART, quantity: 2, serviceableSeparately: true },
      ],
      fittingIds: [BEANS, GRINDER],
    });
    expect(referencedProductIds(draft)).toEqual([GRINDER, PART, BEANS]);
  });
});
