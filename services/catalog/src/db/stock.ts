import {
  checkOwnDealer,
  dealerFilter,
  namedServiceCenter,
  newId,
  countPerParent,
  pagePerParent,
  sortKey,
  type Database,
  type Identity,
  type InputChecks,
  type KeyedRequest,
  type Page,
} from "@aftersales/kit";
import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { CatalogErrorCode } from "../domain/errors.js";
import type { Loaders } from "./loaders.js";
import { findProductsByIds } from "./products.js";
import { partStock, partStockMovements, type PartStockRow } from "./schema.js";

/** A service center's stock is listed by part id. */
export const stockOrder = sortKey([partStock.partId], (row: PartStockRow) => [row.partId]);

export interface StockFilter {
  shortage?: boolean | null;
  overstock?: boolean | null;
}

/** The stock a service center's list holds: what the filter asks for; a DEALER's own service center's only. */
function stockListed(identity: Identity, filter: StockFilter): SQL | undefined {
  const flags: SQL[] = [];
  if (filter.shortage !== undefined && filter.shortage !== null) flags.push(eq(partStock.shortage, filter.shortage));
  if (filter.overstock !== undefined && filter.overstock !== null) flags.push(eq(partStock.overstock, filter.overstock));
  return and(flags.length ? or(...flags) : undefined, dealerFilter(partStock.serviceCenterId, identity));
}

/** Each service center's stock; a DEALER asking about another service center than its own finds nothing. */
export function findStockPagesByServiceCenterIds(db: Database, identity: Identity, ids: readonly string[], filter: StockFilter, page: Page) {
  return pagePerParent(db, partStock, partStock.serviceCenterId, ids, stockOrder, page, stockListed(identity, filter));
}

/** How many parts each service center's list holds, whole. */
export const countStockByServiceCenterIds = (db: Database, identity: Identity, ids: readonly string[], filter: StockFilter) =>
  countPerParent(db, partStock, partStock.serviceCenterId, ids, stockListed(identity, filter));

/**
 * Reads a part's stock at a service center for a change, creating an empty
 * one the first time. Only for a service center `checkStockedPart` accepted
 * for the caller.
 */
export async function lockStock(tx: Database, serviceCenterId: string, partId: string): Promise<PartStockRow> {
  // Version 0 until its first save, which every caller makes in the same transaction.
  await tx.insert(partStock).values({ serviceCenterId, partId, version: 0 }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(partStock)
    .where(and(eq(partStock.serviceCenterId, serviceCenterId), eq(partStock.partId, partId)))
    .for("update");
  if (!row) throw new Error("stock row vanished");
  return row;
}

export type StockReason = (typeof partStockMovements.$inferInsert)["reason"];

/** Saves new levels for a locked stock row, recording the change of the quantity on hand and why. */
export async function saveStock(
  tx: Database,
  stock: PartStockRow,
  levels: Pick<PartStockRow, "onHand" | "reorderPoint" | "maxLevel">,
  movement: { reason: StockReason; note: string | null } & Partial<KeyedRequest>,
): Promise<PartStockRow> {
  const [row] = await tx
    .update(partStock)
    // Only the levels: a whole row spread in here would also set the generated flags, which Postgres refuses.
    .set({
      onHand: levels.onHand,
      reorderPoint: levels.reorderPoint,
      maxLevel: levels.maxLevel,
      version: sql`${partStock.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(partStock.serviceCenterId, stock.serviceCenterId), eq(partStock.partId, stock.partId)))
    .returning();
  if (!row) throw new Error("stock row vanished while locked");
  const change = levels.onHand - stock.onHand;
  // No change is no movement, unless its note has something to say (parts used that the count did not have).
  if (change !== 0 || movement.note !== null) {
    await tx.insert(partStockMovements).values({
      id: newId("stm"),
      serviceCenterId: stock.serviceCenterId,
      partId: stock.partId,
      change,
      ...movement,
    });
  }
  return row;
}

/**
 * Takes parts a repair used off a locked stock row, noting what used them
 * (`reference`). They were used whatever the count said, so a count that was
 * short leaves nothing on hand rather than refusing, and the movement says by
 * how much it was short.
 */
export function takeUsedParts(tx: Database, stock: PartStockRow, quantity: number, reference: string): Promise<PartStockRow> {
  const short = quantity - stock.onHand;
  const note = short > 0 ? `${reference}: ${quantity} used, ${stock.onHand} on hand; the count was ${short} short.` : reference;
  return saveStock(tx, stock, { ...stock, onHand: Math.max(stock.onHand - quantity, 0) }, { reason: "USED", note });
}

/** No shelf holds more of one part; a larger figure is a typo. */
export const MAX_STOCK = 1_000_000;

/**
 * Checks the service center and part of a stock change (a DEALER changes only
 * its own service center's stock); returns the trimmed service center id.
 */
export async function checkStockedPart(
  tx: Database,
  { identity, loaders }: { identity: Identity; loaders: Pick<Loaders, "knownDealerById"> },
  checks: InputChecks<CatalogErrorCode>,
  input: { serviceCenterId: string; partId: string },
): Promise<string> {
  const serviceCenterId = checks.text(input.serviceCenterId, ["serviceCenterId"], 64);
  checkOwnDealer(checks, identity, serviceCenterId, ["serviceCenterId"]);
  await namedServiceCenter(checks, identity, serviceCenterId, loaders.knownDealerById, ["serviceCenterId"]);
  const [part] = await findProductsByIds(tx, [input.partId]);
  if (!part) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${input.partId}\`.`, ["partId"]);
  else if (part.kind !== "SPARE_PART") {
    checks.add("WRONG_PRODUCT_KIND", `Service centers stock spare parts; this product is ${part.kind}.`, ["partId"]);
  }
  return serviceCenterId;
}
