import { afterCursor, anyOf, containsText, newId, orderOf, sortKey, type Database, type Page } from "@aftersales/kit";
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { CheckedCustomer, CustomerKind, RelationshipLevel } from "../domain/customer.js";
import { customers, type CustomerRow } from "./schema.js";

/** Lists of customers are sorted by name; the id breaks ties. */
export const customerOrder = sortKey([customers.name, customers.id], (row: CustomerRow) => [row.name, row.id]);

export function findCustomersByIds(db: Database, ids: readonly string[]) {
  return db.select().from(customers).where(anyOf(customers.id, ids));
}

export interface CustomerFilter {
  search?: string | null;
  homeDealerId?: string | null;
  kinds?: readonly CustomerKind[] | null;
  relationshipLevels?: readonly RelationshipLevel[] | null;
}

export function listCustomers(db: Database, filter: CustomerFilter, page: Page) {
  const conditions: (SQL | undefined)[] = [afterCursor(customerOrder, page)];
  const search = filter.search?.trim();
  if (search) {
    conditions.push(
      or(containsText(customers.name, search), containsText(customers.companyName, search), containsText(customers.email, search)),
    );
  }
  if (filter.homeDealerId) conditions.push(eq(customers.homeDealerId, filter.homeDealerId));
  if (filter.kinds?.length) conditions.push(inArray(customers.kind, [...filter.kinds]));
  if (filter.relationshipLevels?.length) conditions.push(inArray(customers.relationshipLevel, [...filter.relationshipLevels]));
  return db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(...orderOf(customerOrder))
    .limit(page.limit + 1);
}

export async function lockCustomer(tx: Database, id: string): Promise<CustomerRow | null> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, id)).for("update");
  return row ?? null;
}

export async function insertCustomer(tx: Database, values: CheckedCustomer): Promise<CustomerRow> {
  const [row] = await tx.insert(customers).values({ id: newId("cus"), ...values }).returning();
  if (!row) throw new Error("insert returned no customer");
  return row;
}

export async function saveCustomer(tx: Database, id: string, values: CheckedCustomer): Promise<CustomerRow> {
  const [row] = await tx
    .update(customers)
    .set({ ...values, version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(eq(customers.id, id))
    .returning();
  if (!row) throw new Error(`customer ${id} vanished while locked`);
  return row;
}
