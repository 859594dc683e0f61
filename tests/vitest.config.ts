import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { testConfig } from "../vitest.shared.js";

/**
 * The files that take far longer than the rest (`npm start` started again
 * and again, the demo seeded), in that order: they start first, so that the
 * run does not end waiting for one that started last. Every other file
 * follows in vitest's own order (the longest of the last run first).
 */
const LONGEST_FIRST = ["embedded.test.ts", "demo.test.ts", "cross-tenant.test.ts"];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(path.basename(file.moduleId));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default testConfig({
  test: {
    include: ["**/*.test.ts"],
    // Every subgraph migrated once per run, in a database each file's graph is a copy of (src/template.ts).
    globalSetup: ["./src/template.ts"],
    // Each file starts its own graph on its own database, and files run side by side: a file
    // mostly waits on PostgreSQL and on the other processes (npm start, Chromium, NATS), so
    // more of them than the machine has cores keep it busy. Each graph holds a few connections
    // at a time (a pool of up to 5 per subgraph), well within PostgreSQL's 100.
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
  },
});
