/**
 * Seeds the demo data into a data directory once: a marker file records that
 * it was done, so later starts keep whatever users wrote since.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "@aftersales/kit";
import { seedDemo, type DemoSummary } from "./seed.js";

/** Written once the demo data is in; its presence means "never seed again". */
export const DEMO_MARKER = "demo-seeded.json";
/** Written before seeding starts and removed when it succeeds; left behind by a seed that failed or was cut off. */
export const DEMO_IN_PROGRESS_MARKER = "demo-seeding.json";

export interface DemoMarker {
  seed: number;
  today: string;
  counts: DemoSummary["counts"];
  handles: DemoSummary["handles"];
  durationMs: number;
  finishedAt: string;
}

export interface SeedOnceOptions {
  dataDir: string;
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** An ADMIN token for the seed. */
  token: string;
  /** Where people reach the graph, for the sample query in the log. */
  publicUrl?: string;
  logger: Logger;
  seed?: number;
  today?: string;
}

export type SeedOnceResult =
  | { outcome: "seeded"; summary: DemoSummary }
  | { outcome: "already-seeded"; marker: DemoMarker | null }
  | { outcome: "failed"; error: unknown };

/**
 * Seeds unless the data directory says it was seeded (or a seed was cut off).
 * Never throws: a failed seed is logged with what to do, and the graph keeps running.
 */
export async function seedDemoOnce(options: SeedOnceOptions): Promise<SeedOnceResult> {
  const { dataDir, logger } = options;
  const markerFile = path.join(dataDir, DEMO_MARKER);
  const inProgressFile = path.join(dataDir, DEMO_IN_PROGRESS_MARKER);
  const publicUrl = options.publicUrl ?? options.url;

  if (existsSync(markerFile)) {
    const marker = readMarker(markerFile);
    logger.info({ seededAt: marker?.finishedAt, marker: markerFile }, "demo data already seeded; keeping the data as it is");
    if (marker?.handles?.serialNumber) logger.info(`Try it: open ${publicUrl} and run ${sampleQuery(marker.handles.serialNumber)}`);
    return { outcome: "already-seeded", marker };
  }
  if (existsSync(inProgressFile)) {
    logger.error(
      `An earlier demo seed into ${dataDir} did not finish, so the data there is incomplete and seeding again would duplicate it. ` +
        `To start over, stop the graph, delete ${dataDir} and start again (or set DEMO_DATA=false to start without demo data).`,
    );
    return { outcome: "failed", error: new Error("an earlier demo seed did not finish") };
  }

  try {
    writeFileSync(inProgressFile, `${JSON.stringify({ startedAt: new Date().toISOString() }, null, 2)}\n`);
    const summary = await seedDemo({ url: options.url, token: options.token, logger, seed: options.seed, today: options.today });
    const marker: DemoMarker = {
      seed: summary.seed,
      today: summary.today,
      counts: summary.counts,
      handles: summary.handles,
      durationMs: summary.durationMs,
      finishedAt: new Date().toISOString(),
    };
    writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    rmSync(inProgressFile, { force: true });
    logger.info(
      { unitsByStatus: summary.counts.unitsByStatus, marker: markerFile },
      `demo data: ${summary.counts.dealers} dealers, ${summary.counts.serviceCenters} service centers, ` +
        `${summary.counts.customers} customers, ${summary.counts.units} units, ${summary.counts.consumablePurchases} consumable purchases, ` +
        `${summary.counts.warranty.serviceContracts} service contracts, ${summary.counts.warranty.claims.total} warranty claims, ` +
        `${summary.counts.tickets.total} service tickets (seeded in ${(summary.durationMs / 1000).toFixed(1)} s)`,
    );
    logger.info(`Try it: open ${publicUrl} and run ${sampleQuery(summary.handles.serialNumber)}`);
    return { outcome: "seeded", summary };
  } catch (error) {
    logger.error(
      { err: error },
      `Seeding the demo data failed; the graph keeps running, but ${dataDir} now holds part of the demo. ` +
        `To start over, stop the graph, delete ${dataDir} and start again (or set DEMO_DATA=false to start without demo data).`,
    );
    return { outcome: "failed", error };
  }
}

/** A query worth pasting into GraphiQL, about a real unit of the demo. */
export function sampleQuery(serialNumber: string): string {
  return `{ unit(serialNumber: "${serialNumber}") { status product { name } customer { name companyName } soldBy { name } events { kind occurredOn note } } }`;
}

function readMarker(file: string): DemoMarker | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DemoMarker;
  } catch {
    return null;
  }
}
