import { sql, type SQL } from "drizzle-orm";
import { executeRows, type Database } from "./db.js";
import type { EventSubscriptions, OutboxPosition } from "./events.js";
import { RELAY } from "./events.js";
import { transactionAs } from "./tenancy.js";

/**
 * Keeps the event tables from growing without bound. An outbox row goes once
 * every consumer is past it; an inbox row (an event id a consumer applied,
 * kept to drop a second delivery of it) goes after a window longer than any
 * redelivery can come late.
 */

/** How long a consumer remembers the ids it applied, unless told otherwise. */
export const DEFAULT_INBOX_KEEP_DAYS = 30;

/** Rows deleted per statement, so a first prune of a large table never holds one huge transaction. */
const CHUNK = 5_000;

const DAY_MS = 86_400_000;

/** The earlier of two outbox positions; null (nothing read) is earliest of all. */
export function earlierPosition(a: OutboxPosition | null, b: OutboxPosition | null): OutboxPosition | null {
  if (!a || !b) return null;
  const [ta, tb] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  if (ta !== tb) return ta < tb ? a : b;
  return BigInt(a.position) <= BigInt(b.position) ? a : b;
}

/**
 * How far the direct relay has brought `consumer` through `producer`'s
 * outbox: its cursor, or null when it has read nothing yet (or reads
 * through JetStream, which keeps no outbox position).
 */
export async function directCursor(consumerDb: Database, consumer: string, producer: string): Promise<OutboxPosition | null> {
  const [row] = await transactionAs(consumerDb, RELAY, (tx) =>
    executeRows<{ transaction_id: string | null; position: string | null }>(
      tx,
      sql`select transaction_id::text, position::text from ${sql.identifier(consumer)}.event_cursors where producer = ${producer}`,
    ),
  );
  return row?.transaction_id && row.position ? { transactionId: row.transaction_id, position: row.position } : null;
}

/**
 * Where every consumer of `producer` has got to through the direct relay:
 * the earliest of their cursors. Null, so nothing goes, while any of them
 * has read nothing. Every row at or below it committed before the relay
 * read past it (the relay reads only transactions older than every one
 * still running), so no consumer will ask for it again.
 */
export async function consumedThrough(
  producer: string,
  consumers: readonly { name: string; subscriptions: EventSubscriptions }[],
  dbOf: (subgraph: string) => Database,
): Promise<OutboxPosition | null> {
  const readers = consumers.filter((consumer) => producer in consumer.subscriptions);
  // Nobody reads it: kept, rather than guessing who will.
  if (!readers.length) return null;
  let through: OutboxPosition | null | undefined;
  for (const consumer of readers) {
    const cursor = await directCursor(dbOf(consumer.name), consumer.name, producer);
    through = through === undefined ? cursor : earlierPosition(through, cursor);
  }
  return through ?? null;
}

/**
 * Deletes `producer`'s outbox rows at or below `through` and, when `before`
 * is given, only those that occurred before it. Returns how many went.
 */
export async function pruneOutbox(db: Database, producer: string, through: OutboxPosition, before?: Date): Promise<number> {
  const outbox = sql`${sql.identifier(producer)}.outbox`;
  const older = before ? sql`and occurred_at < ${before.toISOString()}::timestamptz` : sql``;
  return deleteInChunks(
    db,
    sql`delete from ${outbox} where position in (
      select position from ${outbox}
      where (transaction_id, position) <= (${through.transactionId}::xid8, ${through.position}::bigint) ${older}
      order by transaction_id, position limit ${CHUNK})
    returning 1`,
  );
}

/**
 * Rows of a table that go some time after they are done with, deleted
 * rather than partitioned (a subgraph's `expiring`): for tables whose rows
 * others point at, which a partitioned table cannot be.
 */
export interface ExpiringRows {
  table: string;
  /** The timestamp column a row's age counts from. */
  column: string;
  keepDays: number;
  /** What a row must also be to go, given the instant rows must be older than. */
  when?: (cutoff: SQL) => SQL;
}

/** Deletes `spec`'s rows in `schema` that are old enough as of `now`; returns how many went. */
export async function expireRows(db: Database, schema: string, spec: ExpiringRows, now: Date): Promise<number> {
  const table = sql`${sql.identifier(schema)}.${sql.identifier(spec.table)}`;
  const cutoff = sql`${new Date(now.getTime() - spec.keepDays * DAY_MS).toISOString()}::timestamptz`;
  const also = spec.when ? sql`and (${spec.when(cutoff)})` : sql``;
  return deleteInChunks(
    db,
    sql`delete from ${table} where ctid in (select ctid from ${table} where ${sql.identifier(spec.column)} < ${cutoff} ${also} limit ${CHUNK}) returning 1`,
  );
}

/** Runs `statement` (a delete of at most CHUNK rows, returning a row per row) until it deletes fewer; returns how many went. */
async function deleteInChunks(db: Database, statement: SQL): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await transactionAs(db, RELAY, (tx) => executeRows(tx, statement));
    deleted += rows.length;
    if (rows.length < CHUNK) return deleted;
  }
}

/** Forgets the event ids `consumer` applied before `before`; returns how many. */
export async function expireInbox(db: Database, consumer: string, before: Date): Promise<number> {
  const inbox = sql`${sql.identifier(consumer)}.event_inbox`;
  return deleteInChunks(
    db,
    sql`delete from ${inbox} where event_id in (
      select event_id from ${inbox} where applied_at < ${before.toISOString()}::timestamptz limit ${CHUNK})
    returning 1`,
  );
}

export interface EventRetention {
  /** Every subgraph that writes events. */
  producers: readonly string[];
  /** Every subgraph that applies them, with what it subscribes to (by actual producer). */
  consumers: readonly { name: string; subscriptions: EventSubscriptions }[];
  dbOf: (subgraph: string) => Database;
  /** How long consumers remember applied event ids; longer than any redelivery comes late. */
  inboxKeepDays: number;
  /**
   * Through JetStream: how far each producer's outbox is published, and how
   * long its stream keeps events. A row goes once it is published and older
   * than that: consumers read the stream, not the outbox, and a publisher
   * that finds its stream empty publishes again only what the outbox still
   * holds. Absent: the direct relay, and a row goes once every consumer's
   * cursor is past it.
   */
  jetstream?: { publishedThrough(producer: string): Promise<OutboxPosition | null>; maxAgeDays: number };
}

/** What one prune did, for its log line. */
export interface PruneOutcome {
  outboxDeleted: Record<string, number>;
  inboxExpired: Record<string, number>;
}

/** Prunes every outbox and every inbox as of `now`. */
export async function pruneEvents(options: EventRetention, now: Date): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { outboxDeleted: {}, inboxExpired: {} };
  for (const producer of options.producers) {
    const db = options.dbOf(producer);
    const { jetstream } = options;
    const through = jetstream ? await jetstream.publishedThrough(producer) : await consumedThrough(producer, options.consumers, options.dbOf);
    outcome.outboxDeleted[producer] = through
      ? await pruneOutbox(db, producer, through, jetstream ? new Date(now.getTime() - jetstream.maxAgeDays * DAY_MS) : undefined)
      : 0;
  }
  const before = new Date(now.getTime() - options.inboxKeepDays * DAY_MS);
  for (const consumer of options.consumers) {
    outcome.inboxExpired[consumer.name] = await expireInbox(options.dbOf(consumer.name), consumer.name, before);
  }
  return outcome;
}
