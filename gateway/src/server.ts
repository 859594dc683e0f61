import { serveGraphQL, type Logger, type RunningServer } from "@aftersales/kit";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { serveGraphiQL } from "./graphiql.js";

export interface GatewayOptions {
  /** The composed supergraph; the gateway never introspects subgraphs. */
  supergraphSdl: string;
  /** Subgraph URLs by name, replacing the URLs recorded in the supergraph. */
  subgraphUrls?: Record<string, string>;
  host: string;
  port: number;
  logger: Logger;
  production: boolean;
}

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const overrides = options.subgraphUrls ?? {};
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: overrides[name] ?? url }),
  });
  return serveGraphQL({
    name: "gateway",
    logger: options.logger,
    production: options.production,
    graph: { gateway },
    context: async () => ({}),
    routes: options.production ? undefined : serveGraphiQL,
    host: options.host,
    port: options.port,
  });
}
