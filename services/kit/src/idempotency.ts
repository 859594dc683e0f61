import { and, eq, getTableName } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./db.js";
import { Refusal, userError } from "./errors.js";
import { inputHash } from "./hashes.js";
import { lockUntilCommit } from "./sql.js";

/** A table whose rows a dealer's system creates with an idempotency key, unique per dealer. */
type KeyedTable = PgTable & { idempotencyKey: PgColumn; inputHash: PgColumn };

/**
 * The row a dealer created earlier with `key`, or null: the dealer's id is in
 * `dealerColumn` (the table's `dealerId` unless said otherwise, e.g. a
 * customer's home dealer). Read under a lock on the key until the
 * transaction ends, so a retry sent while the first request still runs
 * waits for it and then finds its row.
 */
export async function findByIdempotencyKey<T extends KeyedTable & { dealerId: PgColumn }>(
  tx: Database,
  table: T,
  dealerId: string,
  key: string,
): Promise<T["$inferSelect"] | null>;
export async function findByIdempotencyKey<T extends KeyedTable>(
  tx: Database,
  table: T,
  dealerId: string,
  key: string,
  dealerColumn: PgColumn,
): Promise<T["$inferSelect"] | null>;
export async function findByIdempotencyKey<T extends KeyedTable>(
  tx: Database,
  table: T,
  dealerId: string,
  key: string,
  dealerColumn: PgColumn = (table as T & { dealerId: PgColumn }).dealerId,
): Promise<T["$inferSelect"] | null> {
  await lockUntilCommit(tx, `${getTableName(table)}.idempotency`, `${dealerId}|${key}`);
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(and(eq(dealerColumn, dealerId), eq(table.idempotencyKey, key)));
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

/** What a row created with a key keeps of it: the key, and the hash of the input it came with. */
export interface KeyedRequest {
  idempotencyKey: string | null;
  inputHash: string | null;
}

/** The key columns of a row a request creates; both null without a key. */
export const keyedRequest = (key: string | null, input: object): KeyedRequest =>
  key ? { idempotencyKey: key, inputHash: inputHash(input) } : { idempotencyKey: null, inputHash: null };

/**
 * A create a dealer's system may send again: with a key, the row created
 * earlier with the same key and input is the answer (a retry after a lost
 * answer), the same key with another input is refused, and otherwise
 * `create` makes the row, keeping the key and the input's hash with it.
 */
export async function createdOnce<T extends KeyedTable, Row = T["$inferSelect"]>(
  tx: Database,
  table: T,
  scope: { dealerId: string; dealerColumn: PgColumn },
  request: { key: string | null; input: object },
  create: (keyed: KeyedRequest) => Promise<Row>,
): Promise<Row> {
  if (request.key) {
    const earlier = await findByIdempotencyKey(tx, table, scope.dealerId, request.key, scope.dealerColumn);
    // `Row` is the table's row as its stores hand it out (possibly with columns widened to null for some callers).
    const replay = replayOf(earlier as (Row & { inputHash: string | null }) | null, request.input);
    if (replay) return replay;
  }
  return create(keyedRequest(request.key, request.input));
}
