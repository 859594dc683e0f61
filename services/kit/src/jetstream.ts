import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type ConsumerConfig, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { headers, nanos, type NatsConnection } from "@nats-io/transport-node";
import type { Database } from "./db.js";
import { applyEvents, DEFAULT_PARKING, eventJson, failureCounter, handlerFor, type ParkingRule, pollEach, readCommitted, RELAY, type DomainEvent, type EventHandler, type EventSubscriptions, type OutboxPosition, type Relay } from "./events.js";
import type { Logger } from "./logger.js";
import { transactionAs } from "./tenancy.js";
import { waitUntil, type WaitOptions } from "./wait.js";

/**
 * Domain events through NATS JetStream, the production path. Each producing
 * subgraph's outbox is published in outbox order to a stream of its own;
 * each consuming subgraph reads the streams it subscribes to through a
 * durable consumer named after it, applies a batch in one transaction with
 * its inbox (a redelivery changes nothing) and acknowledges the batch only
 * after it committed (a crash repeats the batch rather than losing it). The
 * server keeps each consumer's place, so a consumer that stops resumes where
 * it left off, and events published meanwhile wait for it.
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
    const stream = await ensureStream(jsm, options.streams, producer);
    const { state } = await jsm.streams.info(stream);
    // When every message has aged out of the stream its place is lost: publishing again from the
    // outbox's start is safe (consumers skip what they applied), only slower.
    const last = state.messages > 0 ? await jsm.streams.getMessage(stream, { seq: state.last_seq }) : null;
    if (!last && state.last_seq > 0) options.logger.warn({ stream }, "the stream has kept no events: publishing the outbox again from its start");
    const [transactionId, position] = last?.header.get(POSITION_HEADER).split(":") ?? [];
    const place = transactionId && position ? { transactionId, position } : null;
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
  /** Finishes the batches under way (applied and acknowledged), then stops reading. */
  stop(): Promise<void>;
}

/**
 * Reads, for each consumer, the stream of each producer it subscribes to.
 * One subscription narrows the server's consumer to its subjects; several
 * read the producer's whole stream and skip what no handler wants.
 */
export function startStreamConsumers(options: {
  nats: NatsConnection;
  streams: EventStreams;
  consumers: readonly { name: string; db: Database; subscriptions: EventSubscriptions }[];
  logger: Logger;
  /** Events applied per transaction; also how many the server hands out before an acknowledgement. */
  batch?: number;
  /** When an event that keeps failing is set aside; the default suits production. */
  parking?: ParkingRule;
  /** Told after each batch commits, e.g. to follow progress. */
  onApplied?: (consumer: string, producer: string, events: readonly DomainEvent[]) => void;
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

  async function consume({ consumer, producer, handlers }: { consumer: { name: string; db: Database }; producer: string; handlers: Record<string, EventHandler> }) {
    const jsm = await jetstreamManager(options.nats);
    const stream = await ensureStream(jsm, options.streams, producer);
    const subscribed = Object.keys(handlers);
    const only = subscribed.length === 1 ? subscribed[0] : undefined;
    const config: Partial<ConsumerConfig> = {
      durable_name: consumer.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subjectOf(options.streams, producer, only && only !== "*" ? only.replace(/\*$/, ">") : ">"),
      // No more out than one batch: redeliveries then come back in stream order, before anything newer.
      max_ack_pending: batch,
      // Also how soon events handed to a fetch that gave up (a slow or stopped reader) come back.
      ack_wait: nanos(10_000),
    };
    try {
      await jsm.consumers.info(stream, consumer.name);
      await jsm.consumers.update(stream, consumer.name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(stream, config);
    }
    const reader = await jetstream(options.nats).consumers.get(stream, consumer.name);
    const failures = failureCounter(options.parking ?? DEFAULT_PARKING, options.logger, { consumer: consumer.name, producer });
    while (!stopped) {
      const messages: JsMsg[] = [];
      for await (const message of await reader.fetch({ max_messages: batch, expires: 1_000 })) messages.push(message);
      if (!messages.length) continue;
      const events = messages.map((message) => message.json<DomainEvent>());
      try {
        const wanted = events.filter((event) => handlerFor(handlers, event.type));
        await transactionAs(consumer.db, RELAY, (tx) => applyEvents(tx, consumer.name, handlers, wanted, { producer, park: failures.toPark() }));
        failures.passed(wanted);
        for (const message of messages) message.ack();
        await options.nats.flush();
        options.onApplied?.(consumer.name, producer, wanted);
      } catch (error) {
        failures.failed(error);
        // Handed back at once and in stream order, so they come back first and in order;
        // this reader then waits longer the more often they failed, so one bad event does not spin.
        const attempts = messages[0]?.info.deliveryCount ?? 1;
        for (const message of messages) message.nak();
        await options.nats.flush();
        options.logger.error({ err: error, consumer: consumer.name, producer, attempts }, "applying events failed; they are redelivered");
        await pause(Math.min(60_000, 500 * 2 ** (attempts - 1)));
      }
    }
  }

  return {
    async settle(wait) {
      const jsm = await jetstreamManager(options.nats);
      await waitUntil(
        "every consumer applied and acknowledged everything in its streams",
        async () => {
          const behind: string[] = [];
          for (const consumer of options.consumers) {
            for (const producer of Object.keys(consumer.subscriptions)) {
              const stream = streamOf(options.streams, producer);
              const info = await jsm.consumers.info(stream, consumer.name).catch((error: unknown) => {
                if (isNotFound(error)) return null;
                throw error;
              });
              if (!info) behind.push(`${consumer.name} has no consumer on ${stream} yet`);
              else if (info.num_pending > 0 || info.num_ack_pending > 0) {
                behind.push(`${consumer.name} on ${stream}: ${info.num_pending} not yet delivered, ${info.num_ack_pending} not acknowledged`);
              }
            }
          }
          return behind.length === 0 || behind.join("; ");
        },
        wait,
      );
    },
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}
