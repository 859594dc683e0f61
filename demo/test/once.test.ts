import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "@aftersales/kit";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_IN_PROGRESS_MARKER, DEMO_MARKER, startWithDemoOnce } from "../src/once.js";

/**
 * A demo seed is all or nothing for the data directory: whatever the seed
 * wrote before it failed is undone. The graph here is a stand-in that writes
 * a file into the database folder when it starts and offers a gateway URL
 * nobody listens on, so every seed fails at its first request.
 */

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function dataDirectory() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "aftersales-demo-once-"));
  folders.push(dataDir);
  return { dataDir, databaseDir: path.join(dataDir, "pglite") };
}

/** Starts that each write `start-<n>` into the database folder, as a seed's writes would land there. */
function standIn(databaseDir: string) {
  let starts = 0;
  return {
    get starts() {
      return starts;
    },
    start: async () => {
      starts += 1;
      mkdirSync(databaseDir, { recursive: true });
      writeFileSync(path.join(databaseDir, `start-${starts}`), "");
      return { url: "http://127.0.0.1:1/graphql" };
    },
  };
}

const options = (dataDir: string, databaseDir: string, graph: ReturnType<typeof standIn>) => ({
  dataDir,
  databaseDir,
  wanted: true,
  start: graph.start,
  stop: async () => {},
  stopping: () => false,
  url: (running: { url: string }) => running.url,
  settle: async () => {},
  publicUrl: (running: { url: string }) => running.url,
  token: async () => "token",
  logger: createLogger("test-demo", { level: "silent" }),
});

describe("a demo seed that fails", () => {
  it("is undone and tried again from the start, and the database folder is left as it was before", async () => {
    // given: a database folder with data of its own
    const { dataDir, databaseDir } = dataDirectory();
    mkdirSync(databaseDir);
    writeFileSync(path.join(databaseDir, "users-data"), "kept");
    const graph = standIn(databaseDir);
    // when: both tries to seed fail
    await startWithDemoOnce({ ...options(dataDir, databaseDir, graph), attempts: 2 });
    // then: two tries, each on the database as it was, then a start without the demo
    expect(graph.starts).toBe(3);
    expect(readdirSync(databaseDir).sort()).toEqual(["start-3", "users-data"]);
    expect(readdirSync(dataDir).sort()).toEqual(["pglite"]);
  });

  it("on a new data directory leaves no database behind of what it wrote", async () => {
    // given
    const { dataDir, databaseDir } = dataDirectory();
    const graph = standIn(databaseDir);
    // when
    await startWithDemoOnce({ ...options(dataDir, databaseDir, graph), attempts: 1 });
    // then: the database the seed made was removed before the graph started again, empty
    expect(graph.starts).toBe(2);
    expect(readdirSync(databaseDir)).toEqual(["start-2"]);
    expect(existsSync(path.join(dataDir, DEMO_IN_PROGRESS_MARKER))).toBe(false);
    expect(existsSync(path.join(dataDir, DEMO_MARKER))).toBe(false);
  });

  it("cut off by shutting down is left for the next start, which undoes it", async () => {
    // given: a seed cut off by a signal
    const { dataDir, databaseDir } = dataDirectory();
    mkdirSync(databaseDir);
    writeFileSync(path.join(databaseDir, "users-data"), "kept");
    const graph = standIn(databaseDir);
    await startWithDemoOnce({ ...options(dataDir, databaseDir, graph), stopping: () => true });
    expect(existsSync(path.join(dataDir, DEMO_IN_PROGRESS_MARKER))).toBe(true);
    expect(readdirSync(databaseDir).sort()).toEqual(["start-1", "users-data"]);
    // when: the next start does not want the demo
    await startWithDemoOnce({ ...options(dataDir, databaseDir, graph), wanted: false });
    // then: the database is as before the cut-off seed
    expect(readdirSync(databaseDir).sort()).toEqual(["start-2", "users-data"]);
    expect(readdirSync(dataDir).sort()).toEqual(["pglite"]);
  });
});
