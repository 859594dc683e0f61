import { randomBytes } from "node:crypto";
import { signToken } from "@aftersales/gateway/auth";
import { startWholeGraph, type RunningGraph } from "@aftersales/gateway/graph";
import { DEFAULT_LIMITS, memoryRateLimiter, type LimitSettings, type RateLimiter } from "@aftersales/gateway/limits";
import {
  createLogger,
  generateIdentityKey,
  IDENTITY_HEADER,
  identitySigner,
  secretKey,
  type DatabaseTarget,
  type Identity,
  type IdentitySigner,
  type Logger,
  type Role,
} from "@aftersales/kit";
import type { JWK } from "jose";
import { createTestDatabase } from "@aftersales/kit/testing";
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { checkEventsAgainstCatalog } from "./events.js";

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Who a test acts as; a DEALER names its dealer. */
export interface Caller {
  role: Role;
  dealerId?: string;
  subject?: string;
}

/**
 * An operation as the tests write it: a typed document (`graphql(\`…\`)`,
 * whose result and variables types are generated from the API schema), or
 * a plain string with the result type written by hand.
 */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> | string;
type VariablesOf<TVariables> = TVariables extends Record<string, never> ? Record<string, unknown> | undefined : TVariables;

/** Sends operations as one caller. */
export interface Client {
  /** Sends an operation through the gateway and returns the raw response. */
  request<TResult, TVariables = Record<string, unknown>>(
    operation: Operation<TResult, TVariables>,
    variables?: VariablesOf<TVariables>,
  ): Promise<GraphQLResponse<TResult>>;
  /** Sends an operation and returns its data; GraphQL errors fail the test. */
  query<TResult, TVariables = Record<string, unknown>>(operation: Operation<TResult, TVariables>, variables?: VariablesOf<TVariables>): Promise<TResult>;
}

/** The whole graph on a fresh database, as clients see it: one gateway URL. Its own methods act as an ADMIN. */
export interface TestGraph extends Client {
  url: string;
  /** Where the gateway's `/metrics` is scraped. */
  metricsUrl: string;
  /** Each subgraph's own URL, for talking to one directly (e.g. `_entities`). */
  subgraphUrls: Record<string, string>;
  /** The database every subgraph keeps its schema in, for tests that look beneath the API. */
  database: DatabaseTarget;
  /** The key the gateway signs identities with, for tests that talk to a subgraph directly or start another gateway. */
  identitySigner: IdentitySigner;
  /** The secret the graph's tokens are signed with (HS256), for another gateway that checks them. */
  tokenSecret: string;
  /** The signer's private key, for tests that make identity headers the signer would not (expired, another audience). */
  identityKey: JWK;
  /** A client acting as `caller`, with a token signed the way an identity provider would. */
  as(caller: Caller): Client;
  /**
   * A client talking to one subgraph directly (e.g. `_entities`), as the
   * gateway does: with the caller's identity signed in the identity header.
   */
  subgraph(name: string, caller?: Caller): Client;
  /** A token for `caller` (valid one hour unless `expiresIn` says otherwise). */
  token(caller: Caller, expiresIn?: string): Promise<string>;
  /**
   * Waits until every event committed so far has been applied by the
   * subgraphs that consume it (the warranty subgraph's copies of units,
   * products and dealers follow the catalog and partners this way). Gives
   * up after a minute, saying what was still left (kit's waitUntil).
   */
  settle(): Promise<void>;
  /**
   * Sends every webhook delivery due at the graph's clock and returns how many
   * attempts it made. The graph sends none on its own, so a test sees each attempt.
   */
  sendWebhooks(): Promise<number>;
  /** The instant the subgraphs take as now; the system clock until a test sets it. */
  clock: TestClock;
  /** Runs `work` and counts the SQL statements each subgraph ran meanwhile. */
  countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: Record<string, number> }>;
  stop(): Promise<void>;
}

/** Time as the subgraphs see it, stopped where a test puts it (tokens and the gateway keep real time). */
export interface TestClock {
  /** Stops the clock at `at`. */
  set(at: string | Date): void;
  /** Moves the stopped clock on by `minutes` (from now, if it was running). */
  advance(minutes: number): void;
  /** Back to the system clock. */
  release(): void;
}

function testClock(): TestClock & { now: () => Date } {
  let stoppedAt: number | null = null;
  return {
    now: () => new Date(stoppedAt ?? Date.now()),
    set: (at) => {
      stoppedAt = new Date(at).getTime();
    },
    advance: (minutes) => {
      stoppedAt = (stoppedAt ?? Date.now()) + minutes * 60_000;
    },
    release: () => {
      stoppedAt = null;
    },
  };
}

/** One GraphQL request over HTTP, as any client sends it. */
export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return withNothingHidden((await response.json()) as GraphQLResponse<T>, query);
}

/**
 * Fails the test on an answer that hides an error in `extensions`: Apollo's
 * gateway reports a null in a non-null field only in
 * `extensions.valueCompletion` (the object around it silently null), and
 * ours must turn every one into an error in `errors`. Every end-to-end
 * request passes here, so no test's answer can carry one unnoticed.
 */
export function withNothingHidden<T extends GraphQLResponse<unknown>>(body: T, query: string): T {
  const hidden = body?.extensions?.["valueCompletion"];
  if (hidden !== undefined) {
    throw new Error(`The gateway hid errors in extensions.valueCompletion: ${JSON.stringify(hidden)}\nfor: ${query}`);
  }
  return body;
}

export interface GraphSettings {
  /** The gateway's limits; rate limits are out of reach unless a test sets them. */
  limits?: Partial<LimitSettings>;
  rateLimiter?: RateLimiter;
  subgraphTimeoutMs?: number;
  production?: boolean;
  /** False: no in-process relay, for tests that carry events through JetStream themselves. */
  relay?: boolean;
  /** Public keys of other gateways whose identities the subgraphs accept besides the graph's own. */
  otherIdentityKeys?: JWK[];
  /** Where the graph logs; warnings and errors to stdout unless given. */
  logger?: Logger;
  /** Who GraphiQL's page starts as: a token for them in its headers (none unless given). */
  graphiqlCaller?: Caller;
}

/** The gateway's limits as tests run them: the defaults, with rate limits out of reach unless a test sets them. */
export function testLimits(overrides: Partial<LimitSettings> = {}): LimitSettings {
  return { ...DEFAULT_LIMITS, requestsPerMinute: 1_000_000, costPerMinute: 1_000_000_000, ...overrides };
}

const ADMIN: Caller = { role: "ADMIN", subject: "test-admin" };

const subjectOf = (caller: Caller) => caller.subject ?? `test-${caller.role.toLowerCase()}${caller.dealerId ? `-${caller.dealerId}` : ""}`;

/** The identity the gateway would forward for `caller`. */
export function identityOf(caller: Caller): Identity {
  const subject = subjectOf(caller);
  return { subject, role: caller.role, dealerId: caller.dealerId ?? null, credential: `token:${subject}`, operationsOnly: false };
}

/** The database the run's global setup migrated every subgraph in (src/template.ts); null outside vitest or without one. */
async function graphTemplate(): Promise<string | null> {
  if (!process.env["VITEST"]) return null;
  const { inject } = await import("vitest");
  return inject("graphTemplate") ?? null;
}

export async function startGraph(settings: GraphSettings = {}): Promise<TestGraph> {
  // A copy of the run's migrated database: the graph's own migrations then find nothing left to do.
  const database = await createTestDatabase({ template: await graphTemplate() });
  const tokenSecret = randomBytes(32).toString("hex");
  const identityKey = await generateIdentityKey();
  const signer = identitySigner(identityKey);
  const statements: Record<string, number> = {};
  const clock = testClock();
  let graph: RunningGraph;
  try {
    graph = await startWholeGraph({
      database: database.target,
      logger: settings.logger ?? createLogger("test", { level: "warn" }),
      host: "127.0.0.1",
      port: 0,
      subgraphPortOffset: null,
      onStatement: (subgraph) => {
        statements[subgraph] = (statements[subgraph] ?? 0) + 1;
      },
      production: settings.production ?? false,
      relay: settings.relay ?? true,
      clock: clock.now,
      webhookIntervalMs: null,
      ...(settings.otherIdentityKeys ? { otherIdentityKeys: settings.otherIdentityKeys } : {}),
      ...(settings.graphiqlCaller
        ? {
            graphiqlHeaders: {
              authorization: `Bearer ${await signToken(tokenSecret, { role: settings.graphiqlCaller.role, dealerId: settings.graphiqlCaller.dealerId ?? null, subject: subjectOf(settings.graphiqlCaller), expiresIn: "1h" })}`,
            },
          }
        : {}),
      security: {
        tokens: { secret: secretKey(tokenSecret) },
        identitySigner: signer,
        apiKeyCacheSeconds: 0,
        subgraphTimeoutMs: settings.subgraphTimeoutMs ?? 10_000,
        limits: testLimits(settings.limits),
        rateLimiter: settings.rateLimiter ?? memoryRateLimiter(),
        allowBatching: false,
      },
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const { gateway, subgraphUrls } = graph;
  for (const name of Object.keys(subgraphUrls)) statements[name] = 0;

  const token = (caller: Caller, expiresIn = "1h") =>
    signToken(tokenSecret, {
      role: caller.role,
      dealerId: caller.dealerId ?? null,
      subject: subjectOf(caller),
      expiresIn,
    });
  const clientOf = (url: string, headers: () => Promise<Record<string, string>>): Client => {
    const request = async <TResult, TVariables>(operation: Operation<TResult, TVariables>, variables?: VariablesOf<TVariables>) =>
      postGraphQL<TResult>(url, operation.toString(), (variables ?? {}) as Record<string, unknown>, await headers());
    return {
      request,
      async query<TResult, TVariables>(operation: Operation<TResult, TVariables>, variables?: VariablesOf<TVariables>) {
        const response = await request<TResult, TVariables>(operation, variables);
        if (response.errors?.length || !response.data) {
          throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
        }
        return response.data;
      },
    };
  };
  const as = (caller: Caller) => clientOf(gateway.url, async () => ({ authorization: `Bearer ${await token(caller)}` }));
  const subgraph = (name: string, caller: Caller = ADMIN) => {
    const url = subgraphUrls[name];
    if (!url) throw new Error(`No subgraph named ${name}.`);
    return clientOf(url, async () => ({ [IDENTITY_HEADER]: await signer.sign(identityOf(caller)) }));
  };
  const admin = as(ADMIN);

  return {
    url: gateway.url,
    metricsUrl: gateway.metricsUrl,
    subgraphUrls,
    database: database.target,
    identitySigner: signer,
    identityKey,
    tokenSecret,
    ...admin,
    as,
    subgraph,
    token,
    settle: () => graph.events.settle(),
    sendWebhooks: () => graph.webhooks.sendDue(),
    clock: { set: clock.set, advance: clock.advance, release: clock.release },
    async countStatements(work) {
      for (const name of Object.keys(statements)) statements[name] = 0;
      const result = await work();
      return { result, statements: { ...statements } };
    },
    async stop() {
      try {
        await graph.stop();
        // Every test's events, checked against the documented catalog while the database is still there.
        await checkEventsAgainstCatalog(database.target);
      } finally {
        await database.drop();
      }
    },
  };
}
