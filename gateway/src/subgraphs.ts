import { currentRequest, IDENTITY_HEADER, REQUEST_ID_HEADER, subgraphFetchDuration, type Identity, type Logger } from "@aftersales/kit";
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { Kind, parse, type GraphQLFormattedError } from "graphql";
import { sendToSubgraph } from "./connections.js";

/** What the gateway knows about a request while planning and fetching it. */
export interface GatewayContext extends Record<string, unknown> {
  identity: Identity;
  /** The signed identity header, made once per request and sent with every subgraph fetch. */
  identityHeader: string;
  /** The request's id (`x-request-id`), sent with every subgraph fetch so their log lines can be found together. */
  requestId?: string;
}

type Answer = Awaited<ReturnType<RemoteGraphQLDataSource["process"]>>;

export interface SubgraphOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Production names no service and no cause in the error a client sees. */
  production: boolean;
  logger: Logger;
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
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly options: SubgraphOptions) {
    super({
      url: options.url,
      fetcher: (url, init) =>
        sendToSubgraph(url, init ?? {}, options.timeoutMs, (error) =>
          options.logger.debug({ err: error, subgraph: options.name }, "a subgraph closed the connection before reading the request; sent again"),
        ),
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.identityHeader) request.http?.headers.set(IDENTITY_HEADER, context.identityHeader);
    const requestId = context.requestId ?? currentRequest()?.requestId;
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
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
  private async answer(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<{ result: Answer; outcome: string }> {
    try {
      const result = await super.process(options);
      return { result, outcome: result.errors?.length ? "errors" : "ok" };
    } catch (error) {
      // Only a client's operation has fields to answer for (the gateway's own checks do not).
      if (!("incomingRequestContext" in options)) throw error;
      const paths = pathsAsked(options.request.query, options.request.variables);
      const answered = graphQLAnswerIn(error);
      if (answered) {
        // Errors of the request as a whole (refused variables) point at every field it held, as if the fields had failed.
        const errors = answered.errors.flatMap((e) => (e.path || answered.data || paths.length === 0 ? [e] : paths.map((path) => ({ ...e, path }))));
        return { result: { data: answered.data, errors }, outcome: "errors" };
      }
      const message = this.options.production
        ? "A service this answer needs did not respond; the fields it holds are missing. Try again shortly."
        : `The ${this.options.name} subgraph did not respond (${error instanceof Error ? error.message : String(error)}).`;
      const extensions = { code: "SUBGRAPH_UNAVAILABLE", ...(this.options.production ? {} : { serviceName: this.options.name }) };
      const errors: GraphQLFormattedError[] = paths.map((path) => ({ message, path, extensions }));
      return { result: { data: null, errors }, outcome: "unavailable" };
    }
  }
}

/**
 * The GraphQL answer in a subgraph's response that was not a 2xx (the data
 * source throws on those): its body, when that is a GraphQL result with
 * errors. Null when the subgraph gave no GraphQL answer.
 */
function graphQLAnswerIn(error: unknown): { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] } | null {
  // RemoteGraphQLDataSource.errorFromResponse keeps the response under `extensions.response`.
  const body = (error as { extensions?: { response?: { body?: unknown } } } | null)?.extensions?.response?.body;
  if (typeof body !== "object" || body === null) return null;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  const isError = (e: unknown): e is GraphQLFormattedError =>
    typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string";
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
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) {
    throw new Error(`The ${name} subgraph could not answer: ${body.errors?.map((e) => e.message).join("; ") ?? response.status}`);
  }
  return body.data;
}
