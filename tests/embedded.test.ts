import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { IDENTITY_HEADER, identitySigner, signIdentity } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import type { JWK } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { dealerInput } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { identityOf, postGraphQL } from "./src/graph.js";
import { FROM_SOURCES, root, startGraphProcess } from "./src/processes.js";

/**
 * `npm start` as a new user runs it: one process, the whole graph, an
 * embedded database in a data directory that outlives the process.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), "aftersales-embedded-"));
const demoDataDir = mkdtempSync(path.join(tmpdir(), "aftersales-embedded-demo-"));

/**
 * Ports of their own, far from the defaults so a running `npm start` does not
 * collide, and below the kernel's ephemeral range (32768+) where the other
 * tests' outgoing connections and port-0 servers live.
 */
function choosePorts(): { offset: number; port: number } {
  const offset = 6_000 + Math.floor(Math.random() * 2_200) * 10;
  return { offset, port: 4000 + offset };
}

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(demoDataDir, { recursive: true, force: true });
});

interface Embedded {
  process: ChildProcess;
  url: string;
  port: number;
  /** Each subgraph's own URL (its default port shifted by the offset). */
  subgraphUrls: Record<string, string>;
  output: () => string;
  /** Sends Ctrl-C and resolves with the exit code. */
  interrupt: () => Promise<number | null>;
  /** Kills it as a crash would, and resolves once it is gone. */
  crash: () => Promise<unknown>;
}

/** `npm run token -- --role ...` against the same data directory, as the start message says. */
async function token(...args: string[]): Promise<string> {
  return tokenFor(dataDir, ...args);
}

async function tokenFor(directory: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [...FROM_SOURCES, "gateway/src/token.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: directory },
  });
  return stdout.trim();
}

interface StartOptions {
  /** The data directory; the one the tests share unless given. */
  dataDir?: string;
  /** Seeds the demo (DEMO_DATA); off unless asked for. */
  demo?: boolean;
  /** What in the output means it started (by default the ready message, which comes after the demo seed). */
  startedWhen?: string;
  /** Settings besides the test's own (HOST, NODE_ENV). */
  env?: Record<string, string>;
}

/** How long a start may take, demo seed included, on a machine other work keeps busy. */
const START_DEADLINE_MS = 480_000;

/** Starts `npm start`; when a port it chose is taken after all, tries again on others. */
async function startEmbedded(options: StartOptions = {}, attempts = 3): Promise<Embedded> {
  try {
    return await startEmbeddedOn(choosePorts(), options);
  } catch (error) {
    if (attempts > 1 && String(error).includes(" is in use, so ")) return startEmbedded(options, attempts - 1);
    throw error;
  }
}

async function startEmbeddedOn({ offset, port }: { offset: number; port: number }, options: StartOptions): Promise<Embedded> {
  // Ctrl-C must reach the graph's own process (startGraphProcess says why it is not the tsx command).
  const { child, output, exited } = startGraphProcess("gateway/src/embedded.ts", {
    ...process.env,
    DATA_DIR: options.dataDir ?? dataDir,
    HOST: "127.0.0.1",
    NODE_ENV: "development",
    PORT: String(port),
    SUBGRAPH_PORT_OFFSET: String(offset),
    DEMO_DATA: options.demo ? "true" : "false",
    LOG_PRETTY: "false",
    ...options.env,
  });
  const startedWhen = options.startedWhen ?? "is ready at";
  const deadline = Date.now() + START_DEADLINE_MS;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output().includes(startedWhen)) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        child.kill("SIGKILL");
        reject(new Error(`npm start did not print "${startedWhen}" within ${START_DEADLINE_MS / 1000} s; its output:\n${output()}`));
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output()}`));
    });
  });
  return {
    process: child,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, `http://127.0.0.1:${s.defaultPort + offset}/graphql`])),
    output,
    interrupt: () => {
      child.kill("SIGINT");
      return exited;
    },
    crash: () => {
      child.kill("SIGKILL");
      return exited;
    },
  };
}

describe("npm start", () => {
  it("serves the graph on an embedded database and keeps what was written after Ctrl-C, in a data directory from before identity keys too", async () => {
    // given
    const first = await startEmbedded();
    // The data lives elsewhere than the checkout's .data, so the command names it.
    expect(first.output()).toContain(`DATA_DIR=${dataDir} npm run token -- --role DEALER --dealer <dealer id>`);
    const admin = { authorization: `Bearer ${await token("--role", "ADMIN")}` };
    const input = dealerInput({ name: "Survives restarts" });
    const created = await post(first.url, CREATE_DEALER, { input }, admin);
    const id = created.data?.createDealer.dealer?.id;
    expect(id).toMatch(/^dlr_/);
    // when
    expect(await first.interrupt()).toBe(0);
    expect(first.output()).toContain("shutting down");
    expect(first.output()).toContain(`stopped; the data is kept in ${dataDir} for the next start`);
    // A data directory as graphs made it when the gateway signed identities with an HMAC secret: no key pair in it.
    const secretsFile = path.join(dataDir, "secrets.json");
    const { tokenSecret } = JSON.parse(readFileSync(secretsFile, "utf8")) as { tokenSecret: string };
    writeFileSync(secretsFile, JSON.stringify({ tokenSecret, identitySecret: "an-hmac-identity-secret-of-at-least-32-characters" }));
    const second = await startEmbedded();
    try {
      // then
      // A token made before the restart still works: the secrets live in the data directory.
      const read = await post(second.url, DEALER_NAME, { id: id! }, admin);
      expect(read.data?.dealer).toEqual({ name: "Survives restarts" });
      const dealer = { authorization: `Bearer ${await token("--role", "DEALER", "--dealer", id!)}` };
      const asDealer = await post(second.url, DEALER_NAME, { id: id! }, dealer);
      expect(asDealer.data?.dealer).toEqual({ name: "Survives restarts" });
      const anonymous = await post(second.url, DEALER_NAME, { id: id! });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      // The directory got its key pair, and kept its token secret.
      expect(JSON.parse(readFileSync(secretsFile, "utf8"))).toEqual({
        tokenSecret,
        identityKey: expect.objectContaining({ kty: "OKP", crv: "Ed25519", kid: expect.any(String) }),
      });
    } finally {
      expect(await second.interrupt()).toBe(0);
    }
  });

  it("stops with one line naming the port and SUBGRAPH_PORT_OFFSET when a subgraph's port is taken", async () => {
    // given the port the partners subgraph would listen on, taken (on other ports when something holds the first ones chosen)
    const taken = net.createServer();
    const partnersPortAt = (offset: number) => subgraphs.find((s) => s.name === "partners")!.defaultPort + offset;
    let chosen = choosePorts();
    for (let attempt = 1; ; attempt++, chosen = choosePorts()) {
      const listening = await new Promise<boolean>((resolve) => {
        taken.once("error", () => resolve(false));
        taken.listen(partnersPortAt(chosen.offset), "127.0.0.1", () => resolve(true));
      });
      if (listening) break;
      if (attempt === 3) throw new Error("found no free port to take in 3 attempts");
    }
    const { offset, port } = chosen;
    const partnersPort = partnersPortAt(offset);
    const directory = mkdtempSync(path.join(tmpdir(), "aftersales-embedded-busy-"));
    try {
      // when npm start is started with that offset, then
      const started = startEmbeddedOn({ offset, port }, { dataDir: directory });
      await expect(started).rejects.toThrow(`port ${partnersPort} on 127.0.0.1 is in use, so the partners subgraph cannot start; set SUBGRAPH_PORT_OFFSET`);
      await expect(started).rejects.toThrow("exited (1)");
      await expect(started).rejects.not.toThrow(/EADDRINUSE|^\s+at /m);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("serves GraphiQL to a browser from the package, with nothing loaded from the internet, an AGENT token on loopback, and the whole process's metrics", async () => {
    const embedded = await startEmbedded();
    try {
      const response = await fetch(embedded.url, { headers: { accept: "text/html" } });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(html).toContain("<title>Aftersales graph</title>");
      expect(html).toContain("query FirstLook");
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
      // Listening on 127.0.0.1 only, GraphiQL and the insights page start with a token.
      expect(holdsToken(html), "a token in GraphiQL").toBe(true);
      expect(holdsToken(await pageOf(embedded, "/insights")), "a token in the insights page").toBe(true);
      expect(embedded.output()).toContain("it starts with an AGENT token");
      const health = await fetch(`http://127.0.0.1:${embedded.port}/health`);
      expect(await health.json()).toEqual({ status: "ok", service: "gateway" });
      // /metrics on the gateway's port counts the gateway's requests and the subgraphs' alike, each metric once
      const admin = { authorization: `Bearer ${await token("--role", "ADMIN")}` };
      // Anonymous on purpose, so a plain string: the gateway counts it under operation="anonymous".
      expect((await postGraphQL(embedded.url, `{ dealers(first: 1) { edges { node { name } } } }`, {}, admin)).errors).toBeUndefined();
      const metrics = await (await fetch(`http://127.0.0.1:${embedded.port}/metrics`)).text();
      expect(metrics).toMatch(/^aftersales_graphql_requests_total\{service="gateway",operation="anonymous",code="OK"\} [1-9]/m);
      expect(metrics).toMatch(/^aftersales_graphql_requests_total\{service="partners",[^}]*code="OK"\} [1-9]/m);
      expect(metrics).toMatch(/^process_start_time_seconds \d/m);
      const types = metrics.split("\n").filter((line) => line.startsWith("# TYPE "));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types).size).toBe(types.length);
    } finally {
      expect(await embedded.interrupt()).toBe(0);
    }
  });

  it(
    "undoes a demo seed cut off by a crash at the next start, and seeds the demo whole while two other processes keep the CPU busy",
    async () => {
      // given: a first start that crashed while seeding the demo
      const first = await startEmbedded({ dataDir: demoDataDir, demo: true, startedWhen: "demo: partners and customers created" });
      await first.crash();
      expect(existsSync(path.join(demoDataDir, "demo-seeding.json"))).toBe(true);
      expect(existsSync(path.join(demoDataDir, "demo-seeded.json"))).toBe(false);
      // when it starts again on a machine whose cores two other processes keep busy
      const burners = [0, 1].map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
      let second: Embedded;
      try {
        second = await startEmbedded({ dataDir: demoDataDir, demo: true });
      } finally {
        for (const burner of burners) burner.kill("SIGKILL");
      }
      try {
        // then: what the first seed wrote was undone, and the demo is there once, whole
        expect(second.output()).toContain("an earlier demo seed did not finish; its data was undone");
        expect(existsSync(path.join(demoDataDir, "demo-seeding.json"))).toBe(false);
        const marker = JSON.parse(readFileSync(path.join(demoDataDir, "demo-seeded.json"), "utf8")) as {
          counts: {
            dealers: number;
            serviceCenters: number;
            customers: number;
            tickets: { total: number };
            feedback: { feedbackEntries: number };
            history: { tickets: number };
          };
        };
        const admin = { authorization: `Bearer ${await tokenFor(demoDataDir, "--role", "ADMIN")}` };
        const read = await post(second.url, DEMO_PARTNERS, {}, admin);
        expect(read.errors).toBeUndefined();
        expect(read.data?.dealers.edges).toHaveLength(marker.counts.dealers + marker.counts.serviceCenters);
        expect(read.data?.customers.edges).toHaveLength(marker.counts.customers);
        // and the last of it too: every ticket, today's and the past's, with the feedback written after them
        const tickets = await post(second.url, DEMO_TICKETS, {}, admin);
        expect(tickets.errors).toBeUndefined();
        expect(tickets.data?.tickets.totalCount).toBe(marker.counts.tickets.total + marker.counts.history.tickets);
        expect(tickets.data?.feedback.edges).toHaveLength(marker.counts.feedback.feedbackEntries);
      } finally {
        expect(await second.interrupt()).toBe(0);
      }
      // Two starts, each with its own deadline (START_DEADLINE_MS), the second seeding the whole demo on starved cores.
    },
    2 * START_DEADLINE_MS,
  );

  it("puts a token in no page when it listens beyond this machine, and says how to get one", async () => {
    // given `npm start` reachable from the network, as the README shows
    const embedded = await startEmbedded({ env: { HOST: "0.0.0.0" } });
    try {
      // when a stranger opens GraphiQL and the insights page without a credential
      const graphiql = await pageOf(embedded, "/graphql");
      const insights = await pageOf(embedded, "/insights");
      // then neither carries a token, GraphiQL says how to get one, and so does the log
      expect(graphiql.includes("query FirstLook"), "GraphiQL").toBe(true);
      expect(graphiql.includes("npm run token -- --role AGENT"), "how to get a token, in GraphiQL").toBe(true);
      expect(insights.includes(NO_PAGE_HEADERS), "the insights page without headers").toBe(true);
      expect([holdsToken(graphiql), holdsToken(insights)], "a token in GraphiQL, in the insights page").toEqual([false, false]);
      expect(embedded.output()).toContain("listens beyond this machine (HOST=0.0.0.0), so no page carries a token");
      expect(embedded.output()).toContain("npm run token -- --role DEALER --dealer <dealer id>");
      // and the graph refuses it
      expect((await post(embedded.url, FIRST_DEALER, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      expect(await embedded.interrupt()).toBe(0);
    }
  });

  it("runs as production with NODE_ENV=production: no token in any page, no GraphiQL, introspection and suggestions off and errors masked, in the gateway and every subgraph", async () => {
    // given
    const embedded = await startEmbedded({ env: { NODE_ENV: "production" } });
    try {
      const admin = { authorization: `Bearer ${await token("--role", "ADMIN")}` };
      const { identityKey } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { identityKey: JWK };
      const asGateway = { [IDENTITY_HEADER]: await signIdentity(identityOf({ role: "ADMIN" }), identitySigner(identityKey)) };
      // when
      const graphiql = await pageOf(embedded, "/graphql");
      const insights = await pageOf(embedded, "/insights");
      // What production must refuse, sent as any client could: plain strings.
      const introspection = await postGraphQL(embedded.url, INTROSPECTION, {}, admin);
      const misspelt = await postGraphQL(embedded.url, `{ dealers(first: 1) { edges { node { nmae } } } }`, {}, admin);
      const refused = await postGraphQL(embedded.url, `{ dealers(first: 101) { edges { cursor } } }`, {}, admin);
      const subgraphIntrospection = await Promise.all(
        Object.entries(embedded.subgraphUrls).map(async ([name, url]) => [name, await postGraphQL(url, INTROSPECTION, {}, asGateway)] as const),
      );
      // then no page carries a token, and there is no GraphiQL
      expect(graphiql.includes("query FirstLook"), "GraphiQL").toBe(false);
      expect(insights.includes(NO_PAGE_HEADERS), "the insights page without headers").toBe(true);
      expect([holdsToken(graphiql), holdsToken(insights)], "a token in GraphiQL, in the insights page").toEqual([false, false]);
      expect(embedded.output()).toContain("NODE_ENV=production: no GraphiQL, no introspection, errors masked; no page carries a token.");
      expect(embedded.output()).toContain("npm run token");
      // the gateway refuses introspection, suggests nothing and shows no stack trace
      expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
      expect(misspelt.errors?.[0]?.message).toMatch(/Cannot query field "nmae" on type "Dealer"/);
      expect(misspelt.errors?.[0]?.message).not.toMatch(/Did you mean/);
      expect(refused.errors?.length).toBeGreaterThan(0);
      for (const error of [...(introspection.errors ?? []), ...(misspelt.errors ?? []), ...(refused.errors ?? [])]) {
        expect(Object.keys(error.extensions ?? {})).toEqual(["code"]);
      }
      // and so does every subgraph
      expect(subgraphIntrospection.map(([name]) => name).sort()).toEqual(subgraphs.map((s) => s.name).sort());
      for (const [name, answer] of subgraphIntrospection) {
        expect(answer.errors?.[0]?.extensions, name).toEqual({ code: "GRAPHQL_VALIDATION_FAILED" });
      }
    } finally {
      expect(await embedded.interrupt()).toBe(0);
    }
  });
});

const CREATE_DEALER = graphql(`mutation EmbeddedCreateDealer($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } errors { code } } }`);
const DEALER_NAME = graphql(`query EmbeddedDealerName($id: ID!) { dealer(id: $id) { name } }`);
const FIRST_DEALER = graphql(`query EmbeddedFirstDealer { dealers(first: 1) { edges { node { name } } } }`);
const DEMO_PARTNERS = graphql(`query EmbeddedDemoPartners { dealers(first: 100) { edges { node { id } } } customers(first: 100) { edges { node { id } } } }`);
const DEMO_TICKETS = graphql(`query EmbeddedDemoTickets { tickets(first: 1) { totalCount } feedback(first: 100) { edges { node { id } } } }`);

/** A typed document sent to `url` as any client sends it. */
const post = <TResult, TVariables extends Record<string, unknown>>(
  url: string,
  document: DocumentTypeDecoration<TResult, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
) => postGraphQL<TResult>(url, document.toString(), variables, headers);

/** Whether a page holds a signed token (a JWT) anywhere. */
const holdsToken = (page: string) => /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(page);
/** The insights page's headers when it carries none of its own. */
const NO_PAGE_HEADERS = `<script type="application/json" id="graph-headers">{}</script>`;
const INTROSPECTION = `{ __schema { queryType { name } } }`;

/** A page of the gateway as a browser asks for it, with no credential. */
async function pageOf(embedded: Embedded, pathname: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${embedded.port}${pathname}`, { headers: { accept: "text/html" } });
  return response.text();
}
