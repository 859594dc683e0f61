/**
 * The whole graph in one process (`npm start`): every subgraph on its own
 * port, the gateway in front, and one embedded PGlite database in DATA_DIR in
 * which each subgraph keeps its own Postgres schema. Migrations run at every
 * start; demo data is written once.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import {
  createLogger,
  env,
  loadConfig,
  openPglite,
  runMain,
  secretKey,
  stopOnSignal,
  type Logger,
} from "@aftersales/kit";
import { compose, readSupergraph } from "@aftersales/schema";
import { z } from "zod";
import { developmentSecrets, signToken } from "./auth/development.js";
import { seedDemoOnce } from "./demo/index.js";
import { startWholeGraph, type RunningGraph } from "./graph.js";
import { startJobs, type RunningJobs } from "./jobs.js";
import { limitsEnv, limitSettingsOf, memoryRateLimiter } from "./limits/index.js";

const config = z.object({
  PORT: env.port(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./.data"),
  /** Shifts every subgraph's port (4001-4005 by default), e.g. to run two copies side by side. */
  SUBGRAPH_PORT_OFFSET: z.coerce.number().int().min(0).max(60000).default(0),
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(true),
  /** Seeds the demo dataset into an empty data directory on first start. */
  DEMO_DATA: env.flag(true),
  /** Where people reach the gateway from outside, for survey links; the gateway's own address when not set. */
  PUBLIC_URL: env.publicUrl().optional(),
  ...limitsEnv,
});

runMain(async () => {
  const settings = loadConfig(config);
  const logger = createLogger("aftersales", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  const dataDir = path.resolve(settings.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  warnWhenSupergraphIsStale(logger);

  const secrets = developmentSecrets(dataDir);
  // Long enough for a working day in GraphiQL; `npm run token` makes more.
  const agentToken = await signToken(secrets.tokenSecret, { role: "AGENT", subject: "dev-agent", expiresIn: "12h" });
  const client = await openPglite(path.join(dataDir, "pglite"));
  let graph: RunningGraph | undefined;
  let jobs: RunningJobs | undefined;
  stopOnSignal(logger, async () => {
    jobs?.stop();
    await graph?.stop();
    await client.close();
  });
  graph = await startWholeGraph({
    database: { kind: "pglite", client },
    logger,
    host: settings.HOST,
    port: settings.PORT,
    subgraphPortOffset: settings.SUBGRAPH_PORT_OFFSET,
    security: {
      tokens: { secret: secretKey(secrets.tokenSecret) },
      identitySecret: secretKey(secrets.identitySecret),
      apiKeyCacheSeconds: 10,
      subgraphTimeoutMs: 10_000,
      limits: limitSettingsOf(settings),
      rateLimiter: memoryRateLimiter(),
      allowBatching: false,
    },
    graphiqlHeaders: { Authorization: `Bearer ${agentToken}` },
    ...(settings.PUBLIC_URL ? { publicUrl: settings.PUBLIC_URL } : {}),
  });
  const { gateway, subgraphUrls } = graph;

  logger.info({ subgraphs: subgraphUrls, data: dataDir }, "subgraphs ready");
  // The demo seed and the jobs talk to the gateway like any client; a wildcard host is reached on loopback.
  const wildcard = settings.HOST === "0.0.0.0" || settings.HOST === "::";
  const url = wildcard ? `http://127.0.0.1:${gateway.port}/graphql` : gateway.url;
  if (settings.DEMO_DATA) {
    const token = await signToken(secrets.tokenSecret, { role: "ADMIN", subject: "demo-seed", expiresIn: "1h" });
    await seedDemoOnce({ dataDir, url, token, publicUrl: gateway.url, logger: logger.child({ service: "demo" }) });
  }
  jobs = startJobs({
    url,
    token: () => signToken(secrets.tokenSecret, { role: "AGENT", subject: "system:jobs", expiresIn: "5m" }),
    logger: logger.child({ service: "jobs" }),
  });
  logger.info(
    [
      `The aftersales graph is ready at ${gateway.url}. Ctrl-C stops it.`,
      "  Open it in a browser for GraphiQL (it starts with an AGENT token).",
      "  Every request needs a token: `npm run token -- --role DEALER --dealer <dealer id>`",
      "  (or --role AGENT | ANALYST | ADMIN), sent as `Authorization: Bearer <token>`.",
    ].join("\n"),
  );
});

/** Serving a supergraph older than the code confuses everyone; say so at once (composing takes ~0.2 s). */
function warnWhenSupergraphIsStale(logger: Logger): void {
  const { supergraphSdl } = compose();
  if (supergraphSdl !== readSupergraph()) {
    logger.warn("schema/supergraph.graphql does not match the subgraphs' SDL: run `npm run compose`.");
  }
}
