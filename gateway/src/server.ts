import {
  callerOf,
  claimsKey,
  currentRequest,
  guardedCaller,
  sendGraphQLError,
  serveGraphQL,
  serveOperations,
  setCaller,
  type IdentitySigner,
  type Logger,
  type RunningServer,
} from "@aftersales/kit";
import { subgraphsIn } from "@aftersales/schema/supergraph";
import type { GraphQLError } from "graphql";
import { createAuthenticator, type TokenSettings } from "./auth/credentials.js";
import { persistedOperations } from "./auth/operations.js";
import { CompletingGateway } from "./completion.js";
import { partnersApiKeyLookup, partnersDealerCheck, partnersOperationLookup } from "./auth/partners.js";
import { serveGraphiQL } from "./graphiql.js";
import { serveInsights } from "./insights/index.js";
import { SubgraphDataSource, type GatewayContext } from "./subgraphs.js";
import { serveSurveyPages } from "./surveys/page.js";
import { armorFor, limitsPlugin, requestRateLimit, type LimitSettings, type RateLimiter } from "./limits/index.js";

export interface GatewayOptions {
  /** The composed supergraph; the gateway never introspects subgraphs. */
  supergraphSdl: string;
  /** Subgraph URLs by name, replacing the URLs recorded in the supergraph. */
  subgraphUrls?: Record<string, string>;
  host: string;
  port: number;
  logger: Logger;
  production: boolean;
  /** How callers' tokens are checked; every `/graphql` request is refused without valid credentials. */
  tokens: TokenSettings;
  /** How long an API key's lookup is remembered (0: never); a revoked key works at most this long. */
  apiKeyCacheSeconds: number;
  /** Signs the caller's identity for the subgraphs, which trust nothing else. */
  identitySigner: IdentitySigner;
  limits: LimitSettings;
  /** Where rate-limit counters live: this process's memory, or Redis shared by every replica. */
  rateLimiter: RateLimiter;
  /** Several operations in one HTTP request; off unless configured, as it multiplies what one request costs. */
  allowBatching?: boolean;
  /** A subgraph that has not answered by then is given up on: its fields are null, with an error. */
  subgraphTimeoutMs: number;
  /** Headers GraphiQL starts with (development only), e.g. a development token. */
  graphiqlHeaders?: Record<string, string>;
  /** How long stopping lets accepted requests run before it cuts them off. */
  drainTimeoutMs?: number;
  /** Apollo's own usage report (see `apolloTelemetry`); off unless asked for. */
  apolloTelemetry?: boolean;
  /**
   * Where `GET /metrics` is served: a port of its own (0: any free one), on
   * `host` too, or null for the gateway's own port. Production keeps it on a
   * port of its own (METRICS_PORT): Prometheus reaches the pod there, while
   * the Ingress or load balancer in front sends the public only to `port`,
   * so what the metrics tell (operation names, error rates, subgraph
   * latencies) stays inside. The embedded graph, a development runner on
   * loopback, serves it on its one port.
   */
  metricsPort?: number | null;
}

export interface RunningGateway extends RunningServer {
  /** Where `/metrics` is scraped (the gateway's own origin when it has no port of its own). */
  metricsUrl: string;
}

/**
 * How long the gateway takes a dealer it found for known: a DEALER token's
 * dealer is then checked without asking partners. Unknown dealers are asked
 * about every time, so a new dealer is accepted at once.
 */
const KNOWN_DEALER_SECONDS = 60;

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const overrides = options.subgraphUrls ?? {};
  const urlOf = (name: string, url: string | undefined) => {
    const chosen = overrides[name] ?? url;
    if (!chosen) throw new Error(`The supergraph records no URL for the ${name} subgraph; set one.`);
    return chosen;
  };
  const partners = subgraphsIn(options.supergraphSdl).find((s) => s.name === "partners");
  if (!partners) throw new Error("The supergraph has no partners subgraph, which keeps the API keys.");
  const partnersUrl = urlOf(partners.name, partners.url);
  const feedback = subgraphsIn(options.supergraphSdl).find((s) => s.name === "feedback");
  const authenticator = createAuthenticator(
    options.tokens,
    partnersApiKeyLookup({ url: partnersUrl, identitySigner: options.identitySigner, cacheSeconds: options.apiKeyCacheSeconds }),
    partnersDealerCheck({ url: partnersUrl, identitySigner: options.identitySigner, cacheSeconds: KNOWN_DEALER_SECONDS }),
  );
  const armor = armorFor(options.limits, { production: options.production });
  apolloTelemetry(options.apolloTelemetry ?? false);
  const gateway = new CompletingGateway(
    {
      supergraphSdl: options.supergraphSdl,
      logger: options.logger,
      buildService: ({ name, url }) =>
        new SubgraphDataSource({ name, url: urlOf(name, url), timeoutMs: options.subgraphTimeoutMs, production: options.production, logger: options.logger }),
    },
    {
      production: options.production,
      logger: options.logger,
      callerOf: (context) => {
        const { identity } = context as GatewayContext;
        return identity ? claimsKey(identity) : null;
      },
    },
  );
  // The gateway is ready once it serves: its supergraph is loaded before it listens. Redis, when it keeps the
  // rate limits, must answer too, or every request would fail.
  const readyCheck = async () => {
    await options.rateLimiter.ping?.();
  };
  const metricsApart = options.metricsPort !== undefined && options.metricsPort !== null;
  const gatewayServer = await serveGraphQL<GatewayContext>({
    name: "gateway",
    readyCheck,
    metrics: !metricsApart,
    logger: options.logger,
    production: options.production,
    graph: { gateway },
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: options.allowBatching ?? false,
    plugins: [
      ...armor.plugins,
      limitsPlugin<GatewayContext>({
        settings: options.limits,
        limiter: options.rateLimiter,
        credentialOf: (context) => context.identity.credential,
      }),
    ],
    guard: [
      (req, res, next) => {
        authenticator.authenticate(req).then(
          async (identity) => {
            setCaller(res, { identity, identityHeader: await options.identitySigner.sign(identity) });
            next();
          },
          (error: unknown) => {
            if (isGraphQLError(error)) return sendGraphQLError(res, error);
            next(error);
          },
        );
      },
      requestRateLimit({
        limiter: options.rateLimiter,
        settings: options.limits,
        credentialOf: (_req, res) => callerOf(res)?.identity.credential ?? null,
      }),
      persistedOperations(partnersOperationLookup(partnersUrl)),
    ],
    context: async (_req, res) => {
      const { identity, identityHeader = "" } = guardedCaller(res);
      const requestId = currentRequest()?.requestId;
      return { identity, identityHeader, ...(requestId ? { requestId } : {}) };
    },
    routes: (app) => {
      app.get("/favicon.ico", (_req, res) => {
        res.set({ "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" }).send(FAVICON);
      });
      // Customers answer surveys through their link, without an account.
      if (feedback) serveSurveyPages(app, { feedbackUrl: urlOf(feedback.name, feedback.url), identitySigner: options.identitySigner, logger: options.logger });
      serveInsights(app, { maxTokens: options.limits.maxTokens, ...(options.production ? {} : { headers: options.graphiqlHeaders }) });
      if (!options.production) serveGraphiQL(app, options.graphiqlHeaders);
    },
    host: options.host,
    port: options.port,
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
  });
  if (!metricsApart) return { ...gatewayServer, metricsUrl: gatewayServer.url.replace(/\/graphql$/, "/metrics") };
  const metricsServer = await serveOperations({
    name: "gateway",
    logger: options.logger,
    host: options.host,
    port: options.metricsPort ?? 0,
    readyCheck,
    whenPortInUse: "set METRICS_PORT",
  }).catch(async (error: unknown) => {
    await gatewayServer.stop();
    throw error;
  });
  return {
    ...gatewayServer,
    metricsUrl: `${metricsServer.url}/metrics`,
    async stop() {
      await gatewayServer.stop();
      await metricsServer.stop();
    },
  };
}

/**
 * Apollo's gateway reports its uptime and host (CPU, memory, operating
 * system, cloud provider) to Apollo every hour unless told not to, and to
 * name the cloud it first probes the metadata endpoints of AWS, GCP, Azure
 * and Alibaba, which outside those clouds ends in a MetadataLookupWarning
 * at start. This graph sends nothing anywhere unless configured to
 * (APOLLO_TELEMETRY_DISABLED=false). The gateway reads the variable, and
 * nothing else, as it is constructed.
 */
function apolloTelemetry(wanted: boolean): void {
  process.env.APOLLO_TELEMETRY_DISABLED = wanted ? "false" : "true";
}

/** A browser asks every page's host for an icon; answered here so no page logs a 404 for it. */
const FAVICON = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#2f6f8f"/></svg>`);

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === "GraphQLError";
}
