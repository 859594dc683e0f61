/**
 * The whole graph in one process (`npm start`): every subgraph on its own
 * port, the gateway in front, and one embedded PGlite database in DATA_DIR in
 * which each subgraph keeps its own Postgres schema. Migrations run at every
 * start; demo data is written once.
 *
 * GraphiQL and the insights page start with a 12-hour AGENT token only while
 * the graph listens on this machine alone and not in production: a token in
 * a page is handed to whoever can open the page.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startWithDemoOnce } from "@aftersales/demo";
import {
  createLogger,
  DEFAULT_INBOX_KEEP_DAYS,
  env,
  identitySigner,
  loadConfig,
  openDatabase,
  openPglite,
  runMain,
  secretKey,
  startTelemetry,
  stopOnSignal,
  type DatabaseTarget,
  type Logger,
} from "@aftersales/kit";
import { compose, eventConsumers, producers, readSupergraph, subgraphs } from "@aftersales/schema";
import { z } from "zod";
import { DEFAULT_DATA_DIR, developmentSecrets, isLoopback, signToken } from "./auth/development.js";
import { bootGatewayThread } from "./gateway-thread.js";
import { startWholeGraph, type RunningGraph } from "./graph.js";
import { graphJobs, startJobs, type RunningJobs } from "./jobs.js";
import { limitsEnv, limitSettingsOf, memoryRateLimiter } from "./limits/index.js";

const config = z.object({
  PORT: env.port(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** The checkout's `.data` unless set (relative to the working directory then). */
  DATA_DIR: z.string().min(1).optional(),
  /** Shifts every subgraph's port (4001-4006 by default), e.g. to run two copies side by side. */
  SUBGRAPH_PORT_OFFSET: z.coerce.number().int().min(0).max(60000).default(0),
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(true),
  /** Seeds the demo dataset into an empty data directory on first start. */
  DEMO_DATA: env.flag(true),
  /** `production`: no development token in any page, no GraphiQL, no introspection or suggestions, masked errors. */
  NODE_ENV: env.nodeEnv(),
  SHUTDOWN_DRAIN_MS: env.drainMs(),
  /** Where people reach the gateway from outside, for survey links; the gateway's own address when not set. */
  PUBLIC_URL: env.publicUrl().optional(),
  /** `/metrics` on a port of its own; on the gateway's port when not set (a development runner on loopback). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  ...limitsEnv,
});

runMain(async () => {
  const settings = loadConfig(config);
  await startTelemetry({ service: "aftersales" });
  // One terminal for six servers: a line per request (the demo seed alone sends thousands) would bury
  // the lines a person needs; LOG_LEVEL=debug shows them.
  const logOptions = { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY, requestsAt: "debug" } as const;
  const logger = createLogger("aftersales", logOptions);
  const dataDir = settings.DATA_DIR ? path.resolve(settings.DATA_DIR) : DEFAULT_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const defaultDataDir = dataDir === DEFAULT_DATA_DIR;
  /** As the user would name it: `.data` when it is the default, else the whole path. */
  const shownDataDir = defaultDataDir ? ".data" : dataDir;
  // `npm run token` reads the secret in the checkout's .data; a graph kept elsewhere says how to reach its own.
  const tokenCommand = `${defaultDataDir ? "" : `DATA_DIR=${shellQuoted(dataDir)} `}npm run token --`;

  warnWhenSupergraphIsStale(logger);

  const secrets = await developmentSecrets(dataDir);
  const production = settings.NODE_ENV === "production";
  const pagesGetToken = !production && isLoopback(settings.HOST);
  // Long enough for a working day in GraphiQL; `npm run token` makes more.
  const pageHeaders = pagesGetToken
    ? { Authorization: `Bearer ${await signToken(secrets.tokenSecret, { role: "AGENT", subject: "dev-agent", expiresIn: "12h" })}` }
    : undefined;
  const databaseDir = path.join(dataDir, "pglite");
  let stopping = false;
  let current: Running | undefined;
  let jobs: RunningJobs | undefined;
  stopOnSignal(logger, async () => {
    stopping = true;
    await jobs?.stop();
    await current?.stop();
    logger.info(`stopped; the data is kept in ${shownDataDir} for the next start`);
  });
  /** Opens the database and starts the graph on it; a signal meanwhile stops whatever of it is up. */
  const start = async (): Promise<Running> => {
    // Loads the gateway's code on the other core while this one opens, migrates and starts the subgraphs.
    const gatewayThread = bootGatewayThread({ identityKey: secrets.identityKey, log: { name: "aftersales", ...logOptions } }, logger);
    const client = await openPglite(databaseDir).catch(async (error: unknown) => {
      await gatewayThread.close();
      throw error;
    });
    let graph: RunningGraph | undefined;
    let stopped: Promise<void> | undefined;
    const running: Running = {
      database: { kind: "pglite", client },
      graph: () => {
        if (!graph) throw new Error("The graph has not started.");
        return graph;
      },
      stop: () =>
        (stopped ??= (async () => {
          await graph?.stop();
          await gatewayThread.close();
          await client.close();
        })()),
    };
    current = running;
    graph = await startWholeGraph({
      database: { kind: "pglite", client },
      logger,
      host: settings.HOST,
      port: settings.PORT,
      subgraphPortOffset: settings.SUBGRAPH_PORT_OFFSET,
      production,
      security: {
        tokens: { secret: secretKey(secrets.tokenSecret) },
        identitySigner: identitySigner(secrets.identityKey),
        apiKeyCacheSeconds: 10,
        // One embedded database serves every subgraph and the relay, one transaction at a time: on a busy
        // machine a request may wait behind a batch of events far longer than on a server of its own.
        subgraphTimeoutMs: 30_000,
        limits: limitSettingsOf(settings),
        // Counted in the gateway's thread, which makes its own.
        rateLimiter: memoryRateLimiter(),
        allowBatching: false,
      },
      ...(pageHeaders ? { graphiqlHeaders: pageHeaders } : {}),
      drainTimeoutMs: settings.SHUTDOWN_DRAIN_MS,
      ...(settings.PUBLIC_URL ? { publicUrl: settings.PUBLIC_URL } : {}),
      metricsPort: settings.METRICS_PORT ?? null,
      // The gateway on a core of its own: the subgraphs, PGlite and the relay keep this thread busy.
      startGateway: (options) =>
        gatewayThread.start(options, (error) => {
          logger.fatal({ err: error }, "the gateway stopped unexpectedly; stopping the graph");
          void running.stop().finally(() => process.exit(1));
        }),
    }).catch(async (error: unknown) => {
      // Closed cleanly, so the next start finds the database as it was (a port in use fails here).
      await gatewayThread.close();
      await client.close();
      throw error;
    });
    logger.info({ subgraphs: graph.subgraphUrls, data: dataDir }, "subgraphs ready");
    return running;
  };
  // The demo seed and the jobs talk to the gateway like any client; a wildcard host is reached on loopback.
  const wildcard = settings.HOST === "0.0.0.0" || settings.HOST === "::";
  const localUrl = (running: Running) => {
    const { gateway } = running.graph();
    return wildcard ? `http://127.0.0.1:${gateway.port}/graphql` : gateway.url;
  };
  const running = await startWithDemoOnce({
    dataDir,
    databaseDir,
    wanted: settings.DEMO_DATA,
    start,
    stop: (r) => r.stop(),
    stopping: () => stopping,
    url: localUrl,
    settle: (r) => r.graph().events.settle(),
    publicUrl: (r) => r.graph().gateway.url,
    token: () => signToken(secrets.tokenSecret, { role: "ADMIN", subject: "demo-seed", expiresIn: "1h" }),
    logger: logger.child({ service: "demo" }),
  });
  if (stopping) return;
  const { gateway } = running.graph();
  const url = localUrl(running);
  // One database holds every subgraph's schema: the pruning reads and deletes through one handle.
  const events = openDatabase(running.database);
  jobs = startJobs(
    graphJobs({
      gateway: { url, token: () => signToken(secrets.tokenSecret, { role: "AGENT", subject: "system:jobs", expiresIn: "5m" }) },
      retention: { producers, consumers: eventConsumers, dbOf: () => events.db, inboxKeepDays: DEFAULT_INBOX_KEEP_DAYS },
      subgraphs,
    }),
    logger.child({ service: "jobs" }),
  );
  logger.info(
    [
      `The aftersales graph is ready at ${gateway.url}. Ctrl-C stops it.`,
      pagesGetToken
        ? "  Open it in a browser for GraphiQL (it starts with an AGENT token)."
        : production
          ? "  NODE_ENV=production: no GraphiQL, no introspection, errors masked; no page carries a token."
          : `  Open it in a browser for GraphiQL. It listens beyond this machine (HOST=${settings.HOST}), so no page carries a token: paste one into its headers.`,
      `  Every request needs a token: \`${tokenCommand} --role DEALER --dealer <dealer id>\``,
      "  (or --role AGENT | ANALYST | ADMIN), sent as `Authorization: Bearer <token>`.",
    ].join("\n"),
  );
});

/** The graph on its database, as one start made it. */
interface Running {
  database: DatabaseTarget;
  graph(): RunningGraph;
  /** Stops the graph, then closes the database; once, however often it is called. */
  stop(): Promise<void>;
}

/** Serving a supergraph older than the code confuses everyone; say so at once (composing takes ~0.2 s). */
function warnWhenSupergraphIsStale(logger: Logger): void {
  const { supergraphSdl } = compose();
  if (supergraphSdl !== readSupergraph()) {
    logger.warn("schema/supergraph.graphql does not match the subgraphs' SDL: run `npm run compose`.");
  }
}

/** A path as a POSIX shell reads it back, quoted only when it needs to be. */
function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
