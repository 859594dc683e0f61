import {
  afterCursor,
  anyOf,
  containsText,
  countRows,
  dealerFilter,
  orderOf,
  personalColumn,
  seesPersonalData,
  sortKey,
  versionedRows,
  type KeyedRequest,
  type Database,
  type Identity,
  type Page,
  type SortKey,
} from "@aftersales/kit";
import { and, eq, getTableColumns, inArray, or, type SQL } from "drizzle-orm";
import type { CheckedCustomer, CustomerKind, RelationshipLevel } from "../domain/customer.js";
import { customers, type CustomerRow, type StoredCustomer } from "./schema.js";
import { emitCustomerEvent } from "./events.js";

/** Lists of customers are sorted by name; the id breaks ties. */
const byName = sortKey([customers.name, customers.id], (row: CustomerRow) => [row.name, row.id]);
/**
 * ANALYSTs read no names, so their lists are sorted by id (the order
 * customers were registered in): a cursor holding a name would hand them the
 * name it hides.
 */
const byId = sortKey([customers.id], (row: CustomerRow) => [row.id]);

/** How `customers` is sorted for this caller. */
export const customerOrderFor = (identity: Identity): SortKey<CustomerRow> => (seesPersonalData(identity) ? byName : byId);

/** A customer's columns as the caller may read them: the personal ones are null for ANALYSTs, in the query itself. */
function visibleColumns(identity: Identity) {
  return {
    ...getTableColumns(customers),
    name: personalColumn<string | null>(customers.name, identity),
    companyName: personalColumn<string | null>(customers.companyName, identity),
    email: personalColumn<string | null>(customers.email, identity),
    phone: personalColumn<string | null>(customers.phone, identity),
    street: personalColumn<string | null>(customers.street, identity),
    latitude: personalColumn<number | null>(customers.latitude, identity),
    longitude: personalColumn<number | null>(customers.longitude, identity),
  };
}

/** Customers by id, as far as the caller may see them: a DEALER only its own. */
export function findCustomersByIds(db: Database, ids: readonly string[], identity: Identity): Promise<CustomerRow[]> {
  return db
    .select(visibleColumns(identity))
    .from(customers)
    .where(and(anyOf(customers.id, ids), dealerFilter(customers.homeDealerId, identity)));
}

export interface CustomerFilter {
  search?: string | null;
  homeDealerId?: string | null;
  kinds?: readonly CustomerKind[] | null;
  relationshipLevels?: readonly RelationshipLevel[] | null;
}

/** One page of the customers the caller may see (a DEALER: those it is the home dealer of). */
/** The customers a list holds: what the filter asks for, a DEALER's own only. */
function customersListed(filter: CustomerFilter, identity: Identity): SQL | undefined {
  const conditions: (SQL | undefined)[] = [dealerFilter(customers.homeDealerId, identity)];
  const search = filter.search?.trim();
  if (search) {
    conditions.push(or(containsText(customers.name, search), containsText(customers.companyName, search), containsText(customers.email, search)));
  }
  if (filter.homeDealerId) conditions.push(eq(customers.homeDealerId, filter.homeDealerId));
  if (filter.kinds?.length) conditions.push(inArray(customers.kind, [...filter.kinds]));
  if (filter.relationshipLevels?.length) conditions.push(inArray(customers.relationshipLevel, [...filter.relationshipLevels]));
  return and(...conditions);
}

/** How many customers a list holds, whole. */
export const countCustomers = (db: Database, filter: CustomerFilter, identity: Identity) => countRows(db, customers, customersListed(filter, identity));

export function listCustomers(db: Database, filter: CustomerFilter, page: Page, identity: Identity): Promise<CustomerRow[]> {
  const order = customerOrderFor(identity);
  return db
    .select(visibleColumns(identity))
    .from(customers)
    .where(and(afterCursor(order, page), customersListed(filter, identity)))
    .orderBy(...orderOf(order))
    .limit(page.limit + 1);
}

const customerRows = versionedRows(customers, "cus");

/**
 * Reads a customer for an update and holds its row until the transaction
 * ends; null when there is none or the caller may not see it (a DEALER's
 * foreign customer is as absent as an unknown one).
 */
export async function lockCustomer(tx: Database, id: string, identity: Identity): Promise<StoredCustomer | null> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), dealerFilter(customers.homeDealerId, identity)))
    .for("update");
  return row ?? null;
}

export async function insertCustomer(tx: Database, values: CheckedCustomer & Partial<KeyedRequest>): Promise<CustomerRow> {
  const row = await customerRows.insert(tx, values);
  await emitCustomerEvent(tx, "customer.created", row);
  return row;
}

export async function saveCustomer(tx: Database, id: string, values: CheckedCustomer, before: CustomerRow): Promise<CustomerRow> {
  // Keys are unique per home dealer: one moved to another dealer leaves its creation's key behind, long used.
  const moved = values.homeDealerId !== before.homeDealerId ? { idempotencyKey: null, inputHash: null } : {};
  // When consent last changed is the customer's record of it, so it moves only with the consent itself.
  const consentChanged = values.phoneConsent !== before.phoneConsent || values.emailConsent !== before.emailConsent;
  const row = await customerRows.save(tx, id, { ...values, ...moved, ...(consentChanged ? { consentChangedAt: new Date() } : {}) });
  await emitCustomerEvent(tx, "customer.updated", row);
  return row;
}
