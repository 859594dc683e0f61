import { InputChecks } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";

export type ProductKind = "EQUIPMENT" | "CONSUMABLE" | "SPARE_PART" | "ACCESSORY";

const SKU = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const CATEGORY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FAILURE_CODE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
export const MAX_CYCLE_DAYS = 3650;
export const MAX_REPAIR_HOURS = 100;

export interface BomLineDraft {
  partId: string;
  quantity: number;
  serviceableSeparately: boolean;
}

export interface RepairStandardDraft {
  failureCode: string;
  hours: number;
}

/** A product as a client describes it (a new one, or a stored one with an update applied). */
export interface ProductDraft {
  sku: string;
  name: string;
  kind: ProductKind;
  category: string;
  listPrice: { amount: string; currency: string };
  replenishmentCycleDays: number | null;
  successorId: string | null;
  billOfMaterials: readonly BomLineDraft[];
  repairStandards: readonly RepairStandardDraft[];
  fittingIds: readonly string[];
}

export interface CheckedProduct {
  sku: string;
  name: string;
  kind: ProductKind;
  category: string;
  listPrice: string;
  currency: string;
  replenishmentCycleDays: number | null;
  successorId: string | null;
  billOfMaterials: BomLineDraft[];
  repairStandards: RepairStandardDraft[];
  fittingIds: string[];
}

/**
 * Checks a whole product. `referenced` holds the kind of every product the
 * draft names (successor, parts, fittings) that exists; `self` is the
 * product's own id when it exists already.
 */
export function checkProduct(
  draft: ProductDraft,
  referenced: ReadonlyMap<string, ProductKind>,
  self: string | null,
  checks = new InputChecks<CatalogErrorCode>(),
): CheckedProduct {
  const sku = draft.sku.trim().toUpperCase();
  if (!SKU.test(sku)) {
    checks.add("INVALID_FORMAT", "`sku` takes 1 to 40 upper-case letters, digits and `-_.`, e.g. ESP-200.", ["sku"]);
  }
  const category = draft.category.trim();
  if (!CATEGORY.test(category) || category.length > 60) {
    checks.add("INVALID_FORMAT", "`category` is a slug such as `espresso-machines`.", ["category"]);
  }
  const price = checks.money(draft.listPrice, ["listPrice"]);

  const cycle = draft.replenishmentCycleDays;
  if (cycle !== null) checks.range(cycle, ["replenishmentCycleDays"], 1, MAX_CYCLE_DAYS);
  else if (draft.kind === "CONSUMABLE") {
    checks.add("CYCLE_REQUIRED", "A consumable needs `replenishmentCycleDays`: how many days one unit lasts.", ["replenishmentCycleDays"]);
  }

  const reference = (id: string, field: (string | number)[], kinds: readonly ProductKind[], role: string) =>
    checkProductReference(checks, { id, field, kinds, role }, referenced, self);

  if (draft.successorId) reference(draft.successorId, ["successorId"], [draft.kind], "successor");

  const parts = new Set<string>();
  draft.billOfMaterials.forEach((line, i) => {
    reference(line.partId, ["billOfMaterials", i, "partId"], ["SPARE_PART"], "part");
    checks.range(line.quantity, ["billOfMaterials", i, "quantity"], 1, 10_000);
    if (parts.has(line.partId)) checks.add("DUPLICATE_ENTRY", "This part is listed twice.", ["billOfMaterials", i, "partId"]);
    parts.add(line.partId);
  });

  const codes = new Set<string>();
  const repairStandards = draft.repairStandards.map((standard, i) => {
    const failureCode = standard.failureCode.trim().toUpperCase();
    if (!FAILURE_CODE.test(failureCode)) {
      checks.add("INVALID_FORMAT", "A failure code takes upper-case letters, digits and `-_.`, e.g. E04-PUMP.", ["repairStandards", i, "failureCode"]);
    }
    if (!(standard.hours > 0 && standard.hours <= MAX_REPAIR_HOURS)) {
      checks.add("OUT_OF_RANGE", `Standard hours must be more than 0 and at most ${MAX_REPAIR_HOURS}.`, ["repairStandards", i, "hours"]);
    }
    if (codes.has(failureCode)) checks.add("DUPLICATE_ENTRY", `${failureCode} is listed twice.`, ["repairStandards", i, "failureCode"]);
    codes.add(failureCode);
    return { failureCode, hours: standard.hours };
  });

  if (draft.fittingIds.length && draft.kind !== "EQUIPMENT") {
    checks.add("WRONG_PRODUCT_KIND", "Only equipment has fittings.", ["fittingIds"]);
  }
  const fittings = new Set<string>();
  draft.fittingIds.forEach((id, i) => {
    reference(id, ["fittingIds", i], ["CONSUMABLE", "ACCESSORY"], "fitting");
    if (fittings.has(id)) checks.add("DUPLICATE_ENTRY", "This fitting is listed twice.", ["fittingIds", i]);
    fittings.add(id);
  });

  const checked: CheckedProduct = {
    sku,
    name: checks.text(draft.name, ["name"]),
    kind: draft.kind,
    category,
    listPrice: price.amount,
    currency: price.currency,
    replenishmentCycleDays: cycle,
    successorId: draft.successorId,
    billOfMaterials: [...draft.billOfMaterials],
    repairStandards,
    fittingIds: [...fittings],
  };
  checks.refuseIfAny();
  return checked;
}

/**
 * Checks that a product named in an input (a successor, a part, a fitting)
 * exists, is of a kind that fits the role, and is not the product itself.
 */
export function checkProductReference(
  checks: InputChecks<CatalogErrorCode>,
  reference: { id: string; field: (string | number)[]; kinds: readonly ProductKind[]; role: string },
  referenced: ReadonlyMap<string, ProductKind>,
  self: string | null,
): void {
  const { id, field, kinds, role } = reference;
  if (id === self) {
    checks.add("SELF_REFERENCE", `A product cannot be its own ${role}.`, field);
    return;
  }
  const kind = referenced.get(id);
  if (!kind) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${id}\`.`, field);
  else if (!kinds.includes(kind)) {
    checks.add("WRONG_PRODUCT_KIND", `A ${role} must be ${kinds.join(" or ")}; \`${id}\` is ${kind}.`, field);
  }
}

/** Every product id a draft refers to, to load their kinds in one query. */
export const referencedProductIds = (draft: Pick<ProductDraft, "successorId" | "billOfMaterials" | "fittingIds">): string[] => [
  ...new Set([...(draft.successorId ? [draft.successorId] : []), ...draft.billOfMaterials.map((line) => line.partId), ...draft.fittingIds]),
];
