import { createHash } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQLWrapper } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
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
  close(): Promise<void>;
}

export function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): DatabaseHandle {
  const logger = {
    logQuery(query: string) {
      options.onStatement?.(query);
      options.logger?.trace({ sql: query }, "sql");
    },
  };
  if (target.kind === "pglite") {
    return { db: drizzlePglite({ client: target.client, casing: "snake_case", logger }), close: async () => {} };
  }
  const max = target.poolSize ?? 10;
  const client = postgres(target.url, { max, onnotice: () => {} });
  const observed = observedClient(client, databaseNameOf(target.url));
  const unmeasure = options.service
    ? databasePool.add(() => [
        [{ service: options.service, state: "in_use" }, Math.min(observed.demand(), max)],
        [{ service: options.service, state: "waiting" }, Math.max(0, observed.demand() - max)],
        [{ service: options.service, state: "max" }, max],
      ])
    : () => {};
  return {
    db: drizzlePostgres({ client: observed.client, casing: "snake_case", logger }),
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
  return { db: drizzlePostgres({ client, casing: "snake_case" }), close: () => client.end({ timeout: 5 }) };
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
    const fingerprint = createHash("sha256").update(`${statements.join(";\n")}\n-- migrations: ${migrations?.n}`).digest("hex");
    await query(`create table if not exists drizzle.tenancy (subgraph text primary key, fingerprint text not null)`);
    const [applied] = await query<{ fingerprint: string }>(`select fingerprint from drizzle.tenancy where subgraph = '${subgraph}'`);
    if (applied?.fingerprint === fingerprint) return;
    for (const statement of statements) await query(statement);
    await query(`insert into drizzle.tenancy values ('${subgraph}', '${fingerprint}')
      on conflict (subgraph) do update set fingerprint = excluded.fingerprint`);
  };
  if (target.kind === "pglite") {
    await migratePglite(drizzlePglite({ client: target.client }), config);
    await tenancy(async <Row,>(text: string) => (await target.client.query<Row>(text)).rows);
    return;
  }
  // One connection: a session-level advisory lock only holds on the
  // connection that took it.
  const client = postgres(target.url, { max: 1, onnotice: () => {} });
  const lockKey = `aftersales:migrate:${options.subgraph}`;
  try {
    await client`select pg_advisory_lock(hashtext(${lockKey}))`;
    await migratePostgres(drizzlePostgres({ client }), config);
    await tenancy(async <Row,>(text: string) => [...(await client.unsafe<Row[]>(text))]);
    await client`select pg_advisory_unlock(hashtext(${lockKey}))`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
