import { and, eq, getTableName } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./db.js";
import { Refusal, userError } from "./errors.js";
import { inputHash } from "./hashes.js";
import { lockUntilCommit } from "./sql.js";

/** A table whose rows a dealer's system creates with an idempotency key, unique per dealer. */
type KeyedTable = PgTable & { dealerId: PgColumn; idempotencyKey: PgColumn };

/**
 * The row a dealer created earlier with `key`, or null. Read under a lock on
 * the key until the transaction ends, so a retry sent while the first request
 * still runs waits for it and then finds its row.
 */
export async function findByIdempotencyKey<T extends KeyedTable>(tx: Database, table: T, dealerId: string, key: string): Promise<T["$inferSelect"] | null> {
  await lockUntilCommit(tx, `${getTableName(table)}.idempotency`, `${dealerId}|${key}`);
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(and(eq(table.dealerId, dealerId), eq(table.idempotencyKey, key)));
  // The select is the table's own columns.
  return (row as T["$inferSelect"] | undefined) ?? null;
}

/**
 * A repeated call with the same idempotency key: the first result when the
 * input is the same (a retry after a lost answer), a refusal when it is not
 * (a key reused by mistake would otherwise hide the second request). The
 * subgraph's error enum carries `IDEMPOTENCY_KEY_REUSED`.
 */
export function replayOf<Row extends { inputHash: string | null }>(earlier: Row | null, input: object): Row | null {
  if (!earlier) return null;
  if (earlier.inputHash === inputHash(input)) return earlier;
  throw new Refusal([
    userError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used before with another input; use a new key for a new request.", ["idempotencyKey"]),
  ]);
}
