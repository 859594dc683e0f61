/**
 * Seeds the demo data into a data directory once, all or nothing: a marker
 * file records that it was done, so later starts keep whatever users wrote
 * since; and a seed that does not finish (a failure, Ctrl-C, a crash) leaves
 * the database as it was before the seed began, so that it is seeded again
 * whole, never twice over and never in part.
 *
 * All or nothing rather than resuming where it stopped: the seed writes
 * about 1,700 objects through the public API, most of them without a
 * natural key a resumed seed could look up (events, stock movements,
 * ticket steps, survey answers), and the events between subgraphs are
 * in flight when it stops. Putting back the database folder as it was is
 * simple and exact.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "@aftersales/kit";
import { seedDemo, type DemoSummary } from "./seed/index.js";

/** Written once the demo data is in; its presence means "never seed again". */
export const DEMO_MARKER = "demo-seeded.json";
/** Written before seeding starts and removed when it succeeds; left behind by a seed that did not finish. */
export const DEMO_IN_PROGRESS_MARKER = "demo-seeding.json";
/** The database folder as it was before the seed began, when there was one. */
export const BEFORE_DEMO_COPY = "before-demo";

export interface DemoMarker {
  seed: number;
  today: string;
  counts: DemoSummary["counts"];
  handles: DemoSummary["handles"];
  durationMs: number;
  finishedAt: string;
}

interface InProgressMarker {
  startedAt: string;
  /** Whether the database folder existed before the seed (then `BEFORE_DEMO_COPY` holds it) or the seed made it. */
  databaseBefore: "copied" | "none";
}

export interface SeedOnceOptions<Running> {
  dataDir: string;
  /** The folder the embedded database keeps its files in. */
  databaseDir: string;
  /** Whether demo data is wanted (DEMO_DATA); an unfinished seed is undone either way. */
  wanted: boolean;
  /** Opens the database and starts the graph on it. */
  start: () => Promise<Running>;
  /** Stops the graph and closes the database. */
  stop: (running: Running) => Promise<void>;
  /** Whether the process is shutting down (a signal): a seed cut off by it is left for the next start to undo. */
  stopping: () => boolean;
  /** The gateway's GraphQL endpoint, once started. */
  url: (running: Running) => string;
  /** Waits until every event committed so far has been applied (the graph's in-process relay). */
  settle: (running: Running) => Promise<void>;
  /** Where people reach the graph, for the sample query in the log. */
  publicUrl: (running: Running) => string;
  /** An ADMIN token for the seed. */
  token: () => Promise<string>;
  logger: Logger;
  /** How often the seed is tried from the start before the graph runs without it; 2 when left out. */
  attempts?: number;
  seed?: number;
  today?: string;
}

/** Where the markers, the database and its copy live. */
type DemoFolder = Pick<SeedOnceOptions<unknown>, "dataDir" | "databaseDir" | "logger">;

/**
 * Undoes a seed that did not finish, then starts the graph and, when the
 * data directory was never seeded, seeds it: on a failure the database is
 * put back as it was and the seed tried again from the start. Never throws
 * for a failed seed: the graph then runs without the demo, and the next
 * start seeds again. Returns the running graph.
 */
export async function startWithDemoOnce<Running>(options: SeedOnceOptions<Running>): Promise<Running> {
  const { dataDir, logger } = options;
  const markerFile = path.join(dataDir, DEMO_MARKER);
  if (!undoUnfinishedSeed(options)) return options.start();
  if (existsSync(markerFile)) {
    const running = await options.start();
    if (options.wanted) {
      const marker = readJson<DemoMarker>(markerFile);
      logger.info({ seededAt: marker?.finishedAt, marker: markerFile }, "demo data already seeded; keeping the data as it is");
      if (marker?.handles?.serialNumber) logger.info(`Try it: open ${options.publicUrl(running)} and run ${sampleQuery(marker.handles.serialNumber)}`);
    }
    return running;
  }
  if (!options.wanted) return options.start();

  const attempts = options.attempts ?? 2;
  for (let attempt = 1; ; attempt++) {
    beginSeed(options);
    const running = await options.start();
    try {
      const summary = await seedDemo({
        url: options.url(running),
        settle: () => options.settle(running),
        token: await options.token(),
        logger,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.today === undefined ? {} : { today: options.today }),
      });
      finishSeed(options, summary, options.publicUrl(running));
      return running;
    } catch (error) {
      // Shutting down: the next start undoes what this seed wrote.
      if (options.stopping()) return running;
      await options.stop(running);
      if (options.stopping()) return running;
      if (!undoUnfinishedSeed(options)) throw error;
      if (attempt < attempts) {
        logger.warn({ err: error, attempt }, "seeding the demo data failed; its data was undone, seeding again from the start");
        continue;
      }
      logger.error(
        { err: error },
        `Seeding the demo data failed ${attempts} times; its data was undone, so ${dataDir} holds what it held before. ` +
          "The graph runs without demo data; the next start seeds it again (DEMO_DATA=false starts without).",
      );
      return options.start();
    }
  }
}

/** Keeps a copy of the database folder as it is, then marks the seed as begun. */
function beginSeed({ dataDir, databaseDir }: DemoFolder): void {
  const copy = path.join(dataDir, BEFORE_DEMO_COPY);
  const partial = `${copy}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(copy, { recursive: true, force: true });
  const existed = existsSync(databaseDir);
  if (existed) {
    // Copied under another name first: a copy cut off halfway is never taken for the whole.
    cpSync(databaseDir, partial, { recursive: true });
    renameSync(partial, copy);
  }
  writeJson(path.join(dataDir, DEMO_IN_PROGRESS_MARKER), {
    startedAt: new Date().toISOString(),
    databaseBefore: existed ? "copied" : "none",
  } satisfies InProgressMarker);
}

function finishSeed({ dataDir, logger }: DemoFolder, summary: DemoSummary, publicUrl: string): void {
  const markerFile = path.join(dataDir, DEMO_MARKER);
  const marker: DemoMarker = {
    seed: summary.seed,
    today: summary.today,
    counts: summary.counts,
    handles: summary.handles,
    durationMs: summary.durationMs,
    finishedAt: new Date().toISOString(),
  };
  writeJson(markerFile, marker);
  rmSync(path.join(dataDir, DEMO_IN_PROGRESS_MARKER), { force: true });
  rmSync(path.join(dataDir, BEFORE_DEMO_COPY), { recursive: true, force: true });
  logger.info(
    { unitsByStatus: summary.counts.unitsByStatus, marker: markerFile },
    `demo data: ${summary.counts.dealers} dealers, ${summary.counts.serviceCenters} service centers, ` +
      `${summary.counts.customers} customers, ${summary.counts.units} units, ${summary.counts.consumablePurchases} consumable purchases, ` +
      `${summary.counts.warranty.serviceContracts} service contracts, ${summary.counts.warranty.claims.total} warranty claims, ` +
      `${summary.counts.tickets.total} service tickets (seeded in ${(summary.durationMs / 1000).toFixed(1)} s)`,
  );
  logger.info(`Try it: open ${publicUrl} and run ${sampleQuery(summary.handles.serialNumber)}`);
}

/**
 * Puts the database folder back as it was before a seed that did not
 * finish. The database must be closed. A seed that finished but was cut off
 * while tidying up is only tidied. False when the seed was an older
 * version's, which kept no copy: the data is then left as it is.
 */
function undoUnfinishedSeed({ dataDir, databaseDir, logger }: DemoFolder): boolean {
  const inProgressFile = path.join(dataDir, DEMO_IN_PROGRESS_MARKER);
  const copy = path.join(dataDir, BEFORE_DEMO_COPY);
  rmSync(`${copy}.partial`, { recursive: true, force: true });
  if (!existsSync(inProgressFile) || existsSync(path.join(dataDir, DEMO_MARKER))) {
    rmSync(inProgressFile, { force: true });
    rmSync(copy, { recursive: true, force: true });
    return true;
  }
  const marker = readJson<Partial<InProgressMarker>>(inProgressFile);
  if (marker?.databaseBefore === "copied" && existsSync(copy)) {
    rmSync(databaseDir, { recursive: true, force: true });
    renameSync(copy, databaseDir);
  } else if (marker?.databaseBefore === "none") {
    rmSync(databaseDir, { recursive: true, force: true });
  } else {
    logger.error(
      `An earlier demo seed into ${dataDir}, by an older version, did not finish; what the database held before it is unknown, ` +
        `so the data is kept as it is, without seeding. To start over with the demo, stop the graph and delete ${dataDir}.`,
    );
    return false;
  }
  rmSync(inProgressFile, { force: true });
  logger.warn({ startedAt: marker.startedAt }, "an earlier demo seed did not finish; its data was undone");
  return true;
}

/** A query worth pasting into GraphiQL, about a real unit of the demo. */
export function sampleQuery(serialNumber: string): string {
  return `{ unit(serialNumber: "${serialNumber}") { status product { name } customer { name companyName } soldBy { name } events { kind occurredOn note } } }`;
}

/** Written under another name, then renamed: a marker is never half written. */
function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.partial`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}
