import {
  createLogger,
  executeRows,
  expireRows,
  handlerFor,
  maintainPartitions,
  openDatabase,
  pruneEvents,
  startRelay,
  transactionAs,
  type DatabaseHandle,
  type EventRetention,
} from "@aftersales/kit";
import { publishedOutboxes, startOutboxPublisher } from "@aftersales/kit/jetstream";
import { connectTestStreams } from "@aftersales/kit/testing";
import { eventConsumers, producers, subgraphs } from "@aftersales/schema";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, openTicket } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * The event tables do not grow without bound: pruning removes outbox rows
 * every consumer is past and inbox rows older than their window, and never
 * an event a consumer has yet to apply.
 */

const logger = createLogger("test", { level: "warn" });
const DAY_MS = 86_400_000;

let graph: TestGraph;
let handle: DatabaseHandle;
beforeAll(async () => {
  // No relay of the graph's own: the test decides when events are handed on.
  graph = await startGraph({ relay: false });
  handle = openDatabase(graph.database);
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

const retention = (overrides: Partial<EventRetention> = {}): EventRetention => ({
  producers,
  consumers: eventConsumers,
  dbOf: () => handle.db,
  inboxKeepDays: 30,
  ...overrides,
});

/** The ids and types of the dealer's events still in the partners outbox. */
const outboxOf = (dealerId: string) =>
  executeRows<{ id: string; type: string }>(handle.db, sql`select id::text, type from partners.outbox where aggregate_id = ${dealerId} order by position`);

/** The consumers that recorded `eventId` as applied. */
const appliedBy = async (eventId: string) => {
  const consumers: string[] = [];
  for (const consumer of eventConsumers) {
    const rows = await executeRows(handle.db, sql`select 1 from ${sql.identifier(consumer.name)}.event_inbox where event_id = ${eventId}`);
    if (rows.length) consumers.push(consumer.name);
  }
  return consumers.sort();
};

/** The consumers that apply events of `type` from partners. */
const consumersOf = (type: string) =>
  eventConsumers
    .filter((consumer) => handlerFor(consumer.subscriptions["partners"] ?? {}, type))
    .map((consumer) => consumer.name)
    .sort();

const relayOnce = async () => {
  const relay = startRelay({ databaseOf: () => graph.database, consumers: eventConsumers, logger });
  try {
    await relay.settle();
  } finally {
    await relay.stop();
  }
};

describe("pruning the event tables (direct relay)", () => {
  it("removes what every consumer applied, and keeps an event not yet applied until it is", async () => {
    // given a dealer whose events every consumer applied, then one whose events no relay handed on yet
    const applied = await createDealer(graph);
    await relayOnce();
    const waiting = await createDealer(graph);
    const [appliedEvent] = await outboxOf(applied.id);
    const [waitingEvent] = await outboxOf(waiting.id);
    expect(appliedEvent && waitingEvent).toBeTruthy();
    expect(await appliedBy(appliedEvent!.id)).toEqual(consumersOf(appliedEvent!.type));

    // when pruning runs two months from now
    const outcome = await pruneEvents(retention(), new Date(Date.now() + 60 * DAY_MS));

    // then the applied events left the outbox, and consumers forgot their ids (older than 30 days by then)
    expect(await outboxOf(applied.id)).toEqual([]);
    expect(outcome.outboxDeleted["partners"]).toBeGreaterThan(0);
    expect(await appliedBy(appliedEvent!.id)).toEqual([]);
    // and the waiting dealer's events are all still there
    expect((await outboxOf(waiting.id)).map((event) => event.id)).toContain(waitingEvent!.id);

    // when the relay runs again, every consumer applies them
    await relayOnce();
    expect(await appliedBy(waitingEvent!.id)).toEqual(consumersOf(waitingEvent!.type));
    // and the pruned ones are not applied again (their ids were forgotten, but the cursors are past them)
    expect(await appliedBy(appliedEvent!.id)).toEqual([]);
  });

  it("keeps the ids consumers applied within the window", async () => {
    const dealer = await createDealer(graph);
    await relayOnce();
    const [event] = await outboxOf(dealer.id);

    await pruneEvents(retention(), new Date(Date.now() + 29 * DAY_MS));

    // applied and pruned from the outbox, but within 30 days: a late second delivery would still be recognised
    expect(await outboxOf(dealer.id)).toEqual([]);
    expect(await appliedBy(event!.id)).toEqual(consumersOf(event!.type));
  });

  it("keeps everything while a consumer has applied nothing yet", async () => {
    // a consumer that has not read any event of partners (new, or its cursor lost) holds the whole outbox back
    const dealer = await createDealer(graph);
    await relayOnce();
    const lagging = eventConsumers.find((consumer) => "partners" in consumer.subscriptions)!;
    await handle.db.execute(sql`delete from ${sql.identifier(lagging.name)}.event_cursors where producer = 'partners'`);

    const outcome = await pruneEvents(retention(), new Date(Date.now() + 60 * DAY_MS));

    expect(outcome.outboxDeleted["partners"]).toBe(0);
    expect((await outboxOf(dealer.id)).length).toBeGreaterThan(0);
    await relayOnce();
  });
});

describe("pruning the outbox through JetStream", () => {
  it("removes what is published and older than the stream keeps, nothing unpublished", async (context) => {
    const nats = await connectTestStreams();
    if (!nats) return context.skip("no NATS server");
    try {
      // given a dealer's events published to the stream, then another's not published yet
      const publisher = startOutboxPublisher({
        nats: nats.nats,
        streams: nats.streams,
        producers: [{ name: "partners", db: handle.db }],
        logger,
        intervalMs: 50,
      });
      const published = await createDealer(graph);
      await publisher.settle();
      await publisher.stop();
      const unpublished = await createDealer(graph);
      const jetstream = { publishedThrough: publishedOutboxes(nats.nats, nats.streams), maxAgeDays: 7 };

      // when pruning runs within the stream's 7 days, nothing goes: a stream found empty is published again from the outbox
      await pruneEvents(retention({ producers: ["partners"], jetstream }), new Date(Date.now() + 6 * DAY_MS));
      expect((await outboxOf(published.id)).length).toBeGreaterThan(0);

      // when it runs after them, the published events go and the unpublished stay
      await pruneEvents(retention({ producers: ["partners"], jetstream }), new Date(Date.now() + 8 * DAY_MS));
      expect(await outboxOf(published.id)).toEqual([]);
      expect((await outboxOf(unpublished.id)).length).toBeGreaterThan(0);
    } finally {
      await nats.drop();
    }
  });
});

describe("the ticket timeline, partitioned by month", () => {
  const timeline = subgraphs.find((subgraph) => subgraph.name === "tickets")!.partitioned.find((spec) => spec.table === "ticket_timeline")!;
  /** Where each of the ticket's timeline entries is kept: the partition's name. */
  const partitionsOf = async (ticketId: string) =>
    (
      await executeRows<{ partition: string }>(
        handle.db,
        sql`select tableoid::regclass::text as partition from tickets.ticket_timeline where ticket_id = ${ticketId}`,
      )
    ).map((row) => row.partition);
  const timelineOf = async (ticketId: string) =>
    (await graph.query(graphql(`query RetentionTicket($id: ID!) { ticket(id: $id) { timeline { at } } }`), { id: ticketId })).ticket?.timeline;

  it("drops the months past its retention, keeping the recent ones", async () => {
    // given a ticket opened six years ago and one opened now; no partition was made for either month
    const dealer = await createDealer(graph);
    const customer = await createCustomer(graph, dealer.id);
    await relayOnce();
    const longAgo = new Date(Date.now() - 6 * 365 * DAY_MS);
    graph.clock.set(longAgo);
    const old = await openTicket(graph, customer.id);
    graph.clock.release();
    const recent = await openTicket(graph, customer.id);
    expect(await partitionsOf(old.id)).toEqual(["tickets.ticket_timeline_default"]);
    expect(await partitionsOf(recent.id)).toEqual(["tickets.ticket_timeline_default"]);

    // when the partitions are kept as of a month after the old ticket was opened
    const month = (at: Date) => `${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
    const then = await maintainPartitions(handle.db, "tickets", timeline, new Date(longAgo.getTime() + 31 * DAY_MS));
    // then its month got a partition, with its rows moved there, and the months ahead of then were made
    expect(then.created).toContain(`ticket_timeline_${month(longAgo)}`);
    expect(then.dropped).toEqual([]);
    expect(await partitionsOf(old.id)).toEqual([`tickets.ticket_timeline_${month(longAgo)}`]);
    expect(await timelineOf(old.id)).toHaveLength(1);

    // when they are kept as of now, with five years' retention
    const now = await maintainPartitions(handle.db, "tickets", timeline, new Date());
    // then the old months are dropped whole, and the recent ticket's month has its own partition
    expect(now.dropped).toContain(`ticket_timeline_${month(longAgo)}`);
    expect(await partitionsOf(old.id)).toEqual([]);
    expect(await partitionsOf(recent.id)).toEqual([`tickets.ticket_timeline_${month(new Date())}`]);
    // and the recent ticket's timeline reads as before, and takes new entries in its partition
    expect(await timelineOf(recent.id)).toHaveLength(1);
    const noted = await graph.query(
      graphql(`mutation RetentionAddTicketNote($input: AddTicketNoteInput!) { addTicketNote(input: $input) { errors { code } } }`),
      {
        input: { id: recent.id, version: recent.version, note: "Called the customer back." },
      },
    );
    expect(noted.addTicketNote.errors).toEqual([]);
    expect(await timelineOf(recent.id)).toHaveLength(2);

    // and requests cannot read a partition by its name, around the table's row-level security
    for (const partition of ["ticket_timeline_default", `ticket_timeline_${month(new Date())}`]) {
      await expect(
        transactionAs(handle.db, { subject: "d", role: "DEALER", dealerId: dealer.id, credential: "d", operationsOnly: false }, (tx) =>
          tx.execute(sql`select * from tickets.${sql.identifier(partition)}`),
        ),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
    }

    // and a second maintenance the same day changes nothing
    expect(await maintainPartitions(handle.db, "tickets", timeline, new Date())).toEqual({ created: [], dropped: [] });
  });
});

describe("the tables partitioned by month", () => {
  const partitioned = subgraphs.flatMap((subgraph) => subgraph.partitioned.map((spec) => ({ schema: subgraph.name, spec })));

  it("are partitioned by their migrations, and get this month's partition and the next ones'", async () => {
    expect(partitioned.map(({ schema, spec }) => `${schema}.${spec.table}`).sort()).toEqual(["tickets.ticket_timeline", "warranty.claim_history"]);
    for (const { schema, spec } of partitioned) {
      const [table] = await executeRows<{ kind: string; key: string }>(
        handle.db,
        sql`select c.relkind::text as kind, pg_get_partkeydef(c.oid) as key from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = ${schema} and c.relname = ${spec.table}`,
      );
      expect(table, `${schema}.${spec.table}`).toEqual({ kind: "p", key: `RANGE (${spec.column})` });
      const { created } = await maintainPartitions(handle.db, schema, spec, new Date("2031-01-15T00:00:00Z"));
      expect(created).toEqual(expect.arrayContaining([`${spec.table}_2031_01`, `${spec.table}_2031_02`, `${spec.table}_2031_03`]));
    }
  });
});

describe("webhook deliveries", () => {
  it("go with their attempts once finished and older than their window, never while still being sent", async () => {
    // given a dealer's endpoint that takes its events and one that keeps failing
    const receiver = createServer((request, response) => {
      request.resume().on("end", () => response.writeHead(request.url === "/ok" ? 204 : 500).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const dealer = await createDealer(graph);
      const endpoints: Record<string, string> = {};
      for (const path of ["/ok", "/down"]) {
        const registered = await graph.query(
          graphql(
            `mutation RetentionRegisterWebhookEndpoint($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { endpoint { id } errors { code } } }`,
          ),
          { input: { dealerId: dealer.id, url: `${base}${path}`, eventTypes: ["customer.*"] } },
        );
        endpoints[path] = registered.registerWebhookEndpoint.endpoint!.id;
      }
      await createCustomer(graph, dealer.id);
      await relayOnce();
      await graph.sendWebhooks();
      const deliveries = async (path: string) =>
        executeRows<{ status: string; attempts: number }>(
          handle.db,
          sql`select d.status::text, (select count(*)::int from partners.webhook_attempts a where a.delivery_id = d.id) as attempts
          from partners.webhook_deliveries d where d.endpoint_id = ${endpoints[path]}`,
        );
      expect(await deliveries("/ok")).toEqual([{ status: "DELIVERED", attempts: 1 }]);
      expect(await deliveries("/down")).toEqual([{ status: "RETRYING", attempts: 1 }]);
      const [spec] = subgraphs.find((subgraph) => subgraph.name === "partners")!.expiring;

      // when they are pruned within 90 days, nothing goes
      expect(await expireRows(handle.db, "partners", spec!, new Date(Date.now() + 89 * DAY_MS))).toBe(0);

      // when after 90 days, the delivered one goes with its attempt; the one still retried stays
      expect(await expireRows(handle.db, "partners", spec!, new Date(Date.now() + 91 * DAY_MS))).toBe(1);
      expect(await deliveries("/ok")).toEqual([]);
      expect(
        await executeRows(
          handle.db,
          sql`select 1 from partners.webhook_attempts a join partners.webhook_deliveries d on d.id = a.delivery_id
        where d.endpoint_id = ${endpoints["/ok"]}`,
        ),
      ).toEqual([]);
      expect(await deliveries("/down")).toEqual([{ status: "RETRYING", attempts: 1 }]);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
