import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLogger, emitEvents, openDatabase, outboxTable, type DatabaseHandle } from "@aftersales/kit";
import { startOutboxPublisher, startStreamConsumers, type Fetching, type StreamConsumers } from "@aftersales/kit/jetstream";
import { connectTestStreams, createEventTables, createTestDatabase, type TestStreams } from "@aftersales/kit/testing";
import { eventConsumers, producers } from "@aftersales/schema";
import { jetstreamManager } from "@nats-io/jetstream";
import { sql } from "drizzle-orm";
import { pgSchema } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, soldUnit, tag, ticketInput } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { EventsJetstreamTicketFragment } from "./src/generated/graphql.js";
import { startGraph, type Caller, type TestGraph } from "./src/graph.js";
import { FROM_SOURCES } from "./src/processes.js";
import { appliedAmounts, COUNTED, createAppliedTable, recordApplied } from "./src/stream-order.js";
import { ticketMutations } from "./src/tickets.js";

/**
 * The production path of events, against the real NATS server: the whole
 * graph without its in-process relay, every outbox published to JetStream,
 * every consuming subgraph reading its streams. The catalog, which takes the
 * parts a repair used off its stock, is down while repairs record parts,
 * stopped mid-stream, and replayed from the start: its stock ends up lowered
 * by each usage exactly once. Beneath the API, the event plumbing's own
 * producer and consumer show events applied in commit order whatever the
 * relays reading them do.
 */

const logger = createLogger("test", { level: (process.env.LOG_LEVEL as "silent" | undefined) ?? "silent" });
const TICKET = graphql(`fragment EventsJetstreamTicket on Ticket { id version }`);
const { succeed } = ticketMutations<EventsJetstreamTicketFragment>("...EventsJetstreamTicket", TICKET);
const PARTS_STOCK = graphql(
  `query EventsJetstreamPartsStock($id: ID!) { dealer(id: $id) { partsStock(first: 100) { edges { node { part { id } onHand } } } } }`,
);
const SET_PART_STOCK = graphql(`mutation EventsJetstreamSetPartStock($input: SetPartStockInput!) { setPartStock(input: $input) { errors { code } } }`);

let graph: TestGraph;
let nats: TestStreams;
/** False when there is no NATS server to test against (outside CI only). */
let reachable = false;
let handle: DatabaseHandle;
let publisher: ReturnType<typeof startOutboxPublisher>;
/** Every consuming subgraph but the catalog. */
let others: StreamConsumers;

const consuming = (names: (name: string) => boolean, options: { batch?: number; onApplied?: () => void } = {}) =>
  startStreamConsumers({
    nats: nats.nats,
    streams: nats.streams,
    consumers: eventConsumers.filter((consumer) => names(consumer.name)).map((consumer) => ({ ...consumer, database: graph.database })),
    logger,
    ...options,
  });

const isCatalog = (name: string) => name === "catalog";

/** Everything committed so far published, and applied by the consumers running. */
async function settle(...running: StreamConsumers[]) {
  await publisher.settle();
  for (const consumers of running) await consumers.settle();
}

beforeAll(async () => {
  const connected = await connectTestStreams();
  if (!connected) return;
  [nats, reachable] = [connected, true];
  graph = await startGraph({ relay: false });
  handle = openDatabase(graph.database);
  publisher = startOutboxPublisher({
    nats: nats.nats,
    streams: nats.streams,
    producers: producers.map((name) => ({ name, db: handle.db })),
    logger,
    intervalMs: 100,
  });
  others = consuming((name) => !isCatalog(name));
});

beforeEach((context) => {
  if (!reachable) context.skip();
});

afterAll(async () => {
  await others?.stop();
  await publisher?.stop();
  if (reachable) await nats.drop();
  await handle?.close();
  await graph?.stop();
});

async function onHand(serviceCenterId: string, partId: string): Promise<number | null> {
  const { dealer } = await graph.query(PARTS_STOCK, { id: serviceCenterId });
  if (!dealer) throw new Error(`No dealer ${serviceCenterId}.`);
  return dealer.partsStock.edges.find((e) => e.node.part.id === partId)?.node.onHand ?? null;
}

describe("events through NATS JetStream", () => {
  it("lowers the catalog's stock by every part a repair used while the catalog was down, once each, through a restart mid-stream and a replay", async () => {
    // given a dealer that is its own service center, with a customer's unit and 10 pumps on its shelf
    const product = (await createProduct(graph, { name: `Grinder ${tag()}` })).id;
    const pump = (await createProduct(graph, { kind: "SPARE_PART", name: `Pump ${tag()}`, listPrice: { amount: "40.00", currency: "EUR" } })).id;
    const dealer = (await createDealer(graph)).id;
    const customer = (await createCustomer(graph, dealer)).id;
    const unit = await soldUnit(graph, { productId: product, dealerId: dealer, customerId: customer, soldOn: "2025-03-01" });
    await graph.query(SET_PART_STOCK, {
      input: { serviceCenterId: dealer, partId: pump, onHand: 10 },
    });
    await settle(others);
    const clerk = graph.as({ role: "DEALER", dealerId: dealer, subject: "clerk" } satisfies Caller);
    const opened = await succeed(clerk, "openTicket", ticketInput(customer, { unitId: unit.id }));
    let ticket = await succeed(clerk, "assignTicket", { id: opened.id, version: opened.version, serviceCenterId: dealer });

    // when the repair uses 2, then 3 pumps while the catalog is down
    for (const quantity of [2, 3]) {
      ticket = await succeed(clerk, "recordTicketParts", { id: ticket.id, version: ticket.version, parts: [{ partId: pump, quantity }] });
    }
    await settle(others);
    // then the shelf has not moved yet
    expect(await onHand(dealer, pump)).toBe(10);

    // when the catalog comes up, one event at a time, and stops after the first
    let first: StreamConsumers | undefined;
    await new Promise<void>((resolve) => {
      first = consuming(isCatalog, { batch: 1, onApplied: () => resolve(first!.stop()) });
    });
    // then it applied the first usage only
    expect(await onHand(dealer, pump)).toBe(8);

    // when one more pump is used while it is down again, and it starts again
    ticket = await succeed(clerk, "recordTicketParts", { id: ticket.id, version: ticket.version, parts: [{ partId: pump, quantity: 1 }] });
    const second = consuming(isCatalog);
    await settle(others, second);
    // then it resumed after the usage it had applied: each usage taken once
    expect(await onHand(dealer, pump)).toBe(4);

    // when its place in the tickets stream is lost, on the server and in its own cursor, and it reads the whole stream again
    await second.stop();
    const jsm = await jetstreamManager(nats.nats);
    await jsm.consumers.delete(`${nats.streams.prefix}_TICKETS`, "catalog");
    await handle.db.execute(sql`update catalog.event_cursors set stream = null, stream_sequence = null where producer = 'tickets'`);
    const replay = consuming(isCatalog);
    await settle(others, replay);
    await replay.stop();
    // then nothing changed: it had applied every one of those events already
    expect(await onHand(dealer, pump)).toBe(4);
  }, 120_000);
});

/**
 * Polls `seen` until `done` holds of it, failing with what it waited for and
 * what it last saw after a deadline generous enough for a busy machine.
 */
async function until<T>(what: string, seen: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await seen();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("events in commit order through NATS JetStream", () => {
  it("applies every event once and in commit order, with two relays reading at once, a fetch failing midway and a relay killed mid-batch", async (context) => {
    // A database of its own, for the event plumbing's own producer and consumer.
    const { target: database, drop } = await createTestDatabase();
    const plumbing = openDatabase(database);
    if (database.kind !== "postgres") {
      await drop();
      return context.skip("a relay in a process of its own needs the PostgreSQL server");
    }
    // given a producer whose changes each commit an event the consumer reads and one it does not (its stream sequences skip)
    await createEventTables(plumbing.db);
    await createAppliedTable(plumbing.db);
    const outbox = outboxTable(pgSchema("events_producer"));
    let written = 0;
    const write = async (changes: number) => {
      for (let i = 0; i < changes; i++) {
        written += 1;
        await plumbing.db.transaction((tx) =>
          emitEvents(tx, outbox, [
            { type: COUNTED, aggregate: "counter", aggregateId: `c${written % 3}`, dealerId: null, payload: { amount: written } },
            { type: "gauge.read", aggregate: "gauge", aggregateId: "g", dealerId: null, payload: { amount: written } },
          ]),
        );
      }
    };
    const publishing = startOutboxPublisher({
      nats: nats.nats,
      streams: nats.streams,
      producers: [{ name: "events_producer", db: plumbing.db }],
      logger,
      intervalMs: 100,
    });
    const readers: StreamConsumers[] = [];
    // and a relay in a process of its own that takes the first 3 events and stops inside its batch
    await write(3);
    await publishing.settle();
    const doomed = fork(fileURLToPath(new URL("./src/stream-reader.ts", import.meta.url)), {
      execArgv: FROM_SOURCES,
      env: { ...process.env, STREAM_PREFIX: nats.streams.prefix, DATABASE_URL: database.url },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("timed out waiting until the relay in its own process was inside its first batch")), 90_000);
        doomed.once("message", () => resolve(clearTimeout(timer)));
        doomed.once("exit", (code) => reject(new Error(`the relay in its own process exited (${code}) before it applied anything`)));
      });
      // and two relays reading the same consumer at once, one of whose fetches fails after 2 of its events arrived
      let injected = 0;
      const interrupt = ({ received }: Fetching) => {
        if (injected === 0 && received === 2) {
          injected += 1;
          throw new Error("heartbeats missed (injected)");
        }
      };
      const subscriptions = { events_producer: { [COUNTED]: recordApplied } };
      for (let i = 0; i < 2; i++) {
        readers.push(
          startStreamConsumers({
            nats: nats.nats,
            streams: nats.streams,
            consumers: [{ name: "events_consumer", database, subscriptions }],
            logger,
            batch: 10,
            interrupt,
          }),
        );
      }

      // when more changes commit, the first relay is killed mid-batch, and more changes commit
      // (they are published once it is gone: its open transaction keeps later ones from being final)
      await write(27);
      doomed.kill("SIGKILL");
      await write(30);

      // then every event is applied, once each, in the order its change committed
      await until(
        "the consumer applied 60 events",
        () => appliedAmounts(plumbing.db),
        (amounts) => amounts.length >= 60,
      );
      await publishing.settle();
      for (const reader of readers) await reader.settle();
      expect(await appliedAmounts(plumbing.db)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(injected).toBe(1);
    } finally {
      doomed.kill("SIGKILL");
      for (const reader of readers) await reader.stop();
      await publishing.stop();
      await plumbing.close();
      await drop();
    }
  }, 240_000);
});
