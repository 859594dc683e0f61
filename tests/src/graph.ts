import { startGateway } from "@aftersales/gateway";
import { createLogger, type RunningServer } from "@aftersales/kit";
import { createTestDatabase } from "@aftersales/kit/testing";
import { readSupergraph, subgraphs } from "@aftersales/schema";

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
  const logger = createLogger("test", { level: "warn" });
  const running: RunningServer[] = [];
  const statements: Record<string, number> = {};
  const subgraphUrls: Record<string, string> = {};
  let gateway: RunningServer;
  try {
    for (const subgraph of subgraphs) {
      await subgraph.migrate(database.target);
      statements[subgraph.name] = 0;
      const server = await subgraph.start({
        database: database.target,
        port: 0,
        logger,
        onStatement: () => {
          statements[subgraph.name] = (statements[subgraph.name] ?? 0) + 1;
        },
      });
      running.push(server);
      subgraphUrls[subgraph.name] = server.url;
    }
    gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls,
      host: "127.0.0.1",
      port: 0,
      logger,
      production: false,
    });
    running.push(gateway);
  } catch (error) {
    for (const server of running) await server.stop();
    await database.drop();
    throw error;
  }

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
      for (const server of running.reverse()) await server.stop();
      await database.drop();
    },
  };
}
