import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  timestamp,
  uuid,
  type PgColumn,
  type PgSchema,
  type PgTable,
} from "drizzle-orm/pg-core";
import { executeRows, openDatabase, type Database, type DatabaseHandle, type DatabaseTarget } from "./db.js";
import type { Identity } from "./identity.js";
import type { Logger } from "./logger.js";
import { deadLetters, outboxLag } from "./metrics.js";
import { waitUntil, type WaitOptions } from "./wait.js";
import { transactionAs } from "./tenancy.js";

/**
 * Domain events. A subgraph writes the events of a change to its own
 * `outbox` table in the transaction of the change, so an event exists exactly
 * when its change committed. A relay hands them to the subgraphs that consume
 * them; each consumer records the ids it applied in its `event_inbox`, so an
 * event delivered twice changes nothing the second time.
 */

export interface DomainEvent<Payload = unknown> {
  /** Stable across redeliveries: consumers are idempotent by it. */
  id: string;
  /** `<aggregate>.<what happened>`, e.g. `unit.sold`. */
  type: string;
  /** The payload's schema version; a breaking change bumps it. */
  version: number;
  aggregate: string;
  aggregateId: string;
  /** The dealer the event belongs to; null for shared things such as products. */
  dealerId: string | null;
  occurredAt: string;
  payload: Payload;
}

/**
 * An event as JSON text, its fields in one fixed order: what goes on the
 * wire to JetStream and to partners' webhooks.
 */
export function eventJson({ id, type, version, occurredAt, dealerId, aggregate, aggregateId, payload }: DomainEvent): string {
  return JSON.stringify({ id, type, version, occurredAt, dealerId, aggregate, aggregateId, payload });
}

/** `pg_current_xact_id()`'s type: it orders transactions, which positions alone do not. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

/** The outbox of a subgraph's schema. */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    "outbox",
    {
      position: bigserial({ mode: "number" }).primaryKey(),
      /**
       * The writing transaction. Positions are taken when rows are written,
       * not when they commit, so a reader that went by position alone could
       * pass a row whose transaction commits later; the relay reads only rows
       * of transactions older than every one still running.
       */
      transactionId: xid8().notNull().default(sql`pg_current_xact_id()`),
      id: uuid().notNull().unique(),
      type: text().notNull(),
      version: integer().notNull(),
      aggregate: text().notNull(),
      aggregateId: text().notNull(),
      dealerId: text(),
      occurredAt: timestamp({ withTimezone: true, mode: "string" }).notNull().defaultNow(),
      payload: jsonb().notNull(),
    },
    (t) => [index("outbox_transaction_idx").on(t.transactionId, t.position)],
  );
}

/** A consumer's record of what it applied: every event id, and how far it has read each producer. */
export function inboxTables(schema: PgSchema) {
  return {
    eventInbox: schema.table("event_inbox", {
      eventId: uuid().primaryKey(),
      type: text().notNull(),
      appliedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    }),
    eventCursors: schema.table(
      "event_cursors",
      {
        producer: text().notNull(),
        /** How far the direct relay has read the producer's outbox; null until it has read any. */
        transactionId: xid8(),
        position: bigint({ mode: "number" }),
        /**
         * Through JetStream: the producer's stream, by name and creation time (a stream made
         * again counts from 1), and the sequence of the last of its events this consumer applied.
         */
        stream: text(),
        streamSequence: bigint({ mode: "number" }),
      },
      (t) => [primaryKey({ columns: [t.producer] })],
    ),
    /**
     * Events set aside after failing again and again, so the events after
     * them flow on; each waits here, whole, for `retryParkedEvents` once
     * the cause is fixed.
     */
    eventDeadLetters: schema.table("event_dead_letters", {
      eventId: uuid().primaryKey(),
      producer: text().notNull(),
      type: text().notNull(),
      event: jsonb().notNull(),
      error: text().notNull(),
      attempts: integer().notNull(),
      parkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    }),
  };
}

/**
 * Scopes of the event tables. The outbox is written by requests of any
 * dealer for its own rows and read by the relay only; the inbox tables are
 * the relay's alone.
 */
export const EVENT_TABLE_SCOPES = {
  outbox: { visibleWhen: "false", writableWhen: `"dealer_id" = (select current_setting('aftersales.dealer_id', true))` },
  event_inbox: { visibleWhen: "false" },
  event_cursors: { visibleWhen: "false" },
  event_dead_letters: { visibleWhen: "false" },
} as const;

export type OutboxTable = ReturnType<typeof outboxTable>;

export interface NewEvent<Payload> {
  type: string;
  version?: number;
  aggregate: string;
  aggregateId: string;
  dealerId: string | null;
  payload: Payload;
}

/** Writes an event to the outbox, in the caller's transaction. */
export async function emitEvent<Payload>(tx: Database, outbox: OutboxTable, event: NewEvent<Payload>): Promise<void> {
  await emitEvents(tx, outbox, [event]);
}

/** Several events of one change in one statement, in the order given (the outbox's positions keep it). */
export async function emitEvents<Payload>(tx: Database, outbox: OutboxTable, events: readonly NewEvent<Payload>[]): Promise<void> {
  if (!events.length) return;
  await tx.insert(outbox).values(
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      version: event.version ?? 1,
      aggregate: event.aggregate,
      aggregateId: event.aggregateId,
      dealerId: event.dealerId,
      payload: event.payload,
    })),
  );
}

/** Applies one event to the consumer's tables, in the transaction that records it as applied. */
export type EventHandler = (tx: Database, event: DomainEvent) => Promise<void>;

/**
 * What a subgraph consumes: per producing subgraph, a handler per event type,
 * or per family of types (`unit.*`: every event of units, including kinds
 * the producer adds later), or `*` for every event the producer writes.
 * Under the producer `*` (EVERY_PRODUCER): the same for every subgraph that
 * writes events, those added later included.
 */
export type EventSubscriptions = Record<string, Record<string, EventHandler>>;

export const EVERY_PRODUCER = "*";

/** `subscriptions` by actual producer: its every-producer part given to each of `producers`, beside what it names itself. */
export function subscriptionsFrom(subscriptions: EventSubscriptions, producers: readonly string[]): EventSubscriptions {
  const { [EVERY_PRODUCER]: everywhere, ...named } = subscriptions;
  if (!everywhere) return named;
  return Object.fromEntries(producers.map((producer) => [producer, { ...everywhere, ...named[producer] }]));
}

/** `*` and `unit.*` subscribe to many types; anything else to one. */
const isPattern = (subscribed: string) => subscribed === "*" || subscribed.endsWith(".*");

/** The subscriptions that take an event of `type`, the closest first: the type itself, its family, every type. */
export function subscriptionsTaking(type: string): [string, string, string] {
  return [type, `${type.slice(0, type.indexOf("."))}.*`, "*"];
}

/** The handler for `type`: its own, else its family's, else the one for every type. */
export function handlerFor(handlers: Record<string, EventHandler>, type: string): EventHandler | undefined {
  return subscriptionsTaking(type)
    .map((subscription) => handlers[subscription])
    .find(Boolean);
}

export interface Relay {
  /**
   * Delivers until nothing is left that has committed; for tests and
   * shutdown. Gives up after a while (kit's waitUntil), saying what is left.
   */
  settle(options?: WaitOptions): Promise<void>;
  stop(): Promise<void>;
}

/** The identity consumers act as: every dealer's rows, as the relay must. */
export const RELAY: Identity = { subject: "system:relay", role: "ADMIN", dealerId: null, credential: "system:relay", operationsOnly: false };

const BATCH = 200;

/** How long an idle relay waits at most between looks at the outboxes. */
const IDLE_POLL_MS = 2_000;

/** How often the relay reads every route's cursor, even of routes whose producer wrote nothing since. */
const FULL_PASS_MS = 2_000;

/**
 * A relay that polls each producer's outbox for each consumer, and applies a
 * batch in one transaction of the consumer that also moves its cursor, so a
 * crash repeats a batch rather than losing it. It runs in the process of the
 * whole graph (the embedded default and the tests), or on its own beside
 * subgraphs that each have their own database.
 */
export function startRelay(options: {
  /** Where each subgraph keeps its tables (the same target for all in one database). */
  databaseOf: (subgraph: string) => DatabaseTarget;
  consumers: readonly { name: string; subscriptions: EventSubscriptions }[];
  logger: Logger;
  intervalMs?: number;
  parking?: ParkingRule;
}): Relay {
  const handles = new Map<DatabaseTarget, DatabaseHandle>();
  const dbOf = (subgraph: string): Database => {
    const target = options.databaseOf(subgraph);
    let handle = handles.get(target);
    if (!handle) handles.set(target, (handle = openDatabase(target)));
    return handle.db;
  };
  const routes = options.consumers.flatMap((consumer) =>
    Object.entries(consumer.subscriptions).map(([producer, handlers]) => ({
      name: `${producer} → ${consumer.name}`,
      consumer: consumer.name,
      producer,
      handlers,
      failures: failureCounter(options.parking ?? DEFAULT_PARKING, options.logger, { consumer: consumer.name, producer }),
    })),
  );
  // Most passes find nothing new for most routes: one look per database at where each producer's outbox ends
  // spares the transaction of each route whose producer wrote nothing since the route last came up empty. The
  // end only grows, and a look sees no row of a transaction still running until it commits and moves the end.
  // A cursor moved back from outside (a consumer's database restored) is seen by the next full pass: every
  // FULL_PASS_MS, and the last pass of every settle().
  const ends = outboxEnds(
    routes.map((route) => route.producer),
    dbOf,
  );
  /** Where its producer's outbox ended (as a look before the pass saw it) when a route last came up empty. */
  const emptyAt = new Map<string, string | null>();
  let lastFull = Date.now();
  const look = async (full: boolean) => {
    if (full || Date.now() - lastFull >= FULL_PASS_MS) {
      emptyAt.clear();
      lastFull = Date.now();
    }
    await ends.look();
  };
  const relay = pollEach(
    routes,
    async (route) => {
      const end = ends.current(route.producer);
      if (end !== undefined && emptyAt.has(route.name) && emptyAt.get(route.name) === end) return { read: 0, waiting: false };
      emptyAt.delete(route.name);
      const done = await deliver(
        { db: dbOf(route.producer), name: route.producer },
        { db: dbOf(route.consumer), name: route.consumer },
        route.handlers,
        route.failures,
      );
      if (end !== undefined && done.read === 0 && !done.waiting) emptyAt.set(route.name, end);
      return done;
    },
    options.logger,
    "event delivery failed; it will be retried",
    options.intervalMs,
    look,
  );
  // PGlite runs one transaction at a time for all of them: a scrape is no reason to interleave one.
  const onServers = [...new Set(routes.flatMap((route) => [route.consumer, route.producer]))].every((name) => options.databaseOf(name).kind === "postgres");
  const unmeasure = onServers
    ? measureEvents({
        consumers: options.consumers.map((consumer) => ({ name: consumer.name, db: dbOf(consumer.name) })),
        routes: routes.map((route) => ({
          ...route,
          subscribed: Object.keys(route.handlers),
          consumerDb: dbOf(route.consumer),
          producerDb: dbOf(route.producer),
        })),
      })
    : () => {};
  return {
    settle: relay.settle,
    async stop() {
      unmeasure();
      await relay.stop();
      for (const handle of handles.values()) await handle.close();
    },
  };
}

/**
 * Where each producer's outbox ends (its last position), as the last look
 * saw it: one transaction per database for all its producers. Unknown
 * (undefined) before the first look and after one that failed.
 */
function outboxEnds(producers: readonly string[], dbOf: (subgraph: string) => Database) {
  const byDatabase = new Map<Database, string[]>();
  for (const producer of new Set(producers)) byDatabase.set(dbOf(producer), [...(byDatabase.get(dbOf(producer)) ?? []), producer]);
  let seen = new Map<string, string | null>();
  return {
    current: (producer: string): string | null | undefined => seen.get(producer),
    async look(): Promise<void> {
      const next = new Map<string, string | null>();
      seen = next;
      for (const [db, names] of byDatabase) {
        const ends = sql.join(
          names.map((name) => sql`select ${name} as producer, (select max(position)::text from ${sql.identifier(name)}.outbox) as last_position`),
          sql` union all `,
        );
        const rows = await transactionAs(db, RELAY, (tx) => executeRows<{ producer: string; last_position: string | null }>(tx, ends));
        for (const row of rows) next.set(row.producer, row.last_position);
      }
    },
  };
}

/**
 * Runs `work` over every item on a timer, one pass at a time (settle() and
 * the timer never overlap), logging failures for the next pass to retry;
 * `settle()` passes until nothing is left that has committed. `look` runs
 * before each pass (what it finds is the items' to use; `full` when the pass
 * must do every item's work, as settle()'s last does); when it fails, the
 * pass runs all the same.
 */
export function pollEach<Item extends { name: string }>(
  items: readonly Item[],
  work: (item: Item) => Promise<{ read: number; waiting: boolean }>,
  logger: Logger,
  failure: string,
  intervalMs = 250,
  look?: (full: boolean) => Promise<void>,
): Relay {
  let stopped = false;
  /** What the last pass left to do: items that found events, or wait for a transaction still open; and whether one failed. */
  type Pass = { reading: string[]; waiting: string[]; failed: boolean };
  let running: Promise<Pass> = Promise.resolve({ reading: [], waiting: [], failed: false });
  const pass = (full = false) => {
    running = running.then(async () => {
      const left: Pass = { reading: [], waiting: [], failed: false };
      try {
        await look?.(full);
      } catch (error) {
        logger.error({ err: error }, failure);
      }
      for (const item of items) {
        try {
          const done = await work(item);
          if (done.read > 0) left.reading.push(`${item.name} (${done.read})`);
          if (done.waiting) left.waiting.push(item.name);
        } catch (error) {
          left.failed = true;
          logger.error({ err: error, from: item.name }, failure);
        }
      }
      return left;
    });
    return running;
  };
  // An idle relay polls less and less often (up to IDLE_POLL_MS), so a graph nobody writes to costs next to
  // nothing; the first pass that finds events brings it back to `intervalMs`. settle() never waits for it.
  let delay = intervalMs;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    timer = setTimeout(() => {
      if (stopped) return;
      void pass().then((done) => {
        const busy = done.reading.length > 0 || done.waiting.length > 0;
        delay = busy ? intervalMs : Math.min(delay * 2, Math.max(intervalMs, IDLE_POLL_MS));
        if (!stopped) tick();
      });
    }, delay);
  };
  tick();
  return {
    async settle(wait) {
      await waitUntil(
        "every event committed so far was handed on",
        async () => {
          let left = await pass();
          // Done only when a pass of every item finds nothing either (a failure is left for the next settle()).
          if (look && !left.failed && !left.reading.length && !left.waiting.length) left = await pass(true);
          const { reading, waiting } = left;
          if (reading.length) return `events still found by ${reading.join(", ")}`;
          return waiting.length === 0 || `a transaction that wrote events is still open for ${waiting.join(", ")}`;
        },
        { intervalMs: 10, ...wait },
      );
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

interface OutboxRow {
  position: string;
  transaction_id: string;
  id: string;
  type: string;
  version: number;
  aggregate: string;
  aggregate_id: string;
  dealer_id: string | null;
  occurred_at: string;
  payload: unknown;
}

/** Where an event sits in its outbox: transactions in commit-safe order, then rows within one. */
export interface OutboxPosition {
  transactionId: string;
  position: string;
}

export interface OutboxEvent extends DomainEvent {
  at: OutboxPosition;
}

/**
 * Events of `producer`'s outbox after `after`, oldest first, only from
 * transactions older than every one still running (their rows are final),
 * and whether later ones wait for such transactions to end. `subscribed`
 * narrows to types and patterns (`unit.*`, `*`); all when absent.
 */
export async function readCommitted(
  source: Database,
  producer: string,
  options: { after: OutboxPosition | null; subscribed?: readonly string[]; limit: number },
): Promise<{ events: OutboxEvent[]; waiting: boolean }> {
  const subscribed = options.subscribed ?? ["*"];
  const types = sql.param(subscribed.filter((type) => !isPattern(type)));
  const families = sql.param(subscribed.filter(isPattern).map((type) => `${type.slice(0, -1)}%`));
  const wanted = sql`(type = any(${types}::text[]) or type like any(${families}::text[]))`;
  const outbox = sql`${sql.identifier(producer)}.outbox`;
  const after = options.after ? sql`(transaction_id, position) > (${options.after.transactionId}::xid8, ${options.after.position}::bigint)` : sql`true`;
  // One horizon for both questions: every transaction below it has ended, so its rows are final.
  const [horizon] = await executeRows<{ xmin: string }>(source, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  const xmin = sql`${horizon?.xmin ?? "0"}::xid8`;
  // Ordered by the columns, not by the text the select list gives them the names of: as text, position 100 sorts
  // before 99, and a batch would end short of events it skipped.
  const rows = await executeRows<OutboxRow>(
    source,
    sql`
      select o.position::text as position, o.transaction_id::text as transaction_id, id, type, version, aggregate,
             aggregate_id, dealer_id, occurred_at::text, payload
      from ${outbox} o
      where ${after} and o.transaction_id < ${xmin} and ${wanted}
      order by o.transaction_id, o.position
      limit ${options.limit}`,
  );
  // Rows of transactions at or above the horizon may still change: settle() waits for them.
  const [later] = await executeRows<{ waiting: boolean }>(
    source,
    sql`select exists (
      select 1 from ${outbox} where ${after} and transaction_id >= ${xmin} and ${wanted}
    ) as waiting`,
  );
  const events = rows.map((row) => ({
    at: { transactionId: row.transaction_id, position: row.position },
    id: row.id,
    type: row.type,
    version: row.version,
    aggregate: row.aggregate,
    aggregateId: row.aggregate_id,
    dealerId: row.dealer_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    payload: row.payload,
  }));
  return { events, waiting: later?.waiting ?? false };
}

/** A handler failed on `event`: the batch rolls back, and the event is counted towards being parked. */
export class EventFailed extends Error {
  constructor(
    readonly event: DomainEvent,
    override readonly cause: unknown,
  ) {
    super(`applying ${event.type} ${event.id} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Why an event is being set aside. */
export interface Parking {
  error: string;
  attempts: number;
}

/**
 * Applies events in order in the consumer's transaction: each id is recorded
 * in its inbox, and an id already there is skipped, so a redelivery changes
 * nothing. An event in `park` is recorded as a dead letter instead of being
 * applied. Returns how many were new.
 */
export async function applyEvents(
  tx: Database,
  consumer: string,
  handlers: Record<string, EventHandler>,
  events: readonly DomainEvent[],
  options: { producer: string; park?: ReadonlyMap<string, Parking> },
): Promise<number> {
  const schema = sql.identifier(consumer);
  if (!events.length) return 0;
  // The whole batch enters the inbox in one statement; the ids already there were applied before.
  const ids = sql.param(events.map((event) => event.id));
  const types = sql.param(events.map((event) => event.type));
  const inserted = await executeRows<{ event_id: string }>(
    tx,
    sql`insert into ${schema}.event_inbox (event_id, type)
      select * from unnest(${ids}::uuid[], ${types}::text[]) on conflict do nothing returning event_id::text`,
  );
  const fresh = new Set(inserted.map((row) => row.event_id));
  let applied = 0;
  for (const event of events) {
    // Deleted once applied: an event twice in one batch is applied once.
    if (!fresh.delete(event.id.toLowerCase())) continue;
    applied += 1;
    const parking = options.park?.get(event.id);
    if (parking) {
      await tx.execute(sql`insert into ${schema}.event_dead_letters (event_id, producer, type, event, error, attempts)
        values (${event.id}, ${options.producer}, ${event.type}, ${JSON.stringify(event)}::jsonb, ${parking.error}, ${parking.attempts})
        on conflict do nothing`);
      continue;
    }
    const handler = handlerFor(handlers, event.type);
    try {
      if (handler) await handler(tx, event);
    } catch (error) {
      throw new EventFailed(event, error);
    }
  }
  return applied;
}

/** When a failing event is parked: after this many attempts, and no sooner than this long after its first. */
export interface ParkingRule {
  attempts: number;
  afterMs: number;
}

export const DEFAULT_PARKING: ParkingRule = { attempts: 10, afterMs: 10 * 60_000 };

/**
 * The events one consumer keeps failing on, counted across attempts at a
 * batch. A passing failure (a lost connection, a deadlock) clears on a later
 * attempt; an event that still fails by the rule is parked, so one bad event
 * cannot hold up every later one of its producer for good.
 */
export function failureCounter(rule: ParkingRule, logger: Logger, route: Record<string, string>) {
  const failing = new Map<string, { first: number; attempts: number; error: string }>();
  return {
    /** Counts a failed batch against the event that failed it. */
    failed(error: unknown) {
      if (!(error instanceof EventFailed)) return;
      const seen = failing.get(error.event.id) ?? { first: Date.now(), attempts: 0, error: "" };
      failing.set(error.event.id, { first: seen.first, attempts: seen.attempts + 1, error: error.message });
    },
    /** The events to set aside in the next attempt. */
    toPark(): Map<string, Parking> {
      const park = new Map<string, Parking>();
      for (const [id, seen] of failing) {
        if (seen.attempts >= rule.attempts && Date.now() - seen.first >= rule.afterMs) {
          park.set(id, { error: seen.error, attempts: seen.attempts });
          logger.error({ ...route, eventId: id, attempts: seen.attempts, error: seen.error }, "event parked as a dead letter; the events after it flow on");
        }
      }
      return park;
    },
    /** Forgets events a batch got past, applied or parked. */
    passed(events: readonly DomainEvent[]) {
      for (const event of events) failing.delete(event.id);
    },
  };
}

/**
 * Applies a consumer's parked events again, oldest first, each in its own
 * transaction, once what made them fail is fixed. One that applies leaves
 * the dead letters; one that fails again stays, with its new error. They
 * apply after events that came later: handlers that keep the newest copy
 * of an aggregate (`keepNewest`) are not rolled back by them.
 */
export async function retryParkedEvents(
  db: Database,
  consumer: { name: string; subscriptions: EventSubscriptions },
): Promise<{ applied: number; failed: number }> {
  const schema = sql.identifier(consumer.name);
  const parked = await transactionAs(db, RELAY, (tx) =>
    executeRows<{ event_id: string; producer: string; event: DomainEvent }>(
      tx,
      sql`select event_id, producer, event from ${schema}.event_dead_letters order by parked_at, event_id`,
    ),
  );
  const result = { applied: 0, failed: 0 };
  for (const { event_id: id, producer, event } of parked) {
    try {
      await transactionAs(db, RELAY, async (tx) => {
        const taken = await executeRows(tx, sql`delete from ${schema}.event_dead_letters where event_id = ${id} returning event_id`);
        const handler = handlerFor(consumer.subscriptions[producer] ?? {}, event.type);
        if (taken.length && handler) await handler(tx, event);
      });
      result.applied += 1;
    } catch (error) {
      result.failed += 1;
      await transactionAs(db, RELAY, (tx) =>
        tx.execute(sql`update ${schema}.event_dead_letters set error = ${String(error instanceof Error ? error.message : error)}, attempts = attempts + 1
          where event_id = ${id}`),
      );
    }
  }
  return result;
}

/** How far the direct relay has read `producer`'s outbox for `consumer`; null before it read any. */
async function outboxCursor(tx: Database, consumer: string, producer: string, options: { lock: boolean }): Promise<OutboxPosition | null> {
  const [cursor] = await executeRows<{ transaction_id: string | null; position: string | null }>(
    tx,
    sql`select transaction_id::text, position::text
    from ${sql.identifier(consumer)}.event_cursors where producer = ${producer} ${options.lock ? sql`for update` : sql``}`,
  );
  return cursor?.transaction_id && cursor.position ? { transactionId: cursor.transaction_id, position: cursor.position } : null;
}

/**
 * Measures, at each scrape, what the consumers have parked
 * (`aftersales_event_dead_letters`) and, for each route of the direct relay,
 * the age of the oldest committed event its consumer has not applied
 * (`aftersales_outbox_lag_seconds`; 0 when none waits). Returns what stops it.
 */
export function measureEvents(options: {
  consumers: readonly { name: string; db: Database }[];
  routes?: readonly { consumer: string; producer: string; subscribed: readonly string[]; consumerDb: Database; producerDb: Database }[];
}): () => void {
  const stopDeadLetters = deadLetters.add(() =>
    Promise.all(
      options.consumers.map(async (consumer) => {
        const [row] = await transactionAs(consumer.db, RELAY, (tx) =>
          executeRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(consumer.name)}.event_dead_letters`),
        );
        return [{ consumer: consumer.name }, row?.n ?? 0] as [{ consumer: string }, number];
      }),
    ),
  );
  const stopLag = outboxLag.add(() =>
    Promise.all(
      (options.routes ?? []).map(async (route) => {
        const after = await transactionAs(route.consumerDb, RELAY, (tx) => outboxCursor(tx, route.consumer, route.producer, { lock: false }));
        const { events } = await transactionAs(route.producerDb, RELAY, (tx) =>
          readCommitted(tx, route.producer, { after, subscribed: route.subscribed, limit: 1 }),
        );
        const oldest = events[0];
        const seconds = oldest ? Math.max(0, (Date.now() - Date.parse(oldest.occurredAt)) / 1000) : 0;
        return [{ consumer: route.consumer, producer: route.producer }, seconds] as [{ consumer: string; producer: string }, number];
      }),
    ),
  );
  return () => {
    stopDeadLetters();
    stopLag();
  };
}

/**
 * One batch from one producer to one consumer: how many events it read, and
 * whether later ones wait for older transactions to end.
 */
async function deliver(
  producer: { db: Database; name: string },
  consumer: { db: Database; name: string },
  handlers: Record<string, EventHandler>,
  failures: ReturnType<typeof failureCounter>,
): Promise<{ read: number; waiting: boolean }> {
  const inbox = sql.identifier(consumer.name);
  return transactionAs(consumer.db, RELAY, async (tx) => {
    // Locking the cursor keeps two relays from applying the same batch at once.
    const after = await outboxCursor(tx, consumer.name, producer.name, { lock: true });
    const read = (source: Database) => readCommitted(source, producer.name, { after, subscribed: Object.keys(handlers), limit: BATCH });
    // In one database the consumer's transaction reads the outbox too (PGlite runs one transaction at a time).
    const { events, waiting } = producer.db === consumer.db ? await read(tx) : await transactionAs(producer.db, RELAY, read);
    await applyEvents(tx, consumer.name, handlers, events, { producer: producer.name, park: failures.toPark() });
    const last = events.at(-1);
    if (last) {
      await tx.execute(sql`insert into ${inbox}.event_cursors (producer, transaction_id, position)
        values (${producer.name}, ${last.at.transactionId}::xid8, ${last.at.position}::bigint)
        on conflict (producer) do update set transaction_id = excluded.transaction_id, position = excluded.position`);
    }
    return { events, waiting };
  }).then(
    ({ events, waiting }) => {
      failures.passed(events);
      return { read: events.length, waiting };
    },
    (error: unknown) => {
      failures.failed(error);
      throw error;
    },
  );
}

/** A consumer's copy of another subgraph's records: by their id, each at the version of the state it holds. */
export type CopyTable = PgTable & { id: PgColumn; sourceVersion: PgColumn };

/**
 * Writes a consumer's copy of another subgraph's aggregate from an event:
 * inserted when new, replaced only by a newer version of it, so a redelivered
 * or late event never rolls the copy back.
 */
export async function keepNewest<T extends CopyTable>(tx: Database, table: T, row: T["$inferInsert"] & { sourceVersion: number }): Promise<void> {
  // Drizzle cannot type an insert into "some table with these columns"; the row is the table's own insert type.
  await tx
    .insert(table as PgTable)
    .values(row as never)
    .onConflictDoUpdate({ target: table.id, set: row as never, setWhere: sql`${table.sourceVersion} < ${row.sourceVersion}` });
}
