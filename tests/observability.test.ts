import { randomBytes } from "node:crypto";
import { createLogger, secretKey, startTelemetry, waitUntil, type Logger } from "@aftersales/kit";
import { createTestDatabase } from "@aftersales/kit/testing";
import { subgraphs } from "@aftersales/schema";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./src/generated/index.js";
import { startGraph, type TestGraph } from "./src/graph.js";
import { redisRateLimiter } from "@aftersales/gateway/limits";
import { bearer, openConnection, post, startGatewayFor } from "./src/gateways.js";
import { uniquePrefix } from "./src/redis.js";

/**
 * What an operator sees of the graph: one trace per client request across
 * the gateway, the subgraphs and their SQL; Prometheus metrics; liveness
 * apart from readiness; and a request id in every log line.
 */

const spans = new InMemorySpanExporter();
const lines: Record<string, unknown>[] = [];
/** Every line the graph logs, at info and above, kept for the test to read. */
const capturingLogger = (): Logger =>
  createLogger("test", { level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });

let graph: TestGraph;

beforeAll(async () => {
  // First, before any server is created: as each entry point does.
  const telemetry = await startTelemetry({ service: "aftersales-test", exporter: spans });
  expect(telemetry.enabled).toBe(true);
  graph = await startGraph({ logger: capturingLogger() });
}, 120_000);

afterAll(async () => {
  await graph?.stop();
});

/**
 * Dealers come from partners, products from the catalog: one request, two subgraphs.
 * Named without the file's prefix: the metrics and logs below are read by this name.
 */
const TWO_SUBGRAPHS = graphql(`query TwoSubgraphs($term: String) {
  dealers(first: 2, filter: { search: $term }) { edges { node { id name } } }
  products(first: 2) { edges { node { id name } } }
}`);

const serviceOf = (span: ReadableSpan) => span.attributes["aftersales.service"];

describe("traces", () => {
  it("follows one client request as one trace through the gateway, both subgraphs and their SQL, without parameter values", async () => {
    const term = `needle-${randomBytes(4).toString("hex")}`;
    const answer = await graph.request(TWO_SUBGRAPHS, { term });
    expect(answer.errors).toBeUndefined();

    let trace: ReadableSpan[] = [];
    await waitUntil("the request's spans are exported", () => {
      const gatewayRequest = spans.getFinishedSpans().find((span) => serviceOf(span) === "gateway" && span.kind === 1 /* server */);
      if (!gatewayRequest) return "no gateway server span yet";
      trace = spans.getFinishedSpans().filter((span) => span.spanContext().traceId === gatewayRequest.spanContext().traceId);
      const services = new Set(trace.map(serviceOf));
      return (services.has("partners") && services.has("catalog")) || `services so far: ${[...services].join(", ")}`;
    });
    const names = trace.map((span) => span.name);
    // Apollo Gateway's own spans are part of it.
    expect(names).toContain("gateway.request");
    expect(names).toContain("gateway.fetch");
    // Each subgraph's statements hang under that subgraph's request.
    const statements = trace.filter((span) => span.attributes["db.system.name"] === "postgresql");
    expect(statements.length).toBeGreaterThan(0);
    const partnersRequest = trace.find((span) => serviceOf(span) === "partners")!;
    const ancestors = (span: ReadableSpan): string[] => {
      const parent = trace.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
      return parent ? [parent.spanContext().spanId, ...ancestors(parent)] : [];
    };
    expect(statements.some((span) => ancestors(span).includes(partnersRequest.spanContext().spanId))).toBe(true);
    expect(statements.every((span) => typeof span.attributes["db.query.text"] === "string")).toBe(true);
    // The search term went to the database as a parameter: no span holds it.
    const everything = JSON.stringify(trace.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
    expect(everything).not.toContain(term);
  });
});

/** A sample's value in Prometheus' text format, 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
};

describe("metrics", () => {
  it("counts requests by operation and code, and times each subgraph fetch", async () => {
    const before = await scrape(graph.metricsUrl);
    await graph.query(TWO_SUBGRAPHS);
    await graph.query(TWO_SUBGRAPHS);
    const refused = await post(graph.url, TWO_SUBGRAPHS.toString(), { authorization: "Bearer not-a-token" });
    expect(refused.status).toBe(401);
    const after = await scrape(graph.metricsUrl);

    const ok = { service: "gateway", operation: "TwoSubgraphs", code: "OK" };
    expect(sample(after, "aftersales_graphql_requests_total", ok) - sample(before, "aftersales_graphql_requests_total", ok)).toBe(2);
    const unauthenticated = { service: "gateway", code: "UNAUTHENTICATED" };
    expect(sample(after, "aftersales_graphql_requests_total", unauthenticated)).toBeGreaterThan(
      sample(before, "aftersales_graphql_requests_total", unauthenticated),
    );
    const latency = { service: "gateway", operation: "TwoSubgraphs" };
    expect(
      sample(after, "aftersales_graphql_request_duration_seconds_count", latency) -
        sample(before, "aftersales_graphql_request_duration_seconds_count", latency),
    ).toBe(2);
    for (const subgraph of ["partners", "catalog"]) {
      const fetched = { subgraph, outcome: "ok" };
      expect(
        sample(after, "aftersales_subgraph_fetch_duration_seconds_count", fetched) -
          sample(before, "aftersales_subgraph_fetch_duration_seconds_count", fetched),
      ).toBeGreaterThanOrEqual(2);
    }
    // The subgraphs' pools are measured, and the relay's consumers.
    expect(after).toMatch(/aftersales_db_pool_connections\{service="partners",state="max"\} 5/);
    expect(after).toMatch(/aftersales_outbox_lag_seconds\{consumer="warranty",producer="catalog"\} \d/);
    expect(after).toMatch(/aftersales_event_dead_letters\{consumer="tickets"\} 0/);
  });

  it("keeps the gateway's metrics on a port of their own when given one, off the port the public reaches", async () => {
    const gateway = await startGatewayFor(graph, { tokens: { secret: secretKey(randomBytes(32).toString("hex")) }, metricsPort: 0 });
    try {
      expect(new URL(gateway.metricsUrl).port).not.toBe(new URL(gateway.url).port);
      expect((await fetch(new URL("/metrics", gateway.url))).status).toBe(404);
      expect(await scrape(gateway.metricsUrl)).toContain("aftersales_graphql_requests_total");
      expect((await fetch(new URL("/ready", gateway.metricsUrl))).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe("health and readiness", () => {
  const raw = (path: string, host: string) => `GET ${path} HTTP/1.1\r\nhost: ${host}\r\n\r\n`;

  it("answers /ready with 503 while the gateway drains, while /health stays 200", async () => {
    const gateway = await startGatewayFor(graph, { tokens: { secret: secretKey(randomBytes(32).toString("hex")) } });
    const { host } = new URL(gateway.url);
    // Connections opened before the drain: a stopping server answers what comes on them.
    const probe = await openConnection(gateway.url);
    const liveness = await openConnection(gateway.url);
    try {
      await probe.write(raw("/ready", host));
      expect(await probe.answer()).toMatchObject({ status: 200, body: { status: "ready" } });
      await liveness.write(raw("/health", host));
      expect((await liveness.answer()).status).toBe(200);

      const stopped = gateway.stop();
      await probe.write(raw("/ready", host));
      await liveness.write(raw("/health", host));
      expect(await probe.answer()).toMatchObject({ status: 503, body: { status: "draining" } });
      expect(await liveness.answer()).toMatchObject({ status: 200, body: { status: "ok" } });
      await stopped;
    } finally {
      probe.close();
      liveness.close();
    }
  });

  it("answers the gateway's /ready with 503 while the Redis keeping its rate limits does not answer", async () => {
    const gateway = await startGatewayFor(graph, {
      tokens: { secret: secretKey(randomBytes(32).toString("hex")) },
      rateLimiter: redisRateLimiter({ url: "redis://127.0.0.1:1", prefix: uniquePrefix("ready"), onError: () => {} }),
    });
    try {
      const origin = new URL(gateway.url).origin;
      const ready = await fetch(`${origin}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "unavailable", service: "gateway" });
      expect((await fetch(`${origin}/health`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it("answers a subgraph's /ready with 503 once its database is gone, while /health stays 200", async () => {
    const database = await createTestDatabase();
    let dropped = false;
    const partners = subgraphs.find((s) => s.name === "partners")!;
    const subgraph = await partners.start({
      database: database.target,
      port: 0,
      logger: createLogger("test-partners", { level: "silent" }),
      identityKeys: { keys: [graph.identitySigner.publicKey] },
    });
    const origin = new URL(subgraph.url).origin;
    try {
      expect((await fetch(`${origin}/ready`)).status).toBe(200);
      await database.drop();
      dropped = true;
      const ready = await fetch(`${origin}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "unavailable", service: "partners" });
      expect((await fetch(`${origin}/health`)).status).toBe(200);
    } finally {
      await subgraph.stop();
      if (!dropped) await database.drop();
    }
  });
});

describe("request ids", () => {
  const requestLines = (requestId: string) => lines.filter((line) => line.requestId === requestId);

  it("returns the client's x-request-id and logs the request once in the gateway and once in each subgraph it asked, without its values", async () => {
    const requestId = `obs-${randomBytes(6).toString("hex")}`;
    const term = `needle-${randomBytes(4).toString("hex")}`;
    const token = await graph.token({ role: "AGENT", subject: "agent-ids" });
    const answer = await post(graph.url, TWO_SUBGRAPHS.toString(), { ...bearer(token), "x-request-id": requestId }, { term });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-request-id")).toBe(requestId);

    await waitUntil("the subgraphs logged the request", () => requestLines(requestId).filter((line) => line.msg === "request").length >= 3);
    const logged = requestLines(requestId).filter((line) => line.msg === "request");
    const gateway = logged.filter((line) => line.service === "gateway");
    expect(gateway).toHaveLength(1);
    expect(gateway[0]).toMatchObject({ operation: "TwoSubgraphs", role: "AGENT", status: 200, codes: [] });
    expect(typeof gateway[0]!.durationMs).toBe("number");
    expect(typeof gateway[0]!.traceId).toBe("string");
    expect(logged.filter((line) => line.subgraph === "partners")).toHaveLength(1);
    expect(logged.filter((line) => line.subgraph === "catalog")).toHaveLength(1);
    // One trace for all of them.
    expect(new Set(logged.map((line) => line.traceId)).size).toBe(1);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(term);
    expect(text).not.toContain(token);
  });

  it("makes its own id for a request whose x-request-id is not a short, plain one", async () => {
    const answer = await post(graph.url, TWO_SUBGRAPHS.toString(), { ...bearer(await graph.token({ role: "ADMIN" })), "x-request-id": "a b" });
    const given = answer.headers.get("x-request-id");
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await post(graph.url, TWO_SUBGRAPHS.toString(), { "x-request-id": "x".repeat(65) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await waitUntil("the refusal is logged", () => lines.some((line) => line.requestId === refused.headers.get("x-request-id") && line.msg === "request"));
    expect(lines.find((line) => line.requestId === refused.headers.get("x-request-id") && line.msg === "request")).toMatchObject({
      service: "gateway",
      codes: ["UNAUTHENTICATED"],
      status: 401,
    });
  });
});
