import { sql } from "drizzle-orm";
import { executeRows, type Database } from "./db.js";

/**
 * Append-only tables partitioned by month (PostgreSQL's declarative
 * partitioning, made by the subgraph's own migration: the table
 * `PARTITION BY RANGE (<column>)` with a `<table>_default` partition). A
 * month's rows live in `<table>_<yyyy>_<mm>`; when it is older than the
 * table's retention the whole partition is dropped, which costs nothing
 * like deleting its rows. The maintenance below makes the months ahead
 * before rows arrive, and gives any month whose rows landed in the default
 * partition (rows from before the table was partitioned, or dated where
 * no partition was made yet) a partition of its own, so they age out too.
 * The same statements run on PGlite.
 */
export interface MonthlyPartitions {
  /** The partitioned table, in its subgraph's schema. */
  table: string;
  /** The timestamp column it is partitioned by. */
  column: string;
  /** Whole months kept before the current one; partitions older than that are dropped. */
  keepMonths: number;
}

/** Months made ahead of the current one. */
const AHEAD = 2;

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
const addMonths = (at: Date, months: number) => monthStart(at.getUTCFullYear(), at.getUTCMonth() + months);
const suffix = (month: Date) => `${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
const PARTITION = /_(\d{4})_(\d{2})$/;

export interface PartitionsOutcome {
  created: string[];
  dropped: string[];
}

/**
 * Makes `spec`'s partitions for this month and the next ones, and for the
 * months with rows in its default partition; drops those past its
 * retention. Runs as the tables' owner (it changes tables), each step in a
 * transaction of its own.
 */
export async function maintainPartitions(db: Database, schema: string, spec: MonthlyPartitions, now: Date): Promise<PartitionsOutcome> {
  const parent = sql`${sql.identifier(schema)}.${sql.identifier(spec.table)}`;
  const fallback = sql`${sql.identifier(schema)}.${sql.identifier(`${spec.table}_default`)}`;
  const column = sql.identifier(spec.column);
  const outcome: PartitionsOutcome = { created: [], dropped: [] };
  const keepFrom = addMonths(now, -spec.keepMonths);

  const existing = async () =>
    new Set(
      (
        await executeRows<{ name: string }>(
          db,
          sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = ${`"${schema}"."${spec.table}"`}::regclass`,
        )
      ).map((row) => row.name),
    );
  const have = await existing();

  // Past retention in the default partition: nothing would keep those rows either.
  await db.execute(sql`delete from ${fallback} where ${column} < ${keepFrom.toISOString()}::timestamptz`);
  const stray = await executeRows<{ month: string }>(
    db,
    sql`select distinct to_char(date_trunc('month', ${column} at time zone 'UTC'), 'YYYY-MM') as month from ${fallback}`,
  );
  const months = new Map<string, Date>();
  for (let ahead = 0; ahead <= AHEAD; ahead++) months.set(suffix(addMonths(now, ahead)), addMonths(now, ahead));
  for (const { month } of stray) {
    const [year, number] = month.split("-").map(Number) as [number, number];
    months.set(suffix(monthStart(year, number - 1)), monthStart(year, number - 1));
  }
  for (const [name, start] of [...months].sort(([a], [b]) => a.localeCompare(b))) {
    const partition = `${spec.table}_${name}`;
    if (have.has(partition)) continue;
    const [from, to] = [start.toISOString(), addMonths(start, 1).toISOString()];
    const inMonth = sql`${column} >= ${from}::timestamptz and ${column} < ${to}::timestamptz`;
    await db.transaction(async (tx) => {
      // The month's rows leave the default partition first: a partition for them cannot be made while it holds them.
      await tx.execute(sql`create temporary table moving (like ${parent}) on commit drop`);
      await tx.execute(sql`with moved as (delete from ${fallback} where ${inMonth} returning *) insert into moving select * from moved`);
      const table = sql`${sql.identifier(schema)}.${sql.identifier(partition)}`;
      await tx.execute(sql`create table ${table} partition of ${parent} for values from (${sql.raw(`'${from}'`)}) to (${sql.raw(`'${to}'`)})`);
      // Into the partition itself: the table's forced row-level security has no policy for its owner.
      await tx.execute(sql`insert into ${table} select * from moving`);
    });
    outcome.created.push(partition);
  }
  for (const partition of await existing()) {
    const match = PARTITION.exec(partition);
    if (!match || !partition.startsWith(`${spec.table}_`)) continue;
    const end = addMonths(monthStart(Number(match[1]), Number(match[2]) - 1), 1);
    if (end > keepFrom) continue;
    await db.execute(sql`drop table ${sql.identifier(schema)}.${sql.identifier(partition)}`);
    outcome.dropped.push(partition);
  }
  return outcome;
}
