import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { Logger } from "./logger.js";

export interface ServeOptions<TContext extends BaseContext> {
  /** Shown in logs and on the health endpoint. */
  name: string;
  logger: Logger;
  /** Production hides internal error messages and stack traces from clients. */
  production: boolean;
  /** What answers: a subgraph's schema or the gateway. */
  graph: { schema: GraphQLSchema } | { gateway: GatewayInterface };
  context: (req: express.Request) => Promise<TContext>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra routes mounted before `/graphql` (e.g. an IDE page). */
  routes?: (app: express.Express) => void;
  /** Checked by `GET /health`: throws when the service cannot serve (e.g. its database is gone). */
  healthCheck?: () => Promise<void>;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops taking requests, lets in-flight ones finish, then closes. */
  stop(): Promise<void>;
}

const INTERNAL = "INTERNAL_SERVER_ERROR";

/**
 * One HTTP server with GraphQL at `/graphql` and `GET /health`, the same for
 * every subgraph and the gateway.
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<RunningServer> {
  const { logger, production } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<TContext>({
    ...options.graph,
    includeStacktraceInErrorResponses: !production,
    introspection: !production,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      logUnexpectedErrors(logger),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => {
      // Unexpected failures may carry SQL or internals in their message.
      if (production && formatted.extensions?.code === INTERNAL) {
        return { message: "Internal server error", path: formatted.path, extensions: { code: INTERNAL } };
      }
      return formatted;
    },
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
    expressMiddleware(apollo, { context: async ({ req }) => options.context(req) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    stop: () => apollo.stop(),
  };
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
