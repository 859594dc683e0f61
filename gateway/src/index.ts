/**
 * The gateway on its own, in front of subgraphs that run elsewhere: the
 * production shape. Subgraph URLs come from the supergraph unless
 * SUBGRAPH_<NAME>_URL overrides them.
 */
import { createLogger, env, loadConfigs, runMain, stopOnSignal } from "@aftersales/kit";
import { readSupergraph, SUPERGRAPH_FILE, subgraphs } from "@aftersales/schema";
import { z } from "zod";
import { startGateway } from "./server.js";

const urlVariable = (name: string) => `SUBGRAPH_${name.toUpperCase()}_URL`;

const config = z.object({
  PORT: env.port(4000),
  HOST: env.host(),
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(false),
  SUPERGRAPH_FILE: z.string().optional(),
});

const urlConfig = z.object(Object.fromEntries(subgraphs.map((s) => [urlVariable(s.name), env.url().optional()])));

runMain(async () => {
  const { settings, urls } = loadConfigs({ settings: config, urls: urlConfig });
  const logger = createLogger("gateway", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  const subgraphUrls: Record<string, string> = {};
  for (const { name } of subgraphs) {
    const url = urls[urlVariable(name)];
    if (url) subgraphUrls[name] = url;
  }
  const running = await startGateway({
    supergraphSdl: readSupergraph(settings.SUPERGRAPH_FILE ?? SUPERGRAPH_FILE),
    subgraphUrls,
    host: settings.HOST,
    port: settings.PORT,
    logger,
    production: settings.NODE_ENV === "production",
  });
  logger.info({ url: running.url, subgraphUrls }, "gateway ready");
  stopOnSignal(logger, () => running.stop());
});
