import { createLogger, openDatabase, type DatabaseHandle } from "@aftersales/kit";
import { startOutboxPublisher, startStreamConsumers, type StreamConsumers } from "@aftersales/kit/jetstream";
import { connectTestStreams, type TestStreams } from "@aftersales/kit/testing";
import { eventConsumers, producers } from "@aftersales/schema";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, soldUnit, tag, ticketInput } from "./src/factories.js";
import { startGraph, type Caller, type TestGraph } from "./src/graph.js";
import { ticketMutations } from "./src/tickets.js";

/**
 * The production path of events, against the real NATS server: the whole
 * graph without its in-process relay, every outbox published to JetStream,
 * every consuming subgraph reading its streams. The catalog, which takes the
 * parts a repair used off its stock, is down while repairs record parts,
 * stopped mid-stream, and replayed from the start: its stock ends up lowered
 * by each usage exactly once.
 */

const logger = createLogger("test", { level: "silent" });
const { succeed } = ticketMutations<{ id: string; version: number }>("id version");

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
    consumers: eventConsumers.filter((consumer) => names(consumer.name)).map((consumer) => ({ ...consumer, db: handle.db })),
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
  const { dealer } = await graph.query<{ dealer: { partsStock: { edges: { node: { part: { id: string }; onHand: number } }[] } } }>(
    `query($id: ID!) { dealer(id: $id) { partsStock(first: 100) { edges { node { part { id } onHand } } } } }`,
    { id: serviceCenterId },
  );
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
    await graph.query(`mutation($input: SetPartStockInput!) { setPartStock(input: $input) { errors { code } } }`, {
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

    // when its place in the tickets stream is lost, and it reads the whole stream again
    await second.stop();
    const jsm = await jetstreamManager(nats.nats);
    await jsm.consumers.delete(`${nats.streams.prefix}_TICKETS`, "catalog");
    const replay = consuming(isCatalog);
    await settle(others, replay);
    await replay.stop();
    // then nothing changed: it had applied every one of those events already
    expect(await onHand(dealer, pump)).toBe(4);
  }, 120_000);
});
