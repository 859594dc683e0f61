import { countPerParent, dealerFilter, newId, pagePerParent, sortKey, type Database, type Identity, type KeyedRequest, type Page } from "@aftersales/kit";
import { and, asc, eq } from "drizzle-orm";
import { consumablePurchases, type ConsumablePurchaseRow } from "./schema.js";

/** A customer's purchases are listed newest first. */
export const purchaseOrder = sortKey(
  [consumablePurchases.purchasedOn, consumablePurchases.id],
  (row: ConsumablePurchaseRow) => [row.purchasedOn, row.id],
  "desc",
);

export async function insertPurchase(
  tx: Database,
  values: Pick<ConsumablePurchaseRow, "customerId" | "productId" | "dealerId" | "quantity" | "purchasedOn"> & Partial<KeyedRequest>,
): Promise<ConsumablePurchaseRow> {
  const [row] = await tx
    .insert(consumablePurchases)
    .values({ id: newId("cpu"), ...values })
    .returning();
  if (!row) throw new Error("insert returned no purchase");
  return row;
}

/**
 * What a customer bought of one product from one dealer, oldest first: what
 * that dealer's forecast rests on. Read in the caller's scope, which holds
 * every purchase of the dealer it records for.
 */
export function purchaseHistory(db: Database, key: { customerId: string; productId: string; dealerId: string }) {
  const p = consumablePurchases;
  return db
    .select({ purchasedOn: p.purchasedOn, quantity: p.quantity })
    .from(p)
    .where(and(eq(p.customerId, key.customerId), eq(p.productId, key.productId), eq(p.dealerId, key.dealerId)))
    .orderBy(asc(p.purchasedOn), asc(p.recordedAt));
}

/** Each customer's purchases; for a DEALER only those bought from it (another dealer's sales are its business). */
export const findPurchasePagesByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[], page: Page) =>
  pagePerParent(
    db,
    consumablePurchases,
    consumablePurchases.customerId,
    customerIds,
    purchaseOrder,
    page,
    dealerFilter(consumablePurchases.dealerId, identity),
  );

/** How many purchases each customer's list holds, whole. */
export const countPurchasesByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[]) =>
  countPerParent(db, consumablePurchases, consumablePurchases.customerId, customerIds, dealerFilter(consumablePurchases.dealerId, identity));
