/**
 * The scheduler deployable: runs the graph's periodic jobs (jobs.ts: SLA
 * breaches, surveys, maintenance planning, pruning of the event tables) once
 * per period across however many replicas run, a crashed replica's run taken
 * over by another (scheduling.ts). Mutation jobs go through the gateway with
 * a short-lived staff token signed with JWT_SECRET; pruning works on each
 * subgraph's database (`<NAME>_DATABASE_URL`, as the relay takes them, but
 * as the tables' owner: it makes and drops partitions).
 */
import {
  createLogger,
  DEFAULT_INBOX_KEEP_DAYS,
  env,
  loadConfig,
  openDatabase,
  pingDatabase,
  runMain,
  serveOperations,
  serviceEnv,
  startTelemetry,
  stopOnSignal,
} from "@aftersales/kit";
import { publishedOutboxes } from "@aftersales/kit/jetstream";
import { eventConsumers, producers, subgraphs } from "@aftersales/schema";
import { connect } from "@nats-io/transport-node";
import { z } from "zod";
import { signToken } from "./auth/development.js";
import { eventDatabasesEnv, everySubgraphDatabaseEnv, subgraphDatabases } from "./databases.js";
import { graphJobs } from "./jobs.js";
import { startScheduler } from "./scheduling.js";

const config = z
  .object({
    ...serviceEnv(4011),
    /** The gateway's GraphQL endpoint, e.g. http://gateway:4000/graphql. */
    GATEWAY_URL: env.url(),
    /** The gateway's token secret: the scheduler signs itself a 5-minute AGENT token with it for each run. */
    JWT_SECRET: env.secret(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    /** The scheduler's own database, shared by its replicas (its `scheduler.job_runs`). */
    DATABASE_URL: env.postgresUrl(),
    /** How long a consumer remembers the ids of events it applied. */
    EVENT_INBOX_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_INBOX_KEEP_DAYS),
    /** One period for every job instead of each one's own (for tests and drills). */
    SCHEDULER_PERIOD_MS: z.coerce.number().int().min(100).optional(),
    /** How long a run's claim holds unrenewed: a crashed replica's run is taken over after it. */
    SCHEDULER_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
    SCHEDULER_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    ...eventDatabasesEnv,
    ...everySubgraphDatabaseEnv,
  })
  // A publisher whose stream aged empty publishes the outbox again: its consumers must still remember those ids.
  .refine((settings) => settings.EVENT_INBOX_KEEP_DAYS > settings.EVENT_STREAM_MAX_AGE_DAYS + 1, {
    path: ["EVENT_INBOX_KEEP_DAYS"],
    message: "must be more than EVENT_STREAM_MAX_AGE_DAYS + 1: a republished event must still be recognised",
  });

runMain(async () => {
  const settings = loadConfig(config);
  const logger = createLogger("scheduler", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  await startTelemetry({ service: "scheduler" });
  const involved = subgraphs.map((subgraph) => subgraph.name);
  const targetOf = subgraphDatabases(settings, involved, 2);
  const handles = new Map(involved.map((name) => [name, openDatabase(targetOf(name))]));
  const nats = settings.NATS_URL ? await connect({ servers: settings.NATS_URL.split(","), name: "aftersales-scheduler", maxReconnectAttempts: -1 }) : null;
  const jobs = graphJobs({
    gateway: {
      url: settings.GATEWAY_URL,
      token: () =>
        signToken(settings.JWT_SECRET, {
          role: "AGENT",
          subject: "system:scheduler",
          expiresIn: "5m",
          ...(settings.JWT_ISSUER ? { issuer: settings.JWT_ISSUER } : {}),
          ...(settings.JWT_AUDIENCE ? { audience: settings.JWT_AUDIENCE } : {}),
        }),
    },
    retention: {
      producers,
      consumers: eventConsumers,
      dbOf: (name) => handles.get(name)!.db,
      inboxKeepDays: settings.EVENT_INBOX_KEEP_DAYS,
      ...(nats
        ? { jetstream: { publishedThrough: publishedOutboxes(nats, { prefix: settings.EVENT_STREAM_PREFIX }), maxAgeDays: settings.EVENT_STREAM_MAX_AGE_DAYS } }
        : {}),
    },
    subgraphs,
  });
  const database = { kind: "postgres", url: settings.DATABASE_URL, poolSize: 2 } as const;
  const scheduler = await startScheduler({
    database,
    jobs,
    logger,
    leaseMs: settings.SCHEDULER_LEASE_MS,
    tickMs: settings.SCHEDULER_TICK_MS,
    ...(settings.SCHEDULER_PERIOD_MS ? { periodMs: settings.SCHEDULER_PERIOD_MS } : {}),
  });
  const own = openDatabase(database);
  // Its whole HTTP side: /health, /ready (its own database answers) and /metrics (runs by job and outcome).
  const operations = await serveOperations({ name: "scheduler", logger, host: settings.HOST, port: settings.PORT, readyCheck: () => pingDatabase(own.db) });
  logger.info(
    { runner: scheduler.runner, port: operations.port, jobs: jobs.map((job) => ({ job: job.name, everyMs: settings.SCHEDULER_PERIOD_MS ?? job.everyMs })) },
    "scheduler running",
  );
  stopOnSignal(logger, async () => {
    await operations.stop();
    await scheduler.stop();
    await nats?.drain();
    await own.close();
    for (const handle of handles.values()) await handle.close();
  });
});
