import { sql } from "drizzle-orm";
import { pgSchema } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows, openDatabase, type DatabaseHandle } from "../src/db.js";
import {
  emitEvent,
  outboxTable,
  retryParkedEvents,
  startRelay,
  subscriptionsTaking,
  type DomainEvent,
  type EventSubscriptions,
  type Relay,
} from "../src/events.js";
import { createLogger } from "../src/logger.js";
import { createEventTables, createTestDatabase, type TestDatabase } from "../src/testing.js";

const outbox = outboxTable(pgSchema("events_producer"));

let database: TestDatabase;
let handle: DatabaseHandle;
let relay: Relay;
const applied: DomainEvent[] = [];
let failNext = false;
/** Aggregates whose events the consumer cannot apply, until a test fixes it. */
const poisoned = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.target);
  await createEventTables(handle.db);
  relay = startRelay({
    databaseOf: () => database.target,
    logger: createLogger("test", { level: "silent" }),
    // Only settle() delivers in these tests.
    intervalMs: 3_600_000,
    // Parked on the third failed attempt, however soon.
    parking: { attempts: 3, afterMs: 0 },
    consumers: [consumer],
  });
});

const consumer: { name: string; subscriptions: EventSubscriptions } = {
  name: "events_consumer",
  subscriptions: {
    events_producer: {
      // Every event of gauges, whatever kinds the producer adds.
      "gauge.*": async (tx, event) => {
        await tx.execute(sql`insert into events_consumer.totals values (${`gauge:${event.type}`}, 1)
          on conflict (aggregate_id) do update set total = totals.total + 1`);
      },
      "counter.added": async (tx, event) => {
        if (failNext) {
          failNext = false;
          throw new Error("the consumer failed");
        }
        if (poisoned.has(event.aggregateId)) throw new Error(`cannot apply ${event.aggregateId}`);
        const { amount } = event.payload as { amount: number };
        await tx.execute(sql`insert into events_consumer.totals values (${event.aggregateId}, ${amount})
          on conflict (aggregate_id) do update set total = totals.total + excluded.total`);
        applied.push(event);
      },
    },
  },
};

afterAll(async () => {
  await relay?.stop();
  await handle?.close();
  await database?.drop();
});

const add = (aggregateId: string, amount: number) =>
  handle.db.transaction((tx) => emitEvent(tx, outbox, { type: "counter.added", aggregate: "counter", aggregateId, dealerId: null, payload: { amount } }));

const totalOf = async (aggregateId: string) =>
  (await executeRows<{ total: number }>(handle.db, sql`select total from events_consumer.totals where aggregate_id = ${aggregateId}`))[0]?.total ?? 0;

describe("domain events", () => {
  it("delivers the events of committed transactions in order, once", async () => {
    // given
    await add("a", 1);
    await add("a", 2);
    await add("a", 3);
    // when
    await relay.settle();
    await relay.settle();
    // then
    expect(applied.filter((e) => e.aggregateId === "a").map((e) => (e.payload as { amount: number }).amount)).toEqual([1, 2, 3]);
    expect(await totalOf("a")).toBe(6);
  });

  it("never delivers an event whose transaction rolled back", async () => {
    // given: a change that fails after writing its event
    await expect(
      handle.db.transaction(async (tx) => {
        await emitEvent(tx, outbox, { type: "counter.added", aggregate: "counter", aggregateId: "b", dealerId: null, payload: { amount: 5 } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    // when
    await relay.settle();
    // then
    expect(await totalOf("b")).toBe(0);
  });

  it("waits for an older transaction that commits after a newer one, and loses neither", async (context) => {
    // Two transactions open at once need a server; the embedded database runs one at a time.
    if (database.target.kind !== "postgres") context.skip();
    // given: transaction 1 writes its event first but commits last
    let commitFirst!: () => void;
    const held = new Promise<void>((resolve) => (commitFirst = resolve));
    let written!: () => void;
    const wroteEvent = new Promise<void>((resolve) => (written = resolve));
    const older = handle.db.transaction(async (tx) => {
      await emitEvent(tx, outbox, { type: "counter.added", aggregate: "counter", aggregateId: "c", dealerId: null, payload: { amount: 10 } });
      written();
      await held;
    });
    await wroteEvent;
    await add("c", 1);
    // when: the relay runs while the older transaction is open, then after it commits
    const settled = relay.settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    commitFirst();
    await older;
    await settled;
    await relay.settle();
    // then
    expect(await totalOf("c")).toBe(11);
  });

  it("applies a redelivered event only once", async () => {
    // given: everything delivered, then the cursor is lost, as after a restore
    await add("d", 4);
    await relay.settle();
    await handle.db.execute(sql`delete from events_consumer.event_cursors`);
    // when: every event is delivered again
    await relay.settle();
    // then
    expect(await totalOf("d")).toBe(4);
    expect(await totalOf("a")).toBe(6);
  });

  it("hands a consumer every event of a family it subscribed to, and none of another", async () => {
    // given
    const emit = (type: string) =>
      handle.db.transaction((tx) => emitEvent(tx, outbox, { type, aggregate: "gauge", aggregateId: "g", dealerId: null, payload: {} }));
    await emit("gauge.read");
    await emit("gauge.calibrated");
    await emit("gaugeless.read");
    // when
    await relay.settle();
    // then
    expect(await totalOf("gauge:gauge.read")).toBe(1);
    expect(await totalOf("gauge:gauge.calibrated")).toBe(1);
    expect(await totalOf("gauge:gaugeless.read")).toBe(0);
  });

  it("keeps a batch whose consumer failed, and delivers it on the next pass", async () => {
    // given
    await add("e", 7);
    failNext = true;
    // when: the first pass fails, the next one succeeds
    await relay.settle();
    expect(await totalOf("e")).toBe(0);
    await relay.settle();
    // then
    expect(await totalOf("e")).toBe(7);
  });

  it("parks an event its consumer keeps failing on, so the ones after it flow on, and applies it when retried once fixed", async () => {
    // given an event the consumer cannot apply, and one after it
    poisoned.add("f");
    await add("f", 1);
    await add("g", 2);
    // when the relay has tried it three times, then passes again
    for (let pass = 0; pass < 4; pass++) await relay.settle();
    // then the later event is applied, and the failing one waits as a dead letter with its error
    expect(await totalOf("g")).toBe(2);
    expect(await totalOf("f")).toBe(0);
    const parked = await executeRows<{ type: string; error: string; attempts: number }>(
      handle.db,
      sql`select type, error, attempts from events_consumer.event_dead_letters`,
    );
    expect(parked).toEqual([{ type: "counter.added", error: expect.stringContaining("cannot apply f") as unknown as string, attempts: 3 }]);

    // when retried while still failing, then once fixed
    expect(await retryParkedEvents(handle.db, consumer)).toEqual({ applied: 0, failed: 1 });
    poisoned.delete("f");
    expect(await retryParkedEvents(handle.db, consumer)).toEqual({ applied: 1, failed: 0 });
    // then it is applied once, and no dead letter is left
    expect(await totalOf("f")).toBe(1);
    expect(await executeRows(handle.db, sql`select 1 from events_consumer.event_dead_letters`)).toEqual([]);
    await relay.settle();
    expect(await totalOf("f")).toBe(1);
  });
});

describe("subscriptionsTaking", () => {
  it("names the type, its family and every type", () => {
    expect(subscriptionsTaking("ticket.sla_breached")).toEqual(["ticket.sla_breached", "ticket.*", "*"]);
  });
});
