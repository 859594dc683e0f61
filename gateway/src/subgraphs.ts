import { currentRequest, IDENTITY_HEADER, REQUEST_ID_HEADER, subgraphFetchDuration, type Identity, type Logger } from "@aftersales/kit";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { Kind, parse, type GraphQLFormattedError } from "graphql";
import { sendToSubgraph, type SubgraphAnswer } from "./connections.js";

/** What the gateway knows about a request while planning and fetching it. */
export interface GatewayContext extends Record<string, unknown> {
  identity: Identity;
  /** The signed identity header, made once per request and sent with every subgraph fetch. */
  identityHeader: string;
  /** The request's id (`x-request-id`), sent with every subgraph fetch so their log lines can be found together. */
  requestId?: string;
}

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Answer = Awaited<ReturnType<GraphQLDataSource<GatewayContext>["process"]>>;

export interface SubgraphOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Production names no service and no cause in the error a client sees. */
  production: boolean;
  logger: Logger;
}

/** The requests on their way to any subgraph that another may join, by caller, subgraph and request. */
const inFlight = new Map<string, Promise<SubgraphAnswer>>();

/** Leaves a caller's reads on their way to finish, but lets nothing join them any more. */
function forgetReadsOf(caller: string): void {
  for (const key of inFlight.keys()) if (key.startsWith(`${caller}\n`)) inFlight.delete(key);
}

/**
 * How the gateway talks to one subgraph. It sends only the identity the
 * gateway signed: nothing the client sent, headers included, is forwarded.
 * It sends a request again only when the subgraph provably never read it and
 * running it twice would do no harm (a query, or a mutation with an
 * idempotency key): never after a timeout, so a mutation without a key runs
 * at most once. A subgraph that answered with GraphQL errors, whatever its
 * HTTP status, has its errors passed on with their codes (and production
 * shows of them what it shows of any error). Only a subgraph that gave no
 * GraphQL answer at all (down, slower than the timeout, a body that is not
 * GraphQL) is answered for, with a SUBGRAPH_UNAVAILABLE error on each field
 * it was asked for, so the client gets everyone else's data and sees exactly
 * which fields are missing.
 *
 * Apollo's RemoteGraphQLDataSource does the same through fetch objects made
 * per call (headers, request, response, a body stream); this one sends the
 * JSON and reads the answer's bytes straight off the connection.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly onRetry: (error: Error) => void;
  constructor(private readonly options: SubgraphOptions) {
    this.onRetry = (error) =>
      options.logger.debug({ err: error, subgraph: options.name }, "a subgraph closed the connection before reading the request; sent again");
  }

  async process(options: Options): Promise<Answer> {
    const timer = subgraphFetchDuration.startTimer({ subgraph: this.options.name });
    let outcome = "unavailable";
    try {
      const answer = await this.answer(options);
      outcome = answer.outcome;
      return answer.result;
    } finally {
      timer({ outcome });
    }
  }

  /** The subgraph's answer, or the one given for it, and which it was (`ok`, `errors`, `unavailable`: no GraphQL answer). */
  private async answer(options: Options): Promise<{ result: Answer; outcome: string }> {
    const { request } = options;
    if (!request.query) throw new Error("Missing query");
    // Only a client's operation has fields to answer for and a caller to sign for (the gateway's own checks do not).
    const incoming = "incomingRequestContext" in options ? options : null;
    // Each distinct entity is asked for once (a page of 100 units names a few dozen customers); the answers go back to every place that asked.
    const distinct = distinctRepresentations(request.variables);
    const sent = distinct ? { ...request, variables: distinct.variables } : request;
    let answered: SubgraphAnswer;
    try {
      answered = await this.send(options, sent);
    } catch (error) {
      if (!incoming) throw error;
      return this.unavailable(request, error);
    }
    const body = bodyIn(answered);
    if (distinct) answerEveryPosition(body, distinct.positions);
    const ok = answered.status >= 200 && answered.status < 300;
    if (ok && isObject(body)) {
      if (incoming) restrictCachePolicy(incoming, answered.headers["cache-control"]);
      const result = body as Answer;
      return { result, outcome: result.errors?.length ? "errors" : "ok" };
    }
    const failure = ok ? new Error(`Expected JSON response body, but received: ${String(body)}`) : new Error(`${answered.status}: ${answered.statusText}`);
    if (!incoming) throw failure;
    const graphql = ok ? null : graphQLAnswerIn(body);
    if (graphql) {
      // Errors of the request as a whole (refused variables) point at every field it held, as if the fields had failed.
      const paths = pathsAsked(request.query, request.variables);
      const errors = graphql.errors.flatMap((e) => (e.path || graphql.data || paths.length === 0 ? [e] : paths.map((path) => ({ ...e, path }))));
      return { result: { data: graphql.data, errors }, outcome: "errors" };
    }
    return this.unavailable(request, failure);
  }

  /**
   * Sends the request, or joins the same one already on its way: the same
   * query with the same variables for the same caller (the identity header
   * signed for them is part of what must match, so one caller never gets
   * another's answer). Each joined request gets the answer's bytes and reads
   * them into objects of its own. Mutations are never joined, and neither
   * is a request that asks the subgraph for a trace of its own.
   */
  private send(options: Options, sent: Options["request"]): Promise<SubgraphAnswer> {
    const headers = this.headersFor(options);
    const body = bodyOf(sent);
    const caller = headers[IDENTITY_HEADER];
    const query = isQuery(sent.query ?? "");
    // A caller's change, in any subgraph, ends the joining of their reads already on their way: a read sent after it must see it.
    if (caller && !query) forgetReadsOf(caller);
    const joinable = caller && query && !options.request.http && "incomingRequestContext" in options;
    if (!joinable) return sendToSubgraph(this.options.url, { method: "POST", headers, body }, this.options.timeoutMs, this.onRetry);
    const key = `${caller}\n${this.options.url}\n${body}`;
    const running = inFlight.get(key);
    if (running) return running;
    const answer = sendToSubgraph(this.options.url, { method: "POST", headers, body }, this.options.timeoutMs, this.onRetry).finally(() => {
      if (inFlight.get(key) === answer) inFlight.delete(key);
    });
    inFlight.set(key, answer);
    return answer;
  }

  /** The headers of a request to the subgraph: the signed identity and the request id, nothing the client sent. */
  private headersFor(options: Options): Record<string, string> {
    const headers: Record<string, string> = {};
    // What Apollo's executor asks for itself (a federated trace), when it does.
    for (const [name, value] of options.request.http?.headers ?? []) headers[name] = value;
    headers["content-type"] = "application/json";
    const context = "incomingRequestContext" in options ? options.context : null;
    if (context?.identityHeader) headers[IDENTITY_HEADER] = context.identityHeader;
    const requestId = context?.requestId ?? currentRequest()?.requestId;
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    return headers;
  }

  /** A SUBGRAPH_UNAVAILABLE error on each field the request asked for. */
  private unavailable(request: Options["request"], error: unknown): { result: Answer; outcome: string } {
    const paths = pathsAsked(request.query, request.variables);
    const message = this.options.production
      ? "A service this answer needs did not respond; the fields it holds are missing. Try again shortly."
      : `The ${this.options.name} subgraph did not respond (${error instanceof Error ? error.message : String(error)}).`;
    const extensions = { code: "SUBGRAPH_UNAVAILABLE", ...(this.options.production ? {} : { serviceName: this.options.name }) };
    const errors: GraphQLFormattedError[] = paths.map((path) => ({ message, path, extensions }));
    return { result: { data: null, errors }, outcome: "unavailable" };
  }
}

/**
 * The representations of an `_entities` request with each distinct one
 * once, and for each one asked for, where its distinct one is. Null when
 * there is nothing to save (no representations, or no two alike).
 */
export function distinctRepresentations(variables: Record<string, unknown> | undefined): { variables: Record<string, unknown>; positions: number[] } | null {
  const representations = variables?.["representations"];
  if (!Array.isArray(representations) || representations.length < 2) return null;
  const seen = new Map<string, number>();
  const distinct: unknown[] = [];
  // The executor writes every representation of a fetch from one selection, so equal ones are equal as JSON text.
  const positions = representations.map((representation: unknown) => {
    const key = JSON.stringify(representation);
    let position = seen.get(key);
    if (position === undefined) {
      position = distinct.length;
      seen.set(key, position);
      distinct.push(representation);
    }
    return position;
  });
  if (distinct.length === representations.length) return null;
  return { variables: { ...variables, representations: distinct }, positions };
}

/**
 * A subgraph's answer to the distinct representations, spread back over
 * every representation asked for: `_entities` in the order asked, each a
 * copy of its own (the executor merges later fetches into them, per place),
 * and each error about an entity repeated at every place that entity holds.
 */
export function answerEveryPosition(body: unknown, positions: number[]): void {
  if (!isObject(body)) return;
  const data = body["data"];
  const entities = isObject(data) ? data["_entities"] : undefined;
  // An answer of another length is left as it is, for the executor to refuse as it refuses any such answer.
  const distinct = positions.reduce((count, position) => Math.max(count, position + 1), 0);
  if (isObject(data) && Array.isArray(entities) && entities.length === distinct) {
    const used = new Set<number>();
    data["_entities"] = positions.map((position) => {
      const entity: unknown = entities[position];
      if (used.has(position)) return copyOf(entity);
      used.add(position);
      return entity;
    });
  }
  const errors = body["errors"];
  if (Array.isArray(errors)) {
    body["errors"] = errors.flatMap((error: unknown) => {
      const path = isObject(error) ? error["path"] : undefined;
      if (!Array.isArray(path) || path[0] !== "_entities" || typeof path[1] !== "number") return [error];
      const at = path[1];
      const spread = positions.flatMap((position, index) => (position === at ? [{ ...(error as object), path: ["_entities", index, ...path.slice(2)] }] : []));
      return spread.length ? spread : [error];
    });
  }
}

/** A copy of a JSON value, nothing shared. */
function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyOf);
  if (isObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = copyOf(value[key]);
    return copy;
  }
  return value;
}

/**
 * Whether a subgraph request is a query. The planner writes each fetch as
 * one operation, its keyword first (the parsed document is not handed over
 * unless asked for); anything else, a fragment first included, counts as
 * not a query.
 */
function isQuery(query: string): boolean {
  return /^\s*(query\b|\{)/.test(query);
}

/** The request as JSON, as Apollo's data source sends it. */
function bodyOf(request: Options["request"]): string {
  const { query, variables, operationName, extensions } = request;
  return JSON.stringify({ query, variables, operationName, ...(extensions ? { extensions } : {}) });
}

/** The answer's body: parsed when it says it is JSON (null when it is not), else its text. */
function bodyIn(answer: SubgraphAnswer): unknown {
  const type = answer.headers["content-type"];
  const text = answer.body.toString("utf8");
  if (type && (type.startsWith("application/json") || type.startsWith("application/graphql-response+json"))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * What Apollo's data source does with a subgraph's `cache-control`: the
 * client's answer may be cached no longer, nor more widely, than each part
 * of it (no header: not at all).
 */
function restrictCachePolicy(options: Extract<Options, { incomingRequestContext: unknown }>, header: string | undefined): void {
  const policy = options.incomingRequestContext.overallCachePolicy;
  if (!policy || !("restrict" in policy)) return;
  const directives = (header ?? "")
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  const maxAge = directives.find((d) => d.startsWith("max-age="))?.slice("max-age=".length);
  policy.restrict({
    maxAge: maxAge && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.includes("private") ? { scope: "PRIVATE" as const } : directives.includes("public") ? { scope: "PUBLIC" as const } : {}),
  });
}

/**
 * The GraphQL answer in a subgraph's response that was not a 2xx: its body,
 * when that is a GraphQL result with errors. Null when the subgraph gave no
 * GraphQL answer.
 */
function graphQLAnswerIn(body: unknown): { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] } | null {
  if (typeof body !== "object" || body === null) return null;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  const isError = (e: unknown): e is GraphQLFormattedError => typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string";
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every(isError)) return null;
  const isData = typeof data === "object" && data !== null && !Array.isArray(data);
  return { data: isData ? (data as Record<string, unknown>) : null, errors };
}

/**
 * The paths of what a subgraph request asked for: one per representation of
 * an `_entities` fetch (the gateway maps them back to the fields in the
 * client's query), else one per root field.
 */
function pathsAsked(query: string | undefined, variables: Record<string, unknown> | undefined): (string | number)[][] {
  const operation = query ? parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) : undefined;
  const roots = (operation?.selectionSet.selections ?? []).flatMap((selection) =>
    selection.kind === Kind.FIELD ? [(selection.alias ?? selection.name).value] : [],
  );
  const representations = variables?.representations;
  if (roots.length === 1 && roots[0] === "_entities" && Array.isArray(representations)) {
    return representations.map((_, index) => ["_entities", index]);
  }
  return roots.map((root) => [root]);
}

/**
 * One operation sent by the gateway itself straight to a subgraph (not
 * through its own API), signed like any request: for what it must know
 * before or besides a caller's request (API keys, the public survey page).
 */
export async function askSubgraph<T>(name: string, url: string, identityHeader: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const requestId = currentRequest()?.requestId;
  const headers = { "content-type": "application/json", [IDENTITY_HEADER]: identityHeader, ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) };
  const response = await sendToSubgraph(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) }, 5_000);
  const body = JSON.parse(response.body.toString("utf8")) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) {
    throw new Error(`The ${name} subgraph could not answer: ${body.errors?.map((e) => e.message).join("; ") ?? response.status}`);
  }
  return body.data;
}
