import { jobRuns, type Logger } from "@aftersales/kit";

/**
 * Recurring jobs the embedded graph runs on itself, through the API like any
 * scheduler would (in production a cron job sends the same mutation with a
 * staff API key). Each job is idempotent, so a run that repeats one, or
 * several instances running it, changes nothing twice.
 */
export const JOBS = [
  {
    name: "maintenance planning",
    /** Creates the visits coming due, marks missed ones, expires ended contracts. */
    document: "mutation PlanMaintenance { planMaintenance { visitsCreated visitsMissed contractsExpired errors { code message } } }",
    everyMs: 6 * 60 * 60 * 1000,
  },
  {
    name: "SLA breaches",
    /** Records the breaches of SLA deadlines that passed since the last run. */
    document: "mutation RecordSlaBreaches { recordSlaBreaches { recorded errors { code message } } }",
    everyMs: 60 * 1000,
  },
  {
    name: "surveys",
    /** Opens the surveys that came due (at most one open per customer), cancels those about reopened tickets, expires unanswered ones. */
    document: "mutation OpenDueSurveys { openDueSurveys { opened cancelled expired errors { code message } } }",
    everyMs: 60 * 1000,
  },
] as const;

export interface RunningJobs {
  stop(): void;
}

/** Runs every job now and then on its interval; a failure is logged and retried on the next round. */
export function startJobs(options: { url: string; token: () => Promise<string>; logger: Logger }): RunningJobs {
  const run = async (job: (typeof JOBS)[number]) => {
    try {
      const response = await fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await options.token()}` },
        body: JSON.stringify({ query: job.document }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      jobRuns.inc({ job: job.name, outcome: body.errors?.length ? "failed" : "ok" });
      if (body.errors?.length) options.logger.warn({ job: job.name, errors: body.errors }, "job failed");
      // Every minute for some jobs: the details are for debugging.
      else options.logger.debug({ job: job.name, result: body.data }, "job ran");
    } catch (error) {
      jobRuns.inc({ job: job.name, outcome: "failed" });
      options.logger.warn({ job: job.name, err: error }, "job failed");
    }
  };
  const timers = JOBS.map((job) => {
    void run(job);
    return setInterval(() => void run(job), job.everyMs);
  });
  return {
    stop: () => timers.forEach((timer) => clearInterval(timer)),
  };
}
