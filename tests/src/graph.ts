import { startWholeGraph, type RunningGraph } from "@aftersales/gateway/graph";
import { createLogger } from "@aftersales/kit";
import { createTestDatabase } from "@aftersales/kit/testing";

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The whole graph on a fresh database, as a client sees it: one gateway URL. */
export interface TestGraph {
  url: string;
  /** Each subgraph's own URL, for talking to one directly (e.g. `_entities`). */
  subgraphUrls: Record<string, string>;
  /** Sends an operation through the gateway and returns the raw response. */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Sends an operation and returns its data; GraphQL errors fail the test. */
  query<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs `work` and counts the SQL statements each subgraph ran meanwhile. */
  countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: Record<string, number> }>;
  stop(): Promise<void>;
}

/** One GraphQL request over HTTP, as any client sends it. */
export async function postGraphQL<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export async function startGraph(): Promise<TestGraph> {
  const database = await createTestDatabase();
  const statements: Record<string, number> = {};
  let graph: RunningGraph;
  try {
    graph = await startWholeGraph({
      database: database.target,
      logger: createLogger("test", { level: "warn" }),
      host: "127.0.0.1",
      port: 0,
      subgraphPortOffset: null,
      onStatement: (subgraph) => {
        statements[subgraph] = (statements[subgraph] ?? 0) + 1;
      },
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const { gateway, subgraphUrls } = graph;
  for (const name of Object.keys(subgraphUrls)) statements[name] = 0;

  const request = <T>(query: string, variables: Record<string, unknown> = {}) => postGraphQL<T>(gateway.url, query, variables);

  return {
    url: gateway.url,
    subgraphUrls,
    request,
    async query<T>(query: string, variables?: Record<string, unknown>) {
      const response = await request<T>(query, variables);
      if (response.errors?.length || !response.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
      }
      return response.data;
    },
    async countStatements(work) {
      for (const name of Object.keys(statements)) statements[name] = 0;
      const result = await work();
      return { result, statements: { ...statements } };
    },
    async stop() {
      await graph.stop();
      await database.drop();
    },
  };
}
