import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import postgres from "postgres";
import { z } from "zod";
import { env, loadConfig } from "./config.js";
import { sql } from "drizzle-orm";
import { openPglite, type Database, type DatabaseTarget } from "./db.js";
import { APP_ROLE } from "./tenancy.js";
import type { EventStreams } from "./jetstream.js";
import type { BusinessCalendar } from "./businessTime.js";
import { zonedInstant } from "./dates.js";
import type { ClockReading, SlaClockKind, SlaEvent, SlaEventKind } from "./slaClock.js";

export interface TestDatabase {
  /** Where the tests' subgraphs keep their data. */
  target: DatabaseTarget;
  /** Drops the database (or closes the in-memory one). */
  drop(): Promise<void>;
}

const testConfig = z.object({
  TEST_DATABASE_URL: env.postgresUrl().optional(),
  TEST_NATS_URL: z.string().optional(),
  /** The Chromium browser tests drive (Debian's package by default; playwright's own builds are never downloaded). */
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
  CI: z.string().optional(),
});

const inCi = (ci: string | undefined) => Boolean(ci && !["0", "false"].includes(ci));

/**
 * The Chromium executable for browser tests. CI always has it (`.ci/run`
 * installs Debian's `chromium`), and a run there without it fails; elsewhere
 * this answers null without one and the browser tests skip, saying why.
 */
export function testChromiumPath(): string | null {
  const { CHROMIUM_PATH: path, CI } = loadConfig(testConfig);
  if (existsSync(path)) return path;
  if (inCi(CI)) throw new Error(`CI runs the browser tests: no Chromium at ${path} (CHROMIUM_PATH); install Debian's chromium package.`);
  console.warn(`No Chromium at ${path}: the browser tests are skipped (install Debian's chromium package, or set CHROMIUM_PATH).`);
  return null;
}

const PREFIX = "aftersales_test_";
/** Databases of runs that crashed before dropping theirs are removed after this long. */
const ORPHAN_AGE_MS = 6 * 60 * 60 * 1000;

/**
 * A fresh database for one test run: on the PostgreSQL server at
 * TEST_DATABASE_URL when set (CI always sets it, and a server that cannot be
 * reached fails the run), else an in-memory PGlite. With `template` (a
 * `createTemplateDatabase` of this run), a copy of that database, on
 * PostgreSQL; PGlite ignores it and starts empty.
 */
export async function createTestDatabase(options: { template?: string | null } = {}): Promise<TestDatabase> {
  const { TEST_DATABASE_URL: url, CI } = loadConfig(testConfig);
  if (!url) {
    if (inCi(CI)) {
      throw new Error("CI runs the tests on PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).");
    }
    const client = await openPglite();
    return { target: { kind: "pglite", client }, drop: () => client.close() };
  }

  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const name = databaseName();
  try {
    await dropOrphans(admin);
    await admin.unsafe(`create database "${name}"${options.template ? ` template "${options.template}"` : ""}`);
    // A commit need not wait for its write to reach the disk: a test database never outlives a crash.
    await admin.unsafe(`alter database "${name}" set synchronous_commit = off`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    throw new Error(`Cannot create a test database on ${hostOf(url)} (TEST_DATABASE_URL): ${String(error)}`);
  }
  return {
    target: { kind: "postgres", url: urlOf(url, name), poolSize: 5 },
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export interface TemplateDatabase {
  /** What `createTestDatabase({ template })` copies. */
  name: string;
  /** Drops it; the copies made from it are unaffected. */
  drop(): Promise<void>;
}

/**
 * A database for a test run to copy each of its test databases from
 * (`CREATE DATABASE … TEMPLATE`), made once and filled by `prepare` (e.g.
 * every subgraph's migrations) instead of every test filling its own from
 * scratch. Its name is the run's own, so runs side by side never share one;
 * the run drops it at its end, and one a crashed run left behind goes with
 * the orphaned test databases. Null without TEST_DATABASE_URL: PGlite copies
 * nothing, and each test prepares its own database.
 */
export async function createTemplateDatabase(prepare: (target: DatabaseTarget) => Promise<void>): Promise<TemplateDatabase | null> {
  const { TEST_DATABASE_URL: url } = loadConfig(testConfig);
  if (!url) return null;
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const name = `${databaseName()}_template`;
  const drop = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  };
  try {
    await dropOrphans(admin);
    await admin.unsafe(`create database "${name}"`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    throw new Error(`Cannot create a template database on ${hostOf(url)} (TEST_DATABASE_URL): ${String(error)}`);
  }
  try {
    // Its connections end with `prepare`: a database being copied may have none.
    await prepare({ kind: "postgres", url: urlOf(url, name), poolSize: 1 });
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}

const databaseName = () => `${PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;

const urlOf = (serverUrl: string, database: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

const hostOf = (serverUrl: string) => new URL(serverUrl).host;

async function dropOrphans(admin: postgres.Sql): Promise<void> {
  const rows = await admin<{ datname: string }[]>`
    select datname from pg_database where datname like ${`${PREFIX}%`}`;
  for (const { datname } of rows) {
    const createdAt = parseInt(datname.slice(PREFIX.length).split("_")[0] ?? "", 36);
    if (Number.isFinite(createdAt) && Date.now() - createdAt > ORPHAN_AGE_MS) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  }
}

export interface TestStreams {
  nats: NatsConnection;
  /** A prefix of this run's own, so runs side by side never read each other's events. */
  streams: EventStreams;
  /** Deletes this run's streams and closes the connection. */
  drop(): Promise<void>;
}

const STREAM_PREFIX = "TEST_";

/**
 * A connection to the NATS server at TEST_NATS_URL, with stream names of this
 * run's own. CI always needs it (and the run fails when it cannot be
 * reached); elsewhere, with TEST_NATS_URL unset and no server on the default
 * port, this answers null and the JetStream tests skip, saying why.
 */
export async function connectTestStreams(): Promise<TestStreams | null> {
  const { TEST_NATS_URL: url, CI } = loadConfig(testConfig);
  const required = Boolean(url) || inCi(CI);
  const servers = url || "nats://127.0.0.1:4222";
  let nats: NatsConnection;
  try {
    nats = await connect({ servers, timeout: 5_000, maxReconnectAttempts: 0 });
  } catch (error) {
    if (!required) {
      console.warn(`No NATS server at ${servers}: the JetStream tests are skipped (start one with \`nats-server -js\`, or set TEST_NATS_URL).`);
      return null;
    }
    throw new Error(`Cannot reach NATS at ${servers} (TEST_NATS_URL): ${String(error)}`);
  }
  const jsm = await jetstreamManager(nats);
  const prefix = `${STREAM_PREFIX}${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`.toUpperCase();
  const dropStreams = async (keep: (name: string) => boolean) => {
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(STREAM_PREFIX) && !keep(name)) await jsm.streams.delete(name);
    }
  };
  // Streams of runs that crashed before deleting theirs.
  await dropStreams((name) => {
    const createdAt = parseInt(name.slice(STREAM_PREFIX.length).split("_")[0] ?? "", 36);
    return !(Number.isFinite(createdAt) && Date.now() - createdAt > ORPHAN_AGE_MS);
  });
  return {
    nats,
    streams: { prefix },
    async drop() {
      await dropStreams((name) => !name.startsWith(`${prefix}_`));
      await nats.close();
    },
  };
}

/**
 * A producer's outbox (schema `events_producer`) and a consumer's inbox and
 * totals (schema `events_consumer`), as the kit's table definitions make
 * them in a subgraph's migrations: for tests and benchmarks of the event
 * plumbing itself.
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
    `create table events_consumer.event_cursors (producer text primary key, transaction_id xid8, position bigint, stream text, stream_sequence bigint)`,
    `create table events_consumer.event_dead_letters (event_id uuid primary key, producer text not null, type text not null, event jsonb not null,
       error text not null, attempts integer not null, parked_at timestamptz not null default now())`,
    `create table events_consumer.totals (aggregate_id text primary key, total integer not null)`,
  ];
  for (const statement of ddl) await db.execute(sql.raw(statement));
  for (const schema of ["events_producer", "events_consumer"]) {
    await db.execute(sql.raw(`grant usage on schema ${schema} to ${APP_ROLE}`));
    await db.execute(sql.raw(`grant all on all tables in schema ${schema} to ${APP_ROLE}`));
    await db.execute(sql.raw(`grant all on all sequences in schema ${schema} to ${APP_ROLE}`));
  }
}

// --- business-hours clocks, as their tests reason about them -----------------------

const HOUR_SECONDS = 3600;

/** Monday to Friday 09:00–17:00 in `timeZone`. */
export const officeHours = (timeZone: string): BusinessCalendar => ({
  timeZone,
  windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensMinute: 9 * 60, closesMinute: 17 * 60 })),
  holidays: [],
});

/** Monday to Friday 09:00–17:00 in Berlin. */
export const BERLIN_OFFICE = officeHours("Europe/Berlin");

/** Berlin wall time, "2026-03-02 09:00". March 2026 before summer time: Monday 2 to Friday 6, Monday 9. */
export const berlin = (when: string): Date => {
  const [date, time] = when.split(" ") as [string, string];
  return zonedInstant(date, time, "Europe/Berlin");
};

/** A clock's event (the resolution clock's unless told) at Berlin wall time. */
export const clockEvent = (kind: SlaEventKind, when: string, clock: SlaClockKind = "RESOLUTION"): SlaEvent => ({ clock, kind, at: berlin(when) });

/** A clock's reading with its instants as Berlin wall times and its durations in hours, to keep expectations readable. */
export const shownInBerlin = (reading: ClockReading) => {
  const wall = (at: Date | null) =>
    at && `${new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" }).format(at)}`;
  return {
    state: reading.state,
    startedAt: wall(reading.startedAt),
    dueAt: wall(reading.dueAt),
    elapsedHours: reading.elapsedSeconds / HOUR_SECONDS,
    pausedHours: reading.pausedSeconds / HOUR_SECONDS,
    metAt: wall(reading.metAt),
    breachedAt: wall(reading.breachedAt),
  };
};
