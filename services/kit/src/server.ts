import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { expressMiddleware } from "@as-integrations/express5";
import { context } from "@opentelemetry/api";
import { getRPCMetadata } from "@opentelemetry/core";
import express from "express";
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema, ValidationRule } from "graphql";
import { CommandError, DEFAULT_DRAIN_MS } from "./config.js";
import type { Identity } from "./identity.js";
import { inputChecks } from "./inputs.js";
import type { Logger } from "./logger.js";
import { metricsText } from "./metrics.js";
import { currentRequest, noteErrorCode, requestLogging } from "./requests.js";

export interface ServeOptions<TContext extends BaseContext> {
  /** Shown in logs and on the health endpoint. */
  name: string;
  logger: Logger;
  /** Production hides internal error messages and stack traces from clients. */
  production: boolean;
  /** What answers: a subgraph's schema or the gateway. */
  graph: { schema: GraphQLSchema } | { gateway: GatewayInterface };
  context: (req: express.Request, res: express.Response) => Promise<TContext>;
  /**
   * Runs before every `/graphql` request, after its body is parsed: checks who
   * is calling (answering 401 itself when nobody acceptable is) and leaves
   * the caller for `context` with `setCaller`.
   */
  guard?: express.RequestHandler[];
  plugins?: ApolloServerPlugin<TContext>[];
  validationRules?: ValidationRule[];
  /** Several operations in one HTTP request (off by default). */
  allowBatchedHttpRequests?: boolean;
  /** Extra routes mounted before `/graphql` (e.g. an IDE page). */
  routes?: (app: express.Express) => void;
  /** Checked by `GET /ready`: throws when the service cannot serve (e.g. its database is gone). */
  readyCheck?: () => Promise<void>;
  /**
   * Whether `GET /metrics` is served on this port. Subgraphs do (only the
   * gateway and Prometheus reach them); the gateway, reached by the public,
   * may serve it on a port of its own (`serveOperations`).
   */
  metrics?: boolean;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /**
   * What the user changes when the port is taken, ending the one-line error
   * `serveGraphQL` then throws (a `CommandError`); `set PORT` unless given.
   */
  whenPortInUse?: string;
  /** How long `stop()` lets the requests it accepted run before it cuts their connections; `DEFAULT_DRAIN_MS` when not given. */
  drainTimeoutMs?: number;
  /**
   * Whether answers carry an ETag (express hashes every body for it). Only a
   * GET a client repeats can use one; a subgraph is sent POSTs alone.
   */
  etag?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Stops taking connections, answers every request already on its way in
   * (within the drain timeout), closes the connections, then stops GraphQL.
   */
  stop(): Promise<void>;
}

/**
 * How long an idle keep-alive connection stays open. Clients must stop
 * reusing one well before, or a request can go out on a connection the
 * server is closing at that moment: the gateway reuses its connections to
 * subgraphs for at most a quarter of this. Also past the 60 s a load
 * balancer commonly keeps idle connections to its backends.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const INTERNAL = "INTERNAL_SERVER_ERROR";

/** What of an error's extensions a client may see in production; the rest (a stack, a subgraph's query, its name) stays in the logs. */
const PUBLIC_EXTENSIONS = ["code", "retryAfterSeconds"];

/**
 * An error as production shows it: always a code; the message only when the
 * code says it is meant for the client (an unexpected failure's message may
 * hold SQL or internals).
 */
function forProduction(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => PUBLIC_EXTENSIONS.includes(key)));
  const code = typeof extensions.code === "string" ? extensions.code : INTERNAL;
  return {
    message: code === INTERNAL ? "Internal server error" : formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { ...extensions, code },
  };
}

/**
 * One HTTP server with GraphQL at `/graphql`, `GET /health` and `GET /ready`
 * (see `serveOperationsRoutes`), the same for every subgraph and the gateway.
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const { logger, production } = options;
  const { app, httpServer, drain } = httpApp(options.name, logger);
  if (options.etag === false) app.set("etag", false);

  const apollo = new ApolloServer<TContext>({
    ...options.graph,
    includeStacktraceInErrorResponses: !production,
    introspection: !production,
    // Only operations someone registered may be called by hash (the gateway resolves them).
    persistedQueries: false,
    csrfPrevention: true,
    // Signals are `stopOnSignal`'s: Apollo's own handler (on outside NODE_ENV=test) re-raises
    // SIGTERM once its server stopped, killing the process (exit 143) before our stop finishes.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: options.allowBatchedHttpRequests ?? false,
    validationRules: options.validationRules ?? [],
    // Stopping drains the HTTP server first (`drainOnStop`): Apollo's drain plugin ended connections
    // whose request had not been read yet, and so reset requests already sent.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Nothing reads cache hints (no CDN or response cache in front), and the plugin hooks every field resolved.
      ApolloServerPluginCacheControlDisabled(),
      logUnexpectedErrors(logger),
      observeOperations(),
      inputChecks(),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => (production ? forProduction(formatted) : formatted),
  });
  await apollo.start();

  serveOperationsRoutes(app, {
    name: options.name,
    logger,
    draining: drain.draining,
    ...(options.readyCheck ? { readyCheck: options.readyCheck } : {}),
    metrics: options.metrics ?? true,
  });
  options.routes?.(app);
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    ...(options.guard ?? []),
    expressMiddleware(apollo, { context: async ({ req, res }) => options.context(req, res) }),
  );
  // What fails before GraphQL runs (a body that is not JSON or too large, a rate limiter
  // that cannot be reached) is answered as a GraphQL error with a code, not with express's
  // HTML page, which shows the stack trace unless NODE_ENV=production.
  app.use("/graphql", ((error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, expose } = (typeof error === "object" && error !== null ? error : {}) as { status?: unknown; expose?: unknown };
    const clientError = typeof status === "number" && status >= 400 && status < 500;
    if (!clientError) logger.error({ err: error }, "request failed before GraphQL");
    noteErrorCode(clientError ? "BAD_REQUEST" : INTERNAL);
    res.status(clientError ? status : 500).json({
      errors: [
        clientError
          ? { message: expose === true && error instanceof Error ? error.message : "Bad request", extensions: { code: "BAD_REQUEST" } }
          : { message: "Internal server error", extensions: { code: INTERNAL } },
      ],
    });
  }) satisfies express.ErrorRequestHandler);

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(options.port, options.host, resolve);
    });
  } catch (error) {
    await apollo.stop();
    throw listenError(error, options);
  }
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${shownHost(options.host)}:${port}/graphql`,
    port,
    stop: async () => {
      await drain.stop(options.drainTimeoutMs ?? DEFAULT_DRAIN_MS);
      await apollo.stop();
    },
  };
}

const shownHost = (host: string) => (host === "0.0.0.0" || host === "::" ? "localhost" : host);

/** An express app on an HTTP server that drains when stopped, logging each request once (`requestLogging`). */
function httpApp(name: string, logger: Logger) {
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const drain = drainOnStop(httpServer);
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Kept above the keep-alive timeout, as Node's defaults are (60 s and 5 s), so the one never cuts what the other allows.
  httpServer.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  app.use(requestLogging(name, logger), (_req, _res, next) => {
    // The HTTP server span says which part of the graph served it (one process serves several in the embedded graph).
    getRPCMetadata(context.active())?.span?.setAttribute("aftersales.service", name);
    next();
  });
  return { app, httpServer, drain };
}

/** How long `/ready` waits for its check: a probe wants an answer, and a database that takes longer is not ready. */
const READY_CHECK_MS = 2_000;

/**
 * `GET /health`: liveness, 200 whenever the process answers at all (a
 * database that is gone is no reason to restart the process). `GET /ready`:
 * readiness, 503 while the server drains (`draining`) or while its check
 * fails (`unavailable`), so Kubernetes sends it no traffic then.
 * `GET /metrics` (when `metrics`): Prometheus' text format.
 */
export function serveOperationsRoutes(
  app: express.Express,
  options: { name: string; logger: Logger; draining: () => boolean; readyCheck?: () => Promise<void>; metrics: boolean },
): void {
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: options.name });
  });
  app.get("/ready", async (_req, res) => {
    if (options.draining()) {
      res.status(503).json({ status: "draining", service: options.name });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_CHECK_MS} ms`)), READY_CHECK_MS);
      });
      await Promise.race([options.readyCheck?.(), timeout]);
      res.json({ status: "ready", service: options.name });
    } catch (error) {
      options.logger.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "unavailable", service: options.name });
    } finally {
      clearTimeout(timer);
    }
  });
  if (options.metrics) {
    app.get("/metrics", async (_req, res) => {
      const { contentType, text } = await metricsText();
      res.type(contentType).send(text);
    });
  }
}

export interface OperationsOptions {
  /** The process's part in the graph (relay, scheduler, gateway), in logs and on `/health`. */
  name: string;
  logger: Logger;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Checked by `GET /ready` (see `serveOperationsRoutes`). */
  readyCheck?: () => Promise<void>;
  /** What the user changes when the port is taken; `set PORT` unless given. */
  whenPortInUse?: string;
}

/**
 * `/health`, `/ready` and `/metrics` on a port of their own: for processes
 * that serve no GraphQL (the relay, the scheduler), and for the gateway's
 * metrics, kept off the port the public reaches.
 */
export async function serveOperations(options: OperationsOptions): Promise<RunningServer> {
  const { app, httpServer, drain } = httpApp(options.name, options.logger);
  serveOperationsRoutes(app, {
    name: options.name,
    logger: options.logger,
    draining: drain.draining,
    ...(options.readyCheck ? { readyCheck: options.readyCheck } : {}),
    metrics: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(options.port, options.host, resolve);
    });
  } catch (error) {
    throw listenError(error, options);
  }
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${shownHost(options.host)}:${port}`,
    port,
    // Nothing here runs long: a second is plenty for a scrape under way.
    stop: () => drain.stop(1_000),
  };
}

/** A port someone else holds says which, and what to set, instead of Node's EADDRINUSE stack trace. */
function listenError(error: unknown, options: Pick<ServeOptions<BaseContext>, "name" | "host" | "port" | "whenPortInUse">): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${options.port} on ${options.host}`;
  const what = ["gateway", "relay", "scheduler"].includes(options.name) ? `the ${options.name}` : `the ${options.name} subgraph`;
  if (code === "EADDRINUSE") return new CommandError(`${where} is in use, so ${what} cannot start; ${options.whenPortInUse ?? "set PORT"}.`);
  if (code === "EACCES") return new CommandError(`${where} may not be used by this user, so ${what} cannot start; ${options.whenPortInUse ?? "set PORT"}.`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return new CommandError(`${options.host} is not an address of this machine, so ${what} cannot listen on it; set HOST.`);
  return error;
}

/**
 * How long a draining server leaves its idle keep-alive connections open
 * before closing them: a request a client is sending on one at that moment
 * (its bytes still in flight, or not yet read by a busy event loop) is
 * answered, with `Connection: close`, instead of being reset. Five seconds,
 * as long as load balancers commonly keep sending to a backend that began
 * to stop; within the drain timeout, which bounds it.
 */
const IDLE_GRACE_MS = 5_000;

/**
 * How an HTTP server stops without dropping what clients already sent: it
 * stops listening at once, lets every request that arrived (or arrives on a
 * connection it already had) be answered with `Connection: close`, closes the
 * connections that carry no request once the grace is over and whenever an
 * answer leaves one idle, and cuts what is left only after `timeoutMs`.
 * Returns the function that does so, and whether it has begun.
 */
function drainOnStop(server: http.Server): { stop: (timeoutMs: number) => Promise<void>; draining: () => boolean } {
  const unanswered = new Set<http.ServerResponse>();
  let draining = false;
  let graceOver = false;
  const lastOnItsConnection = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader("connection", "close");
  };
  // Node counts a connection idle between requests, with no answer pending.
  const closeIdle = () => {
    if (graceOver) server.closeIdleConnections();
  };
  // Before the app's own listener, so that even an answer sent at once says the connection closes.
  server.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    unanswered.add(res);
    if (draining) lastOnItsConnection(res);
    res.once("close", () => {
      unanswered.delete(res);
      // An answer that went out before the drain began kept its connection open; it is idle now.
      if (draining) setImmediate(closeIdle);
    });
  });
  const stop = async (timeoutMs: number) => {
    draining = true;
    // One turn of the event loop first, so that connections a client already opened (their handshake
    // done, waiting in the listen backlog) are accepted: closing the listener resets those it still holds.
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    // Only stops listening: `http.Server#close` would also close the idle connections at once
    // (Node 19+), resetting a request that is on its way on one of them but not yet read.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    for (const res of unanswered) lastOnItsConnection(res);
    const grace = setTimeout(
      () => {
        graceOver = true;
        closeIdle();
      },
      Math.min(IDLE_GRACE_MS, timeoutMs),
    );
    const cutOff = setTimeout(() => server.closeAllConnections(), timeoutMs);
    await closed;
    clearTimeout(grace);
    clearTimeout(cutOff);
  };
  return { stop, draining: () => draining };
}

/** Who a request comes from, as its guard established it. */
export interface Caller {
  identity: Identity;
  /** The identity as a gateway signed it for the subgraphs: made by the gateway, received by a subgraph (forwarded to its peers). */
  identityHeader?: string;
}

const CALLER = Symbol("caller");
type WithCaller = express.Response & { [CALLER]?: Caller };

export function setCaller(res: express.Response, caller: Caller): void {
  (res as WithCaller)[CALLER] = caller;
  const scope = currentRequest();
  if (scope) scope.role = caller.identity.role;
}

/** The caller a guard set; null when no guard did (the request was refused before). */
export function callerOf(res: express.Response): Caller | null {
  return (res as WithCaller)[CALLER] ?? null;
}

/** The caller of a request that got past its guard: a missing one is a bug, not a client error. */
export function guardedCaller(res: express.Response): Caller {
  const caller = callerOf(res);
  if (!caller) throw new Error("No guard established the caller of this request.");
  return caller;
}

/**
 * Answers a request that never reaches GraphQL execution (no credentials, a
 * rate limit) the way a GraphQL server would: an `errors` list with a code,
 * and the HTTP status and headers the error asks for.
 */
export function sendGraphQLError(res: express.Response, error: GraphQLError): void {
  const http = error.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  const { http: _http, ...extensions } = error.extensions;
  if (typeof extensions.code === "string") noteErrorCode(extensions.code);
  res.status(http?.status ?? 400).json({ errors: [{ message: error.message, extensions }] });
}

/** Expected refusals are data; anything else reaching here is a bug worth a stack trace in the log. */
function logUnexpectedErrors<TContext extends BaseContext>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code && code !== INTERNAL) continue;
            logger.error({ err: unwrapResolverError(error), path: error.path, operationName }, "unexpected error");
          }
        },
      };
    },
  };
}

/** Notes the operation's name and the answer's error codes for the request's log line and metrics (`requestLogging`). */
function observeOperations<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentRequest();
          if (scope) scope.operation = operationName;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            noteErrorCode(typeof code === "string" ? code : INTERNAL);
          }
        },
      };
    },
  };
}
