import { eq, sql } from "drizzle-orm";
import { integer, numeric, timestamp, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./db.js";
import { newId } from "./ids.js";
import { MOST_MINOR_UNITS } from "./money.js";

/**
 * A money amount's column: 10 digits before the point and as many after as
 * the currency with the most decimals has (KWD's fils), so every accepted
 * currency's amounts fit. It reads back with 3 decimals ("1200.000" yen);
 * `moneyOf` writes it with the currency's own.
 */
export const amountColumn = () => numeric({ precision: 10 + MOST_MINOR_UNITS, scale: MOST_MINOR_UNITS });

/** The columns of every row a client can update: when it was made and changed, and its version. */
export const versionColumns = () => ({
  /** Incremented on every change; updates name the version they read. */
  version: integer().notNull().default(1),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn; updatedAt: PgColumn };

/**
 * Reading for update, inserting and saving rows of a table with an id, a
 * version and `updatedAt`: the same for every updatable object, so every
 * save bumps the version the same way.
 */
export function versionedRows<T extends VersionedTable>(table: T, idPrefix: string) {
  type Row = T["$inferSelect"];
  type Values = Omit<T["$inferInsert"], "id" | "version" | "createdAt" | "updatedAt">;
  // Drizzle cannot type a query over "some table with these columns"; the
  // casts below restore the row types the table itself declares.
  const name = idPrefix;
  return {
    /** Reads a row for an update and holds it until the transaction ends. */
    async lock(tx: Database, id: string): Promise<Row | null> {
      const [row] = await tx
        .select()
        .from(table as PgTable)
        .where(eq(table.id, id))
        .for("update");
      return (row as Row | undefined) ?? null;
    },
    async insert(tx: Database, values: Values): Promise<Row> {
      const rows = await tx
        .insert(table)
        .values({ ...values, id: newId(idPrefix) } as T["$inferInsert"])
        .returning();
      const [row] = rows as Row[];
      if (!row) throw new Error(`insert returned no ${name} row`);
      return row;
    },
    /** Saves new values over a locked row, bumping its version. */
    async save(tx: Database, id: string, values: Partial<Values>): Promise<Row> {
      const rows = await tx
        .update(table as PgTable)
        .set({ ...values, version: sql`${table.version} + 1`, updatedAt: sql`now()` })
        .where(eq(table.id, id))
        .returning();
      const [row] = rows as Row[];
      if (!row) throw new Error(`${name} row ${id} vanished while locked`);
      return row;
    },
  };
}
