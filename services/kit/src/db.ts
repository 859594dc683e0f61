import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import {
  Column,
  getTableName,
  is,
  noopDecoder,
  SQL as SQLClass,
  sql,
  Subquery,
  type Logger as StatementLogger,
  type Query as BuiltQuery,
  type SQL,
  type SQLWrapper,
  type TablesRelationalConfig,
} from "drizzle-orm";
import { PgDatabase, PgDialect, type PgPreparedQuery, type PgQueryResultHKT, type PreparedQueryConfig, type SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, PostgresJsSession } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { context, trace } from "@opentelemetry/api";
import postgres from "postgres";
import type { Logger } from "./logger.js";
import { databasePool } from "./metrics.js";
import { endSpan, startStatementSpan } from "./telemetry.js";
import { tenancyStatements, type TableScopes } from "./tenancy.js";

/**
 * What a subgraph's stores talk to. Both drivers (postgres.js for servers,
 * PGlite embedded) give the same drizzle API, and a transaction is a Database
 * too, so a store never knows which one it got.
 */
export type Database = PgDatabase<PgQueryResultHKT>;

/** The rows of a raw statement: postgres.js returns them as an array, PGlite in `rows`. */
export async function executeRows<Row>(db: Database, query: SQLWrapper | string): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Throws unless the database answers: what readiness checks ask. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Where a subgraph's data lives. */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  /** An embedded PGlite shared by the subgraphs of one process; its owner closes it. */
  | { kind: "pglite"; client: PGlite };

export interface DatabaseOptions {
  /** Called once per SQL statement; tests use it to count statements per request. */
  onStatement?: (sql: string) => void;
  /** Statements are logged at `trace` level when given. */
  logger?: Logger;
  /** The service whose pool this is, for the pool's metrics (none measured without it). */
  service?: string;
}

export interface DatabaseHandle {
  db: Database;
  /** A transaction held open across awaits, begun by `opening` (see `HeldTransaction`). */
  hold(opening: SQL): Promise<HeldTransaction>;
  close(): Promise<void>;
}

/**
 * A transaction whose statements come from many places over a while (a
 * request's resolvers), begun by `opening` (the statement that says who
 * acts). On PostgreSQL nothing is sent before the first statement: BEGIN,
 * `opening` and that statement then leave together, one round trip, and a
 * holder that runs no statement opens no transaction at all.
 */
export interface HeldTransaction {
  tx: Database;
  /** Commits (when it ever began); later statements are refused. Safe to call more than once. */
  end(): Promise<void>;
}

export function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): DatabaseHandle {
  const logger: StatementLogger = {
    logQuery(query: string) {
      options.onStatement?.(query);
      options.logger?.trace({ sql: query }, "sql");
    },
  };
  if (target.kind === "pglite") {
    const db = drizzlePglite({ client: target.client, casing: "snake_case", logger });
    return { db, hold: (opening) => holdTransaction(db, opening), close: async () => {} };
  }
  const max = target.poolSize ?? 10;
  // Prepared statements are still planned for their parameters each time, as unnamed ones are: a generic plan
  // could serve one dealer's rows or one month's figures badly. Set once per connection, not in every transaction.
  const client = postgres(target.url, { max, onnotice: () => {}, connection: { plan_cache_mode: "force_custom_plan" } });
  const observed = observedClient(client, databaseNameOf(target.url));
  const unmeasure = options.service
    ? databasePool.add(() => [
        [{ service: options.service, state: "in_use" }, Math.min(observed.demand(), max)],
        [{ service: options.service, state: "waiting" }, Math.max(0, observed.demand() - max)],
        [{ service: options.service, state: "max" }, max],
      ])
    : () => {};
  const dialect = new PgDialect({ casing: "snake_case" });
  return {
    db: drizzlePostgres({ client: observed.client, casing: "snake_case", logger }),
    hold: async (opening) => holdPipelined(await observed.client.reserve(), dialect, logger, opening),
    close: async () => {
      unmeasure();
      await client.end({ timeout: 5 });
    },
  };
}

const databaseNameOf = (url: string) => {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
  } catch {
    return "postgres";
  }
};

/** A held transaction the driver's own way: BEGIN, then `opening`, each awaited (PGlite, where a statement is a call). */
async function holdTransaction(db: Database, opening: SQL): Promise<HeldTransaction> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let ready!: (tx: Database) => void;
  const opened = new Promise<Database>((resolve) => {
    ready = resolve;
  });
  const transaction = db.transaction(async (tx) => {
    await tx.execute(opening);
    ready(tx);
    await finished;
  });
  const tx = await Promise.race([opened, transaction.then(() => Promise.reject(new Error("transaction ended early")))]);
  let ended: Promise<void> | undefined;
  return {
    tx,
    end() {
      finish();
      ended ??= transaction;
      return ended;
    },
  };
}

/**
 * A held transaction on a connection of its own, pipelined: postgres.js sends
 * what is queued on a connection without waiting for the answers before, so
 * BEGIN and `opening` go out with the first statement. Statements are
 * prepared (named, per connection): from the second time on a statement is
 * one round trip, where an unnamed one with parameters is two (postgres.js
 * asks for its parameter types first).
 */
function holdPipelined(connection: postgres.ReservedSql, dialect: PgDialect, logger: StatementLogger, opening: SQL): HeldTransaction {
  const { sql: openingText, params: openingParams } = dialect.sqlToQuery(opening);
  let opened: Promise<unknown> | null = null;
  let ended: Promise<void> | null = null;
  const send: postgres.Sql["unsafe"] = (query, params, options) => {
    // A resolver still running when its request ended (the client went away) must not reach the next holder of the connection.
    if (ended) throw new Error("The request's transaction has ended.");
    if (!opened) {
      logger.logQuery(openingText, openingParams);
      opened = Promise.all([
        // The connection plans each statement for its parameters (`plan_cache_mode`, see openDatabase).
        connection.unsafe("begin").execute(),
        connection.unsafe(openingText, openingParams as never[], { prepare: true }).execute(),
      ]);
      // Surfaced by `end`; meanwhile the aborted transaction refuses every statement after it.
      opened.catch(() => {});
    }
    return connection.unsafe(query, params, { ...options, prepare: true });
  };
  let savepoints = 0;
  type TransactionClient = { unsafe: typeof send; begin: typeof savepoint; savepoint: typeof savepoint };
  const savepoint = async <T>(work: (client: TransactionClient) => T | Promise<T>): Promise<T> => {
    const name = `s${savepoints++}`;
    await send(`savepoint ${name}`);
    try {
      return await work(transactionClient);
    } catch (error) {
      // Once the transaction ended (its request was cut off) the connection may be another's: nothing more goes to it.
      if (!ended) await connection.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };
  // What drizzle's postgres.js session calls on its client: `unsafe`, and `begin` (a mutation's own transaction, a
  // savepoint in this one) or `savepoint` (one nested in that).
  const transactionClient: TransactionClient = { unsafe: send, begin: savepoint, savepoint };
  const session = new RequestSession(transactionClient as unknown as postgres.Sql, dialect, undefined, { logger });
  return {
    tx: new PgDatabase(dialect, session, undefined) as Database,
    end() {
      ended ??= (async () => {
        try {
          if (opened) {
            await connection.unsafe("commit");
            await opened;
          }
        } finally {
          connection.release();
        }
      })();
      return ended;
    },
  };
}

/** One selected field of a query as drizzle describes it: where it goes in the row object, and what it is. */
type SelectedField = SelectedFieldsOrdered[number];
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/** What is done with each cell of a result row, worked out once per statement rather than for every cell of every row. */
interface CellPlan {
  path: string[];
  /** Null when the driver's value is the field's value (text, numbers, an untyped `sql`). */
  decoder: Decoder | null;
  /** For a joined table's column (`select({ unit: units, product: products })`), the table, to make the object null when the join found no row. */
  table: string | null;
}

const passesThrough = (decoder: Decoder) => decoder === noopDecoder || decoder.mapFromDriverValue === Column.prototype.mapFromDriverValue;

function cellPlans(fields: readonly SelectedField[]): CellPlan[] {
  return fields.map(({ path, field }) => {
    // `decoder` is drizzle's internal name for how an `sql` field maps its values.
    const decoderOf = (sqlField: unknown) => (sqlField as { decoder: Decoder }).decoder;
    const decoder: Decoder = is(field, Column)
      ? field
      : is(field, SQLClass)
        ? decoderOf(field)
        : is(field, Subquery)
          ? decoderOf(field._.sql)
          : decoderOf((field as SQL.Aliased).sql);
    return { path, decoder: passesThrough(decoder) ? null : decoder, table: is(field, Column) && path.length === 2 ? getTableName(field.table) : null };
  });
}

/**
 * Rows as drizzle's own `mapResultRow` makes them, the same objects, nulls
 * and nested joins (a joined object is null when its first column is null
 * and the join may find no row), without asking every cell of every row what
 * kind of field it is: a page of 100 rows is some thousands of cells, and
 * drizzle's per-cell checks were the largest part of mapping them.
 */
function mapRows(
  fields: readonly SelectedField[],
  rows: readonly unknown[][],
  joinsNotNullableMap: Record<string, boolean> | undefined,
): Record<string, unknown>[] {
  const plans = cellPlans(fields);
  const flat = plans.every((plan) => plan.path.length === 1);
  return rows.map((row) => {
    const result: Record<string, unknown> = {};
    if (flat) {
      for (let i = 0; i < plans.length; i++) {
        const { path, decoder } = plans[i]!;
        const raw = row[i];
        result[path[0]!] = raw === null ? null : decoder ? decoder.mapFromDriverValue(raw) : raw;
      }
      return result;
    }
    // The first column of each joined object decides whether it is null, as in mapResultRow.
    const nullify: Record<string, string | false> = {};
    for (let i = 0; i < plans.length; i++) {
      const { path, decoder, table } = plans[i]!;
      const raw = row[i];
      const value = raw === null ? null : decoder ? decoder.mapFromDriverValue(raw) : raw;
      let node = result;
      for (let depth = 0; depth < path.length - 1; depth++) {
        const chunk = path[depth]!;
        if (!(chunk in node)) node[chunk] = {};
        node = node[chunk] as Record<string, unknown>;
      }
      node[path[path.length - 1]!] = value;
      if (joinsNotNullableMap && table !== null) {
        const object = path[0]!;
        if (!(object in nullify)) nullify[object] = value === null ? table : false;
        else if (typeof nullify[object] === "string" && nullify[object] !== table) nullify[object] = false;
      }
    }
    if (joinsNotNullableMap) {
      for (const [object, table] of Object.entries(nullify)) {
        if (typeof table === "string" && !joinsNotNullableMap[table]) result[object] = null;
      }
    }
    return result;
  });
}

/** drizzle's postgres.js session, mapping the rows of selects with `mapRows`. */
class RequestSession extends PostgresJsSession<postgres.Sql, Record<string, unknown>, TablesRelationalConfig> {
  override prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    query: BuiltQuery,
    fields: SelectedFieldsOrdered | undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => T["execute"],
    ...rest: RestOfPrepare
  ): PgPreparedQuery<T> {
    if (!fields || customResultMapper) return super.prepareQuery<T>(query, fields, name, isResponseInArrayMode, customResultMapper, ...rest);
    // drizzle sets which joined tables may be missing on the prepared query after it made it.
    const prepared: PgPreparedQuery<T> & { joinsNotNullableMap?: Record<string, boolean> } = super.prepareQuery<T>(
      query,
      fields,
      name,
      isResponseInArrayMode,
      (rows) => mapRows(fields, rows, prepared.joinsNotNullableMap) as T["execute"],
      ...rest,
    );
    return prepared;
  }
}

type RestOfPrepare =
  Parameters<PostgresJsSession<postgres.Sql, Record<string, unknown>, TablesRelationalConfig>["prepareQuery"]> extends [
    unknown,
    unknown,
    unknown,
    unknown,
    unknown?,
    ...infer Rest,
  ]
    ? Rest
    : never;

/**
 * A postgres.js client that makes a span of each statement (within a trace
 * only: a relay's polling is no trace of its own) and counts what holds or
 * waits for one of its connections: each transaction for as long as it
 * runs, each statement outside one until it is answered. postgres.js keeps
 * its pool to itself, so the pool's use is measured from this side.
 */
function observedClient(client: postgres.Sql, database: string): { client: postgres.Sql; demand: () => number } {
  let demand = 0;
  const observe = (sql: postgres.Sql, inTransaction: boolean): postgres.Sql =>
    new Proxy(sql, {
      get(target, property, receiver) {
        if (property === "unsafe") {
          return (query: string, params?: postgres.ParameterOrJSON<never>[], queryOptions?: postgres.UnsafeQueryOptions) => {
            const span = trace.getActiveSpan() ? startStatementSpan(query, database) : null;
            const pending = span
              ? context.with(trace.setSpan(context.active(), span), () => target.unsafe(query, params, queryOptions))
              : target.unsafe(query, params, queryOptions);
            if (!inTransaction) demand++;
            // Also sets the query off (postgres.js runs a query once it is awaited), a tick later: the caller's
            // `.values()` right after this returns still applies.
            pending.then(
              () => {
                if (!inTransaction) demand--;
                if (span) endSpan(span);
              },
              (error: unknown) => {
                if (!inTransaction) demand--;
                if (span) endSpan(span, error);
              },
            );
            return pending;
          };
        }
        if (property === "reserve") {
          return async () => {
            demand++;
            let connection: postgres.ReservedSql;
            try {
              connection = await target.reserve();
            } catch (error) {
              demand--;
              throw error;
            }
            let released = false;
            const release = () => {
              if (released) return;
              released = true;
              demand--;
              connection.release();
            };
            const observed = observe(connection, true);
            return new Proxy(observed, { get: (t, p, r) => (p === "release" ? release : Reflect.get(t, p, r)) });
          };
        }
        if (property === "begin" || property === "savepoint") {
          const opening = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
          return async (...args: unknown[]) => {
            const work = args.at(-1) as (tx: postgres.Sql) => unknown;
            const observedWork = (tx: postgres.Sql) => work(observe(tx, true));
            const outermost = property === "begin";
            if (outermost) demand++;
            try {
              return await opening.apply(target, [...args.slice(0, -1), observedWork]);
            } finally {
              if (outermost) demand--;
            }
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
  return { client: observe(client, false), demand: () => demand };
}

/**
 * One connection, kept for as long as the handle is open (postgres.js
 * otherwise retires connections after a while), for what must hold on one
 * session, such as a session-level advisory lock. Should the connection
 * drop, the next statement runs on a new session. On PGlite: the one
 * session there is.
 */
export function openSession(target: DatabaseTarget): DatabaseHandle {
  if (target.kind === "pglite") return openDatabase(target);
  const client = postgres(target.url, { max: 1, max_lifetime: null, idle_timeout: 0, onnotice: () => {} });
  const db = drizzlePostgres({ client, casing: "snake_case" });
  return { db, hold: (opening) => holdTransaction(db, opening), close: () => client.end({ timeout: 5 }) };
}

/** An embedded database kept in `dataDir`, or in memory when none is given. */
export async function openPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create(dataDir ? { dataDir } : {});
}

/** One SQL statement on the migrating connection, whichever driver holds it. */
type Query = <Row>(text: string) => Promise<Row[]>;

export interface MigrateOptions {
  /** The subgraph's name; its tables live in the Postgres schema of that name. */
  subgraph: string;
  /** Folder of drizzle-kit generated migrations (with `meta/_journal.json`). */
  migrationsFolder: string;
  /** Which tables are a dealer's and which are shared; every table must be listed. */
  scopes: TableScopes;
}

/**
 * Applies a subgraph's pending migrations, then its tenancy: the application
 * role, its grants and the row-level security of every tenant table. Each
 * subgraph keeps its own journal (`drizzle.<subgraph>_migrations`), so
 * subgraphs sharing one database never see each other's history. On a
 * server, replicas starting together take an advisory lock so that exactly
 * one of them migrates.
 */
export async function migrateDatabase(target: DatabaseTarget, options: MigrateOptions): Promise<void> {
  const config = {
    migrationsFolder: options.migrationsFolder,
    migrationsSchema: "drizzle",
    migrationsTable: `${options.subgraph}_migrations`,
  };
  const tenancy = async (query: Query) => {
    const subgraph = options.subgraph;
    // A partition is its table's (MonthlyPartitions): only the partitioned table itself is listed.
    const tables = await query<{ tablename: string }>(`select c.relname as tablename from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = '${subgraph}' and c.relkind in ('r', 'p') and not c.relispartition`);
    const listed = new Set([...Object.keys(options.scopes.tenant), ...options.scopes.shared]);
    const unlisted = tables.map((t) => t.tablename).filter((name) => !listed.has(name));
    if (unlisted.length) {
      throw new Error(`${subgraph}: list ${unlisted.join(", ")} as tenant or shared tables in the subgraph's scopes.`);
    }
    // Altering a table's row-level security locks it exclusively, so on a live
    // database it is done only when the scopes or the migrations changed since.
    const statements = tenancyStatements(subgraph, options.scopes);
    const [migrations] = await query<{ n: number }>(`select count(*)::int as n from drizzle."${subgraph}_migrations"`);
    const fingerprint = createHash("sha256")
      .update(`${statements.join(";\n")}\n-- migrations: ${migrations?.n}`)
      .digest("hex");
    await query(`create table if not exists drizzle.tenancy (subgraph text primary key, fingerprint text not null)`);
    const [applied] = await query<{ fingerprint: string }>(`select fingerprint from drizzle.tenancy where subgraph = '${subgraph}'`);
    if (applied?.fingerprint === fingerprint) return;
    for (const statement of statements) await query(statement);
    await query(`insert into drizzle.tenancy values ('${subgraph}', '${fingerprint}')
      on conflict (subgraph) do update set fingerprint = excluded.fingerprint`);
  };
  if (target.kind === "pglite") {
    await migratePglite(drizzlePglite({ client: target.client }), config);
    await tenancy(async <Row>(text: string) => (await target.client.query<Row>(text)).rows);
    return;
  }
  // One connection: a session-level advisory lock only holds on the
  // connection that took it.
  const client = postgres(target.url, { max: 1, onnotice: () => {} });
  const lockKey = `aftersales:migrate:${options.subgraph}`;
  try {
    await client`select pg_advisory_lock(hashtext(${lockKey}))`;
    await migratePostgres(drizzlePostgres({ client }), config);
    await tenancy(async <Row>(text: string) => [...(await client.unsafe<Row[]>(text))]);
    await client`select pg_advisory_unlock(hashtext(${lockKey}))`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
