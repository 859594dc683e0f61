import { and, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./db.js";
import { badUserInput } from "./errors.js";
import { stringProblem } from "./inputs.js";
import { anyOf } from "./sql.js";

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

/**
 * How many items a whole list holds (every page, not this one): run only when
 * a client selects `totalCount`. GraphQL's default field resolver calls a
 * function it finds on the parent object, so the count is a function on the
 * connection, and a list read without it costs no count. Counted once per
 * connection, however many times (aliases) the field is selected.
 */
export type TotalCount = () => Promise<number>;

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: TotalCount;
}

/** A connection with fields of its own besides the three, as its SDL type `Sdl` has them. */
export type ConnectionWith<T, Sdl> = Connection<T> & Omit<Sdl, "edges" | "pageInfo" | "totalCount" | "__typename">;

/** A count that runs at most once, and only when asked for. */
export function countOnce(count: () => Promise<number>): TotalCount {
  let counted: Promise<number> | undefined;
  return () => (counted ??= count());
}

/** A count already known (a list computed whole). */
export const countOf =
  (n: number): TotalCount =>
  () =>
    Promise.resolve(n);

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

const notACursor = () => badUserInput("`after` is not a cursor of this list; pass an endCursor this list returned.", "after");

/**
 * The values in a cursor. A client can send any string as one, so what it
 * holds is checked before it reaches SQL: `kinds` are what the list sorts by
 * (a number: that many values of any kind), and text never holds what
 * Postgres refuses (a NUL byte).
 */
export function decodeCursor(cursor: string, kinds: number | readonly CursorKind[]): CursorValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    values = null;
  }
  const checks = typeof kinds === "number" ? Array.from({ length: kinds }, () => "any" as const) : kinds;
  const ok = Array.isArray(values) && values.length === checks.length && values.every((v, i) => fitsKind(v, checks[i]!));
  if (!ok) throw notACursor();
  return values as CursorValue[];
}

/**
 * What a sort column holds, as far as a cursor value for it must be checked
 * before Postgres compares the column with it: a value of another type, a
 * date that does not exist or an enum label it lacks fails the statement
 * (and the request's transaction) instead of meaning "no such cursor".
 */
export type CursorKind = "text" | "timestamp" | "date" | "int4" | "integer" | "number" | "boolean" | { labels: readonly string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function fitsKind(value: unknown, kind: CursorKind | "any"): boolean {
  if (value === null) return true;
  if (typeof value === "string" && stringProblem(value, "text") !== null) return false;
  if (kind === "any") return ["string", "number", "boolean"].includes(typeof value);
  if (typeof kind === "object") return typeof value === "string" && kind.labels.includes(value);
  switch (kind) {
    case "text":
      return typeof value === "string";
    case "timestamp":
      return typeof value === "string" && (value === "infinity" || value === "-infinity" || (INSTANT.test(value) && !Number.isNaN(Date.parse(value))));
    case "date":
      return typeof value === "string" && DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
    case "int4":
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;
    case "integer":
      return Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
  }
}

/** What a column holds, from its SQL type; a column of another type has to be sorted by a `sortExpression` saying so. */
function kindOfColumn(column: PgColumn): CursorKind {
  if (column.columnType === "PgEnumColumn" || column.columnType === "PgEnumObjectColumn") return { labels: column.enumValues ?? [] };
  const type = column.getSQLType();
  if (/^(text|varchar|char)(\(\d+\))?$/.test(type)) return "text";
  if (type.startsWith("timestamp")) return "timestamp";
  if (type === "date") return "date";
  if (/^(integer|smallint|serial|smallserial)$/.test(type)) return "int4";
  if (/^(bigint|bigserial)$/.test(type)) return "integer";
  if (/^(double precision|real)$/.test(type)) return "number";
  if (type === "boolean") return "boolean";
  throw new Error(`A list sorted by ${column.name} (${type}) needs a sortExpression saying what kind of value its cursor holds.`);
}

/** A computed sort expression, and what kind of value it yields (see `CursorKind`). */
export interface SortExpression {
  expression: SQL;
  kind: CursorKind;
}

export const sortExpression = (expression: SQL, kind: CursorKind): SortExpression => ({ expression, kind });

/**
 * How a list is sorted: its columns, all in one direction, the last one
 * unique (the id), and how to read the same values off a row for its cursor.
 */
export interface SortKey<Row> {
  columns: readonly SQLWrapper[];
  /** What each column holds, to check a cursor's values against. */
  kinds: readonly CursorKind[];
  of: (row: Row) => readonly CursorValue[];
  direction: "asc" | "desc";
}

export function sortKey<Row>(
  columns: readonly (PgColumn | SortExpression)[],
  of: (row: Row) => readonly CursorValue[],
  direction: "asc" | "desc" = "asc",
): SortKey<Row> {
  return {
    columns: columns.map((c) => ("expression" in c ? c.expression : c)),
    kinds: columns.map((c) => ("expression" in c ? c.kind : kindOfColumn(c))),
    of,
    direction,
  };
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
  return { limit, after: args.after ? decodeCursor(args.after, order.kinds) : null };
}

/**
 * Builds a connection from rows fetched with `limit + 1`: the extra row only
 * says that another page exists. `count` counts the whole list, with the same
 * conditions as the rows (the caller's dealer included) but no cursor; it
 * runs only when `totalCount` is asked for (see `TotalCount`). On the first
 * page, when the rows are all there are, they are the count and no statement
 * runs.
 */
export function toConnection<T>(rows: readonly T[], page: Page, order: SortKey<T>, count: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => new PageEdge(node, order));
  const whole = page.after === null && rows.length <= page.limit;
  return {
    totalCount: whole ? countOf(rows.length) : countOnce(count),
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * An edge whose cursor is made when it is read: most pages are read for
 * their nodes alone, and encoding every row's sort key for nothing was a
 * share of building each answer.
 */
class PageEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly order: SortKey<T>,
  ) {}

  get cursor(): string {
    return encodeCursor(this.order.of(this.node));
  }
}

/** The keyset condition `(a, b) > (x, y)` (`<` descending) for a page, or undefined on the first page. */
export function afterCursor(order: SortKey<never>, page: Page): SQL | undefined {
  if (!page.after) return undefined;
  const columns = sql.join(
    order.columns.map((c) => sql`${c}`),
    sql`, `,
  );
  const values = sql.join(
    page.after.map((v) => sql`${v}`),
    sql`, `,
  );
  return order.direction === "asc" ? sql`(${columns}) > (${values})` : sql`(${columns}) < (${values})`;
}

/** `ORDER BY` for a list in `order`. */
export function orderOf(order: SortKey<never>): SQL[] {
  return order.columns.map((column) => (order.direction === "asc" ? sql`${column} asc` : sql`${column} desc`));
}

/** How many rows of `table` meet `where`: a list's `totalCount`, with the list's own conditions and no cursor. */
export async function countRows(db: Database, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/**
 * How many children each parent has, in one statement (`group by` over the
 * parents' `= ANY($1)`): the `totalCount` of the per-parent lists
 * `pagePerParent` pages, with the same `where`. A parent without children
 * has no row (see `countLoaderByParent`).
 */
export async function countPerParent(
  db: Database,
  table: PgTable,
  parentColumn: PgColumn,
  parentIds: readonly string[],
  where?: SQL,
): Promise<{ parentId: string; n: number }[]> {
  const rows = await db
    .select({ parentId: sql<string>`${parentColumn}`, n: sql<number>`count(*)::int` })
    .from(table)
    .where(and(anyOf(parentColumn, parentIds), where))
    .groupBy(parentColumn);
  return rows.map((row) => ({ parentId: row.parentId, n: Number(row.n) }));
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

/** Aggregated groups (insights) are few, so they page by position; the cursor is the index of the last group seen. */
export interface GroupPage {
  offset: number;
  limit: number;
}

export function groupPageOf(args: PageArgs): GroupPage {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}.`, "first");
  if (!args.after) return { offset: 0, limit };
  const [index] = decodeCursor(args.after, 1);
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0) throw badUserInput("`after` is not a cursor of this list.", "after");
  return { offset: index + 1, limit };
}

/** A page of groups fetched with `count(*) over ()`, and the number of groups on every page together. */
export function groupConnection<T>(rows: readonly T[], page: GroupPage, total: number): Connection<T> {
  const edges = rows.map((node, i) => ({ node, cursor: encodeCursor([page.offset + i]) }));
  return {
    edges,
    totalCount: countOf(total),
    pageInfo: {
      hasNextPage: page.offset + rows.length < total,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
