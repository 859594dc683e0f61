import DataLoader from "dataloader";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
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
 * How a list is sorted: its columns, all ascending, the last one unique (the
 * id), and how to read the same values off a row for its cursor.
 */
export interface SortKey<Row> {
  columns: readonly SQLWrapper[];
  of: (row: Row) => readonly CursorValue[];
}

export function sortKey<Row>(columns: readonly SQLWrapper[], of: (row: Row) => readonly CursorValue[]): SortKey<Row> {
  return { columns, of };
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

/** The keyset condition `(a, b) > (x, y)` for a page, or undefined on the first page. */
export function afterCursor(order: SortKey<never>, page: Page): SQL | undefined {
  if (!page.after) return undefined;
  const values = page.after;
  return sql`(${sql.join(order.columns.map((c) => sql`${c}`), sql`, `)}) > (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/**
 * Loads one page of children for many parents at once (e.g. the units of
 * every customer on a page of customers): one SQL statement per distinct
 * page request, however many parents. `fetch` returns up to `limit + 1` rows
 * per parent.
 */
export function childPageLoader<Row>(
  fetch: (parentIds: readonly string[], page: Page) => Promise<readonly Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<{ parentId: string; page: Page }, Row[], string> {
  return new DataLoader(
    async (keys) => {
      const byPage = new Map<string, { page: Page; parentIds: string[] }>();
      for (const { parentId, page } of keys) {
        const pageKey = JSON.stringify(page);
        const group = byPage.get(pageKey) ?? { page, parentIds: [] };
        group.parentIds.push(parentId);
        byPage.set(pageKey, group);
      }
      const rowsByKey = new Map<string, Row[]>();
      for (const [pageKey, { page, parentIds }] of byPage) {
        for (const row of await fetch(parentIds, page)) {
          const key = `${parentOf(row)}|${pageKey}`;
          const list = rowsByKey.get(key) ?? [];
          list.push(row);
          rowsByKey.set(key, list);
        }
      }
      return keys.map(({ parentId, page }) => rowsByKey.get(`${parentId}|${JSON.stringify(page)}`) ?? []);
    },
    { cacheKeyFn: ({ parentId, page }) => `${parentId}|${JSON.stringify(page)}` },
  );
}

/** `ORDER BY` for a list in `order`. */
export function orderOf(order: SortKey<never>): SQL[] {
  return order.columns.map((column) => sql`${column} asc`);
}
