import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { headers, nanos, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "drizzle-orm";
import { executeRows, openSession, type Database, type DatabaseTarget } from "./db.js";
import {
  applyEvents,
  DEFAULT_PARKING,
  eventJson,
  failureCounter,
  handlerFor,
  type ParkingRule,
  pollEach,
  readCommitted,
  RELAY,
  type DomainEvent,
  type EventHandler,
  type EventSubscriptions,
  type OutboxPosition,
  type Relay,
} from "./events.js";
import type { Logger } from "./logger.js";
import { jetstreamPending } from "./metrics.js";
import { transactionAs } from "./tenancy.js";
import { waitUntil, type WaitOptions } from "./wait.js";

/**
 * Domain events through NATS JetStream, the production path. Each producing
 * subgraph's outbox is published in outbox order to a stream of its own;
 * each consuming subgraph reads the streams it subscribes to through a
 * durable consumer named after it, applies a batch in one transaction with
 * its inbox (a redelivery changes nothing) and acknowledges the batch only
 * after it committed (a crash repeats the batch rather than losing it). The
 * server keeps each consumer's place, and the consumer the sequence of the
 * last event it applied, so a consumer that stops resumes where it left off,
 * and events published meanwhile wait for it.
 */

export interface EventStreams {
  /** Streams are `<PREFIX>_<PRODUCER>`, subjects `<prefix>.<producer>.<event type>`. */
  prefix: string;
  /** How long a stream keeps events; a consumer away longer loses the older ones. */
  maxAgeDays?: number;
}

const streamOf = (streams: EventStreams, producer: string) => `${streams.prefix}_${producer}`.toUpperCase();
const subjectOf = (streams: EventStreams, producer: string, type: string) => `${streams.prefix.toLowerCase()}.${producer}.${type}`;

/** Where a published event came from in its outbox; the publisher resumes after the stream's last one. */
const POSITION_HEADER = "Aftersales-Outbox-Position";
const BATCH = 200;

async function ensureStream(jsm: JetStreamManager, streams: EventStreams, producer: string): Promise<string> {
  const name = streamOf(streams, producer);
  const config = {
    name,
    subjects: [subjectOf(streams, producer, ">")],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos((streams.maxAgeDays ?? 7) * 86_400_000),
    // A publisher that restarts between publishing and reading its place back may publish again: the stream drops the copy.
    duplicate_window: nanos(10 * 60_000),
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
  return name;
}

const isNotFound = (error: unknown) => error instanceof Error && /not found/i.test(error.message);

/**
 * The outbox position of the last event in `producer`'s stream (null when it
 * holds none), and whether it once held events that all aged out.
 */
async function lastPublished(jsm: JetStreamManager, streams: EventStreams, producer: string): Promise<{ place: OutboxPosition | null; emptied: boolean }> {
  const stream = await ensureStream(jsm, streams, producer);
  const { state } = await jsm.streams.info(stream);
  const last = state.messages > 0 ? await jsm.streams.getMessage(stream, { seq: state.last_seq }) : null;
  const [transactionId, position] = last?.header.get(POSITION_HEADER).split(":") ?? [];
  return { place: transactionId && position ? { transactionId, position } : null, emptied: !last && state.last_seq > 0 };
}

/**
 * How far each producer's outbox is published to its stream, for pruning
 * the outbox (kit's `pruneEvents`): rows at or below it are in the stream.
 */
export function publishedOutboxes(nats: NatsConnection, streams: EventStreams): (producer: string) => Promise<OutboxPosition | null> {
  return async (producer) => (await lastPublished(await jetstreamManager(nats), streams, producer)).place;
}

/**
 * Publishes every producer's committed events in outbox order. Each is
 * published with its event id as the message id, and the next only after
 * the stream acknowledged it, so the stream's order is the outbox's.
 */
export function startOutboxPublisher(options: {
  nats: NatsConnection;
  streams: EventStreams;
  producers: readonly { name: string; db: Database }[];
  logger: Logger;
  intervalMs?: number;
}): Relay {
  const js = jetstream(options.nats);
  const places = new Map<string, OutboxPosition | null>();
  let jsm: JetStreamManager | undefined;

  /** Where the stream's last event came from, read once per producer. */
  const placeOf = async (producer: string): Promise<OutboxPosition | null> => {
    if (places.has(producer)) return places.get(producer) ?? null;
    jsm ??= await jetstreamManager(options.nats);
    const { place, emptied } = await lastPublished(jsm, options.streams, producer);
    // When every message has aged out of the stream its place is lost: publishing again from the
    // outbox's start is safe (consumers skip what they applied), only slower.
    if (emptied)
      options.logger.warn({ stream: streamOf(options.streams, producer) }, "the stream has kept no events: publishing the outbox again from its start");
    places.set(producer, place);
    return place;
  };

  const publish = async (producer: { name: string; db: Database }) => {
    const after = await placeOf(producer.name);
    const { events, waiting } = await transactionAs(producer.db, RELAY, (tx) => readCommitted(tx, producer.name, { after, limit: BATCH }));
    for (const event of events) {
      const header = headers();
      header.set(POSITION_HEADER, `${event.at.transactionId}:${event.at.position}`);
      await js.publish(subjectOf(options.streams, producer.name, event.type), eventJson(event), {
        msgID: event.id,
        headers: header,
        expect: { streamName: streamOf(options.streams, producer.name) },
      });
      places.set(producer.name, event.at);
    }
    return { read: events.length, waiting };
  };

  return pollEach(options.producers, publish, options.logger, "event publishing failed; it will be retried", options.intervalMs);
}

export interface StreamConsumers {
  /**
   * Waits until every consumer has applied and acknowledged everything in its
   * streams so far; gives up after a while (kit's waitUntil), saying which are behind.
   */
  settle(options?: WaitOptions): Promise<void>;
  /** Finishes the batches under way (applied and acknowledged), then stops reading and gives up its leases. */
  stop(): Promise<void>;
}

/** Where a fetch stands as each message arrives: what `interrupt` is told. */
export interface Fetching {
  consumer: string;
  producer: string;
  /** Messages of this fetch received so far, this one included. */
  received: number;
}

/** A reader that finds its lease gone stops applying at once; it takes the lease again before reading on. */
class LeaseLost extends Error {}

/** How often a relay without a pair's lease asks for it again. */
const LEASE_RETRY_MS = 1_000;

/**
 * Reads, for each consumer, the stream of each producer it subscribes to.
 * One subscription narrows the server's consumer to its subjects; several
 * read the producer's whole stream and skip what no handler wants.
 *
 * Events apply in stream order, which is the producer's commit order,
 * however many relays run and whatever fails:
 * - One reader per (consumer, producer) pair, through a lease (below): two
 *   readers of one durable consumer would split its batches between them.
 * - A batch that fails to fetch or to apply is handed back at once (nak), in
 *   stream order, so it is redelivered before anything newer.
 * - The consumer records, in the transaction that applies a batch, the stream
 *   sequence of the last event it applied (`event_cursors.stream_sequence`).
 *   The server delivers in stream order, and what is delivered and not yet
 *   acknowledged comes back only later (a fetch that gave up with messages
 *   in flight, a relay that died holding a batch): events after it could
 *   overtake it. So a batch is applied only when nothing but the batch
 *   itself is out unacknowledged (the consumer's `num_ack_pending`); then
 *   everything before it in the stream was acknowledged, which a reader does
 *   only once applied. Otherwise the reader drops the server's consumer and
 *   makes it again from the sequence after its cursor. Sequences alone
 *   cannot tell a gap: with a filtered consumer they skip other subjects.
 *   Within a batch, events at or below the cursor (a redelivery) are
 *   acknowledged without applying, the rest apply in sequence order.
 */
export function startStreamConsumers(options: {
  nats: NatsConnection;
  streams: EventStreams;
  /** Each consumer's database: its reader of each producer holds a session there for its lease. */
  consumers: readonly { name: string; database: DatabaseTarget; subscriptions: EventSubscriptions }[];
  logger: Logger;
  /** Events applied per transaction; also how many the server hands out before an acknowledgement. */
  batch?: number;
  /** When an event that keeps failing is set aside; the default suits production. */
  parking?: ParkingRule;
  /** Told after each batch commits, e.g. to follow progress. */
  onApplied?: (consumer: string, producer: string, events: readonly DomainEvent[]) => void;
  /** Told as each fetched message arrives; what it throws fails the fetch there (tests inject failures with it). */
  interrupt?: (fetching: Fetching) => void;
}): StreamConsumers {
  const batch = options.batch ?? BATCH;
  let stopped = false;
  const sleepers = new Set<() => void>();
  /** Waits `ms`, or less when stop() is called. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const loops = options.consumers.flatMap((consumer) =>
    Object.entries(consumer.subscriptions).map(([producer, handlers]) =>
      (async () => {
        // Retry until the server answers: the stream may not exist before its producer's first publish.
        while (!stopped) {
          try {
            await consume({ consumer, producer, handlers });
            return;
          } catch (error) {
            options.logger.error({ err: error, consumer: consumer.name, producer }, "event consumer failed; it restarts");
            await pause(1_000);
          }
        }
      })(),
    ),
  );

  async function consume({
    consumer,
    producer,
    handlers,
  }: {
    consumer: { name: string; database: DatabaseTarget };
    producer: string;
    handlers: Record<string, EventHandler>;
  }) {
    const route = { consumer: consumer.name, producer };
    const jsm = await jetstreamManager(options.nats);
    const stream = await ensureStream(jsm, options.streams, producer);
    // A stream made again counts from 1: a cursor of the one before means nothing in it.
    const streamId = `${stream}@${(await jsm.streams.info(stream)).created}`;
    const subscribed = Object.keys(handlers);
    const only = subscribed.length === 1 ? subscribed[0] : undefined;
    const filter = subjectOf(options.streams, producer, only && only !== "*" ? only.replace(/\*$/, ">") : ">");
    const settings = {
      filter_subject: filter,
      // No more out than one batch: redeliveries then come back in stream order, before anything newer.
      max_ack_pending: batch,
      // Also how soon events handed to a fetch that gave up (a slow or stopped reader) come back.
      ack_wait: nanos(10_000),
    };
    const inbox = sql.identifier(consumer.name);
    const leaseKey = `aftersales:events:${consumer.name}:${stream}`;

    // The lease is a session-level advisory lock in the consumer's database, on a session of
    // this reader's own that also runs every batch's transaction. Held for as long as the reader
    // reads, it keeps a second relay from fetching at all, so the two never split the batches;
    // and as each batch's transaction first checks that its session holds the lock, a relay that
    // lost the lock (its session ended, and another may hold it) cannot commit anything. A relay
    // that dies mid-batch ends its session: its transaction rolls back and the lock is free for
    // the next reader, which finds the dead one's batch still out and starts again from the
    // cursor. A lock per batch transaction would let both relays fetch, and one apply events
    // fetched after those the other still holds.
    const session = openSession(consumer.database);
    try {
      const tryLease = async () =>
        (await executeRows<{ got: boolean }>(session.db, sql`select pg_try_advisory_lock(hashtextextended(${leaseKey}, 0)) as got`))[0]?.got === true;
      while (!(await tryLease())) {
        if (stopped) return;
        await pause(LEASE_RETRY_MS);
      }
      if (stopped) return;
      const cursorOf = async (tx: Database, lock: boolean) => {
        const [row] = await executeRows<{ stream: string | null; stream_sequence: string | null }>(
          tx,
          sql`select stream, stream_sequence::text
          from ${inbox}.event_cursors where producer = ${producer} ${lock ? sql`for update` : sql``}`,
        );
        return row?.stream === streamId ? Number(row.stream_sequence) : 0;
      };
      /** The server's consumer made again to deliver from the event after the last one applied. */
      const restartFromCursor = async () => {
        const after = await transactionAs(session.db, RELAY, (tx) => cursorOf(tx, false));
        await jsm.consumers.delete(stream, consumer.name).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
        await jsm.consumers.add(stream, {
          ...settings,
          durable_name: consumer.name,
          ack_policy: AckPolicy.Explicit,
          ...(after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : { deliver_policy: DeliverPolicy.All }),
        });
        options.logger.info({ ...route, after }, "event consumer reads on from the last event applied");
      };
      const info = await jsm.consumers.info(stream, consumer.name).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      });
      // What a reader before this one held unacknowledged (it died, or its fetch gave up) would come back after newer events.
      if (info && info.num_ack_pending === 0) await jsm.consumers.update(stream, consumer.name, settings);
      else await restartFromCursor();
      let reader = await jetstream(options.nats).consumers.get(stream, consumer.name);
      const failures = failureCounter(options.parking ?? DEFAULT_PARKING, options.logger, route);
      /** Handed back in stream order, to be redelivered at once and before anything newer. */
      const handBack = async (messages: readonly JsMsg[]) => {
        for (const message of [...messages].sort((a, b) => a.seq - b.seq)) message.nak();
        await options.nats.flush();
      };

      while (!stopped) {
        const messages: JsMsg[] = [];
        try {
          for await (const message of await reader.fetch({ max_messages: batch, expires: 1_000 })) {
            messages.push(message);
            options.interrupt?.({ ...route, received: messages.length });
          }
        } catch (error) {
          await handBack(messages);
          options.logger.warn({ err: error, ...route, handedBack: messages.length }, "fetching events failed; what arrived is handed back");
          continue;
        }
        if (!messages.length) continue;
        const held = new Set(messages.map((message) => message.seq)).size;
        const { num_ack_pending: out } = await jsm.consumers.info(stream, consumer.name);
        if (out > held) {
          options.logger.warn({ ...route, held, out }, "events arrived while earlier ones are still out; reading again from the last applied");
          await restartFromCursor();
          reader = await jetstream(options.nats).consumers.get(stream, consumer.name);
          continue;
        }
        let wanted: DomainEvent[] = [];
        try {
          wanted = await transactionAs(session.db, RELAY, async (tx) => {
            const [lease] = await executeRows<{ held: boolean }>(
              tx,
              sql`select exists (select 1 from pg_locks
                where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1
                  and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${leaseKey}, 0)) as held`,
            );
            if (!lease?.held) throw new LeaseLost(`the lease of ${consumer.name} on ${stream} was lost with its database session`);
            const after = await cursorOf(tx, true);
            // Redeliveries of what was applied are skipped; the rest apply in stream order, each once.
            const fresh = [...new Map(messages.filter((m) => m.seq > after).map((m) => [m.seq, m])).values()].sort((a, b) => a.seq - b.seq);
            const events = fresh.map((message) => message.json<DomainEvent>()).filter((event) => handlerFor(handlers, event.type));
            await applyEvents(tx, consumer.name, handlers, events, { producer, park: failures.toPark() });
            const last = fresh.at(-1);
            if (last) {
              await tx.execute(sql`insert into ${inbox}.event_cursors (producer, stream, stream_sequence) values (${producer}, ${streamId}, ${last.seq})
                on conflict (producer) do update set stream = excluded.stream, stream_sequence = excluded.stream_sequence`);
            }
            return events;
          });
        } catch (error) {
          await handBack(messages);
          if (error instanceof LeaseLost) throw error;
          failures.failed(error);
          // This reader waits longer the more often they failed, so one bad event does not spin.
          const attempts = messages[0]?.info.deliveryCount ?? 1;
          options.logger.error({ err: error, ...route, attempts }, "applying events failed; they are redelivered");
          await pause(Math.min(60_000, 500 * 2 ** (attempts - 1)));
          continue;
        }
        failures.passed(wanted);
        // Acknowledged once the server confirms it, so the next batch's count of what is out is exact.
        // An acknowledgement lost here makes that count say a gap: the reader starts again from the cursor.
        await Promise.all(messages.map((message) => message.ackAck())).catch((error: unknown) => {
          options.logger.warn({ err: error, ...route }, "acknowledging applied events failed; they come back and are skipped");
        });
        options.onApplied?.(consumer.name, producer, wanted);
      }
    } finally {
      await executeRows(session.db, sql`select pg_advisory_unlock(hashtextextended(${leaseKey}, 0))`).catch(() => undefined);
      await session.close();
    }
  }

  /** Each consumer's place in each stream it reads; null where the server has no such consumer yet. */
  const places = async () => {
    const jsm = await jetstreamManager(options.nats);
    return Promise.all(
      options.consumers.flatMap((consumer) =>
        Object.keys(consumer.subscriptions).map(async (producer) => {
          const stream = streamOf(options.streams, producer);
          const info = await jsm.consumers.info(stream, consumer.name).catch((error: unknown) => {
            if (isNotFound(error)) return null;
            throw error;
          });
          return { consumer: consumer.name, stream, info };
        }),
      ),
    );
  };
  // Not yet handed out, and handed out but not acknowledged: what the consumer has still to apply.
  const unmeasure = jetstreamPending.add(async () =>
    (await places()).flatMap(({ consumer, stream, info }) =>
      info ? [[{ stream, consumer }, info.num_pending + info.num_ack_pending] as [{ stream: string; consumer: string }, number]] : [],
    ),
  );
  return {
    async settle(wait) {
      await waitUntil(
        "every consumer applied and acknowledged everything in its streams",
        async () => {
          const behind: string[] = [];
          for (const { consumer, stream, info } of await places()) {
            if (!info) behind.push(`${consumer} has no consumer on ${stream} yet`);
            else if (info.num_pending > 0 || info.num_ack_pending > 0) {
              behind.push(`${consumer} on ${stream}: ${info.num_pending} not yet delivered, ${info.num_ack_pending} not acknowledged`);
            }
          }
          return behind.length === 0 || behind.join("; ");
        },
        wait,
      );
    },
    async stop() {
      unmeasure();
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}
