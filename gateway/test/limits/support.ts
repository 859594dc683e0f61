import { ApolloServer, HeaderMap, type GraphQLResponse } from "@apollo/server";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import { Lexer, Source, TokenKind, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { armorFor, DEFAULT_LIMITS, limitsPlugin, memoryRateLimiter, type LimitSettings, type RateLimiter } from "../../src/limits/index.js";

/** The API schema clients see through the gateway. */
export const apiSchema: GraphQLSchema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

export interface Ctx {
  credential: string | null;
}

/**
 * An in-process server over the API schema with the limits wired as the
 * gateway wires them. Nothing resolves (no subgraphs): an operation that
 * passes the limits reaches execution and gets `data` (null, with errors).
 */
export async function limitedServer(options: { settings?: LimitSettings; production?: boolean; limiter?: RateLimiter } = {}): Promise<ApolloServer<Ctx>> {
  const settings = options.settings ?? DEFAULT_LIMITS;
  const armor = armorFor(settings, { production: options.production ?? false });
  const server = new ApolloServer<Ctx>({
    schema: apiSchema,
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, limitsPlugin<Ctx>({ settings, limiter: options.limiter ?? memoryRateLimiter(), credentialOf: (ctx) => ctx.credential })],
  });
  await server.start();
  return server;
}

export interface Outcome {
  status: number | undefined;
  headers: HeaderMap;
  /** Whether execution ran, i.e. no limit or validation refused the operation. */
  executed: boolean;
  errors: readonly GraphQLFormattedError[];
  codes: unknown[];
}

export async function run(
  server: ApolloServer<Ctx>,
  query: string,
  variables: Record<string, unknown> = {},
  credential: string | null = "dealer-1",
): Promise<Outcome> {
  const response: GraphQLResponse = await server.executeOperation({ query, variables }, { contextValue: { credential } });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  const { singleResult } = response.body;
  const errors = singleResult.errors ?? [];
  return {
    status: response.http.status,
    headers: response.http.headers,
    executed: "data" in singleResult,
    errors,
    codes: errors.map((e) => e.extensions?.code),
  };
}

/** What a client gets over HTTP, for refusals that happen before Apollo parses. */
export async function post(server: ApolloServer<Ctx>, query: string) {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: "POST",
      headers: new HeaderMap([["content-type", "application/json"]]),
      search: "",
      body: { query },
    },
    context: async () => ({ credential: null }),
  });
  const body = response.body.kind === "complete" ? response.body.string : "";
  return { status: response.status, body: JSON.parse(body) as { errors?: GraphQLFormattedError[]; data?: unknown } };
}

export function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}
