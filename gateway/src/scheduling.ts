import { randomUUID } from "node:crypto";
import { executeRows, jobRuns, openDatabase, type DatabaseTarget, type Logger } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import type { Job } from "./jobs.js";

/**
 * Runs jobs once per period across every replica of the scheduler, on its
 * own PostgreSQL database: a `scheduler.job_runs` row per job and period.
 * A replica claims a run by inserting that row; the primary key lets one
 * insert win, and the winner holds a lease it renews while it runs. A run
 * whose lease ran out unfinished (its runner crashed, or lost its database)
 * is taken over by the next replica to look, with its attempt counted;
 * a finished run is never taken again.
 *
 * Why not pg-boss or graphile-worker: both are queues first, and their
 * cron sits beside a worker pool, its own schema of a dozen tables and
 * migrations, and a queue per job; what is needed here is only "once per
 * job and period, taken over after a crash", which one table keyed by job
 * and period says directly, and which an operator can read with one query
 * (`select * from scheduler.job_runs order by started_at desc`).
 */

export interface SchedulerOptions {
  /** The scheduler's own database (PostgreSQL): every replica shares it. */
  database: DatabaseTarget;
  jobs: readonly Job[];
  logger: Logger;
  /** Every job's period, overriding each job's own (tests make time pass this way). */
  periodMs?: number;
  /** How long a claim holds without being renewed; a crashed runner's run is taken over after it. */
  leaseMs: number;
  /** How often a replica looks for runs to claim. */
  tickMs: number;
}

export interface RunningScheduler {
  /** This replica's name in `job_runs.runner`. */
  runner: string;
  /** Stops claiming and waits for the runs under way. */
  stop(): Promise<void>;
}

/** Made at start, in a transaction under a lock, so replicas starting together make it once. */
const TABLE = [
  sql`create schema if not exists scheduler`,
  sql`create table if not exists scheduler.job_runs (
    job text not null,
    period_start timestamptz not null,
    runner text not null,
    attempt integer not null default 1,
    started_at timestamptz not null default now(),
    lease_until timestamptz not null,
    finished_at timestamptz,
    outcome jsonb,
    error text,
    primary key (job, period_start)
  )`,
];

/** How much of the lease passes before a runner renews it. */
const RENEW_SHARE = 3;

/** The runs of old periods kept for reading back; older ones are deleted at each pruning of the table. */
const KEEP_RUNS_DAYS = 30;

export async function startScheduler(options: SchedulerOptions): Promise<RunningScheduler> {
  const handle = openDatabase(options.database);
  const { db } = handle;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('aftersales:scheduler:schema'))`);
    for (const statement of TABLE) await tx.execute(statement);
  });
  const runner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs;
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  /** This replica's claim on the job's run of the current period, or null when another holds or finished it. */
  const claim = async (job: Job): Promise<{ period: string; attempt: number } | null> => {
    const periodMs = options.periodMs ?? job.everyMs;
    // The period from the database's clock, so replicas on machines whose clocks differ agree on it.
    const [row] = await executeRows<{ period: string; attempt: number }>(
      db,
      sql`
      insert into scheduler.job_runs as r (job, period_start, runner, lease_until)
      values (${job.name}, to_timestamp(floor(extract(epoch from now()) * 1000 / ${periodMs}) * ${periodMs} / 1000.0), ${runner},
              now() + ${leaseMs} * interval '1 millisecond')
      on conflict (job, period_start) do update
        set runner = excluded.runner, attempt = r.attempt + 1, started_at = now(), lease_until = excluded.lease_until, error = null
        where r.finished_at is null and r.lease_until < now()
      returning to_char(period_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as period, attempt`,
    );
    return row ?? null;
  };

  /** Statements about this replica's own claim: they change nothing once another replica took the run over. */
  const mine = (job: Job, period: string, attempt: number) =>
    sql`job = ${job.name} and period_start = ${period}::timestamptz and runner = ${runner} and attempt = ${attempt}`;

  const run = async (job: Job, period: string, attempt: number) => {
    const log = { job: job.name, period, attempt, runner };
    const renewal = setInterval(() => {
      void executeRows(
        db,
        sql`update scheduler.job_runs set lease_until = now() + ${leaseMs} * interval '1 millisecond'
          where ${mine(job, period, attempt)} and finished_at is null returning job`,
      ).then(
        (rows) => {
          if (!rows.length) options.logger.warn(log, "job run taken over by another runner after its lease ran out");
        },
        (error: unknown) => options.logger.warn({ ...log, err: error }, "renewing the job's lease failed"),
      );
    }, leaseMs / RENEW_SHARE);
    try {
      const outcome = await job.run(new Date());
      await db.execute(sql`update scheduler.job_runs set finished_at = now(), lease_until = now(), outcome = ${JSON.stringify(outcome)}::jsonb
        where ${mine(job, period, attempt)}`);
      jobRuns.inc({ job: job.name, outcome: "ok" });
      options.logger.info({ ...log, outcome }, "job ran");
    } catch (error) {
      // Left unfinished, with its lease cut short: a replica tries again within the period.
      const retryMs = Math.min(leaseMs, 30_000);
      await db
        .execute(sql`update scheduler.job_runs set error = ${error instanceof Error ? error.message : String(error)},
            lease_until = now() + ${retryMs} * interval '1 millisecond' where ${mine(job, period, attempt)}`)
        .catch(() => undefined);
      jobRuns.inc({ job: job.name, outcome: "failed" });
      options.logger.warn({ ...log, err: error }, "job failed; it is tried again within its period");
    } finally {
      clearInterval(renewal);
    }
  };

  const tick = async () => {
    for (const job of options.jobs) {
      if (stopped || running.has(job.name)) continue;
      try {
        const claimed = await claim(job);
        if (!claimed) continue;
        const done = run(job, claimed.period, claimed.attempt).finally(() => running.delete(job.name));
        running.set(job.name, done);
      } catch (error) {
        options.logger.warn({ job: job.name, err: error }, "claiming the job's run failed; it is tried again");
      }
    }
  };
  const forgetOldRuns = () =>
    db.execute(sql`delete from scheduler.job_runs where finished_at < now() - ${KEEP_RUNS_DAYS} * interval '1 day'`).catch((error: unknown) => {
      options.logger.warn({ err: error }, "deleting old job runs failed");
    });

  let ticking: Promise<void> = tick();
  const timer = setInterval(() => {
    ticking = ticking.then(tick);
  }, options.tickMs);
  const cleanup = setInterval(() => void forgetOldRuns(), 6 * 60 * 60 * 1000);
  return {
    runner,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(cleanup);
      await ticking;
      await Promise.all(running.values());
      await handle.close();
    },
  };
}
