import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import { signToken } from "@aftersales/gateway/auth";
import { createLogger, secretKey, waitUntil, type RunningServer } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";
import type { JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, productInput, registerUnit, sku, tag, ticketInput } from "./src/factories.js";
import {
  bearer,
  graphqlRequestText,
  healthUrlOf,
  openConnection,
  post,
  startGatewayFor,
  startSubgraphProxy,
  type HttpAnswer,
  type ProxyFault,
  type RawConnection,
} from "./src/gateways.js";
import { graphql } from "./src/generated/index.js";
import type {
  GatewayResilienceCreateProductMutation,
  GatewayResilienceDealersQuery,
  GatewayResilienceOpenTicketMutation,
  GatewayResilienceUnitsQuery,
} from "./src/generated/graphql.js";
import { startGraph, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { logLine, startGraphProcess } from "./src/processes.js";

/**
 * What a client gets when part of the graph fails: the other subgraphs'
 * data with an error where the failed one's would be, soon rather than
 * never; a mutation that ran at most once; and a gateway that, told to stop,
 * finishes what it started.
 */

let graph: TestGraph;
/** The gateways' token secret; this file's gateways are started here, in front of the graph's subgraphs. */
const tokenSecret = randomBytes(32).toString("hex");
let adminToken: string;
let serialNumber: string;
let customerId: string;
const customerName = "Erika Mustermann";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(async () => {
  graph = await startGraph();
  adminToken = await signToken(tokenSecret, { role: "ADMIN", subject: "resilience-admin", expiresIn: "1h" });
  // given: a dealer and its customer (partners), and a unit of a product sold to that customer (catalog)
  const dealer = await createDealer(graph);
  const customer = await createCustomer(graph, dealer.id, { name: customerName });
  customerId = customer.id;
  const product = await createProduct(graph);
  serialNumber = `SN-RES-${randomBytes(3).toString("hex")}`;
  await registerUnit(graph, product.id, dealer.id, { serialNumber });
  await create(graph, "sellUnit", "unit", {
    serialNumber,
    customerId: customer.id,
    price: { amount: "899.00", currency: "EUR" },
    soldOn: "2025-02-01",
  });
  // the tickets subgraph knows the customer and the unit
  await graph.settle();
});
afterAll(() => graph?.stop());

/** A gateway of this file: in front of the graph's subgraphs, some replaced by `subgraphUrls`. */
async function gateway(options: { subgraphUrls?: Record<string, string>; subgraphTimeoutMs?: number; production?: boolean } = {}): Promise<RunningServer> {
  const running = await startGatewayFor(graph, { tokens: { secret: secretKey(tokenSecret) }, ...options });
  cleanups.push(() => running.stop());
  return running;
}

// `kind` is non-null, so a customer whose partners fields are missing is null as a whole
// (`name` alone is nullable, for ANALYSTs: a missing one would be a plain null).
const UNITS = graphql(`query GatewayResilienceUnits { units(first: 10) { edges { node { serialNumber customer { kind name } } } } }`).toString();
type Units = GatewayResilienceUnitsQuery;
const CREATE_PRODUCT = graphql(`mutation GatewayResilienceCreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) { product { id } errors { code } } }`).toString();
const PRODUCT_SKUS = graphql(`query GatewayResilienceProductSkus { products(first: 100) { edges { node { sku } } } }`);

/** The units query as a timed client request (how long it took is checked only from below: never a speed threshold). */
async function askUnits(url: string): Promise<{ answer: HttpAnswer<Units>; elapsedMs: number }> {
  const started = performance.now();
  const answer = await post<Units>(url, UNITS, bearer(adminToken));
  return { answer, elapsedMs: performance.now() - started };
}

/** The catalog's fields are there, the partners' customer is null, and there is an error. */
function expectPartialUnits(answer: HttpAnswer<Units>) {
  expect(answer.status).toBe(200);
  const nodes = answer.body.data?.units.edges.map((e) => e.node) ?? [];
  expect(nodes).toEqual([{ serialNumber, customer: null }]);
  expect(answer.body.errors?.length, JSON.stringify(answer.body.errors)).toBeGreaterThan(0);
}

/** An error's path names the field the failed subgraph left null, so a client knows what is missing. */
function expectErrorAtCustomer(answer: HttpAnswer<Units>) {
  const paths = (answer.body.errors ?? []).map((e) => e.path);
  expect(paths, JSON.stringify(answer.body.errors)).toContainEqual(["units", "edges", 0, "node", "customer"]);
  expect(answer.body.errors?.find((e) => e.path?.length === 5)?.extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
}

describe("a failing subgraph", () => {
  it("answers with the other subgraphs' data when one subgraph is stopped, at once, without waiting for its timeout", async () => {
    // given: a partners subgraph of its own (on the same database) behind a gateway, answering
    const partners = subgraphs.find((s) => s.name === "partners")!;
    const ownPartners = await partners.start({
      database: graph.database,
      host: "127.0.0.1",
      port: 0,
      logger: createLogger("test-partners", { level: "silent" }),
      identityKeys: { keys: [graph.identitySigner.publicKey] },
    });
    let partnersRunning = true;
    cleanups.push(() => (partnersRunning ? ownPartners.stop() : undefined));
    // A timeout longer than the test's: a gateway that waited for it would never answer in time.
    const running = await gateway({ subgraphUrls: { partners: ownPartners.url }, subgraphTimeoutMs: 600_000 });
    const before = await askUnits(running.url);
    expect(before.answer.body.errors).toBeUndefined();
    expect(before.answer.body.data?.units.edges.map((e) => e.node)).toEqual([{ serialNumber, customer: { kind: "CONSUMER", name: customerName } }]);
    // when: the partners subgraph stops
    await ownPartners.stop();
    partnersRunning = false;
    const after = await askUnits(running.url);
    // then
    expectPartialUnits(after.answer);
    expectErrorAtCustomer(after.answer);
    expect(after.answer.body.errors?.[0]?.message).not.toMatch(/no answer within/);
  });

  it("gives up on a subgraph slower than subgraphTimeoutMs and answers with the others' data", async () => {
    // given: the partners subgraph not answering until the test ends, and a gateway that waits 500 ms
    const slow = await startSubgraphProxy(graph.subgraphUrls["partners"]!);
    slow.hold();
    cleanups.push(() => slow.close());
    const running = await gateway({ subgraphUrls: { partners: slow.url }, subgraphTimeoutMs: 500 });
    // when
    const { answer, elapsedMs } = await askUnits(running.url);
    // then
    expectPartialUnits(answer);
    expectErrorAtCustomer(answer);
    expect(slow.requests).toBe(1);
    expect(answer.body.errors?.[0]?.message).toMatch(/no answer within 500 ms/);
    expect(elapsedMs).toBeGreaterThanOrEqual(450);
  });

  it("points an error's path at the field a failed subgraph left null", async () => {
    // given: a gateway whose partners subgraph does not answer
    const slow = await startSubgraphProxy(graph.subgraphUrls["partners"]!, { delayMs: 3_000 });
    cleanups.push(() => slow.close());
    const running = await gateway({ subgraphUrls: { partners: slow.url }, subgraphTimeoutMs: 300 });
    // when
    const { answer } = await askUnits(running.url);
    // then
    expectPartialUnits(answer);
    expectErrorAtCustomer(answer);
  });

  for (const fault of ["bad-gateway-after-forwarding", "hang-up-after-forwarding"] as const) {
    it(`sends a mutation once, never again, when the subgraph's answer is lost (${fault})`, async () => {
      // given: the catalog behind a proxy that runs the next request but loses its answer
      const proxy = await startSubgraphProxy(graph.subgraphUrls["catalog"]!);
      cleanups.push(() => proxy.close());
      proxy.faultOnce = fault;
      const running = await gateway({ subgraphUrls: { catalog: proxy.url } });
      const input = productInput({ sku: sku("ONCE") });
      // when
      const answer = await post<GatewayResilienceCreateProductMutation>(running.url, CREATE_PRODUCT, bearer(adminToken), { input });
      // a retry, if any, would arrive about now
      await new Promise((resolve) => setTimeout(resolve, 300));
      // then: the client is told it failed; the catalog was asked once, and the product exists once
      expect(answer.body.data?.createProduct ?? null).toBeNull();
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(proxy.requests).toBe(1);
      const created = await graph.query(PRODUCT_SKUS);
      expect(created.products.edges.filter((e) => e.node.sku === input.sku)).toHaveLength(1);
    });
  }
});

describe("a subgraph closing an idle connection just as the gateway reuses it", () => {
  /** A gateway whose `subgraph` sits behind a proxy that lets each connection carry one request and resets it at the next, unread. */
  async function behindResettingProxy(subgraph: string) {
    const proxy = await startSubgraphProxy(graph.subgraphUrls[subgraph]!);
    cleanups.push(() => proxy.close());
    proxy.resetReusedConnections = true;
    const running = await gateway({ subgraphUrls: { [subgraph]: proxy.url } });
    return { proxy, url: running.url };
  }

  it("sends a query again on a new connection, and the client gets the whole answer", async () => {
    // given: the catalog answered one query, so the gateway holds an idle connection to it
    const { proxy, url } = await behindResettingProxy("catalog");
    const first = await askUnits(url);
    expect(first.answer.body.errors).toBeUndefined();
    // when: the next query goes out on that connection, which the catalog closes before reading it
    const { answer } = await askUnits(url);
    // then
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.units.edges.map((e) => e.node)).toEqual([{ serialNumber, customer: { kind: "CONSUMER", name: customerName } }]);
    expect(proxy.resets).toBe(1);
    expect(proxy.requests).toBe(2);
  });

  it("sends a mutation with an idempotency key again, and it runs once", async () => {
    // given: the tickets subgraph answered one query, so the gateway holds an idle connection to it
    const { proxy, url } = await behindResettingProxy("tickets");
    const tickets = graphql(`query GatewayResilienceTickets { tickets(first: 1) { edges { node { id } } } }`);
    expect((await post(url, tickets.toString(), bearer(adminToken))).body.errors).toBeUndefined();
    const input = ticketInput(customerId, { serialNumber, idempotencyKey: `reset-${tag()}` });
    // when: the mutation goes out on that connection, which the subgraph closes before reading it
    const openTicket = graphql(`mutation GatewayResilienceOpenTicket($input: OpenTicketInput!) {
      openTicket(input: $input) { ticket { id subject } errors { code message } } }`);
    const answer = await post<GatewayResilienceOpenTicketMutation>(url, openTicket.toString(), bearer(adminToken), { input });
    // then: the ticket is opened, once
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.openTicket.errors).toEqual([]);
    expect(answer.body.data?.openTicket.ticket?.subject).toBe(input.subject);
    expect(proxy.resets).toBe(1);
    expect(proxy.requests).toBe(2);
    const opened = await graph.query(graphql(`query GatewayResilienceTicketSubjects { tickets(first: 100) { edges { node { subject } } } }`));
    expect(opened.tickets.edges.filter((e) => e.node.subject === input.subject)).toHaveLength(1);
  });

  it("does not send a mutation without an idempotency key again: the client is told, and nothing was written", async () => {
    // given: the catalog answered one query, so the gateway holds an idle connection to it
    const { proxy, url } = await behindResettingProxy("catalog");
    expect((await askUnits(url)).answer.body.errors).toBeUndefined();
    const input = productInput({ sku: sku("RESET") });
    // when: the mutation goes out on that connection, which the catalog closes before reading it
    const answer = await post<GatewayResilienceCreateProductMutation>(url, CREATE_PRODUCT, bearer(adminToken), { input });
    // then
    expect(answer.body.data?.createProduct ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
    expect(proxy.resets).toBe(1);
    expect(proxy.requests).toBe(1);
    const products = await graph.query(PRODUCT_SKUS);
    expect(products.products.edges.filter((e) => e.node.sku === input.sku)).toHaveLength(0);
  });
});

describe("a subgraph that breaks a promise of its schema", () => {
  /** The gateway's answer to UNITS when the partners subgraph answers a customer without its non-null `kind`. */
  async function askWithKindMissing(production: boolean) {
    const proxy = await startSubgraphProxy(graph.subgraphUrls["partners"]!);
    cleanups.push(() => proxy.close());
    proxy.rewrite = (body) => body.replaceAll('"kind":"CONSUMER"', '"kind":null');
    const running = await startGatewayFor(graph, { tokens: { secret: secretKey(tokenSecret) }, subgraphUrls: { partners: proxy.url }, production });
    cleanups.push(() => running.stop());
    return post<Units>(running.url, UNITS, bearer(adminToken));
  }

  it("reports the null in a non-null field as an error with a code and the field's path, not only in extensions", async () => {
    // when: the customer comes back without its kind
    const answer = await askWithKindMissing(false);
    // then: the customer is null, and the client is told why and where
    expect(answer.status).toBe(200);
    expect(answer.body.data?.units.edges.map((e) => e.node)).toEqual([{ serialNumber, customer: null }]);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: "Cannot return null for non-nullable field Customer.kind.",
        path: ["units", "edges", 0, "node", "customer", "kind"],
        extensions: expect.objectContaining({ code: "NON_NULL_VIOLATION" }),
      }),
    ]);
    expect(answer.body.extensions).toBeUndefined();
  });

  it("reports it in production with the code and the path, and neither the type nor the field in the message", async () => {
    const answer = await askWithKindMissing(true);
    expect(answer.body.data?.units.edges.map((e) => e.node)).toEqual([{ serialNumber, customer: null }]);
    expect(answer.body.errors).toEqual([
      {
        message: "A value the schema promises is missing, so the object holding it is null.",
        path: ["units", "edges", 0, "node", "customer", "kind"],
        extensions: { code: "NON_NULL_VIOLATION" },
      },
    ]);
  });
});

describe("a subgraph that answers with errors", () => {
  // The partners subgraph's answer to the units query: the customers of the units, by `_entities`.
  const partnersBehind = async (fault: ProxyFault, production = false) => {
    const proxy = await startSubgraphProxy(graph.subgraphUrls["partners"]!);
    cleanups.push(() => proxy.close());
    proxy.faultOnce = fault;
    return gateway({ subgraphUrls: { partners: proxy.url }, production });
  };

  it("passes on the errors of an answer that is not a 2xx, with their code, where the fields it held are", async () => {
    // given: a partners subgraph refusing the request as a whole, as it refuses bad variables (HTTP 400)
    const refusal = { message: "`representations[0].id` must be an id.", extensions: { code: "BAD_USER_INPUT" } };
    const running = await partnersBehind({ status: 400, body: () => ({ errors: [refusal] }) }, true);
    // when
    const { answer } = await askUnits(running.url);
    // then: the catalog's data, and the subgraph's own error where the customer would be: not an outage
    expectPartialUnits(answer);
    expect(answer.body.errors).toEqual([{ ...refusal, path: ["units", "edges", 0, "node", "customer"] }]);
  });

  it("keeps the data of an answer that is not a 2xx, and shows an internal error's code but not its message in production", async () => {
    // given: a partners subgraph answering its data with an internal error, under HTTP 500
    const internal = {
      message: 'Failed query: select "name" from "partners"."customers"',
      path: ["_entities", 0, "name"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
    const running = await partnersBehind({ status: 500, body: (answer) => ({ ...answer, errors: [internal] }) }, true);
    // when
    const { answer } = await askUnits(running.url);
    // then
    expect(answer.status).toBe(200);
    expect(answer.body.data?.units.edges.map((e) => e.node)).toEqual([{ serialNumber, customer: { kind: "CONSUMER", name: customerName } }]);
    expect(answer.body.errors).toEqual([
      { message: "Internal server error", path: ["units", "edges", 0, "node", "customer", "name"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
    ]);
  });

  it.each([
    ["a 502 whose body is a JSON string", { status: 502, body: () => "Bad gateway" }],
    ["a 503 with JSON that is no GraphQL answer", { status: 503, body: () => ({ status: "unavailable" }) }],
    ["a 500 with an empty list of errors", { status: 500, body: () => ({ errors: [] }) }],
  ] as const)("answers SUBGRAPH_UNAVAILABLE for %s: no GraphQL answer at all", async (_, fault) => {
    const running = await partnersBehind(fault, true);
    const { answer } = await askUnits(running.url);
    expectPartialUnits(answer);
    expectErrorAtCustomer(answer);
  });
});

const TYPENAME = graphql(`query GatewayResilienceTypename { __typename }`);
const DEALERS = graphql(`query GatewayResilienceDealers { dealers(first: 1) { edges { node { id name } } } }`).toString();

/** An HTTP request on a connection of its own: the status, or the code of the error that kept it from being answered. */
function requestOnNewConnection(url: string, token: string, query: string = TYPENAME.toString()): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json", ...bearer(token) } }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(JSON.stringify({ query }));
  });
}

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `gateway/src/index.ts` as production runs it, in front of `subgraphUrls`. */
async function spawnGateway(subgraphUrls: Record<string, string>, identityKey: JWK, environment: Record<string, string> = {}): Promise<GatewayProcess> {
  // The gateway reads only what it is given here (no REDIS_URL, JWT_* or SUBGRAPH_* of the developer's shell).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SUBGRAPH_|JWT_|REDIS_URL|IDENTITY_|LIMIT_|RATE_LIMIT_|SHUTDOWN_|PORT$|HOST$)/.test(key)),
  );
  const gateway = startGraphProcess("gateway/src/index.ts", {
    ...inherited,
    PORT: "0",
    // The metrics port too: gateways of other test files run beside this one.
    METRICS_PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    LOG_PRETTY: "false",
    IDENTITY_SIGNING_KEY: JSON.stringify(identityKey),
    JWT_SECRET: tokenSecret,
    ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url])),
    ...environment,
  });
  const { url } = (await logLine(gateway, "gateway ready", 120_000)) as { url: string };
  return { ...gateway, url };
}

describe("SIGTERM", () => {
  it("stops taking requests, finishes the one in flight, and exits 0", async () => {
    // given: the standalone gateway, with the partners subgraph answering after 1.5 s
    const slow = await startSubgraphProxy(graph.subgraphUrls["partners"]!, { delayMs: 1_500 });
    cleanups.push(() => slow.close());
    const gatewayProcess = await spawnGateway({ ...graph.subgraphUrls, partners: slow.url }, graph.identityKey);
    cleanups.push(() => {
      if (gatewayProcess.child.exitCode === null) gatewayProcess.child.kill("SIGKILL");
    });
    expect((await fetch(healthUrlOf(gatewayProcess.url))).status).toBe(200);

    // when: a request is in flight (it reached the subgraph), and the gateway is told to stop
    const inFlight = post<GatewayResilienceDealersQuery>(gatewayProcess.url, DEALERS, bearer(adminToken));
    await waitUntil("the request reached the subgraph", () => slow.requests === 1);
    gatewayProcess.child.kill("SIGTERM");
    await waitUntil("the gateway began shutting down", () => gatewayProcess.output().includes('"shutting down"'));
    const duringDrain = await requestOnNewConnection(gatewayProcess.url, adminToken);

    // then: the request in flight is answered in full
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.dealers.edges).toHaveLength(1);
    // no new request got in meanwhile, or gets in now
    expect(duringDrain).toEqual({ error: "ECONNREFUSED" });
    expect(await gatewayProcess.exited, gatewayProcess.output()).toBe(0);
    expect(await requestOnNewConnection(gatewayProcess.url, adminToken)).toEqual({ error: "ECONNREFUSED" });
  });

  // Retried: on a loaded CI machine one of its raw connections has, now and then, been reset within a moment of SIGTERM
  // (the failing step names which kind). Until that is understood, a drain that never works still fails all three runs.
  it("answers all 50 requests in flight, however far each had come, then exits 0", { retry: 2 }, async () => {
    // given: the standalone gateway, and 15 connections to it that each carried one answered request
    const held = await startSubgraphProxy(graph.subgraphUrls["partners"]!);
    cleanups.push(() => held.close());
    // The subgraph's answers are held, and the drain lasts, for as long as the steps below take on a busy machine: neither the
    // gateway's subgraph timeout nor its drain timeout (the next test's subject) may end them first.
    const gatewayProcess = await spawnGateway({ ...graph.subgraphUrls, partners: held.url }, graph.identityKey, {
      SUBGRAPH_TIMEOUT_MS: "120000",
      SHUTDOWN_DRAIN_MS: "120000",
    });
    cleanups.push(() => {
      if (gatewayProcess.child.exitCode === null) gatewayProcess.child.kill("SIGKILL");
    });
    // A string: 20 copies of it below are named apart at run time.
    const SELECTION = `{ dealers(first: 1) { edges { node { id name } } } }`;
    const request = graphqlRequestText(gatewayProcess.url, SELECTION, bearer(adminToken));
    const connections: RawConnection[] = [];
    cleanups.push(() => {
      for (const connection of connections) connection.close();
    });
    const open = async () => {
      const connection = await openConnection(gatewayProcess.url);
      connections.push(connection);
      return connection;
    };
    const keptAlive = await Promise.all(
      Array.from({ length: 15 }, async () => {
        const connection = await open();
        await connection.write(request);
        expect((await connection.answer()).status).toBe(200);
        return connection;
      }),
    );

    // when: 50 requests are in flight as the gateway is told to stop:
    // Each step names itself, with what the gateway said, when it fails: on a busy machine, the step says where to look.
    const step = async <T>(what: string, done: Promise<T>): Promise<T> => {
      try {
        return await done;
      } catch (error) {
        throw new Error(`${what} failed (${String(error)}); the gateway said:\n${gatewayProcess.output()}`);
      }
    };
    // 20 reached the subgraph, whose answers are held back,
    held.hold();
    const before = held.requests;
    // Settled at once, so that a step failing before they are awaited reports itself rather than 20 unhandled rejections;
    // each named apart, as the gateway sends identical queries of one caller to the subgraph once.
    const running = Array.from({ length: 20 }, (_, i) =>
      post<GatewayResilienceDealersQuery>(gatewayProcess.url, `query StillRunning${i} ${SELECTION}`, bearer(adminToken)).then(
        ({ status, body }) => ({ status, body }),
        (error: unknown) => ({
          status: 0,
          body: { errors: [{ message: `no answer: ${String(error)}` }] } as GraphQLResponse<GatewayResilienceDealersQuery>,
        }),
      ),
    );
    await step(
      "waiting until 20 requests reached the subgraph",
      waitUntil("20 requests reached the subgraph", () => held.requests === before + 20),
    );
    // 15 on new connections have sent their headers and half their body,
    const halfBody = request.length - Math.floor(JSON.stringify({ query: SELECTION }).length / 2);
    const arriving = await step("opening 15 connections", Promise.all(Array.from({ length: 15 }, () => open())));
    await step("sending half of 15 requests' bodies", Promise.all(arriving.map((connection) => connection.write(request.slice(0, halfBody)))));
    // and 15 on the kept-alive connections have sent half their headers
    const halfHeaders = request.indexOf("\r\n\r\n") - 20;
    await step("sending half of 15 requests' headers", Promise.all(keptAlive.map((connection) => connection.write(request.slice(0, halfHeaders)))));
    gatewayProcess.child.kill("SIGTERM");
    await step(
      "waiting until the gateway began shutting down",
      waitUntil("the gateway began shutting down", () => gatewayProcess.output().includes('"shutting down"')),
    );
    await step(
      "sending the rest of the 15 half-sent bodies on new connections while the gateway drains",
      Promise.all(arriving.map((connection) => connection.write(request.slice(halfBody)))),
    );
    await step(
      "sending the rest of the 15 half-sent headers on kept-alive connections while the gateway drains",
      Promise.all(keptAlive.map((connection) => connection.write(request.slice(halfHeaders)))),
    );
    held.release();

    // then: every one is answered in full, and the gateway exits 0
    const answers = await step(
      "reading the 50 answers",
      Promise.all([...running, ...[...arriving, ...keptAlive].map((connection) => connection.answer<GatewayResilienceDealersQuery>())]),
    );
    expect(
      answers.map((a) => a.status),
      gatewayProcess.output(),
    ).toEqual(Array<number>(50).fill(200));
    expect(answers.filter((a) => a.body.errors === undefined && a.body.data?.dealers.edges.length === 1)).toHaveLength(50);
    expect(await gatewayProcess.exited, gatewayProcess.output()).toBe(0);
  });

  it("cuts off what is still running after SHUTDOWN_DRAIN_MS, and exits 0", async () => {
    // given: the standalone gateway draining for at most 1 s, and a subgraph that does not answer
    const held = await startSubgraphProxy(graph.subgraphUrls["partners"]!);
    cleanups.push(() => held.close());
    const gatewayProcess = await spawnGateway({ ...graph.subgraphUrls, partners: held.url }, graph.identityKey, {
      SHUTDOWN_DRAIN_MS: "1000",
    });
    cleanups.push(() => {
      if (gatewayProcess.child.exitCode === null) gatewayProcess.child.kill("SIGKILL");
    });
    held.hold();
    const stuck = requestOnNewConnection(gatewayProcess.url, adminToken, DEALERS);
    await waitUntil("the request reached the subgraph", () => held.requests === 1);
    // when
    gatewayProcess.child.kill("SIGTERM");
    // then: the gateway does not wait for the subgraph; the request is cut off
    expect(await gatewayProcess.exited, gatewayProcess.output()).toBe(0);
    expect(await stuck).toEqual({ error: "ECONNRESET" });
  });
});
