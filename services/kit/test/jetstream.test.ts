import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { sql } from "drizzle-orm";
import { pgSchema } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeRows, openDatabase, type DatabaseHandle } from "../src/db.js";
import { emitEvent, outboxTable, type DomainEvent, type EventSubscriptions } from "../src/events.js";
import { startOutboxPublisher, startStreamConsumers, type StreamConsumers } from "../src/jetstream.js";
import { createLogger } from "../src/logger.js";
import { connectTestStreams, createEventTables, createTestDatabase, type TestDatabase, type TestStreams } from "../src/testing.js";

/** The JetStream path against the real NATS server at TEST_NATS_URL. */

const outbox = outboxTable(pgSchema("events_producer"));
const logger = createLogger("test", { level: (process.env.LOG_LEVEL as "silent") ?? "silent" });

let database: TestDatabase;
let handle: DatabaseHandle;
let nats: TestStreams;
/** False when there is no NATS server to test against (outside CI only). */
let reachable = false;
/** Every event the consumer's handler ran for, in order, across consumer restarts. */
const applied: DomainEvent[] = [];
let failures = 0;
/** Aggregates whose events the consumer cannot apply. */
const poisoned = new Set<string>();

const subscriptions: EventSubscriptions = {
  events_producer: {
    "counter.*": async (tx, event) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error("the consumer failed");
      }
      if (poisoned.has(event.aggregateId)) throw new Error(`cannot apply ${event.aggregateId}`);
      const { amount } = event.payload as { amount: number };
      await tx.execute(sql`insert into events_consumer.totals values (${event.aggregateId}, ${amount})
        on conflict (aggregate_id) do update set total = totals.total + excluded.total`);
      applied.push(event);
    },
  },
};

beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.target);
  await createEventTables(handle.db);
  const connected = await connectTestStreams();
  if (connected) [nats, reachable] = [connected, true];
});

beforeEach((context) => {
  if (!reachable) context.skip();
});

afterAll(async () => {
  if (reachable) await nats.drop();
  await handle?.close();
  await database?.drop();
});

const add = (aggregateId: string, amount: number) =>
  handle.db.transaction((tx) => emitEvent(tx, outbox, { type: "counter.added", aggregate: "counter", aggregateId, dealerId: null, payload: { amount } }));

const publisher = () =>
  startOutboxPublisher({ nats: nats.nats, streams: nats.streams, producers: [{ name: "events_producer", db: handle.db }], logger, intervalMs: 3_600_000 });

const consumers = (options: { batch?: number; onApplied?: () => void; parking?: { attempts: number; afterMs: number } } = {}): StreamConsumers =>
  startStreamConsumers({
    nats: nats.nats,
    streams: nats.streams,
    consumers: [{ name: "events_consumer", database: database.target, subscriptions }],
    logger,
    ...options,
  });

const stream = () => `${nats.streams.prefix}_EVENTS_PRODUCER`;

const totals = async () => {
  const rows = await executeRows<{ aggregate_id: string; total: number }>(
    handle.db,
    sql`select aggregate_id, total from events_consumer.totals order by aggregate_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.aggregate_id, row.total]));
};

const amountsOf = (aggregateId: string) => applied.filter((e) => e.aggregateId === aggregateId).map((e) => (e.payload as { amount: number }).amount);

describe("domain events through NATS JetStream", () => {
  it("publishes committed events in outbox order and applies each once, in order per aggregate", async () => {
    // given: three aggregates' events interleaved, and one change that rolled back
    for (let i = 1; i <= 10; i++) {
      await add("a", i);
      await add("b", 100 * i);
    }
    await expect(
      handle.db.transaction(async (tx) => {
        await emitEvent(tx, outbox, { type: "counter.added", aggregate: "counter", aggregateId: "a", dealerId: null, payload: { amount: 1_000 } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow();
    // when
    const publishing = publisher();
    await publishing.settle();
    const consuming = consumers();
    await consuming.settle();
    await consuming.stop();
    await publishing.stop();
    // then
    expect(amountsOf("a")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(amountsOf("b")).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
    expect(await totals()).toEqual({ a: 55, b: 5_500 });
  });

  it("resumes a consumer stopped mid-stream where it left off, with the events written while it was down", async () => {
    // given: 20 events, and a consumer stopped after its first batch of 5
    const before = applied.length;
    for (let i = 1; i <= 20; i++) await add("c", i);
    const publishing = publisher();
    await publishing.settle();
    let first: StreamConsumers | undefined;
    const stopped = new Promise<void>((resolve) => {
      first = consumers({ batch: 5, onApplied: () => resolve(first!.stop()) });
    });
    await stopped;
    expect(applied.length - before).toBe(5);
    // when: more events while it is down, then it starts again
    for (let i = 21; i <= 30; i++) await add("c", i);
    await publishing.settle();
    const second = consumers({ batch: 5 });
    await second.settle();
    await second.stop();
    await publishing.stop();
    // then: every event once, in order
    expect(amountsOf("c")).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await totals()).c).toBe(465);
  }, 90_000);

  it("publishes after the last event in the stream when the publisher restarts", async () => {
    // given
    const jsm = await jetstreamManager(nats.nats);
    // The stream may not be there yet when this test runs alone.
    const before = (await jsm.streams.info(stream()).catch(() => null))?.state.messages ?? 0;
    await add("d", 1);
    const first = publisher();
    await first.settle();
    await first.stop();
    // when: a new publisher, with more events, while a plain subscriber sees every publish (the stream would hide a repeated one)
    await add("d", 2);
    const published: string[] = [];
    const watcher = nats.nats.subscribe(`${nats.streams.prefix.toLowerCase()}.events_producer.>`, {
      callback: (_error, message) => {
        published.push(message.string());
      },
    });
    const second = publisher();
    await second.settle();
    await second.stop();
    await nats.nats.flush();
    watcher.unsubscribe();
    // then: it published only the new event, and each event is in the stream once
    expect(published.map((body) => (JSON.parse(body) as DomainEvent).payload)).toEqual([{ amount: 2 }]);
    const { state: after } = await jsm.streams.info(stream());
    expect(after.messages - before).toBe(2);
  });

  it("changes nothing when an event reaches the consumer twice", async () => {
    // given: everything applied, then one event's copy published again, as a second publisher would after the dedupe window
    const consuming = consumers();
    await consuming.settle();
    const jsm = await jetstreamManager(nats.nats);
    const { state } = await jsm.streams.info(stream());
    const original = await jsm.streams.getMessage(stream(), { seq: state.last_seq });
    const before = { totals: await totals(), applied: applied.length };
    // when
    await jetstream(nats.nats).publish(original!.subject, original!.data);
    await consuming.settle();
    await consuming.stop();
    // then
    expect(await totals()).toEqual(before.totals);
    expect(applied.length).toBe(before.applied);
  });

  it("redelivers a batch whose consumer failed, in order, until it applies", async () => {
    // given: the handler fails twice
    failures = 2;
    await add("e", 1);
    await add("e", 2);
    const publishing = publisher();
    await publishing.settle();
    await publishing.stop();
    // when
    const consuming = consumers();
    await consuming.settle();
    await consuming.stop();
    // then
    expect(failures).toBe(0);
    expect(amountsOf("e")).toEqual([1, 2]);
  });

  it("parks an event its consumer keeps failing on, and applies the ones after it", async () => {
    // given an event the consumer cannot apply, then one it can
    poisoned.add("f");
    await add("f", 1);
    await add("g", 2);
    const publishing = publisher();
    await publishing.settle();
    await publishing.stop();
    // when the consumer parks events on their second failure
    const consuming = consumers({ parking: { attempts: 2, afterMs: 0 } });
    await consuming.settle();
    await consuming.stop();
    // then the later event is applied and the failing one waits as a dead letter
    expect(amountsOf("g")).toEqual([2]);
    expect(amountsOf("f")).toEqual([]);
    const parked = await executeRows(handle.db, sql`select type, attempts from events_consumer.event_dead_letters`);
    expect(parked).toEqual([{ type: "counter.added", attempts: 2 }]);
  });
});
