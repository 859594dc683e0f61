import http from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";
import { startGateway, type RunningGateway } from "@aftersales/gateway";
import type { TokenSettings } from "@aftersales/gateway/auth";
import { memoryRateLimiter, type LimitSettings, type RateLimiter } from "@aftersales/gateway/limits";
import { createLogger } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { testLimits, withNothingHidden, type GraphQLResponse, type TestGraph } from "./graph.js";

/**
 * Gateways, proxies and raw HTTP for the gateway's own tests: a second
 * gateway in front of a test graph's subgraphs (other token settings, other
 * limits, some subgraphs behind a proxy), and requests whose status and
 * headers matter as much as their body.
 */

export interface ExtraGatewayOptions {
  /** How this gateway checks tokens (the test graph's own secret is not shared). */
  tokens: TokenSettings;
  /** Subgraph URLs replacing the graph's own, e.g. a proxy in front of one. */
  subgraphUrls?: Record<string, string>;
  /** Rate limits are out of reach unless set, as in `startGraph`. */
  limits?: Partial<LimitSettings>;
  /** Closed when the gateway is stopped. */
  rateLimiter?: RateLimiter;
  subgraphTimeoutMs?: number;
  production?: boolean;
  /** `/metrics` on a port of its own (0: any free one); on the gateway's port when not given. */
  metricsPort?: number;
}

/**
 * Another gateway in front of `graph`'s subgraphs, signing identities with the
 * graph's key as its own gateway does. `stop()` also closes its limiter.
 */
export async function startGatewayFor(graph: Pick<TestGraph, "subgraphUrls" | "identitySigner">, options: ExtraGatewayOptions): Promise<RunningGateway> {
  const rateLimiter = options.rateLimiter ?? memoryRateLimiter();
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    subgraphUrls: { ...graph.subgraphUrls, ...options.subgraphUrls },
    host: "127.0.0.1",
    port: 0,
    logger: createLogger("test-gateway", { level: "silent" }),
    production: options.production ?? false,
    tokens: options.tokens,
    apiKeyCacheSeconds: 0,
    identitySigner: graph.identitySigner,
    limits: testLimits(options.limits),
    rateLimiter,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
    ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
  });
  return {
    ...gateway,
    async stop() {
      await gateway.stop();
      await rateLimiter.close();
    },
  };
}

/** A response as the client sees it: status, headers, and the body (`body` when it is JSON). */
export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  text: string;
  body: GraphQLResponse<T>;
}

/** Any HTTP request to a GraphQL endpoint (GET, odd content types, batches); a body that is not JSON is left in `text`. */
export async function send<T = unknown>(url: string, init: RequestInit = {}): Promise<HttpAnswer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: GraphQLResponse<T> = {};
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    // e.g. Apollo's plain-text refusals; tests read `text`
  }
  withNothingHidden(body, typeof init.body === "string" ? init.body : String(url));
  return { status: response.status, headers: response.headers, text, body };
}

/** A GraphQL POST with JSON, as `postGraphQL` sends it, keeping the status and headers. */
export function post<T = unknown>(
  url: string,
  query: string,
  headers: Record<string, string> = {},
  variables: Record<string, unknown> = {},
): Promise<HttpAnswer<T>> {
  return send<T>(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `GET /health` next to a `/graphql` URL. */
export const healthUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, "/health");

/** A GraphQL POST as it goes over the wire, keeping its connection open for the next. */
export function graphqlRequestText(url: string, query: string, headers: Record<string, string> = {}): string {
  const { host, pathname } = new URL(url);
  const body = JSON.stringify({ query });
  const lines = [`POST ${pathname} HTTP/1.1`, `host: ${host}`, "content-type: application/json", `content-length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** A connection of the test's own, to send requests in as many parts as it likes and read the answers in order. */
export interface RawConnection {
  write(text: string): Promise<void>;
  /** The next answer on the connection; fails when the connection closes before it is complete. */
  answer<T = unknown>(): Promise<{ status: number; body: GraphQLResponse<T> }>;
  close(): void;
}

export async function openConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = Buffer.alloc(0);
  let closed = false;
  const waiting: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiting.splice(0)) waiter();
  };
  socket.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    wake();
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
    wake();
  });
  /** A complete answer at the start of what was received (content-length framed, as the gateway sends JSON), taken off it. */
  const takeAnswer = () => {
    const end = received.indexOf("\r\n\r\n");
    if (end < 0) return null;
    const head = received.subarray(0, end).toString("latin1").split("\r\n");
    const length = Number(/^content-length:\s*(\d+)$/im.exec(head.join("\n"))?.[1] ?? NaN);
    if (!Number.isFinite(length) || received.length < end + 4 + length) return null;
    const text = received.subarray(end + 4, end + 4 + length).toString("utf8");
    received = received.subarray(end + 4 + length);
    return { status: Number(head[0]?.split(" ")[1]), text };
  };
  return {
    write: (text) => new Promise<void>((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve()))),
    async answer<T>() {
      for (;;) {
        const answer = takeAnswer();
        if (answer) return { status: answer.status, body: JSON.parse(answer.text) as GraphQLResponse<T> };
        if (closed) throw new Error("the connection closed before the answer was complete");
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    close: () => socket.destroy(),
  };
}

/** How a proxy answers a request instead of passing the subgraph's answer on. */
export type ProxyFault =
  /** Forwards the request (the subgraph runs it), then answers 502: the answer is lost on the way back. */
  | "bad-gateway-after-forwarding"
  /** Forwards the request, then closes the connection without an answer. */
  | "hang-up-after-forwarding"
  /** Forwards the request, then answers `status` with the JSON `body` makes of the subgraph's own answer. */
  | { status: number; body: (answer: GraphQLResponse<Record<string, unknown>>) => unknown };

export interface SubgraphProxy {
  /** The proxy's `/graphql` URL, to give a gateway instead of the subgraph's. */
  url: string;
  /** GraphQL requests received so far (health checks excluded); a request the proxy reset unread is not one. */
  readonly requests: number;
  /** The bodies of the GraphQL requests received so far, as the gateway sent them. */
  readonly bodies: readonly string[];
  /** Requests the proxy reset unread because they came on a connection that had carried one before. */
  readonly resets: number;
  /** Each request waits this long before it is forwarded. */
  delayMs: number;
  /** Applied to the next request only, then cleared. */
  faultOnce: ProxyFault | null;
  /**
   * Each connection carries one request: the next one on it is met by
   * destroying the connection before the request is read, as a server does
   * that closes an idle keep-alive connection just as the client reuses it.
   */
  resetReusedConnections: boolean;
  /** From now on, the subgraph's answers wait (the subgraph has run the requests) until `release()`: every answer, or those to requests whose body `which` picks. */
  hold(which?: (body: string) => boolean): void;
  /** Passes the held answers on, and every later one at once. */
  release(): void;
  /** Changes what the subgraph answered before it is passed on, e.g. to break a promise of its schema. */
  rewrite: ((body: string) => string) | null;
  close(): Promise<void>;
}

/** An HTTP proxy in front of one subgraph that counts, delays, holds or breaks the requests it passes on. */
export async function startSubgraphProxy(targetUrl: string, options: { delayMs?: number } = {}): Promise<SubgraphProxy> {
  let requests = 0;
  let resets = 0;
  const bodies: string[] = [];
  let held: { promise: Promise<void>; release: () => void; which: (body: string) => boolean } | null = null;
  const served = new WeakSet<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const forward = async (req: http.IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length", "keep-alive"].includes(name)) headers[name] = value;
    }
    const target = new URL(req.url ?? "/", targetUrl);
    return fetch(target, { method: req.method ?? "GET", headers, ...(body.length ? { body: new Uint8Array(body) } : {}) });
  };
  const proxy: SubgraphProxy = {
    url: "",
    get requests() {
      return requests;
    },
    get resets() {
      return resets;
    },
    bodies,
    delayMs: options.delayMs ?? 0,
    faultOnce: null,
    resetReusedConnections: false,
    hold: (which = () => true) => {
      if (held) return;
      let release = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      held = { promise, release, which };
    },
    release: () => {
      held?.release();
      held = null;
    },
    rewrite: null,
    close: async () => {
      proxy.release();
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    if (proxy.resetReusedConnections && served.has(req.socket)) {
      resets += 1;
      req.socket.destroy();
      return;
    }
    served.add(req.socket);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url?.startsWith("/graphql")) {
        requests += 1;
        bodies.push(Buffer.concat(chunks).toString("utf8"));
      }
      const fault = proxy.faultOnce;
      proxy.faultOnce = null;
      void (async () => {
        await sleep(proxy.delayMs);
        const answer = await forward(req, Buffer.concat(chunks));
        const answered = await answer.text();
        if (held?.which(Buffer.concat(chunks).toString("utf8"))) await held.promise;
        const text = proxy.rewrite && req.url?.startsWith("/graphql") ? proxy.rewrite(answered) : answered;
        if (typeof fault === "object" && fault !== null) {
          const body = JSON.stringify(fault.body(JSON.parse(text) as GraphQLResponse<Record<string, unknown>>));
          res.writeHead(fault.status, { "content-type": "application/json" }).end(body);
        } else if (fault === "bad-gateway-after-forwarding") {
          res.writeHead(502, { "content-type": "text/plain" }).end("Bad gateway");
        } else if (fault === "hang-up-after-forwarding") {
          req.socket.destroy();
        } else {
          res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" }).end(text);
        }
      })().catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return proxy;
}

/** A tiny HTTP server answering every request with `json`; counts what it served. */
export async function serveJson(json: unknown): Promise<{ url: string; readonly served: number; close(): Promise<void> }> {
  let served = 0;
  const server = http.createServer((_req, res) => {
    served += 1;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    get served() {
      return served;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
