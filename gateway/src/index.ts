/**
 * The gateway on its own, in front of subgraphs that run elsewhere: the
 * production shape. Subgraph URLs come from the supergraph unless
 * SUBGRAPH_<NAME>_URL overrides them.
 */
import { ConfigError, createLogger, env, loadConfigs, runMain, serviceEnv, startTelemetry, stopOnSignal } from "@aftersales/kit";
import { readSupergraph, SUPERGRAPH_FILE, subgraphsIn } from "@aftersales/schema/supergraph";
import { z } from "zod";
import { startGateway } from "./server.js";
import { gatewaySecurityOf, securityModel } from "./settings.js";

const urlVariable = (name: string) => `SUBGRAPH_${name.toUpperCase()}_URL`;

const config = z.object({
  ...serviceEnv(4000),
  SUPERGRAPH_FILE: z.string().optional(),
  /** Apollo's variable, with the opposite default: `false` sends Apollo's hourly usage report (see `startGateway`). */
  APOLLO_TELEMETRY_DISABLED: env.flag(true),
  /** `/metrics` is served here, apart from PORT, which the public reaches (see `GatewayOptions.metricsPort`). */
  METRICS_PORT: env.port(9464),
});

const URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/** Every SUBGRAPH_<NAME>_URL in the environment, checked to be a URL. */
const urlConfig = z.preprocess(
  (environment) => Object.fromEntries(Object.entries(environment as Record<string, string | undefined>).filter(([key]) => URL_VARIABLE.test(key))),
  z.record(z.string(), env.url()),
);

runMain(async () => {
  const { settings, security, urls } = loadConfigs({ settings: config, security: securityModel, urls: urlConfig });
  await startTelemetry({ service: "gateway" });
  const logger = createLogger("gateway", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  const supergraphSdl = readSupergraph(settings.SUPERGRAPH_FILE ?? SUPERGRAPH_FILE);
  const subgraphs = subgraphsIn(supergraphSdl);
  const subgraphUrls: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [variable, url] of Object.entries(urls)) {
    const subgraph = subgraphs.find((s) => urlVariable(s.name) === variable);
    if (subgraph) subgraphUrls[subgraph.name] = url;
    else unknown.push(`${variable}: the supergraph has no such subgraph (it has ${subgraphs.map((s) => s.name).join(", ")})`);
  }
  // A misspelt variable would silently leave a subgraph at its default URL.
  if (unknown.length) throw new ConfigError(unknown);
  const running = await startGateway({
    supergraphSdl,
    subgraphUrls,
    host: settings.HOST,
    port: settings.PORT,
    metricsPort: settings.METRICS_PORT,
    logger,
    production: settings.NODE_ENV === "production",
    drainTimeoutMs: settings.SHUTDOWN_DRAIN_MS,
    apolloTelemetry: !settings.APOLLO_TELEMETRY_DISABLED,
    ...gatewaySecurityOf(security),
  });
  const routes = subgraphs.map(({ name, url }) => ({ name, url: subgraphUrls[name] ?? url }));
  logger.info({ url: running.url, metrics: running.metricsUrl, subgraphs: routes }, "gateway ready");
  stopOnSignal(logger, () => running.stop());
});
