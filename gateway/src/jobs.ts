import { expireRows, jobRuns, maintainPartitions, pruneEvents, type EventRetention, type Logger, type Subgraph } from "@aftersales/kit";

/**
 * The graph's periodic work, one list for both runners: the scheduler
 * deployable (scheduler.ts: once per period across its replicas) and the
 * embedded graph (`npm start`: timers in its one process). Each job is
 * idempotent, so a run repeated after a crash changes nothing twice.
 *
 * Webhook retries are no job here: the webhook sender (beside the relay)
 * polls for deliveries whose next attempt came due, each held under a lease
 * by one sender, so a retry is sent on time by whichever sender is up.
 */
export interface Job {
  name: string;
  /** How often it runs; its runs are keyed by the period they fall in. */
  everyMs: number;
  /** Runs it as of `now`; returns what it did, for the log. Throws when it failed (to be tried again). */
  run(now: Date): Promise<Record<string, unknown>>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Mutations sent through the gateway, like any client (the same rules, logs and limits apply). */
const MUTATIONS = [
  {
    name: "maintenance planning",
    /** Creates the visits coming due, marks missed ones, expires ended contracts. */
    document: "mutation PlanMaintenance { planMaintenance { visitsCreated visitsMissed contractsExpired errors { code message } } }",
    everyMs: 6 * HOUR,
  },
  {
    name: "SLA breaches",
    /** Records the breaches of SLA deadlines that passed since the last run. */
    document: "mutation RecordSlaBreaches { recordSlaBreaches { recorded errors { code message } } }",
    everyMs: MINUTE,
  },
  {
    name: "complaint deadlines",
    /** Records the complaint cases whose response deadline ran out unanswered since the last run. */
    document: "mutation RecordComplaintBreaches { recordComplaintBreaches { recorded errors { code message } } }",
    everyMs: MINUTE,
  },
  {
    name: "surveys",
    /** Opens the surveys that came due (at most one open per customer), cancels those about reopened tickets, expires unanswered ones. */
    document: "mutation OpenDueSurveys { openDueSurveys { opened cancelled expired errors { code message } } }",
    everyMs: MINUTE,
  },
] as const;

/** A job's mutation may take this long; past it the run counts as failed and is tried again. */
const MUTATION_TIMEOUT_MS = 5 * MINUTE;

export interface GraphJobsOptions {
  /** The gateway's GraphQL URL and a staff token for it (short-lived: asked for at each run). */
  gateway: { url: string; token: () => Promise<string> };
  /** The subgraphs' event tables, for pruning them; `dbOf` as the tables' owner, who may also drop partitions. */
  retention: EventRetention;
  /** The subgraphs whose tables are partitioned by month (each one's `partitioned`). */
  subgraphs: readonly Pick<Subgraph, "name" | "partitioned" | "expiring">[];
}

/** Every periodic job of the graph. */
export function graphJobs(options: GraphJobsOptions): Job[] {
  const mutate = async (document: string): Promise<Record<string, unknown>> => {
    const response = await fetch(options.gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await options.gateway.token()}` },
      body: JSON.stringify({ query: document }),
      signal: AbortSignal.timeout(MUTATION_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: Record<string, { errors?: unknown[] } | null> | null; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`the gateway answered ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
    const refused = Object.values(body.data).flatMap((payload) => payload?.errors ?? []);
    if (refused.length) throw new Error(`refused: ${JSON.stringify(refused)}`);
    return body.data;
  };
  return [
    ...MUTATIONS.map((job) => ({ name: job.name, everyMs: job.everyMs, run: () => mutate(job.document) })),
    {
      name: "pruning",
      everyMs: HOUR,
      run: async (now) => {
        const events = await pruneEvents(options.retention, now);
        const partitions: Record<string, unknown> = {};
        const expired: Record<string, number> = {};
        for (const subgraph of options.subgraphs) {
          const db = options.retention.dbOf(subgraph.name);
          for (const spec of subgraph.partitioned) partitions[`${subgraph.name}.${spec.table}`] = await maintainPartitions(db, subgraph.name, spec, now);
          for (const spec of subgraph.expiring) expired[`${subgraph.name}.${spec.table}`] = await expireRows(db, subgraph.name, spec, now);
        }
        return { ...events, partitions, expired };
      },
    },
  ];
}

/** Whether a run's outcome counts anything above zero: worth a line at info in a process that runs every minute. */
function changedSomething(outcome: unknown): boolean {
  if (typeof outcome === "number") return outcome > 0;
  if (Array.isArray(outcome)) return outcome.length > 0;
  if (outcome && typeof outcome === "object") return Object.values(outcome).some(changedSomething);
  return false;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/**
 * Runs every job now and then on its interval, in this process alone (the
 * embedded graph); a failure is logged and tried again on the next round.
 */
export function startJobs(jobs: readonly Job[], logger: Logger): RunningJobs {
  const running = new Set<Promise<void>>();
  let stopped = false;
  const run = (job: Job) => {
    if (stopped) return;
    const done = job
      .run(new Date())
      .then(
        (outcome) => {
          jobRuns.inc({ job: job.name, outcome: "ok" });
          // Runs that found nothing to do, every minute, are for debugging.
          if (changedSomething(outcome)) logger.info({ job: job.name, outcome }, "job ran");
          else logger.debug({ job: job.name, outcome }, "job ran");
        },
        (error: unknown) => {
          jobRuns.inc({ job: job.name, outcome: "failed" });
          logger.warn({ job: job.name, err: error }, "job failed; it runs again next round");
        },
      )
      .finally(() => running.delete(done));
    running.add(done);
  };
  const timers = jobs.map((job) => {
    run(job);
    return setInterval(() => run(job), job.everyMs);
  });
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
}
