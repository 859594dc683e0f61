import { dealerFilter, newId, pagePerParent, sortKey, type Database, type Identity, type Page } from "@aftersales/kit";
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
  values: Pick<ConsumablePurchaseRow, "customerId" | "productId" | "dealerId" | "quantity" | "purchasedOn">,
): Promise<ConsumablePurchaseRow> {
  const [row] = await tx
    .insert(consumablePurchases)
    .values({ id: newId("cpu"), ...values })
    .returning();
  if (!row) throw new Error("insert returned no purchase");
  return row;
}

/**
 * Everything a customer bought of one product, oldest first, with the dealer
 * of each purchase, at every dealer: deliberately unscoped, it feeds the
 * forecast projection, which runs `asSystem` (see `refreshForecast`) and
 * never hands these rows to the caller.
 */
export function purchaseHistory(db: Database, customerId: string, productId: string) {
  return db
    .select({
      purchasedOn: consumablePurchases.purchasedOn,
      quantity: consumablePurchases.quantity,
      dealerId: consumablePurchases.dealerId,
    })
    .from(consumablePurchases)
    .where(and(eq(consumablePurchases.customerId, customerId), eq(consumablePurchases.productId, productId)))
    .orderBy(asc(consumablePurchases.purchasedOn), asc(consumablePurchases.recordedAt));
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
