import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "./db.js";

/**
 * `column = any($1::text[])`: the batch condition of every loader. One
 * parameter whatever the batch size, so Postgres sees one statement shape.
 */
export function anyOf(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param(values)}::text[])`;
}

/** `column ilike '%term%'` with the term's own `%`, `_` and `\` taken literally. */
export function containsText(column: SQLWrapper, term: string): SQL {
  return sql`${column} ilike ${`%${term.replace(/[\\%_]/g, "\\$&")}%`}`;
}

/**
 * Holds a lock on `key` within `space` (e.g. a table's name) until the
 * transaction ends: for rules that span rows no constraint covers, so two
 * requests checking the same thing run one after the other. Two keys whose
 * hashes collide only wait for each other.
 */
export async function lockUntilCommit(tx: Database, space: string, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${space}), hashtext(${key}))`);
}
