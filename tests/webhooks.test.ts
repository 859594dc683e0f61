import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, openTicket, registerUnit, sellUnit, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { RegisterWebhookEndpointInput, WebhooksDeliveryFragment } from "./src/generated/graphql.js";
import { startGraph, type Caller, type Client, type Operation, type TestGraph } from "./src/graph.js";
import { refusals } from "./src/tickets.js";
import { withPlaceholders } from "./src/tenants.js";

/**
 * Partner webhooks end to end: a dealer registers endpoints (here, paths of
 * a local HTTP server), partners turns the dealer's events from every
 * subgraph into deliveries (`graph.settle()` waits for that), and
 * `graph.sendWebhooks()` sends what is due at the graph's clock: the test
 * graph sends nothing on its own, so each attempt is the test's.
 */

let graph: TestGraph;
let receiver: Receiver;
let recipes: Recipes;

beforeAll(async () => {
  graph = await startGraph();
  receiver = await startReceiver();
  recipes = await readmeRecipes();
});
afterAll(async () => {
  await receiver?.close();
  await graph?.stop();
  recipes?.cleanUp();
});
afterEach(() => graph.clock.release());

// --- a partner's system ---------------------------------------------------------

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  body: string;
}

interface Receiver {
  url(path: string): string;
  /** What came to `path`, in order. */
  at(path: string): Received[];
  /** The statuses `path` answers with, in turn; the last one from then on (204 unless set). */
  answer(path: string, statuses: number[]): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const statuses = answers.get(path) ?? [204];
      response.writeHead(statuses.length > 1 ? statuses.shift()! : statuses[0]!).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    at: (path) => received.filter((r) => r.path === path),
    answer: (path, statuses) => void answers.set(path, [...statuses]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The README's recipes for checking a signature, run exactly as written there. */
interface Recipes {
  /** The Node recipe's `isFromAftersales`. */
  isFromAftersales(secret: string, headers: IncomingHttpHeaders, rawBody: string, now?: number): boolean;
  /** Runs the openssl check on a received request; returns what it prints. */
  opensslCheck(secret: string, request: Received): Promise<string>;
  /** Runs the curl + openssl recipe that sends a signed request of one's own. */
  curlSend(secret: string, url: string, body: string): Promise<void>;
  cleanUp(): void;
}

async function readmeRecipes(): Promise<Recipes> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Partner webhooks"), readme.indexOf("## Who may see what"));
  const blocks = (language: string) => [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].filter((m) => m[1] === language).map((m) => m[2]!);
  const [nodeRecipe] = blocks("js");
  const [check, send] = blocks("sh").filter((block) => block.includes("openssl dgst"));
  if (!nodeRecipe || !check || !send) throw new Error("The README's section on partner webhooks lacks its signature recipes.");
  const folder = mkdtempSync(join(tmpdir(), "webhook-recipes-"));
  writeFileSync(join(folder, "verify.mjs"), nodeRecipe);
  const { isFromAftersales } = (await import(/* @vite-ignore */ pathToFileURL(join(folder, "verify.mjs")).href)) as Pick<Recipes, "isFromAftersales">;
  const shell = async (script: string, body: string, env: Record<string, string>) => {
    const cwd = mkdtempSync(join(folder, "run-"));
    writeFileSync(join(cwd, "body.json"), body);
    // As pasted into a shell: a check that fails prints nothing and ends with a non-zero status.
    const { stdout } = await promisify(execFile)("bash", ["-c", script], { cwd, env: { ...process.env, ...env } }).catch((error: { stdout?: string }) => ({
      stdout: error.stdout ?? "",
    }));
    return stdout.trim();
  };
  return {
    isFromAftersales,
    opensslCheck: (secret, request) =>
      shell(check, request.body, {
        WEBHOOK_SECRET: secret,
        TIMESTAMP: String(request.headers["aftersales-timestamp"]),
        SIGNATURE: String(request.headers["aftersales-signature"]),
      }),
    curlSend: async (secret, url, body) => void (await shell(send, body, { WEBHOOK_SECRET: secret, ENDPOINT_URL: url })),
    cleanUp: () => rmSync(folder, { recursive: true, force: true }),
  };
}

// --- the API ----------------------------------------------------------------------

graphql(`fragment WebhooksDelivery on WebhookDelivery { id eventId eventType occurredAt status nextAttemptAt body replayOf { id } endpoint { id }
  attempts { number at statusCode error durationMs } }`);
graphql(`fragment WebhooksEndpoint on WebhookEndpoint { id dealer { id } url eventTypes description active secretHint version
  deliveries(first: 100) { edges { node { ...WebhooksDelivery } } } }`);
type Delivery = WebhooksDeliveryFragment;

const REGISTER = graphql(`mutation WebhooksRegisterEndpoint($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { endpoint { ...WebhooksEndpoint } secret errors { code field message } } }`);
const register = async (client: Client, input: RegisterWebhookEndpointInput) => (await client.query(REGISTER, { input })).registerWebhookEndpoint;

/** Registers an endpoint for `dealerId` at `path` of the receiver, as that dealer; returns it with its secret. */
async function endpointAt(dealerId: string, path: string, eventTypes: string[]) {
  const { endpoint, secret, errors } = await register(graph.as({ role: "DEALER", dealerId }), { url: receiver.url(path), eventTypes });
  expect(errors).toEqual([]);
  return { endpoint: endpoint!, secret: secret! };
}

/** Sends a mutation of one root field with `input` and returns that field's payload. */
async function mutate<TResult extends Record<string, unknown>, TInput>(client: Client, mutation: Operation<TResult, { input: TInput }>, input: TInput) {
  // The document's variables are `{ input }`, as its type says.
  const data = await client.query(mutation as Operation<TResult, Record<string, unknown>>, { input });
  const [payload] = Object.values(data) as TResult[keyof TResult][];
  return payload!;
}

const UPDATE_ENDPOINT = graphql(`mutation WebhooksUpdateEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id } errors { code field message } } }`);
const REMOVE_ENDPOINT = graphql(`mutation WebhooksRemoveEndpoint($input: RemoveWebhookEndpointInput!) {
  removeWebhookEndpoint(input: $input) { endpoint { id } errors { code field message } } }`);
const ROTATE_SECRET = graphql(`mutation WebhooksRotateSecret($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) { endpoint { id } secret errors { code field message } } }`);
const REPLAY_DELIVERY = graphql(`mutation WebhooksReplayDelivery($input: ReplayWebhookDeliveryInput!) {
  replayWebhookDelivery(input: $input) { delivery { id } errors { code field message } } }`);

const ENDPOINT_BY_ID = graphql(`query WebhooksEndpointById($id: ID!) { webhookEndpoint(id: $id) { ...WebhooksEndpoint } }`);
const DELIVERY_BY_ID = graphql(`query WebhooksDeliveryById($id: ID!) { webhookDelivery(id: $id) { ...WebhooksDelivery } }`);
const readEndpoint = async (id: string, client: Client = graph) => (await client.query(ENDPOINT_BY_ID, { id })).webhookEndpoint;
const readDelivery = async (id: string, client: Client = graph) => (await client.query(DELIVERY_BY_ID, { id })).webhookDelivery;

/** The endpoint's deliveries, newest first. */
const deliveriesOf = async (endpointId: string) => (await readEndpoint(endpointId))!.deliveries.edges.map((e) => e.node);

/** What `path` received: the event types, sorted, and the dealer of each event. */
const typesAt = (path: string) =>
  receiver
    .at(path)
    .map((r) => (JSON.parse(r.body) as { type: string }).type)
    .sort();

/** The graph's clock stopped at a whole second near now, so attempt times and `Aftersales-Timestamp` agree to the millisecond. */
function stopClock(): Date {
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  graph.clock.set(at);
  return at;
}

const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();

// --- behaviour -------------------------------------------------------------------------

describe("a delivery", () => {
  it("arrives at the dealer's endpoint with the event, signed so that the README's Node and openssl recipes verify it", async () => {
    // given a dealer's endpoint for its customers' events
    const dealer = (await createDealer(graph)).id;
    const path = `/signed-${tag()}`;
    const { endpoint, secret } = await endpointAt(dealer, path, ["customer.*"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.secretHint).toBe(secret.slice(-4));
    // when the dealer gets a customer, and the due webhooks are sent
    const customer = (await createCustomer(graph, dealer)).id;
    await graph.settle();
    // sent with the graph's clock stopped, so the stamp is known to the second however long the send takes
    const stoppedAt = stopClock().getTime() / 1000;
    expect(await graph.sendWebhooks()).toBe(1);
    // then one request came, with the event's envelope
    const [request] = receiver.at(path);
    expect(receiver.at(path)).toHaveLength(1);
    const event = JSON.parse(request!.body) as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(["id", "type", "version", "occurredAt", "dealerId", "aggregate", "aggregateId", "payload"]);
    expect(event).toMatchObject({ type: "customer.created", version: 1, dealerId: dealer, aggregate: "customer", aggregateId: customer });
    expect(event.payload).toMatchObject({ id: customer, homeDealerId: dealer });
    // and headers that name the delivery and the event
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "aftersales-delivery-id": delivery!.id,
      "aftersales-event-id": event.id,
      "aftersales-event-type": "customer.created",
    });
    // stamped with the graph's time of sending
    expect(Number(request!.headers["aftersales-timestamp"])).toBe(stoppedAt);
    expect(request!.headers["aftersales-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    // and the README's Node recipe takes it with the secret, and nothing else
    expect(recipes.isFromAftersales(secret, request!.headers, request!.body)).toBe(true);
    expect(recipes.isFromAftersales(`${secret}x`, request!.headers, request!.body)).toBe(false);
    expect(recipes.isFromAftersales(secret, request!.headers, request!.body.replace(dealer, "dlr_SOMEONE_ELSE"))).toBe(false);
    expect(recipes.isFromAftersales(secret, request!.headers, request!.body, Date.now() + 10 * 60_000)).toBe(false);
    // and so does the README's openssl recipe
    expect(await recipes.opensslCheck(secret, request!)).toBe("signed with your secret");
    expect(await recipes.opensslCheck(`${secret}x`, request!)).toBe("");
    // and the API shows it delivered, with the body it sent
    expect(delivery).toMatchObject({
      eventId: event.id,
      eventType: "customer.created",
      occurredAt: event.occurredAt,
      status: "DELIVERED",
      nextAttemptAt: null,
      body: request!.body,
      replayOf: null,
      endpoint: { id: endpoint.id },
      attempts: [{ number: 1, statusCode: 204, error: null, durationMs: expect.any(Number) }],
    });
  });

  it("is signed the way the README's curl recipe signs a request of one's own", async () => {
    // given a secret and a body, as a partner testing its endpoint has them
    const { secret } = await endpointAt((await createDealer(graph)).id, `/unused-${tag()}`, ["ticket.*"]);
    const path = `/curl-${tag()}`;
    const body = JSON.stringify({ id: "0b6f3c4e-1d2a-4c55-9a43-5f0e2b7d9c10", type: "ticket.opened", payload: { note: "Grüße" } });
    // when the recipe sends it
    await recipes.curlSend(secret, receiver.url(path), body);
    // then the Node recipe takes what came
    const [request] = receiver.at(path);
    expect(request!.body).toBe(body);
    expect(recipes.isFromAftersales(secret, request!.headers, request!.body)).toBe(true);
  });

  it("is retried on the documented backoff until the endpoint answers 2xx, and lists every attempt", async () => {
    // given an endpoint that fails twice
    const dealer = (await createDealer(graph)).id;
    const path = `/flaky-${tag()}`;
    receiver.answer(path, [500, 500, 204]);
    const { endpoint, secret } = await endpointAt(dealer, path, ["customer.created"]);
    await createCustomer(graph, dealer);
    await graph.settle();
    const start = stopClock();
    // when it is first sent
    expect(await graph.sendWebhooks()).toBe(1);
    const [first] = await deliveriesOf(endpoint.id);
    // then it is retried a minute later, and not before
    expect(first).toMatchObject({ status: "RETRYING", nextAttemptAt: plusMinutes(start, 1) });
    expect(first!.attempts).toEqual([
      {
        number: 1,
        at: start.toISOString(),
        statusCode: 500,
        error: "The endpoint answered 500; only a 2xx answer counts as received.",
        durationMs: expect.any(Number),
      },
    ]);
    expect(await graph.sendWebhooks()).toBe(0);
    // when a minute has passed: the second attempt fails too, and the wait doubles
    graph.clock.advance(1);
    expect(await graph.sendWebhooks()).toBe(1);
    expect((await readDelivery(first!.id))!).toMatchObject({ status: "RETRYING", nextAttemptAt: plusMinutes(start, 3) });
    graph.clock.advance(1);
    expect(await graph.sendWebhooks()).toBe(0);
    // when two more minutes have passed: delivered
    graph.clock.advance(1);
    expect(await graph.sendWebhooks()).toBe(1);
    const delivered = (await readDelivery(first!.id))!;
    expect(delivered).toMatchObject({ status: "DELIVERED", nextAttemptAt: null });
    expect(delivered.attempts.map(({ number, at, statusCode }) => ({ number, at, statusCode }))).toEqual([
      { number: 1, at: start.toISOString(), statusCode: 500 },
      { number: 2, at: plusMinutes(start, 1), statusCode: 500 },
      { number: 3, at: plusMinutes(start, 3), statusCode: 204 },
    ]);
    expect(delivered.attempts.map((a) => a.error === null)).toEqual([false, false, true]);
    // and each request was the same delivery, signed at its own time
    const requests = receiver.at(path);
    expect(requests.map((r) => r.headers["aftersales-delivery-id"])).toEqual([first!.id, first!.id, first!.id]);
    expect(requests.map((r) => Number(r.headers["aftersales-timestamp"]) - start.getTime() / 1000)).toEqual([0, 60, 180]);
    for (const request of requests) {
      const sentAt = Number(request.headers["aftersales-timestamp"]) * 1000;
      expect(recipes.isFromAftersales(secret, request.headers, request.body, sentAt)).toBe(true);
    }
    expect(await graph.sendWebhooks()).toBe(0);
  });

  it("fails a day after the first attempt when the endpoint never answers 2xx", async () => {
    // given an endpoint that always fails
    const dealer = (await createDealer(graph)).id;
    const path = `/down-${tag()}`;
    receiver.answer(path, [503]);
    const { endpoint } = await endpointAt(dealer, path, ["customer.created"]);
    await createCustomer(graph, dealer);
    await graph.settle();
    const start = stopClock();
    // when every attempt is made when it is due
    let delivery: Delivery;
    for (;;) {
      expect(await graph.sendWebhooks()).toBe(1);
      delivery = (await deliveriesOf(endpoint.id))[0]!;
      if (delivery.status !== "RETRYING") break;
      graph.clock.set(delivery.nextAttemptAt!);
    }
    // then it failed after 29 attempts within the day, 1, 2, 4, ... minutes apart, then hourly
    expect(delivery).toMatchObject({ status: "FAILED", nextAttemptAt: null });
    const times = delivery.attempts.map((a) => new Date(a.at).getTime());
    const waits = times.slice(1).map((t, i) => (t - times[i]!) / 60_000);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, ...Array<number>(22).fill(60)]);
    expect(times[0]).toBe(start.getTime());
    expect(times.at(-1)! - start.getTime()).toBeLessThanOrEqual(24 * 60 * 60_000);
    expect(delivery.attempts.every((a) => a.statusCode === 503)).toBe(true);
    expect(receiver.at(path)).toHaveLength(29);
    // and nothing more is sent, however long one waits
    graph.clock.advance(3 * 24 * 60);
    expect(await graph.sendWebhooks()).toBe(0);
    expect((await readEndpoint(endpoint.id))!.deliveries.edges.map((e) => e.node.status)).toEqual(["FAILED"]);
    const failed = await graph.query(
      graphql(`query WebhooksWebhookEndpoint($id: ID!) { webhookEndpoint(id: $id) { deliveries(status: DELIVERED) { edges { cursor } } } }`),
      { id: endpoint.id },
    );
    expect(failed.webhookEndpoint?.deliveries.edges).toEqual([]);
  });

  it("can be replayed: the same event again under a new delivery id, signed with the secret of the moment", async () => {
    // given a delivered event
    const dealer = (await createDealer(graph)).id;
    const path = `/replay-${tag()}`;
    const { endpoint, secret } = await endpointAt(dealer, path, ["unit.registered"]);
    const product = (await createProduct(graph)).id;
    await registerUnit(graph, product, dealer);
    await graph.settle();
    await graph.sendWebhooks();
    const [original] = await deliveriesOf(endpoint.id);
    expect(original!.status).toBe("DELIVERED");
    // when the dealer rotates its secret and replays the delivery
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
    const rotated = await mutate(
      asDealer,
      graphql(`mutation WebhooksRotateSecretHint($input: RotateWebhookSecretInput!) {
        rotateWebhookSecret(input: $input) { endpoint { secretHint version } secret errors { code field message } } }`),
      { id: endpoint.id },
    );
    const newSecret = rotated.secret!;
    expect(newSecret).not.toBe(secret);
    expect(rotated.endpoint).toEqual({ secretHint: newSecret.slice(-4), version: endpoint.version + 1 });
    const replayed = await mutate(
      asDealer,
      graphql(`mutation WebhooksReplayWholeDelivery($input: ReplayWebhookDeliveryInput!) {
        replayWebhookDelivery(input: $input) { delivery { ...WebhooksDelivery } errors { code field message } } }`),
      { id: original!.id },
    );
    expect(replayed.errors).toEqual([]);
    const replay = replayed.delivery!;
    // then a new delivery of the same event waits to be sent
    expect(replay).toMatchObject({ eventId: original!.eventId, body: original!.body, status: "PENDING", attempts: [], replayOf: { id: original!.id } });
    expect(replay.id).not.toBe(original!.id);
    expect(await graph.sendWebhooks()).toBe(1);
    // and it arrived: the same event and body, another delivery id, the new secret's signature
    const [first, second] = receiver.at(path);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers["aftersales-event-id"]).toBe(first!.headers["aftersales-event-id"]);
    expect([first!.headers["aftersales-delivery-id"], second!.headers["aftersales-delivery-id"]]).toEqual([original!.id, replay.id]);
    expect(recipes.isFromAftersales(newSecret, second!.headers, second!.body)).toBe(true);
    expect(recipes.isFromAftersales(secret, second!.headers, second!.body)).toBe(false);
    // and the endpoint lists both, newest first
    expect((await deliveriesOf(endpoint.id)).map((d) => [d.id, d.status])).toEqual([
      [replay.id, "DELIVERED"],
      [original!.id, "DELIVERED"],
    ]);
    // and an inactive endpoint's deliveries are not replayed
    await mutate(asDealer, UPDATE_ENDPOINT, { id: endpoint.id, version: endpoint.version + 1, active: false });
    const refused = await mutate(asDealer, REPLAY_DELIVERY, { id: original!.id });
    expect(refusals(refused.errors)).toEqual([{ code: "WEBHOOK_ENDPOINT_INACTIVE", field: ["id"] }]);
  });
});

describe("which events an endpoint receives", () => {
  it("only its own dealer's: never another dealer's, nor those of shared things such as products", async () => {
    // given two dealers, each with an endpoint for every event
    const [a, b] = [(await createDealer(graph)).id, (await createDealer(graph)).id];
    const paths = { [a]: `/all-a-${tag()}`, [b]: `/all-b-${tag()}` };
    const endpoints = { [a]: (await endpointAt(a, paths[a]!, ["*"])).endpoint, [b]: (await endpointAt(b, paths[b]!, ["*"])).endpoint };
    // when both do business, some of it with each other's customers, and a product is created and changed
    const product = (await createProduct(graph)).id;
    await graph.query(graphql(`mutation WebhooksUpdateProduct($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }`), {
      input: { id: product, version: 1, name: `Renamed ${tag()}` },
    });
    const customers = { [a]: (await createCustomer(graph, a)).id, [b]: (await createCustomer(graph, b)).id };
    for (const [seller, buyer] of [
      [a, a],
      [b, b],
      [b, a],
    ] as const) {
      const unit = await registerUnit(graph, product, seller);
      await sellUnit(graph, unit.id, customers[buyer]!, "2025-03-01");
    }
    await create(graph, "createTechnician", "technician", { serviceCenterId: a, name: `Tech ${tag()}` });
    await graph.settle();
    await graph.sendWebhooks();
    // then each endpoint got exactly its dealer's events
    const dealerIdsAt = (path: string) => [...new Set(receiver.at(path).map((r) => (JSON.parse(r.body) as { dealerId: string }).dealerId))];
    expect(dealerIdsAt(paths[a]!)).toEqual([a]);
    expect(dealerIdsAt(paths[b]!)).toEqual([b]);
    expect(typesAt(paths[a]!)).toEqual(["customer.created", "technician.created", "unit.registered", "unit.sold"]);
    expect(typesAt(paths[b]!)).toEqual(["customer.created", "unit.registered", "unit.registered", "unit.sold", "unit.sold"]);
    // and the API lists just those, each delivered
    for (const dealer of [a, b]) {
      const deliveries = await deliveriesOf(endpoints[dealer]!.id);
      expect(deliveries.map((d) => d.eventType).sort()).toEqual(typesAt(paths[dealer]!));
      expect(deliveries.every((d) => d.status === "DELIVERED")).toBe(true);
    }
  });

  it("the types it subscribed to: one type exactly, or a whole family; as the subscription is now", async () => {
    // given a dealer's endpoints for one type, a family, and a mix
    const dealer = (await createDealer(graph)).id;
    const t = tag();
    const [exact, family, mixed] = [`/exact-${t}`, `/family-${t}`, `/mixed-${t}`];
    const { endpoint: exactEndpoint } = await endpointAt(dealer, exact, ["customer.created"]);
    const { endpoint: familyEndpoint } = await endpointAt(dealer, family, ["unit.*"]);
    await endpointAt(dealer, mixed, ["unit.sold", "customer.updated"]);
    // when the dealer gets a customer, changes it, and sells it a unit
    const customer = await createCustomer(graph, dealer);
    await create(graph, "updateCustomer", "customer", { id: customer.id, version: customer.version, phone: "+49 30 1234" });
    const unit = await registerUnit(graph, (await createProduct(graph)).id, dealer);
    await sellUnit(graph, unit.id, customer.id, "2025-03-01");
    await graph.settle();
    await graph.sendWebhooks();
    // then
    expect(typesAt(exact)).toEqual(["customer.created"]);
    expect(typesAt(family)).toEqual(["unit.registered", "unit.sold"]);
    expect(typesAt(mixed)).toEqual(["customer.updated", "unit.sold"]);
    // when the exact one subscribes to changes instead, and the family one is paused
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
    const changed = await mutate(
      asDealer,
      graphql(`mutation WebhooksUpdateEventTypes($input: UpdateWebhookEndpointInput!) {
        updateWebhookEndpoint(input: $input) { endpoint { eventTypes version } errors { code field message } } }`),
      { id: exactEndpoint.id, version: exactEndpoint.version, eventTypes: ["customer.updated"] },
    );
    expect(changed).toEqual({ endpoint: { eventTypes: ["customer.updated"], version: exactEndpoint.version + 1 }, errors: [] });
    await mutate(asDealer, UPDATE_ENDPOINT, { id: familyEndpoint.id, version: familyEndpoint.version, active: false });
    await create(graph, "updateCustomer", "customer", { id: customer.id, version: customer.version + 1, phone: "+49 30 5678" });
    await registerUnit(graph, (await createProduct(graph)).id, dealer);
    await graph.settle();
    await graph.sendWebhooks();
    // then it follows the new subscription, and the paused one gets nothing
    expect(typesAt(exact)).toEqual(["customer.created", "customer.updated"]);
    expect(typesAt(family)).toEqual(["unit.registered", "unit.sold"]);
    expect(await deliveriesOf(familyEndpoint.id)).toHaveLength(2);
  });
});

describe("a ticket's loaners", () => {
  it("reach the dealer's endpoints when lent and when returned: by their own types and in the ticket family", async () => {
    // given a dealer's endpoints for the loaner events and for every ticket event, and a unit on its shelf
    const dealer = (await createDealer(graph)).id;
    const t = tag();
    const [loaners, tickets] = [`/loaners-${t}`, `/tickets-${t}`];
    await endpointAt(dealer, loaners, ["ticket.loaner_issued", "ticket.loaner_returned"]);
    await endpointAt(dealer, tickets, ["ticket.*"]);
    const customer = (await createCustomer(graph, dealer)).id;
    const loaner = await registerUnit(graph, (await createProduct(graph)).id, dealer);
    await graph.settle();
    const ticket = await openTicket(graph, customer);
    // when a loaner is lent on the ticket and comes back
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
    const lent = await mutate(
      asDealer,
      graphql(`mutation WebhooksIssueLoaner($input: IssueLoanerInput!) {
        issueLoaner(input: $input) { ticket { version loaner { issuedAt } } errors { code field message } } }`),
      { id: ticket.id, version: ticket.version, unitId: loaner.id },
    );
    expect(lent.errors).toEqual([]);
    const { version, loaner: out } = lent.ticket!;
    if (!out) throw new Error("The ticket has no loaner out.");
    const back = await mutate(
      asDealer,
      graphql(`mutation WebhooksReturnLoaner($input: ReturnLoanerInput!) {
        returnLoaner(input: $input) { ticket { loaners { returnedAt } } errors { code field message } } }`),
      { id: ticket.id, version },
    );
    expect(back.errors).toEqual([]);
    const [{ returnedAt }] = back.ticket!.loaners as [{ returnedAt: string }];
    await graph.settle();
    await graph.sendWebhooks();
    // then the loaner endpoint got both, about the ticket, with the loan's facts and nobody's name
    const events = receiver
      .at(loaners)
      .map((r) => JSON.parse(r.body) as { type: string; aggregate: string; aggregateId: string; dealerId: string; payload: Record<string, unknown> });
    const issued = events.find((e) => e.type === "ticket.loaner_issued");
    const returned = events.find((e) => e.type === "ticket.loaner_returned");
    expect(events).toHaveLength(2);
    const facts = { ticketId: ticket.id, dealerId: dealer, unitId: loaner.id, issuedAt: out.issuedAt };
    expect(issued).toMatchObject({ aggregate: "ticket", aggregateId: ticket.id, dealerId: dealer, payload: facts });
    expect(returned).toMatchObject({ aggregate: "ticket", aggregateId: ticket.id, dealerId: dealer, payload: { ...facts, returnedAt } });
    expect(returned!.payload.loanerId).toBe(issued!.payload.loanerId);
    expect(Object.keys(issued!.payload).sort()).toEqual(["dealerId", "issuedAt", "loanerId", "serviceCenterId", "ticketId", "ticketNumber", "unitId"]);
    // and the ticket family took them with the ticket's other events
    expect(typesAt(tickets)).toEqual(expect.arrayContaining(["ticket.loaner_issued", "ticket.loaner_returned", "ticket.opened"]));
  });
});

describe("registering and changing endpoints", () => {
  it("refuses input it cannot use, saying what to fix, all at once", async () => {
    const dealer = (await createDealer(graph)).id;
    const cases: { input: RegisterWebhookEndpointInput; refusals: { code: string; field: string[] | null }[] }[] = [
      { input: { url: receiver.url("/x"), eventTypes: ["*"] }, refusals: [{ code: "REQUIRED", field: ["dealerId"] }] },
      { input: { dealerId: "dlr_NOSUCHDEALER", url: receiver.url("/x"), eventTypes: ["*"] }, refusals: [{ code: "DEALER_NOT_FOUND", field: ["dealerId"] }] },
      { input: { dealerId: dealer, url: "erp.example.com/hooks", eventTypes: ["*"] }, refusals: [{ code: "INVALID_URL", field: ["url"] }] },
      { input: { dealerId: dealer, url: "ftp://erp.example.com/hooks", eventTypes: ["*"] }, refusals: [{ code: "INVALID_URL", field: ["url"] }] },
      { input: { dealerId: dealer, url: "https://erp.example.com/hooks", eventTypes: [] }, refusals: [{ code: "REQUIRED", field: ["eventTypes"] }] },
      {
        input: { dealerId: dealer, url: "https://erp.example.com/hooks", eventTypes: ["invoice.paid", "ticket", "ticket.*"] },
        refusals: [
          { code: "INVALID_EVENT_TYPE", field: ["eventTypes", "1"] },
          { code: "UNKNOWN_EVENT_TYPE", field: ["eventTypes", "0"] },
        ],
      },
      {
        input: { dealerId: dealer, url: "not a url", eventTypes: ["invoice.*"], description: "x".repeat(201) },
        refusals: [
          { code: "INVALID_URL", field: ["url"] },
          { code: "TOO_LONG", field: ["description"] },
          { code: "UNKNOWN_EVENT_TYPE", field: ["eventTypes", "0"] },
        ],
      },
    ];
    for (const { input, refusals: expected } of cases) {
      const payload = await register(graph, input);
      expect(payload.endpoint, JSON.stringify(input)).toBeNull();
      expect(payload.secret).toBeNull();
      expect(refusals(payload.errors), JSON.stringify(input)).toEqual(expected);
    }
    expect(
      (await graph.query(graphql(`query WebhooksDealer($id: ID!) { dealer(id: $id) { webhookEndpoints { id } } }`), { id: dealer })).dealer?.webhookEndpoints,
    ).toEqual([]);
  });

  it("takes http and loopback URLs outside production, each once per dealer, at most 10 per dealer", async () => {
    const dealer = (await createDealer(graph)).id;
    const url = `http://127.0.0.1:9/hooks-${tag()}`;
    const first = await register(graph, { dealerId: dealer, url, eventTypes: ["ticket.*", "*", "ticket.*"], description: " ERP " });
    expect(first.errors).toEqual([]);
    expect(first.endpoint).toMatchObject({ dealer: { id: dealer }, url, eventTypes: ["*", "ticket.*"], description: "ERP", active: true, version: 1 });
    // the same URL again, written differently
    const again = await register(graph, { dealerId: dealer, url: url.replace("http://", "HTTP://"), eventTypes: ["unit.*"] });
    expect(refusals(again.errors)).toEqual([{ code: "WEBHOOK_URL_TAKEN", field: ["url"] }]);
    for (let i = 1; i < 10; i++) expect((await register(graph, { dealerId: dealer, url: `${url}/${i}`, eventTypes: ["*"] })).errors).toEqual([]);
    const eleventh = await register(graph, { dealerId: dealer, url: `${url}/10`, eventTypes: ["*"] });
    expect(refusals(eleventh.errors)).toEqual([{ code: "TOO_MANY_WEBHOOK_ENDPOINTS", field: null }]);
    // an update from a stale read, and one that clears the description
    const stale = await mutate(graph, UPDATE_ENDPOINT, { id: first.endpoint!.id, version: 0, active: false });
    expect(refusals(stale.errors)).toEqual([{ code: "STALE_VERSION", field: ["version"] }]);
    const UPDATE_DESCRIPTION = graphql(`mutation WebhooksUpdateDescription($input: UpdateWebhookEndpointInput!) {
      updateWebhookEndpoint(input: $input) { endpoint { description version } errors { code field message } } }`);
    const cleared = await mutate(graph, UPDATE_DESCRIPTION, { id: first.endpoint!.id, version: 1, description: null, url: `${url}/1` });
    expect(refusals(cleared.errors)).toEqual([{ code: "WEBHOOK_URL_TAKEN", field: ["url"] }]);
    expect(await mutate(graph, UPDATE_DESCRIPTION, { id: first.endpoint!.id, version: 1, description: null })).toEqual({
      endpoint: { description: null, version: 2 },
      errors: [],
    });
  });

  it("removes an endpoint with its deliveries", async () => {
    const dealer = (await createDealer(graph)).id;
    const { endpoint } = await endpointAt(dealer, `/removed-${tag()}`, ["customer.created"]);
    await createCustomer(graph, dealer);
    await graph.settle();
    const [delivery] = await deliveriesOf(endpoint.id);
    const removed = await mutate(
      graph.as({ role: "DEALER", dealerId: dealer }),
      graphql(`mutation WebhooksRemoveEndpointUrl($input: RemoveWebhookEndpointInput!) {
        removeWebhookEndpoint(input: $input) { endpoint { id url } errors { code field message } } }`),
      { id: endpoint.id },
    );
    expect(removed).toEqual({ endpoint: { id: endpoint.id, url: endpoint.url }, errors: [] });
    expect(await readEndpoint(endpoint.id)).toBeNull();
    expect(await readDelivery(delivery!.id)).toBeNull();
    expect(await graph.sendWebhooks()).toBe(0);
    const again = await mutate(graph, REMOVE_ENDPOINT, { id: endpoint.id });
    expect(refusals(again.errors)).toEqual([{ code: "WEBHOOK_ENDPOINT_NOT_FOUND", field: ["id"] }]);
  });
});

describe("who may see and manage endpoints", () => {
  it("keeps a DEALER to its own endpoints and deliveries: another dealer's answer like ones that do not exist", async () => {
    // given dealer A's endpoint with a delivery, and dealer B
    const [a, b] = [(await createDealer(graph)).id, (await createDealer(graph)).id];
    const { endpoint } = await endpointAt(a, `/private-${tag()}`, ["customer.created"]);
    await createCustomer(graph, a);
    await graph.settle();
    const [delivery] = await deliveriesOf(endpoint.id);
    const asB = graph.as({ role: "DEALER", dealerId: b });
    const unknownEndpoint = "whe_01JQ3Z8V6N2K7M4P9R5T1W0XYA";
    const unknownDelivery = "whd_01JQ3Z8V6N2K7M4P9R5T1W0XYA";
    // when B registers for A
    const forA = await register(asB, { dealerId: a, url: receiver.url(`/stolen-${tag()}`), eventTypes: ["*"] });
    expect(forA).toMatchObject({ endpoint: null, secret: null });
    expect(refusals(forA.errors)).toEqual([{ code: "NOT_YOUR_DEALER", field: ["dealerId"] }]);
    // when B reads A's endpoint, delivery and dealer
    const sameAsUnknown = async <TResult>(query: Operation<TResult, { id: string }>, foreign: string, unknown: string) => {
      const foreignAnswer = await asB.request(query, { id: foreign });
      expect(withPlaceholders(foreignAnswer, { "<id>": foreign })).toEqual(withPlaceholders(await asB.request(query, { id: unknown }), { "<id>": unknown }));
      return foreignAnswer;
    };
    expect(
      await sameAsUnknown(graphql(`query WebhooksWebhookEndpointIdUrl($id: ID!) { webhookEndpoint(id: $id) { id url } }`), endpoint.id, unknownEndpoint),
    ).toEqual({
      data: { webhookEndpoint: null },
    });
    expect(
      await sameAsUnknown(graphql(`query WebhooksWebhookDelivery($id: ID!) { webhookDelivery(id: $id) { id body } }`), delivery!.id, unknownDelivery),
    ).toEqual({
      data: { webhookDelivery: null },
    });
    const dealerLists = graphql(`query WebhooksDealer($id: ID!) { dealer(id: $id) { webhookEndpoints { id } } }`);
    expect(await asB.query(dealerLists, { id: a })).toEqual({ dealer: { webhookEndpoints: [] } });
    expect(await graph.as({ role: "DEALER", dealerId: a }).query(dealerLists, { id: a })).toEqual({ dealer: { webhookEndpoints: [{ id: endpoint.id }] } });
    // when B changes, rotates, removes A's endpoint or replays its delivery
    const stolenUrl = receiver.url(`/stolen-${tag()}`);
    const attempts = [
      {
        mutation: "updateWebhookEndpoint",
        send: (id: string) => mutate(asB, UPDATE_ENDPOINT, { id, version: endpoint.version, url: stolenUrl }),
        code: "WEBHOOK_ENDPOINT_NOT_FOUND",
      },
      { mutation: "rotateWebhookSecret", send: (id: string) => mutate(asB, ROTATE_SECRET, { id }), code: "WEBHOOK_ENDPOINT_NOT_FOUND" },
      { mutation: "removeWebhookEndpoint", send: (id: string) => mutate(asB, REMOVE_ENDPOINT, { id }), code: "WEBHOOK_ENDPOINT_NOT_FOUND" },
      { mutation: "replayWebhookDelivery", send: (id: string) => mutate(asB, REPLAY_DELIVERY, { id }), code: "WEBHOOK_DELIVERY_NOT_FOUND" },
    ];
    for (const { mutation, send, code } of attempts) {
      const foreign = mutation === "replayWebhookDelivery" ? delivery!.id : endpoint.id;
      const unknown = mutation === "replayWebhookDelivery" ? unknownDelivery : unknownEndpoint;
      const answer = await send(foreign);
      expect(refusals(answer.errors), mutation).toEqual([{ code, field: ["id"] }]);
      expect(withPlaceholders(answer, { "<id>": foreign })).toEqual(withPlaceholders(await send(unknown), { "<id>": unknown }));
    }
    // then A's endpoint is as it was, and its delivery was not sent again
    const after = (await readEndpoint(endpoint.id))!;
    expect({ ...after, deliveries: after.deliveries.edges.length }).toEqual({ ...endpoint, deliveries: 1 });
    // and a DEALER registering without naming a dealer registers for itself
    const own = await register(asB, { url: receiver.url(`/own-${tag()}`), eventTypes: ["*"] });
    expect(own.endpoint?.dealer).toEqual({ id: b });
  });

  it("lets AGENTs read every dealer's endpoints but manage none, and ANALYSTs neither", async () => {
    const dealer = (await createDealer(graph)).id;
    const { endpoint } = await endpointAt(dealer, `/staff-${tag()}`, ["*"]);
    const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => (response.errors ?? []).map((e) => e.extensions?.code);
    const agent = graph.as({ role: "AGENT" } satisfies Caller);
    expect((await readEndpoint(endpoint.id, agent))?.id).toBe(endpoint.id);
    expect(codes(await agent.request(REGISTER, { input: { dealerId: dealer, url: "https://erp.example.com", eventTypes: ["*"] } }))).toEqual(["FORBIDDEN"]);
    expect(codes(await agent.request(ROTATE_SECRET, { input: { id: endpoint.id } }))).toEqual(["FORBIDDEN"]);
    const analyst = graph.as({ role: "ANALYST" });
    expect(codes(await analyst.request(graphql(`query WebhooksWebhookEndpointId($id: ID!) { webhookEndpoint(id: $id) { id } }`), { id: endpoint.id }))).toEqual(
      ["FORBIDDEN"],
    );
    expect(codes(await analyst.request(graphql(`query WebhooksDealer($id: ID!) { dealer(id: $id) { webhookEndpoints { id } } }`), { id: dealer }))).toEqual([
      "FORBIDDEN",
    ]);
  });
});

describe("in production", () => {
  let production: TestGraph;
  beforeAll(async () => {
    production = await startGraph({ production: true });
  });
  afterAll(() => production?.stop());

  it("takes only https URLs of public hosts", async () => {
    const dealer = (await createDealer(production)).id;
    const refusedFor = async (url: string) => refusals((await register(production, { dealerId: dealer, url, eventTypes: ["*"] })).errors);
    expect(await refusedFor("http://erp.example.com/hooks")).toEqual([{ code: "URL_NOT_ALLOWED", field: ["url"] }]);
    expect(await refusedFor("https://127.0.0.1/hooks")).toEqual([{ code: "URL_NOT_ALLOWED", field: ["url"] }]);
    expect(await refusedFor("https://10.0.0.8/hooks")).toEqual([{ code: "URL_NOT_ALLOWED", field: ["url"] }]);
    expect(await refusedFor("https://erp.example.com/hooks")).toEqual([]);
  });
});
