/**
 * How fast domain events travel: events written to an outbox in
 * transactions of 50, then handed to a consumer that adds them up, through
 * the in-process relay and through NATS JetStream (publishing, then
 * applying). Prints events per second for each leg.
 *
 *   npm run bench:events                       # PGlite, JetStream when a server answers
 *   TEST_DATABASE_URL=postgres://... npm run bench:events
 *   EVENTS=50000 npm run bench:events
 */
import { createLogger, emitEvent, executeRows, openDatabase, outboxTable, startRelay, type EventSubscriptions } from "@aftersales/kit";
import { startOutboxPublisher, startStreamConsumers } from "@aftersales/kit/jetstream";
import { connectTestStreams, createEventTables, createTestDatabase } from "@aftersales/kit/testing";
import { sql } from "drizzle-orm";
import { pgSchema } from "drizzle-orm/pg-core";

const total = Number(process.env.EVENTS ?? 20_000);
const perTransaction = 50;
const logger = createLogger("bench", { level: "warn" });

const database = await createTestDatabase();
const handle = openDatabase(database.target);
const streams = await connectTestStreams();
try {
  await createEventTables(handle.db);
  const outbox = outboxTable(pgSchema("events_producer"));
  const subscriptions: EventSubscriptions = {
    events_producer: {
      "counter.added": async (tx, event) => {
        await tx.execute(sql`insert into events_consumer.totals values (${event.aggregateId}, 1)
          on conflict (aggregate_id) do update set total = totals.total + 1`);
      },
    },
  };
  const rate = (count: number, started: number) => `${Math.round(count / ((performance.now() - started) / 1000)).toLocaleString("en")} events/s`;

  let started = performance.now();
  for (let written = 0; written < total; written += perTransaction) {
    await handle.db.transaction(async (tx) => {
      for (let i = 0; i < perTransaction; i++) {
        await emitEvent(tx, outbox, {
          type: "counter.added",
          aggregate: "counter",
          aggregateId: `c${(written + i) % 100}`,
          dealerId: null,
          payload: { amount: 1 },
        });
      }
    });
  }
  console.log(`${total.toLocaleString("en")} events on ${database.target.kind}, ${perTransaction} per transaction, 100 aggregates`);
  console.log(`  written to the outbox           ${rate(total, started)}`);

  started = performance.now();
  const relay = startRelay({
    databaseOf: () => database.target,
    consumers: [{ name: "events_consumer", subscriptions }],
    logger,
    intervalMs: 3_600_000,
  });
  await relay.settle();
  console.log(`  applied by the in-process relay ${rate(total, started)}`);
  await relay.stop();

  if (streams) {
    // The same events again, to a consumer that has applied none of them.
    await handle.db.execute(sql`truncate events_consumer.event_inbox, events_consumer.totals`);
    started = performance.now();
    const publisher = startOutboxPublisher({
      nats: streams.nats,
      streams: streams.streams,
      producers: [{ name: "events_producer", db: handle.db }],
      logger,
      intervalMs: 3_600_000,
    });
    await publisher.settle();
    console.log(`  published to JetStream          ${rate(total, started)}`);
    started = performance.now();
    const consumers = startStreamConsumers({
      nats: streams.nats,
      streams: streams.streams,
      consumers: [{ name: "events_consumer", database: database.target, subscriptions }],
      logger,
    });
    await consumers.settle();
    console.log(`  applied from JetStream          ${rate(total, started)}`);
    await consumers.stop();
    await publisher.stop();
  } else {
    console.log("  (no NATS server: JetStream not measured)");
  }
  const [check] = await executeRows<{ applied: number }>(handle.db, sql`select sum(total)::int as applied from events_consumer.totals`);
  if (check?.applied !== total) throw new Error(`applied ${check?.applied} of ${total} events`);
} finally {
  await streams?.drop();
  await handle.close();
  await database.drop();
}
