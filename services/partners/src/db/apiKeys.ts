import { afterCursor, anyOf, countRows, newId, orderOf, sortKey, type Database, type Page } from "@aftersales/kit";
import { and, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import type { CheckedApiKey } from "../domain/apiKey.js";
import { apiKeys, type ApiKeyRow } from "./schema.js";

/** Keys are listed newest first; ids are ULIDs, so their order is the order of creation. */
export const apiKeyOrder = sortKey([apiKeys.id], (row: ApiKeyRow) => [row.id], "desc");

export function findApiKeysByIds(db: Database, ids: readonly string[]) {
  return db.select().from(apiKeys).where(anyOf(apiKeys.id, ids));
}

export interface ApiKeyFilter {
  dealerId?: string | null;
  includeRevoked?: boolean | null;
}

/** The keys a list holds: what the filter asks for. */
function apiKeysListed(filter: ApiKeyFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.dealerId) conditions.push(eq(apiKeys.dealerId, filter.dealerId));
  if (!filter.includeRevoked) conditions.push(isNull(apiKeys.revokedAt));
  return and(...conditions);
}

/** How many keys a list holds, whole. */
export const countApiKeys = (db: Database, filter: ApiKeyFilter) => countRows(db, apiKeys, apiKeysListed(filter));

export function listApiKeys(db: Database, filter: ApiKeyFilter, page: Page) {
  return db
    .select()
    .from(apiKeys)
    .where(and(afterCursor(apiKeyOrder, page), apiKeysListed(filter)))
    .orderBy(...orderOf(apiKeyOrder))
    .limit(page.limit + 1);
}

/** The key with this hash when it may still be used: not revoked, not expired. */
export async function findUsableApiKeyByHash(db: Database, keyHash: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        // statement_timestamp, not now(): a request's transaction may have begun a moment earlier.
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`statement_timestamp()`)),
      ),
    );
  return row ?? null;
}

export async function insertApiKey(tx: Database, values: CheckedApiKey & { keyHash: string; keyPrefix: string; createdBy: string }): Promise<ApiKeyRow> {
  const [row] = await tx
    .insert(apiKeys)
    .values({ id: newId("key"), ...values })
    .returning();
  if (!row) throw new Error("insert returned no API key");
  return row;
}

/** Revokes a key now; a key already revoked keeps the time it was first revoked. Null when there is no such key. */
export async function revokeApiKeyById(tx: Database, id: string): Promise<ApiKeyRow | null> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, id))
    .returning();
  return row ?? null;
}
