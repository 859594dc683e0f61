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

/** A float8[] as either driver returns it: an array (postgres.js) or its text form `{1.5,2}` (PGlite may); null elements left out. */
export function floatsOf(value: readonly (number | string | null)[] | string | null): number[] {
  if (value === null) return [];
  const items = typeof value === "string" ? value.replace(/[{}]/g, "").split(",") : value;
  return items.filter((item) => item !== null && item !== "" && item !== "NULL").map(Number);
}
