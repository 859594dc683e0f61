import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database, DatabaseHandle, HeldTransaction } from "./db.js";
import { dealerScopeOf, seesPersonalData, type Identity } from "./identity.js";

/**
 * Tenancy in the database. Every request of a subgraph runs in one
 * transaction that first switches to the application role and records the
 * caller (`set_config(..., true)`: the settings end with the transaction, so
 * a pooled connection never carries one caller's tenant into the next
 * request). Row-level security policies on every tenant table read those
 * settings, so a query that forgets its dealer filter still returns nothing
 * foreign.
 */

/** The role requests run as: not the tables' owner, no BYPASSRLS. */
export const APP_ROLE = "aftersales_app";

/**
 * How a subgraph's tables are scoped. Every table of the subgraph's schema
 * must be listed, so a new table cannot be forgotten: `tenant` tables map to
 * the column holding their dealer's id, or to SQL conditions on which rows a
 * DEALER may see and write (for tables that inherit their tenant from a
 * parent row, or hold rows shared with every dealer); `shared` tables are
 * visible to every caller (the catalog of products, the dealer directory).
 */
export interface TableScopes {
  tenant: Record<string, string | { visibleWhen: string; writableWhen?: string }>;
  shared: readonly string[];
}

/** A request's transaction: its resolvers' statements, and its end. */
export type RequestTransaction = HeldTransaction;

/**
 * Opens the transaction a request's resolvers share, as `identity`. Mutations
 * nest their own transaction (a savepoint) inside it, so a refusal still
 * rolls back only what the mutation wrote. On PostgreSQL the caller's
 * settings leave with the request's first statement (`DatabaseHandle.hold`).
 */
export function openRequestTransaction(handle: DatabaseHandle, identity: Identity): Promise<RequestTransaction> {
  return handle.hold(actingAs(identity));
}

/**
 * Work that is not a request (a job, the event relay) in its own
 * transaction, under the same row-level security as a request of `identity`;
 * it rolls back when `work` throws.
 */
export function transactionAs<T>(db: Database, identity: Identity, work: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await actAs(tx, identity);
    return work(tx);
  });
}

/** Switches the transaction to the application role, acting for `identity`, until it ends. */
async function actAs(tx: Database, identity: Identity): Promise<void> {
  await tx.execute(actingAs(identity));
}

/** The statement that makes a transaction act for `identity`. */
function actingAs(identity: Identity): SQL {
  return sql`select
    set_config('role', ${APP_ROLE}, true),
    set_config('aftersales.role', ${identity.role}, true),
    set_config('aftersales.dealer_id', ${identity.dealerId ?? ""}, true)`;
}

/** `column = <caller's dealer>` for a DEALER; nothing for roles that see every dealer. */
export function dealerFilter(column: PgColumn | SQL, identity: Identity): SQL | undefined {
  const dealerId = dealerScopeOf(identity);
  return dealerId === null ? undefined : sql`${column} = ${dealerId}`;
}

/** A personal column as the caller may see it: null for ANALYSTs, computed in the query itself. */
export function personalColumn<T>(column: PgColumn, identity: Identity): SQL.Aliased<T> | PgColumn {
  return seesPersonalData(identity) ? column : sql<T>`null`.as(column.name);
}

/**
 * The statements that create the application role, grant it the subgraph's
 * tables and put every tenant table under forced row-level security. They are
 * idempotent and run after migrations whenever a migration ran or the
 * scopes changed, so a table added by a later migration is covered at once.
 */
export function tenancyStatements(schema: string, scopes: TableScopes): string[] {
  const own = (table: string) => `"${schema}"."${table}"`;
  // Each `current_setting` is wrapped in a sub-select: PostgreSQL then reads it once per statement
  // (an init plan) instead of once per row, which counts on an insight over a million rows.
  const setting = (name: string) => `(select current_setting('aftersales.${name}', true))`;
  const staff = `${setting("role")} in ('AGENT', 'ADMIN')`;
  const statements = [
    // Created here only when missing: a database's owner without CREATEROLE migrates
    // once the administrator made the role (infra/postgres/init.sh).
    `do $$ begin
       if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
         create role ${APP_ROLE} nologin nosuperuser nobypassrls;
       end if;
     exception when duplicate_object or unique_violation then null;
     end $$`,
    `grant usage on schema "${schema}" to ${APP_ROLE}`,
    `grant select, insert, update, delete on all tables in schema "${schema}" to ${APP_ROLE}`,
    `grant usage, select on all sequences in schema "${schema}" to ${APP_ROLE}`,
    // A partition read by its own name would skip its table's policies: requests reach rows through the table alone.
    `do $$ declare partition regclass;
     begin
       for partition in select c.oid::regclass from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = '${schema}' and c.relkind = 'r' and c.relispartition loop
         execute format('revoke all on %s from ${APP_ROLE}', partition);
       end loop;
     end $$`,
  ];
  const dealer = `${setting("role")} = 'DEALER'`;
  for (const [table, scope] of Object.entries(scopes.tenant)) {
    const { visible, writable } =
      typeof scope === "string"
        ? { visible: `"${scope}" = ${setting("dealer_id")}`, writable: `"${scope}" = ${setting("dealer_id")}` }
        : { visible: scope.visibleWhen, writable: scope.writableWhen ?? scope.visibleWhen };
    statements.push(
      `alter table ${own(table)} enable row level security`,
      `alter table ${own(table)} force row level security`,
      `drop policy if exists tenant_rows on ${own(table)}`,
      `drop policy if exists tenant_reads on ${own(table)}`,
      `create policy tenant_reads on ${own(table)} for select to ${APP_ROLE}
         using (${staff} or (${dealer} and ${visible}))`,
      `drop policy if exists tenant_writes on ${own(table)}`,
      `create policy tenant_writes on ${own(table)} to ${APP_ROLE}
         using (${staff} or (${dealer} and ${writable}))
         with check (${staff} or (${dealer} and ${writable}))`,
      // ANALYSTs read every dealer's rows (without the personal columns) and write none.
      `drop policy if exists analyst_reads on ${own(table)}`,
      `create policy analyst_reads on ${own(table)} for select to ${APP_ROLE}
         using (${setting("role")} = 'ANALYST')`,
    );
  }
  return statements;
}
