import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { executeRows, openDatabase, waitUntil, type DatabaseTarget } from "@aftersales/kit";
import { createTestDatabase, type TestDatabase } from "@aftersales/kit/testing";
import { subgraphs } from "@aftersales/schema";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, type TestGraph } from "./src/graph.js";
import { logLine, startGraphProcess, type GraphProcess } from "./src/processes.js";

/**
 * The scheduler deployable: several replicas against one graph run each job
 * once per period, and a replica killed in the middle of a run has the run
 * taken over by another.
 */

/** The mutation each job sends, by the operation name the gateway receives. */
const OPERATIONS: Record<string, string> = {
  PlanMaintenance: "maintenance planning",
  RecordSlaBreaches: "SLA breaches",
  RecordComplaintBreaches: "complaint deadlines",
  OpenDueSurveys: "surveys",
};
const JOBS = [...Object.values(OPERATIONS), "pruning"];

/**
 * Stands between the schedulers and the gateway, counting the mutations it
 * receives and those the gateway answered, by operation; while `holding`, it keeps each request without
 * answering (a run stuck mid-way) until its client goes away.
 */
async function gatewayProxy(target: string) {
  const received: Record<string, number> = {};
  const answered: Record<string, number> = {};
  const held: ServerResponse[] = [];
  const state = { holding: false };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const operation = /mutation (\w+)/.exec(body)?.[1] ?? "other";
      received[operation] = (received[operation] ?? 0) + 1;
      if (state.holding) {
        held.push(response);
        return;
      }
      void fetch(target, { method: "POST", headers: { "content-type": "application/json", authorization: request.headers.authorization ?? "" }, body })
        .then(async (answer) => {
          const text = await answer.text();
          if (answer.ok) answered[operation] = (answered[operation] ?? 0) + 1;
          response.writeHead(answer.status, { "content-type": "application/json" }).end(text);
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    answered,
    held,
    state,
    close: () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface JobRun {
  job: string;
  period: string;
  runner: string;
  attempt: number;
  finished: boolean;
  error: string | null;
}

function jobRuns(target: DatabaseTarget) {
  const handle = openDatabase(target);
  return {
    all: () =>
      executeRows<JobRun>(
        handle.db,
        sql`select job, period_start::text as period, runner, attempt, finished_at is not null as finished, error
        from scheduler.job_runs order by period_start, job`,
      ).catch((error: unknown) => {
        // Not there until the first scheduler made it.
        if (String(error).includes("does not exist")) return [] as JobRun[];
        throw error;
      }),
    close: () => handle.close(),
  };
}

describe("the scheduler", () => {
  let graph: TestGraph;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await graph?.stop();
  });

  /** A scheduler process against the graph, through `gatewayUrl`, keeping its runs in `database`. */
  const startScheduler = (database: TestDatabase, gatewayUrl: string, settings: Record<string, string>): GraphProcess => {
    if (graph.database.kind !== "postgres" || database.target.kind !== "postgres") throw new Error("the scheduler runs on PostgreSQL");
    const subgraphDatabase = graph.database.url;
    const scheduler = startGraphProcess("gateway/src/scheduler.ts", {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      GATEWAY_URL: gatewayUrl,
      JWT_SECRET: graph.tokenSecret,
      DATABASE_URL: database.target.url,
      ...Object.fromEntries(subgraphs.map(({ name }) => [`${name.toUpperCase()}_DATABASE_URL`, subgraphDatabase])),
      ...settings,
    });
    cleanups.push(async () => {
      scheduler.child.kill("SIGKILL");
      await scheduler.exited;
    });
    return scheduler;
  };

  /** A database of the schedulers' own, a proxy in front of the gateway, and a reader of the job runs. */
  const schedulerWorld = async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const proxy = await gatewayProxy(graph.url);
    cleanups.push(() => proxy.close());
    const runs = jobRuns(database.target);
    cleanups.push(() => runs.close());
    return { database, proxy, runs };
  };

  const stopGracefully = async (scheduler: GraphProcess) => {
    scheduler.child.kill("SIGTERM");
    expect(await scheduler.exited).toBe(0);
  };

  it("runs each job once per period however many replicas run", async (context) => {
    if (graph.database.kind !== "postgres") return context.skip("the scheduler keeps its runs on PostgreSQL (TEST_DATABASE_URL)");
    const { database, proxy, runs } = await schedulerWorld();

    // given two replicas, with periods of two seconds instead of a minute to six hours
    const settings = { SCHEDULER_PERIOD_MS: "2000", SCHEDULER_TICK_MS: "100", SCHEDULER_LEASE_MS: "30000" };
    const replicas = [startScheduler(database, proxy.url, settings), startScheduler(database, proxy.url, settings)];
    await Promise.all(replicas.map((replica) => logLine(replica, "scheduler running", 60_000)));

    // when several periods pass
    await waitUntil("every job finished runs in four periods", async () => {
      const finished = (await runs.all()).filter((run) => run.finished);
      const short = JOBS.filter((job) => finished.filter((run) => run.job === job).length < 4);
      return short.length === 0 || `still fewer than four runs of ${short.join(", ")}`;
    });
    for (const replica of replicas) await stopGracefully(replica);

    // then each job ran once in each of its periods: one run per period, taken by one replica at the first
    // attempt and finished (or, on a machine busy enough that the gateway failed it, left with its error),
    // and the gateway was sent each mutation exactly as often as its job has runs
    const all = await runs.all();
    expect(all.filter((run) => run.attempt !== 1 || (!run.finished && !run.error))).toEqual([]);
    for (const [operation, job] of Object.entries(OPERATIONS)) {
      expect({ job, sent: proxy.received[operation] ?? 0 }).toEqual({ job, sent: all.filter((run) => run.job === job).length });
    }
    // and each run's outcome was logged by the replica that made it
    const outcomes = ['"msg":"job ran"', '"msg":"job failed; it is tried again within its period"'];
    const logged = replicas.map(
      (replica) =>
        replica
          .output()
          .split("\n")
          .filter((line) => outcomes.some((outcome) => line.includes(outcome))).length,
    );
    expect(logged.reduce((a, b) => a + b)).toBe(all.length);
  });

  it("takes over the run of a replica killed in the middle of it", async (context) => {
    if (graph.database.kind !== "postgres") return context.skip("the scheduler keeps its runs on PostgreSQL (TEST_DATABASE_URL)");
    const { database, proxy, runs } = await schedulerWorld();
    // A period of a day: every run below belongs to the one period under way.
    const settings = { SCHEDULER_PERIOD_MS: String(24 * 60 * 60 * 1000), SCHEDULER_TICK_MS: "100", SCHEDULER_LEASE_MS: "2000" };

    // given a replica whose mutations reach the gateway and get no answer
    proxy.state.holding = true;
    const first = startScheduler(database, proxy.url, settings);
    const firstRunner = (await logLine(first, "scheduler running", 60_000))["runner"];
    await waitUntil("the first replica is in the middle of every mutation job, its pruning done", async () => {
      const all = await runs.all();
      const pruned = all.some((run) => run.job === "pruning" && run.finished);
      return (pruned && proxy.held.length === Object.keys(OPERATIONS).length) || `${proxy.held.length} requests held, pruning done: ${pruned}`;
    });
    const stuck = await runs.all();
    expect(stuck.filter((run) => !run.finished).map((run) => [run.job, run.runner])).toEqual(
      expect.arrayContaining(Object.values(OPERATIONS).map((job) => [job, firstRunner])),
    );

    // when it is killed and another replica runs
    first.child.kill("SIGKILL");
    await first.exited;
    proxy.state.holding = false;
    const second = startScheduler(database, proxy.url, settings);
    const secondRunner = (await logLine(second, "scheduler running", 60_000))["runner"];

    // then the second replica finishes the killed one's runs of the period, once its lease ran out
    await waitUntil("every run of the period finished", async () => {
      const open = (await runs.all()).filter((run) => !run.finished);
      return open.length === 0 || `still open: ${open.map((run) => run.job).join(", ")}`;
    });
    await stopGracefully(second);
    const all = await runs.all();
    expect(new Set(all.map((run) => run.period)).size).toBe(1);
    expect(all.map((run) => [run.job, run.runner, run.attempt]).sort()).toEqual(
      [...Object.values(OPERATIONS).map((job) => [job, secondRunner, 2]), ["pruning", firstRunner, 1]].sort(),
    );
    // and each mutation reached the gateway once: the killed replica's requests were never answered
    expect(proxy.answered).toEqual(Object.fromEntries(Object.keys(OPERATIONS).map((operation) => [operation, 1])));
  });
});
