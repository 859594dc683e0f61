import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type express from "express";
import type { Logger } from "./logger.js";
import { graphqlMetrics } from "./metrics.js";

/** Carries a request's id from the client through the gateway to every subgraph it asks, and back in the answer. */
export const REQUEST_ID_HEADER = "x-request-id";

/**
 * What a request id a client or proxy sends may look like: short, and only
 * characters that are safe in a log line and a header (a UUID, a ULID, a
 * load balancer's trace id). Anything else is replaced by one of our own.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id sent in `header` when it is acceptable, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** What is known about the request being served, for its log lines and metrics. */
export interface RequestScope {
  requestId: string;
  /** The GraphQL operation's name, once GraphQL resolved it (null: anonymous). */
  operation?: string | null;
  /** The caller's role, once its guard established it. */
  role?: string;
  /** The codes of the errors in the answer, in order, each once. */
  codes: string[];
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The request this code runs for, if any: every log line and subgraph fetch made while serving it finds it here. */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/** Notes an error code of the answer being sent. */
export function noteErrorCode(code: string): void {
  const scope = currentRequest();
  if (scope && !scope.codes.includes(code)) scope.codes.push(code);
}

/** Paths that probes and scrapers call every few seconds: neither logged nor counted. */
export const OPERATIONS_PATHS = new Set(["/health", "/ready", "/metrics"]);

/**
 * Gives every request its id (taken from `x-request-id` when acceptable,
 * returned in the answer's `x-request-id`) and a scope that every log line
 * written while serving it carries (see `createLogger`), and logs it once
 * when it is answered: operation, caller's role, duration and outcome.
 * Nothing the caller sent is logged beyond those: no variables, no query,
 * no headers.
 *
 * pino-http was not used: its request logger only reaches code that is
 * handed `req`, where here the gateway's planner, the subgraphs' resolvers
 * and the database layer log through the service's own logger.
 */
/** The message of the line `requestLogging` writes for each request. */
export const REQUEST_LINE = "request";

export function requestLogging(service: string, logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    const scope: RequestScope = { requestId: requestIdFrom(req.header(REQUEST_ID_HEADER)), codes: [] };
    res.setHeader(REQUEST_ID_HEADER, scope.requestId);
    const path = req.path;
    if (OPERATIONS_PATHS.has(path)) return scopes.run(scope, next);
    const started = process.hrtime.bigint();
    // "close" rather than "finish": a request whose client went away before its answer is logged too.
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (res.statusCode >= 500 && scope.codes.length === 0) scope.codes.push("INTERNAL_SERVER_ERROR");
      const graphql = path === "/graphql";
      if (graphql) graphqlMetrics.observe(service, scope.operation, scope.codes, seconds);
      // Outside the request's scope by now: the line carries its id itself.
      logger[res.statusCode >= 500 ? "error" : "info"](
        {
          requestId: scope.requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ...(graphql ? { operation: scope.operation ?? null } : {}),
          ...(scope.role ? { role: scope.role } : {}),
          codes: scope.codes,
          durationMs: Math.round(seconds * 1000),
          ...(res.writableFinished ? {} : { answered: false }),
        },
        REQUEST_LINE,
      );
    });
    scopes.run(scope, next);
  };
}
