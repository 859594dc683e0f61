import { sql } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { APP_ROLE } from "../src/tenancy.js";

/**
 * A producer's outbox (schema `events_producer`) and a consumer's inbox and
 * totals (schema `events_consumer`), as the kit's table definitions make
 * them in a subgraph's migrations.
 */
export async function createEventTables(db: Database): Promise<void> {
  const ddl = [
    `do $$ begin create role ${APP_ROLE} nologin; exception when duplicate_object then null; end $$`,
    `create schema events_producer`,
    `create table events_producer.outbox (position bigserial primary key, transaction_id xid8 not null default pg_current_xact_id(),
       id uuid not null unique, type text not null, version integer not null, aggregate text not null, aggregate_id text not null,
       dealer_id text, occurred_at timestamptz not null default now(), payload jsonb not null)`,
    `create schema events_consumer`,
    `create table events_consumer.event_inbox (event_id uuid primary key, type text not null, applied_at timestamptz not null default now())`,
    `create table events_consumer.event_cursors (producer text primary key, transaction_id xid8 not null, position bigint not null)`,
    `create table events_consumer.totals (aggregate_id text primary key, total integer not null)`,
  ];
  for (const statement of ddl) await db.execute(sql.raw(statement));
  for (const schema of ["events_producer", "events_consumer"]) {
    await db.execute(sql.raw(`grant usage on schema ${schema} to ${APP_ROLE}`));
    await db.execute(sql.raw(`grant all on all tables in schema ${schema} to ${APP_ROLE}`));
    await db.execute(sql.raw(`grant all on all sequences in schema ${schema} to ${APP_ROLE}`));
  }
}
