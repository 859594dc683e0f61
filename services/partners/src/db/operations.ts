import { afterCursor, countRows, dealerScopeOf, newId, orderOf, sortKey, type Database, type Identity, type Page } from "@aftersales/kit";
import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { CheckedOperation } from "../domain/operation.js";
import { persistedOperations, type PersistedOperationRow } from "./schema.js";

/** Registered operations are listed newest first; ids are ULIDs, so their order is the order of registration. */
export const operationOrder = sortKey([persistedOperations.id], (row: PersistedOperationRow) => [row.id], "desc");

/**
 * The operations a caller may call: a DEALER its own and the shared ones
 * (registered by staff); every other role all of them.
 */
function callableBy(identity: Identity): SQL | undefined {
  const dealerId = dealerScopeOf(identity);
  return dealerId === null ? undefined : or(isNull(persistedOperations.dealerId), eq(persistedOperations.dealerId, dealerId));
}

/** The operation registered under `hash` that the caller may call; null when there is none. */
export async function findOperationByHash(db: Database, hash: string, identity: Identity): Promise<PersistedOperationRow | null> {
  const [row] = await db
    .select()
    .from(persistedOperations)
    .where(and(eq(persistedOperations.hash, hash), callableBy(identity)))
    // The same document in two scopes is the same operation; prefer the shared registration.
    .orderBy(sql`${persistedOperations.dealerId} is null desc`, asc(persistedOperations.id))
    .limit(1);
  return row ?? null;
}

/** How many operations the caller's list holds, whole. */
export const countOperations = (db: Database, identity: Identity) => countRows(db, persistedOperations, callableBy(identity));

export function listOperations(db: Database, page: Page, identity: Identity) {
  return db
    .select()
    .from(persistedOperations)
    .where(and(afterCursor(operationOrder, page), callableBy(identity)))
    .orderBy(...orderOf(operationOrder))
    .limit(page.limit + 1);
}

/**
 * Registers a checked operation in the caller's scope (its dealer, or shared
 * for staff), or returns the registration already there: registering is
 * idempotent, even when two requests race.
 */
export async function registerOperationIn(
  tx: Database,
  operation: CheckedOperation,
  scope: { dealerId: string | null; registeredBy: string },
): Promise<PersistedOperationRow> {
  const sameScope = and(
    eq(persistedOperations.hash, operation.hash),
    scope.dealerId === null ? isNull(persistedOperations.dealerId) : eq(persistedOperations.dealerId, scope.dealerId),
  );
  const [inserted] = await tx
    .insert(persistedOperations)
    .values({ id: newId("op"), ...operation, ...scope })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [existing] = await tx.select().from(persistedOperations).where(sameScope);
  if (!existing) throw new Error(`operation ${operation.hash} conflicted but is not there`);
  return existing;
}
