/**
 * The event relay on its own, beside subgraphs that each have their own
 * database (the production shape). `<NAME>_DATABASE_URL` names each
 * subgraph's database (the same URL the subgraph runs with).
 *
 * With NATS_URL set, events travel through NATS JetStream: each producing
 * subgraph's outbox is published to its own stream, and each consuming
 * subgraph reads the streams it subscribes to through a durable consumer,
 * so a consumer that was down catches up where it stopped. Without it, the
 * relay reads each producer's outbox and applies the events in each
 * consumer's database directly, as `npm start` and the tests do in process.
 * Either way: at least once, in order per producer, idempotent by event id.
 * It also sends dealers' webhooks, which the partners subgraph queues.
 *
 * An event a consumer keeps failing on is parked in its `event_dead_letters`
 * (logged as an error) so later events flow on; once the cause is fixed,
 * `npm run relay -w @aftersales/gateway -- --retry-parked` applies the
 * parked events again and exits.
 *
 * It serves `/health`, `/ready` (every database it reads answers; with
 * NATS, the connection is open) and `/metrics` on PORT.
 */
import {
  createLogger,
  env,
  loadConfig,
  measureEvents,
  openDatabase,
  pingDatabase,
  retryParkedEvents,
  runMain,
  serveOperations,
  startRelay,
  startTelemetry,
  stopOnSignal,
  type DatabaseHandle,
} from "@aftersales/kit";
import { startOutboxPublisher, startStreamConsumers } from "@aftersales/kit/jetstream";
import { startWebhookSender } from "@aftersales/partners/webhooks";
import { eventConsumers as consumers, producers } from "@aftersales/schema";
import { connect } from "@nats-io/transport-node";
import { z } from "zod";
import { eventDatabasesEnv, subgraphDatabases } from "./databases.js";

const config = z.object({
  /** Where `/health`, `/ready` and `/metrics` are served. */
  PORT: env.port(4010),
  HOST: env.host(),
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(false),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  ...eventDatabasesEnv,
});

runMain(async () => {
  const settings = loadConfig(config);
  // Every consumer and every subgraph it reads from (through JetStream: every producer) needs its database named.
  const involved = new Set(consumers.flatMap((consumer) => [consumer.name, ...(settings.NATS_URL ? producers : Object.keys(consumer.subscriptions))]));
  const targetOf = subgraphDatabases(settings, involved, 2);
  const logger = createLogger("relay", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  const retryingParked = process.argv.includes("--retry-parked");
  if (!retryingParked) await startTelemetry({ service: "relay" });
  if (retryingParked) {
    for (const consumer of consumers) {
      const handle = openDatabase(targetOf(consumer.name));
      try {
        logger.info({ consumer: consumer.name, ...(await retryParkedEvents(handle.db, consumer)) }, "parked events retried");
      } finally {
        await handle.close();
      }
    }
    return;
  }
  // Ready when every database it reads answers (and, through JetStream, NATS is connected).
  const handles = new Map<string, DatabaseHandle>([...involved].map((name) => [name, openDatabase(targetOf(name))]));
  const dbOf = (name: string) => handles.get(name)!.db;
  let natsClosed = () => false;
  const operations = await serveOperations({
    name: "relay",
    logger,
    host: settings.HOST,
    port: settings.PORT,
    readyCheck: async () => {
      if (natsClosed()) throw new Error("the connection to NATS is closed");
      await Promise.all([...handles.values()].map((handle) => pingDatabase(handle.db)));
    },
  });
  const closeHandles = async () => {
    for (const handle of handles.values()) await handle.close();
  };
  // Dealers' webhooks go out from here too: partners queues them as it applies the events.
  const webhooks = startWebhookSender({ database: targetOf("partners"), logger: logger.child({ service: "webhooks" }), intervalMs: 1_000 });

  if (!settings.NATS_URL) {
    // It measures its consumers' lag and dead letters itself.
    const relay = startRelay({ databaseOf: targetOf, consumers, logger, intervalMs: settings.RELAY_INTERVAL_MS });
    logger.info({ consumers: consumers.map((c) => ({ consumer: c.name, from: Object.keys(c.subscriptions) })), operations: operations.url }, "relay running");
    stopOnSignal(logger, async () => {
      await operations.stop();
      await relay.stop();
      await webhooks.stop();
      await closeHandles();
    });
    return;
  }

  const nats = await connect({ servers: settings.NATS_URL.split(","), name: "aftersales-relay", maxReconnectAttempts: -1 });
  natsClosed = () => nats.isClosed();
  // Through JetStream the lag is each consumer's pending messages (measured by the readers).
  const unmeasure = measureEvents({ consumers: consumers.map((consumer) => ({ name: consumer.name, db: dbOf(consumer.name) })) });
  const streams = { prefix: settings.EVENT_STREAM_PREFIX, maxAgeDays: settings.EVENT_STREAM_MAX_AGE_DAYS };
  const publisher = startOutboxPublisher({
    nats,
    streams,
    producers: producers.map((name) => ({ name, db: dbOf(name) })),
    logger,
    intervalMs: settings.RELAY_INTERVAL_MS,
  });
  const readers = startStreamConsumers({
    nats,
    streams,
    consumers: consumers.map((consumer) => ({ ...consumer, database: targetOf(consumer.name) })),
    logger,
  });
  logger.info(
    { nats: settings.NATS_URL, streams: streams.prefix, producers, consumers: consumers.map((c) => c.name), operations: operations.url },
    "relay running through JetStream",
  );
  stopOnSignal(logger, async () => {
    await operations.stop();
    unmeasure();
    await publisher.stop();
    await readers.stop();
    await webhooks.stop();
    await nats.drain();
    await closeHandles();
  });
});
