import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema, ValidationRule } from "graphql";
import { CommandError, DEFAULT_DRAIN_MS } from "./config.js";
import type { Identity } from "./identity.js";
import { inputChecks } from "./inputs.js";
import type { Logger } from "./logger.js";

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
  /** Checked by `GET /health`: throws when the service cannot serve (e.g. its database is gone). */
  healthCheck?: () => Promise<void>;
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
 * One HTTP server with GraphQL at `/graphql` and `GET /health`, the same for
 * every subgraph and the gateway.
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const { logger, production } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const drain = drainOnStop(httpServer);
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Kept above the keep-alive timeout, as Node's defaults are (60 s and 5 s), so the one never cuts what the other allows.
  httpServer.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

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
      inputChecks(),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => (production ? forProduction(formatted) : formatted),
  });
  await apollo.start();

  app.get("/health", async (_req, res) => {
    try {
      await options.healthCheck?.();
      res.json({ status: "ok", service: options.name });
    } catch (error) {
      logger.warn({ err: error }, "health check failed");
      res.status(503).json({ status: "unavailable", service: options.name });
    }
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
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    stop: async () => {
      await drain(options.drainTimeoutMs ?? DEFAULT_DRAIN_MS);
      await apollo.stop();
    },
  };
}

/** A port someone else holds says which, and what to set, instead of Node's EADDRINUSE stack trace. */
function listenError(error: unknown, options: Pick<ServeOptions<BaseContext>, "name" | "host" | "port" | "whenPortInUse">): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${options.port} on ${options.host}`;
  const what = options.name === "gateway" ? "the gateway" : `the ${options.name} subgraph`;
  if (code === "EADDRINUSE") return new CommandError(`${where} is in use, so ${what} cannot start; ${options.whenPortInUse ?? "set PORT"}.`);
  if (code === "EACCES") return new CommandError(`${where} may not be used by this user, so ${what} cannot start; ${options.whenPortInUse ?? "set PORT"}.`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return new CommandError(`${options.host} is not an address of this machine, so ${what} cannot listen on it; set HOST.`);
  return error;
}

/**
 * How long a draining server leaves its idle keep-alive connections open
 * before closing them: a request a client is sending on one at that moment
 * (its bytes still in flight, or not yet read by a busy event loop) is
 * answered, with `Connection: close`, instead of being reset.
 */
const IDLE_GRACE_MS = 1_000;

/**
 * How an HTTP server stops without dropping what clients already sent: it
 * stops listening at once, lets every request that arrived (or arrives on a
 * connection it already had) be answered with `Connection: close`, closes the
 * connections that carry no request once the grace is over and whenever an
 * answer leaves one idle, and cuts what is left only after `timeoutMs`.
 * Returns the function that does so.
 */
function drainOnStop(server: http.Server): (timeoutMs: number) => Promise<void> {
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
  return async (timeoutMs) => {
    draining = true;
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
