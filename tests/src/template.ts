import { createTemplateDatabase } from "@aftersales/kit/testing";
import { subgraphs } from "@aftersales/schema";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The database every subgraph is migrated in once per run, that each test file's graph starts as a copy of; null on PGlite. */
    graphTemplate: string | null;
  }
}

/**
 * The run's global setup: every subgraph's migrations applied once, in a
 * database of this run's own, which each test file's database is then copied
 * from (`startGraph`), instead of each file migrating its own from scratch.
 * Dropped when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await createTemplateDatabase(async (target) => {
    for (const subgraph of subgraphs) await subgraph.migrate(target);
  });
  project.provide("graphTemplate", template?.name ?? null);
  return async () => {
    await template?.drop();
  };
}
