import { afterCursor, anyOf, containsText, countRows, orderOf, sortKey, versionedRows, type Database, type Page } from "@aftersales/kit";
import { and, asc, desc, eq, getTableColumns, inArray, or, sql, type SQL } from "drizzle-orm";
import type { LifecycleStage } from "../domain/lifecycle.js";
import type { CheckedProduct, ProductKind } from "../domain/product.js";
import { bomLines, productFittings, productLifecycleChanges, products, repairStandards, type ProductRow } from "./schema.js";
import { emitProductEvent } from "./events.js";

/** Lists of products are sorted by name; the id breaks ties. */
export const productOrder = sortKey([products.name, products.id], (row: ProductRow) => [row.name, row.id]);

export function findProductsByIds(db: Database, ids: readonly string[]) {
  return db.select().from(products).where(anyOf(products.id, ids));
}

export function findProductsBySkus(db: Database, skus: readonly string[]) {
  return db.select().from(products).where(anyOf(products.sku, skus));
}

/** The kinds of the given products that exist, to check references to them. */
export async function kindsOf(db: Database, ids: readonly string[]): Promise<Map<string, ProductKind>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: products.id, kind: products.kind }).from(products).where(anyOf(products.id, ids));
  return new Map(rows.map((row) => [row.id, row.kind]));
}

export interface ProductFilter {
  kinds?: readonly ProductKind[] | null;
  categories?: readonly string[] | null;
  lifecycleStages?: readonly LifecycleStage[] | null;
  search?: string | null;
}

/** The products a list holds: what the filter asks for (the catalog is everyone's). */
function productsListed(filter: ProductFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.kinds?.length) conditions.push(inArray(products.kind, [...filter.kinds]));
  if (filter.categories?.length) conditions.push(inArray(products.category, [...filter.categories]));
  if (filter.lifecycleStages?.length) conditions.push(inArray(products.lifecycleStage, [...filter.lifecycleStages]));
  const search = filter.search?.trim();
  if (search) conditions.push(or(containsText(products.name, search), containsText(products.sku, search)));
  return and(...conditions);
}

export function listProducts(db: Database, filter: ProductFilter, page: Page) {
  return db
    .select()
    .from(products)
    .where(and(afterCursor(productOrder, page), productsListed(filter)))
    .orderBy(...orderOf(productOrder))
    .limit(page.limit + 1);
}

/** How many products a list holds, whole. */
export const countProducts = (db: Database, filter: ProductFilter) => countRows(db, products, productsListed(filter));

const productRows = versionedRows(products, "prd");

export const lockProduct = productRows.lock;

export async function insertProduct(
  tx: Database,
  { billOfMaterials, repairStandards: standards, fittingIds, ...columns }: CheckedProduct,
  stage: LifecycleStage,
  introducedOn: string,
): Promise<ProductRow> {
  const row = await productRows.insert(tx, { ...columns, lifecycleStage: stage });
  await tx.insert(productLifecycleChanges).values({ productId: row.id, sequence: 1, toStage: stage, effectiveOn: introducedOn });
  await insertLists(tx, row.id, { billOfMaterials, repairStandards: standards, fittingIds });
  await emitProductEvent(tx, "product.created", row);
  return row;
}

export async function saveProduct(
  tx: Database,
  id: string,
  { billOfMaterials, repairStandards: standards, fittingIds, ...columns }: CheckedProduct,
): Promise<ProductRow> {
  const row = await productRows.save(tx, id, columns);
  // A product's lists (parts, repair standards, fittings) are values: each is replaced whole.
  await tx.delete(bomLines).where(eq(bomLines.productId, id));
  await tx.delete(repairStandards).where(eq(repairStandards.productId, id));
  await tx.delete(productFittings).where(eq(productFittings.equipmentId, id));
  await insertLists(tx, id, { billOfMaterials, repairStandards: standards, fittingIds });
  await emitProductEvent(tx, "product.updated", row);
  return row;
}

async function insertLists(tx: Database, productId: string, lists: Pick<CheckedProduct, "billOfMaterials" | "repairStandards" | "fittingIds">): Promise<void> {
  if (lists.billOfMaterials.length) {
    await tx.insert(bomLines).values(lists.billOfMaterials.map((line) => ({ productId, ...line })));
  }
  if (lists.repairStandards.length) {
    await tx.insert(repairStandards).values(lists.repairStandards.map((standard) => ({ productId, ...standard })));
  }
  if (lists.fittingIds.length) {
    await tx.insert(productFittings).values(lists.fittingIds.map((fittingId) => ({ equipmentId: productId, fittingId })));
  }
}

export interface LifecycleChange {
  stage: LifecycleStage;
  effectiveOn: string;
  note: string | null;
  /** Only when the product is discontinued. */
  discontinued?: { partsGuaranteedUntil: string; successorId: string | null };
}

/** Moves a locked product to another stage and records the change in its history. */
export async function changeLifecycleStage(tx: Database, product: ProductRow, change: LifecycleChange): Promise<ProductRow> {
  const changes = productLifecycleChanges;
  await tx.insert(changes).values({
    productId: product.id,
    // The product row is locked, so no other change can take this number meanwhile.
    sequence: sql`(select coalesce(max(${changes.sequence}), 0) + 1 from ${changes} where ${changes.productId} = ${product.id})`,
    fromStage: product.lifecycleStage,
    toStage: change.stage,
    effectiveOn: change.effectiveOn,
    note: change.note,
  });
  const row = await productRows.save(tx, product.id, {
    lifecycleStage: change.stage,
    ...(change.discontinued
      ? {
          discontinuedOn: change.effectiveOn,
          partsGuaranteedUntil: change.discontinued.partsGuaranteedUntil,
          successorId: change.discontinued.successorId ?? product.successorId,
        }
      : {}),
  });
  await emitProductEvent(tx, "product.lifecycle_changed", row);
  return row;
}

/** When the product's latest stage took effect: no later change may be dated before it. */
export async function lastLifecycleChangeDateOf(tx: Database, productId: string): Promise<string> {
  const [row] = await tx
    .select({ effectiveOn: productLifecycleChanges.effectiveOn })
    .from(productLifecycleChanges)
    .where(eq(productLifecycleChanges.productId, productId))
    .orderBy(desc(productLifecycleChanges.sequence))
    .limit(1);
  if (!row) throw new Error(`product ${productId} has no lifecycle history`);
  return row.effectiveOn;
}

export function findLifecycleChangesByProductIds(db: Database, productIds: readonly string[]) {
  return db.select().from(productLifecycleChanges).where(anyOf(productLifecycleChanges.productId, productIds)).orderBy(asc(productLifecycleChanges.sequence));
}

export function findBomLinesByProductIds(db: Database, productIds: readonly string[]) {
  return db.select().from(bomLines).where(anyOf(bomLines.productId, productIds)).orderBy(asc(bomLines.partId));
}

export function findRepairStandardsByProductIds(db: Database, productIds: readonly string[]) {
  return db.select().from(repairStandards).where(anyOf(repairStandards.productId, productIds)).orderBy(asc(repairStandards.failureCode));
}

/** For each piece of equipment (`ownerId`): the consumables and accessories that fit it, by name. */
export function findFittingsByEquipmentIds(db: Database, equipmentIds: readonly string[]) {
  return db
    .select({ ...getTableColumns(products), ownerId: productFittings.equipmentId })
    .from(productFittings)
    .innerJoin(products, eq(products.id, productFittings.fittingId))
    .where(anyOf(productFittings.equipmentId, equipmentIds))
    .orderBy(asc(products.name), asc(products.id));
}

/** For each consumable or accessory (`ownerId`): the equipment it fits, by name. */
export function findEquipmentByFittingIds(db: Database, fittingIds: readonly string[]) {
  return db
    .select({ ...getTableColumns(products), ownerId: productFittings.fittingId })
    .from(productFittings)
    .innerJoin(products, eq(products.id, productFittings.equipmentId))
    .where(anyOf(productFittings.fittingId, fittingIds))
    .orderBy(asc(products.name), asc(products.id));
}

/** For each spare part (`ownerId`): the products whose bill of materials lists it, by name. */
export function findProductsUsingPartIds(db: Database, partIds: readonly string[]) {
  return db
    .select({ ...getTableColumns(products), ownerId: bomLines.partId })
    .from(bomLines)
    .innerJoin(products, eq(products.id, bomLines.productId))
    .where(anyOf(bomLines.partId, partIds))
    .orderBy(asc(products.name), asc(products.id));
}
