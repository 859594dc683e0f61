import { and, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./db.js";
import { badUserInput } from "./errors.js";

/**
 * Relay cursor connections over keyset pagination: a cursor holds the sort
 * key of the last row seen, so a page costs an index range scan however deep
 * the client has paged, and rows inserted meanwhile never shift the pages.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A validated page request: at most `limit` rows after the sort key `after`. */
export interface Page {
  limit: number;
  after: readonly CursorValue[] | null;
}

export type CursorValue = string | number | boolean | null;

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    values = null;
  }
  const ok =
    Array.isArray(values) &&
    values.length === arity &&
    values.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
  if (!ok) throw badUserInput("`after` is not a cursor of this list; pass an endCursor this list returned.", "after");
  return values as CursorValue[];
}

/**
 * How a list is sorted: its columns, all in one direction, the last one
 * unique (the id), and how to read the same values off a row for its cursor.
 */
export interface SortKey<Row> {
  columns: readonly SQLWrapper[];
  of: (row: Row) => readonly CursorValue[];
  direction: "asc" | "desc";
}

export function sortKey<Row>(
  columns: readonly SQLWrapper[],
  of: (row: Row) => readonly CursorValue[],
  direction: "asc" | "desc" = "asc",
): SortKey<Row> {
  return { columns, of, direction };
}

/**
 * Validates `first`/`after` for a list in `order`. Too large a page is refused
 * rather than silently cut, so an integration never mistakes a short page for
 * the end of the list.
 */
export function pageOf(args: PageArgs, order: SortKey<never>): Page {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}.`, "first");
  }
  return { limit, after: args.after ? decodeCursor(args.after, order.columns.length) : null };
}

/**
 * Builds a connection from rows fetched with `limit + 1`: the extra row only
 * says that another page exists.
 */
export function toConnection<T>(rows: readonly T[], page: Page, order: SortKey<T>): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(order.of(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The keyset condition `(a, b) > (x, y)` (`<` descending) for a page, or undefined on the first page. */
export function afterCursor(order: SortKey<never>, page: Page): SQL | undefined {
  if (!page.after) return undefined;
  const columns = sql.join(order.columns.map((c) => sql`${c}`), sql`, `);
  const values = sql.join(page.after.map((v) => sql`${v}`), sql`, `);
  return order.direction === "asc" ? sql`(${columns}) > (${values})` : sql`(${columns}) < (${values})`;
}

/** `ORDER BY` for a list in `order`. */
export function orderOf(order: SortKey<never>): SQL[] {
  return order.columns.map((column) => (order.direction === "asc" ? sql`${column} asc` : sql`${column} desc`));
}

/**
 * One page of children for each of many parents in one statement:
 * `unnest(parentIds)` joined laterally to an index range scan per parent, so
 * a parent with thousands of children costs no more than one with ten.
 * Returns up to `page.limit + 1` rows per parent (see `childPageLoader`).
 */
export async function pagePerParent<T extends PgTable>(
  db: Database,
  table: T,
  parentColumn: PgColumn,
  parentIds: readonly string[],
  order: SortKey<T["$inferSelect"]>,
  page: Page,
  where?: SQL,
): Promise<T["$inferSelect"][]> {
  const perParent = db
    .select()
    .from(table as PgTable)
    .where(and(eq(parentColumn, sql`parent.id`), afterCursor(order, page), where))
    .orderBy(...orderOf(order))
    .limit(page.limit + 1)
    .as("child");
  const rows = await db
    .select({ ...perParent._.selectedFields })
    .from(sql`unnest(${sql.param(parentIds)}::text[]) as parent(id)`)
    .crossJoinLateral(perParent);
  // The select above is the table's own columns under the subquery's alias.
  return rows as T["$inferSelect"][];
}
