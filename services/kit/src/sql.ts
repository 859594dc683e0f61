import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

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
