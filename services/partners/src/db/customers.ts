import { afterCursor, anyOf, containsText, orderOf, sortKey, versionedRows, type Database, type Page } from "@aftersales/kit";
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
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

const customerRows = versionedRows(customers, "cus");

export const lockCustomer = customerRows.lock;
export const insertCustomer = (tx: Database, values: CheckedCustomer) => customerRows.insert(tx, values);
export const saveCustomer = (tx: Database, id: string, values: CheckedCustomer) => customerRows.save(tx, id, values);
