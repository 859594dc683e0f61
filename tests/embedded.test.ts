import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dealerInput } from "./src/factories.js";
import { postGraphQL } from "./src/graph.js";

/**
 * `npm start` as a new user runs it: one process, the whole graph, an
 * embedded database in a data directory that outlives the process.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "aftersales-embedded-"));

/**
 * Ports of their own, far from the defaults so a running `npm start` does not
 * collide, and below the kernel's ephemeral range (32768+) where the other
 * tests' outgoing connections and port-0 servers live.
 */
function choosePorts(): { offset: number; port: number } {
  const offset = 6_000 + Math.floor(Math.random() * 2_200) * 10;
  return { offset, port: 4000 + offset };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Embedded {
  process: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  /** Sends Ctrl-C and resolves with the exit code. */
  interrupt: () => Promise<number | null>;
}

/** `npm run token -- --role ...` against the same data directory, as the start message says. */
async function token(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), ["gateway/src/token.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
  });
  return stdout.trim();
}

/** Starts `npm start`; when a port it chose is taken after all, tries again on others. */
async function startEmbedded(attempts = 3): Promise<Embedded> {
  try {
    return await startEmbeddedOn(choosePorts());
  } catch (error) {
    if (attempts > 1 && String(error).includes("EADDRINUSE")) return startEmbedded(attempts - 1);
    throw error;
  }
}

async function startEmbeddedOn({ offset, port }: { offset: number; port: number }): Promise<Embedded> {
  // Node itself with tsx's loader, not the tsx command: Ctrl-C must reach the graph's own process, which
  // a busy machine can keep from answering the tsx command's relay fast enough (it then kills it).
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/embedded.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SUBGRAPH_PORT_OFFSET: String(offset),
      DEMO_DATA: "false",
      LOG_PRETTY: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("is ready at")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    process: child,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    output: () => output,
    interrupt: () => {
      child.kill("SIGINT");
      return exited;
    },
  };
}

describe("npm start", () => {
  it("serves the graph on an embedded database and keeps what was written after Ctrl-C", async () => {
    // given
    const first = await startEmbedded();
    expect(first.output()).toContain("npm run token -- --role DEALER --dealer <dealer id>");
    const admin = { authorization: `Bearer ${await token("--role", "ADMIN")}` };
    const input = dealerInput({ name: "Survives restarts" });
    const created = await postGraphQL<{ createDealer: { dealer: { id: string } | null } }>(
      first.url,
      `mutation($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } errors { code } } }`,
      { input },
      admin,
    );
    const id = created.data?.createDealer.dealer?.id;
    expect(id).toMatch(/^dlr_/);
    // when
    expect(await first.interrupt()).toBe(0);
    expect(first.output()).toContain("shutting down");
    const second = await startEmbedded();
    try {
      // then
      // A token made before the restart still works: the secrets live in the data directory.
      const read = await postGraphQL<{ dealer: { name: string } | null }>(second.url, `query($id: ID!) { dealer(id: $id) { name } }`, { id }, admin);
      expect(read.data?.dealer).toEqual({ name: "Survives restarts" });
      const dealer = { authorization: `Bearer ${await token("--role", "DEALER", "--dealer", id!)}` };
      const asDealer = await postGraphQL<{ dealer: { name: string } | null }>(second.url, `query($id: ID!) { dealer(id: $id) { name } }`, { id }, dealer);
      expect(asDealer.data?.dealer).toEqual({ name: "Survives restarts" });
      const anonymous = await postGraphQL(second.url, `query($id: ID!) { dealer(id: $id) { name } }`, { id });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      expect(await second.interrupt()).toBe(0);
    }
  }, 120_000);

  it("serves GraphiQL to a browser from the package, with nothing loaded from the internet", async () => {
    const embedded = await startEmbedded();
    try {
      const response = await fetch(embedded.url, { headers: { accept: "text/html" } });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(html).toContain("<title>Aftersales graph</title>");
      expect(html).toContain("query FirstLook");
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
      const health = await fetch(`http://127.0.0.1:${embedded.port}/health`);
      expect(await health.json()).toEqual({ status: "ok", service: "gateway" });
    } finally {
      expect(await embedded.interrupt()).toBe(0);
    }
  }, 120_000);
});
