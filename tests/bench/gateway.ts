/**
 * How fast the graph answers, side by side with what it could be measured
 * against, on the production shape: a process per subgraph on the
 * PostgreSQL server, the gateway in front, and a dataset written in bulk
 * (see production/dataset.ts). The setups, in interleaved rounds so a busy
 * machine slows them alike (the ratios are the figures):
 *
 * - ours: our gateway (gateway/src/index.ts, NODE_ENV=production);
 * - Hive Gateway with its router runtime (`--hive-router-runtime`, the Rust
 *   query planner), with and without its deduplication of identical
 *   in-flight subgraph requests (tests/peer-gateway), on the same supergraph
 *   and subgraph processes;
 * - root subgraph: the query's root fetch sent straight to its subgraph with
 *   the identity header, no gateway;
 * - SQL floor: the same rows read straight from PostgreSQL with postgres.js;
 * - embedded: `npm start`'s graph (one process, PGlite) holding the same
 *   dataset, for the units query.
 *
 * Prints rps, p50/p95/p99, errors, the ratios, SQL statements per request
 * per subgraph and CPU per request per process, and (in a full run, or with
 * --write) writes them into docs/performance.md between its markers.
 *
 *   npm run bench                      # full: 20,000 customers, 80,000 units, 100,000 tickets; writes the docs
 *   npm run bench -- --quick           # a small dataset and short rounds (a smoke, under 3 minutes); no docs
 *   npm run bench -- --copies 100 --ticket-copies 800 --rounds 2 --seconds 5 --write   # in between
 *   npm run bench -- --quick --profile /tmp/gateway-profile   # also our gateway's CPU profile (.cpuprofile), summarised at the end
 *   TEST_DATABASE_URL=postgres://...   # the server (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { signToken } from "@aftersales/gateway/auth";
import { seedDemo } from "@aftersales/demo";
import { startWholeGraph } from "@aftersales/gateway/graph";
import { DEFAULT_LIMITS, memoryRateLimiter } from "@aftersales/gateway/limits";
import { createLogger, generateIdentityKey, IDENTITY_HEADER, identitySigner, secretKey, todayUtc, type Identity } from "@aftersales/kit";
import { createTestDatabase } from "@aftersales/kit/testing";
import { subgraphs } from "@aftersales/schema";
import postgres from "postgres";
import { ensurePeerGatewayInstalled, PEER_GATEWAY_DIR } from "../src/peer-gateway.js";
import { FROM_SOURCES, logLine, root, startGraphProcess, type GraphProcess } from "../src/processes.js";
import { multiplyDemo } from "./production/dataset.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    write: { type: "boolean", default: false },
    rounds: { type: "string" },
    seconds: { type: "string" },
    copies: { type: "string" },
    "ticket-copies": { type: "string" },
    profile: { type: "string" },
  },
});
const quick = args.quick;
const ROUNDS = Number(args.rounds ?? (quick ? 1 : 3));
const SECONDS = Number(args.seconds ?? (quick ? 2 : 8));
/** The demo has 50 customers, 200 units and about 30 tickets: 400 and 3,400 copies make 20,000, 80,000 and 100,000. */
const COPIES = Number(args.copies ?? (quick ? 10 : 400));
const TICKET_COPIES = Number(args["ticket-copies"] ?? (quick ? 20 : 3400));
const CONCURRENCY = 10;
const WRITE = args.write || !quick;
/** A directory for our gateway's CPU profile (Node's --cpu-prof, written as the process stops). */
const PROFILE_DIR = args.profile ? path.resolve(args.profile) : null;
process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";

const started = performance.now();
const say = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

// ---------------------------------------------------------------------------
// Scenarios: the query through a gateway, its root fetch, and its rows in SQL.
// ---------------------------------------------------------------------------

type Caller = { role: "DEALER" | "ADMIN"; dealerId?: string };

interface Scenario {
  name: string;
  caller: Caller;
  query: string;
  variables: Record<string, unknown>;
  /** The root subgraph and the part of the query it answers itself (references to other subgraphs as their keys). */
  root: { subgraph: string; query: string };
  /** The same rows read straight from PostgreSQL; returns how many statements it sent. */
  sql: (db: postgres.Sql) => Promise<number>;
  embedded: boolean;
}

function scenarios(dealerId: string, serial: string): Scenario[] {
  return [
    {
      name: "100 units with product, customer, seller (DEALER)",
      caller: { role: "DEALER", dealerId },
      query: `{ units(first: 100) { edges { node { serialNumber status product { name } customer { name } soldBy { name } } } } }`,
      variables: {},
      root: { subgraph: "catalog", query: `{ units(first: 100) { edges { node { serialNumber status product { name } customer { id } soldBy { id } } } } }` },
      sql: async (db) => {
        await db`select u.serial_number, u.status, p.name as product, c.name as customer, d.name as seller
          from catalog.units u join catalog.products p on p.id = u.product_id
          left join partners.customers c on c.id = u.customer_id left join partners.dealers d on d.id = u.dealer_id
          where u.dealer_id = ${dealerId} order by u.serial_number limit 100`;
        return 1;
      },
      embedded: true,
    },
    {
      name: "50 tickets with SLA, customer, unit, coverage (ADMIN)",
      caller: { role: "ADMIN" },
      query: `{ tickets(first: 50) { edges { node { number status priority openedAt customer { name } unit { serialNumber }
        sla { source response { state dueAt } resolution { state dueAt elapsedBusinessSeconds } } coverage { kind } } } } }`,
      variables: {},
      root: {
        subgraph: "tickets",
        query: `{ tickets(first: 50) { edges { node { number status priority openedAt customer { id } unit { id }
          sla { source response { state dueAt } resolution { state dueAt elapsedBusinessSeconds } } } } } }`,
      },
      sql: async (db) => {
        await db`select t.number, t.status, t.priority, t.opened_at, t.response_due_at, t.resolution_due_at, c.name as customer, u.serial_number,
            (select json_agg(e order by e.sequence) from tickets.ticket_sla_events e where e.ticket_id = t.id) as sla
          from tickets.tickets t join partners.customers c on c.id = t.customer_id left join catalog.units u on u.id = t.unit_id
          order by t.id desc limit 50`; // the subgraph lists the newest first by id (ids sort by time)
        return 1;
      },
      embedded: false,
    },
    {
      name: "one unit by serial number (DEALER)",
      caller: { role: "DEALER", dealerId },
      query: `query($serial: String!) { unit(serialNumber: $serial) { serialNumber status product { name } customer { name } events { kind occurredOn } } }`,
      variables: { serial },
      root: {
        subgraph: "catalog",
        query: `query($serial: String!) { unit(serialNumber: $serial) { serialNumber status product { name } customer { id } events { kind occurredOn } } }`,
      },
      sql: async (db) => {
        await db`select u.serial_number, u.status, p.name as product, c.name as customer,
            (select json_agg(e order by e.sequence) from catalog.unit_events e where e.unit_id = u.id) as events
          from catalog.units u join catalog.products p on p.id = u.product_id left join partners.customers c on c.id = u.customer_id
          where u.serial_number = ${serial} and u.dealer_id = ${dealerId}`;
        return 1;
      },
      embedded: false,
    },
  ];
}

// ---------------------------------------------------------------------------
// The load: CONCURRENCY requests in flight for a few seconds.
// ---------------------------------------------------------------------------

interface Run {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
  /** The first error seen, to say what went wrong. */
  firstError?: string;
}

type Send = () => Promise<string | null>;

/** A GraphQL POST over a keep-alive connection pool; resolves to null, or what was wrong with the answer. */
function httpSender(url: string, headers: () => Record<string, string>, query: string, variables: Record<string, unknown>): Send {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify({ query, variables }));
  return () =>
    new Promise((resolve) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { ...headers(), "content-type": "application/json", "content-length": payload.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            resolve(response.statusCode === 200 && !text.includes('"errors"') ? null : `${response.statusCode}: ${text.slice(0, 300)}`);
          });
        },
      );
      request.on("error", (error) => resolve(error.message));
      request.end(payload);
    });
}

async function load(send: Send, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const begun = performance.now();
  const until = begun + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const error = await send().catch((e: unknown) => String(e));
        latencies.push(performance.now() - sent);
        if (error) {
          errors += 1;
          firstError ??= error;
        }
      }
    }),
  );
  return { requests: latencies.length, errors, seconds: (performance.now() - begun) / 1000, latencies, ...(firstError ? { firstError } : {}) };
}

// ---------------------------------------------------------------------------
// Processes, and what they used: CPU from /proc, statements from the subgraphs.
// ---------------------------------------------------------------------------

const TICKS = 100; // USER_HZ on Linux
/** CPU seconds a process has used so far (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

interface Child {
  name: string;
  process: ChildProcess;
  url: string;
  /** Statements run so far (subgraphs and the embedded graph). */
  statements(): Promise<number>;
}

/** A bench child (production/*.ts) from the sources, with IPC: resolves once it sends its URL. */
async function forkChild(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Child> {
  const child = fork(path.join(root, entry), args, { cwd: root, env, execArgv: FROM_SOURCES, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: { url?: string }) => (message.url ? resolve(message.url) : reject(new Error(`${name}: ${JSON.stringify(message)}`))));
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it served:\n${output}`)));
  });
  return {
    name,
    process: child,
    url,
    statements: () =>
      new Promise((resolve) => {
        const onMessage = (message: { statements?: number }) => {
          if (message.statements === undefined) return;
          child.off("message", onMessage);
          resolve(message.statements);
        };
        child.on("message", onMessage);
        child.send({ stats: true });
      }),
  };
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Hive Gateway with its router runtime in front of the subgraph processes (as tests/src/peer-gateway.ts starts it, plus DEDUPLICATE_INFLIGHT_REQUESTS). */
async function startHive(options: { subgraphUrls: Record<string, string>; tokenSecret: string; identityKey: unknown; deduplicate: boolean; port: number }) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SUBGRAPH_|JWT_|IDENTITY_|PORT$|HOST$|FORK$)/.test(key)));
  const running = startGraphProcess(
    path.join(PEER_GATEWAY_DIR, "node_modules/@graphql-hive/gateway/dist/bin.js"),
    {
      ...inherited,
      NODE_ENV: "production",
      IDENTITY_SIGNING_KEY: JSON.stringify(options.identityKey),
      JWT_SECRET: options.tokenSecret,
      DEDUPLICATE_INFLIGHT_REQUESTS: String(options.deduplicate),
      ...Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url])),
    },
    [
      "supergraph",
      path.join(root, "schema/supergraph.graphql"),
      "--hive-router-runtime",
      "--config-path",
      path.join(PEER_GATEWAY_DIR, "gateway.config.ts"),
      "--host",
      "127.0.0.1",
      "--port",
      String(options.port),
    ],
    true,
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`Hive Gateway exited (${running.child.exitCode}):\n${running.output()}`);
    if ((await fetch(`http://127.0.0.1:${options.port}/readiness`).catch(() => null))?.ok) break;
    if (Date.now() > deadline) {
      running.child.kill("SIGKILL");
      throw new Error(`Hive Gateway did not get ready:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ...running, url: `http://127.0.0.1:${options.port}/graphql` };
}

// ---------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------

const database = await createTestDatabase();
if (database.target.kind !== "postgres") throw new Error("The benchmark runs on the PostgreSQL server: set TEST_DATABASE_URL.");
const databaseUrl = database.target.url;
const sql = postgres(databaseUrl, { max: CONCURRENCY, onnotice: () => {} });
const tokenSecret = randomBytes(32).toString("hex");
const identityKey = await generateIdentityKey();
const signer = identitySigner(identityKey);
const processes: ChildProcess[] = [];
/** Records the process a started setup runs in, to be stopped at the end, and hands the setup on. */
const keeping =
  <T>(processOf: (started: T) => ChildProcess) =>
  (started: T): T => {
    processes.push(processOf(started));
    return started;
  };
const children: Child[] = [];
/** When our gateway was under load, in µs of the monotonic clock (the one a CPU profile's timestamps count). */
const oursWindows: [bigint, bigint][] = [];
let embedded: Child | null = null;

try {
  // 1. The demo world through the graph's own API (the whole graph in this process, migrating the database), then multiplied in SQL.
  say(`database ${new URL(databaseUrl).pathname.slice(1)} created; writing the demo world through the API`);
  {
    const graph = await startWholeGraph({
      database: database.target,
      logger: createLogger("bench-seed", { level: "warn" }),
      host: "127.0.0.1",
      port: 0,
      subgraphPortOffset: null,
      webhookIntervalMs: null,
      security: {
        tokens: { secret: secretKey(tokenSecret) },
        identitySigner: signer,
        apiKeyCacheSeconds: 0,
        subgraphTimeoutMs: 60_000,
        limits: { ...DEFAULT_LIMITS, requestsPerMinute: 1_000_000_000, costPerMinute: 1_000_000_000_000 },
        rateLimiter: memoryRateLimiter(),
        allowBatching: false,
      },
    });
    try {
      const token = await signToken(tokenSecret, { role: "ADMIN", subject: "bench-seed", expiresIn: "2h" });
      // A busy machine may take minutes to carry the demo's events to the warranty subgraph's copies.
      await seedDemo({ url: graph.gateway.url, settle: () => graph.events.settle(), token, today: todayUtc(), warrantyWaitMs: 600_000 });
      await graph.events.settle();
    } finally {
      await graph.stop();
    }
  }
  say(`demo written; copying it ${COPIES}× (customers, units) and ${TICKET_COPIES}× (tickets) in SQL`);
  const counts = await multiplyDemo(sql, { customerCopies: COPIES, ticketCopies: TICKET_COPIES });
  say(`dataset: ${counts.customers} customers, ${counts.units} units, ${counts.tickets} tickets`);

  const [busiest] = await sql<{ dealer_id: string; serial_number: string }[]>`
    select dealer_id, max(serial_number) as serial_number from catalog.units where customer_id is not null
    group by dealer_id order by count(*) desc limit 1`;
  const all = scenarios(busiest!.dealer_id, busiest!.serial_number);

  // 2. The production shape: a process per subgraph, our gateway and Hive Gateway in front of them, and the embedded graph.
  say("starting the subgraph processes, our gateway, Hive Gateway (twice) and the embedded graph");
  await ensurePeerGatewayInstalled();
  const identityJwks = JSON.stringify({ keys: [signer.publicKey] });
  const childEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, IDENTITY_JWKS: identityJwks };
  // Started side by side: on a busy machine each takes a while to load its sources.
  for (const child of await Promise.all(subgraphs.map((s) => forkChild(s.name, "tests/bench/production/subgraph.ts", [s.name], childEnv)))) {
    children.push(child);
    processes.push(child.process);
  }
  const subgraphUrls = Object.fromEntries(children.map((c) => [c.name, c.url]));
  const gatewayProcess: GraphProcess = startGraphProcess(
    "gateway/src/index.ts",
    {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: "0",
      METRICS_PORT: "0",
      IDENTITY_SIGNING_KEY: JSON.stringify(identityKey),
      JWT_SECRET: tokenSecret,
      // One credential sends all the load: no rate limit; every other limit as configured by default.
      RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000000",
      RATE_LIMIT_COST_PER_MINUTE: "1000000000000",
      ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url])),
    },
    [],
    true,
    PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  processes.push(gatewayProcess.child);
  const { url: gatewayUrl } = (await logLine(gatewayProcess, "gateway ready", 180_000)) as { url: string };
  const hivePorts = [await freePort(), await freePort()];
  const [hive, hiveDedup, embeddedGraph] = await Promise.all([
    startHive({ subgraphUrls, tokenSecret, identityKey, deduplicate: false, port: hivePorts[0]! }).then(keeping((p) => p.child)),
    startHive({ subgraphUrls, tokenSecret, identityKey, deduplicate: true, port: hivePorts[1]! }).then(keeping((p) => p.child)),
    forkChild("embedded", "tests/bench/production/embedded.ts", [], {
      ...process.env,
      NODE_ENV: "development",
      SOURCE_DATABASE_URL: databaseUrl,
      JWT_SECRET: tokenSecret,
      IDENTITY_SIGNING_KEY: JSON.stringify(identityKey),
    }).then(keeping((c) => c.process)),
  ]);
  embedded = embeddedGraph;
  say("all setups serve");

  // 3. Interleaved rounds.
  const tokens = new Map<string, string>();
  const tokenOf = async (caller: Caller) => {
    const key = `${caller.role}:${caller.dealerId ?? ""}`;
    if (!tokens.has(key))
      tokens.set(
        key,
        await signToken(tokenSecret, { role: caller.role, dealerId: caller.dealerId ?? null, subject: `bench-${caller.role.toLowerCase()}`, expiresIn: "4h" }),
      );
    return tokens.get(key)!;
  };
  const identityOf = (caller: Caller): Identity => ({
    subject: `bench-${caller.role.toLowerCase()}`,
    role: caller.role,
    dealerId: caller.dealerId ?? null,
    credential: `token:bench-${caller.role.toLowerCase()}`,
    operationsOnly: false,
  });

  interface Setup {
    name: string;
    /** The process whose CPU is the gateway's (none for the root fetch and SQL). */
    pid?: number;
    applies: (scenario: Scenario) => boolean;
    /** A sender for one cell; called right before it runs (identity headers live a minute). */
    sender: (scenario: Scenario) => Promise<Send>;
  }
  const viaGateway = (name: string, url: string, pid: number | undefined, applies: (s: Scenario) => boolean = () => true): Setup => ({
    name,
    ...(pid ? { pid } : {}),
    applies,
    sender: async (scenario) => {
      const headers = { authorization: `Bearer ${await tokenOf(scenario.caller)}` };
      return httpSender(url, () => headers, scenario.query, scenario.variables);
    },
  });
  const setups: Setup[] = [
    viaGateway("ours", gatewayUrl, gatewayProcess.child.pid),
    viaGateway("Hive router", hive.url, hive.child.pid),
    viaGateway("Hive router + dedup", hiveDedup.url, hiveDedup.child.pid),
    {
      name: "root subgraph",
      applies: () => true,
      sender: async (scenario) => {
        const headers = { [IDENTITY_HEADER]: await signer.sign(identityOf(scenario.caller)) };
        return httpSender(subgraphUrls[scenario.root.subgraph]!, () => headers, scenario.root.query, scenario.variables);
      },
    },
    {
      name: "SQL floor",
      applies: () => true,
      sender: async (scenario) => async () => {
        await scenario.sql(sql);
        return null;
      },
    },
    viaGateway("embedded", embedded.url, embedded.process.pid, (s) => s.embedded),
  ];

  interface Cell {
    runs: Run[];
    cpu: Record<string, number>;
    statements: Record<string, number>;
  }
  const cells = new Map<string, Cell>();
  const cellOf = (scenario: Scenario, setup: Setup) => {
    const key = `${scenario.name}|${setup.name}`;
    if (!cells.has(key)) cells.set(key, { runs: [], cpu: {}, statements: {} });
    return cells.get(key)!;
  };

  // A warm-up request per cell (plans, caches, connections), checked for errors.
  for (const scenario of all) {
    for (const setup of setups.filter((s) => s.applies(scenario))) {
      const send = await setup.sender(scenario);
      for (let i = 0; i < 3; i++) {
        const error = await send();
        if (error) {
          console.log(`warm-up: ${setup.name} / ${scenario.name}: ${error}`);
          break;
        }
      }
    }
  }
  say(`measuring: ${ROUNDS} round(s), ${SECONDS} s per setup and query, ${CONCURRENCY} concurrent requests`);
  const measured = [...children, embedded];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const scenario of all) {
      const applicable = setups.filter((s) => s.applies(scenario));
      // A different setup goes first each round.
      const order = applicable.map((_, i) => applicable[(i + round - 1) % applicable.length]!);
      for (const setup of order) {
        const send = await setup.sender(scenario);
        const processIds: Record<string, number | undefined> = { gateway: setup.pid, ...Object.fromEntries(children.map((c) => [c.name, c.process.pid])) };
        const cpuBefore = Object.fromEntries(Object.entries(processIds).map(([name, pid]) => [name, cpuSeconds(pid)]));
        const statementsBefore = await Promise.all(measured.map((c) => c.statements()));
        const begun = process.hrtime.bigint();
        const run = await load(send, SECONDS);
        if (setup.name === "ours") oursWindows.push([begun / 1000n, process.hrtime.bigint() / 1000n]);
        const statementsAfter = await Promise.all(measured.map((c) => c.statements()));
        const cell = cellOf(scenario, setup);
        cell.runs.push(run);
        for (const [name, pid] of Object.entries(processIds)) {
          cell.cpu[name] = (cell.cpu[name] ?? 0) + (cpuSeconds(pid) - cpuBefore[name]!);
        }
        measured.forEach((c, i) => {
          cell.statements[c.name] = (cell.statements[c.name] ?? 0) + (statementsAfter[i]! - statementsBefore[i]!);
        });
        say(
          `round ${round}: ${scenario.name} / ${setup.name}: ${(run.requests / run.seconds).toFixed(1)} rps${run.errors ? `, ${run.errors} errors (${run.firstError})` : ""}`,
        );
      }
    }
  }

  // 4. The figures.
  const lines = report(
    all,
    setups.map((s) => s.name),
    cells,
    counts,
  );
  console.log(`\n${lines.join("\n")}`);
  if (WRITE) {
    writeDocs(lines);
    say("written to docs/performance.md");
  }
} finally {
  for (const child of processes.reverse()) await stopProcess(child);
  await sql.end({ timeout: 1 });
  await database.drop();
  say("stopped everything and dropped the database");
}
if (PROFILE_DIR) {
  const { summariseProfiles } = await import("./profile.js");
  console.log(`\nOur gateway's CPU profile (${PROFILE_DIR}):\n${summariseProfiles(PROFILE_DIR, oursWindows).join("\n")}`);
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------
// The report, as Markdown tables.
// ---------------------------------------------------------------------------

function report(
  all: Scenario[],
  setupNames: string[],
  cells: Map<string, { runs: Run[]; cpu: Record<string, number>; statements: Record<string, number> }>,
  counts: Record<string, number>,
): string[] {
  const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figure = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  const rpsOf = (scenario: Scenario, setup: string) => {
    const cell = cells.get(`${scenario.name}|${setup}`);
    return cell ? median(cell.runs.map((r) => r.requests / r.seconds)) : NaN;
  };
  const cpus = os.cpus();
  const lines: string[] = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus[0]?.model.trim() ?? "an unknown CPU"}, ${cpus.length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " / ",
      )} (1/5/15 min) at the end, Node ${process.version}, ${quick ? "`--quick`" : COPIES >= 400 && TICKET_COPIES >= 3400 ? "a full run" : `a medium run (\`--copies ${COPIES} --ticket-copies ${TICKET_COPIES}\`)`}.`,
    `Dataset: ${counts.customers} customers, ${counts.units} units, ${counts.tickets} tickets. ${ROUNDS} interleaved round(s) of ${SECONDS} s per setup and query, ${CONCURRENCY} requests in flight; rps is the median of the rounds, latencies over all of them.`,
    "",
    "| query | setup | rps | p50 ms | p95 ms | p99 ms | errors |",
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const scenario of all) {
    for (const setup of setupNames) {
      const cell = cells.get(`${scenario.name}|${setup}`);
      if (!cell) continue;
      const latencies = cell.runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const errors = cell.runs.reduce((n, r) => n + r.errors, 0);
      lines.push(
        `| ${scenario.name} | ${setup} | ${figure(rpsOf(scenario, setup))} | ${figure(percentile(latencies, 0.5))} | ${figure(percentile(latencies, 0.95))} | ${figure(percentile(latencies, 0.99))} | ${errors} |`,
      );
    }
  }
  lines.push(
    "",
    "Ratios (rps over rps; above 1.0 ours is ahead):",
    "",
    "| query | ours / Hive router | ours / Hive router + dedup | root subgraph / SQL floor (cost ×) | ours / root subgraph | embedded / ours (production) |",
    "|---|---:|---:|---:|---:|---:|",
  );
  for (const scenario of all) {
    const ours = rpsOf(scenario, "ours");
    lines.push(
      `| ${scenario.name} | ${figure(ours / rpsOf(scenario, "Hive router"), 2)} | ${figure(ours / rpsOf(scenario, "Hive router + dedup"), 2)} | ${figure(rpsOf(scenario, "SQL floor") / rpsOf(scenario, "root subgraph"), 1)} | ${figure(ours / rpsOf(scenario, "root subgraph"), 2)} | ${figure(rpsOf(scenario, "embedded") / ours, 2)} |`,
    );
  }
  const subgraphNames = subgraphs.map((s) => s.name);
  lines.push(
    "",
    "SQL statements per request, by subgraph (the embedded graph's all together; the SQL floor sends one):",
    "",
    `| query | setup | ${subgraphNames.join(" | ")} | embedded |`,
    `|---|---|${subgraphNames.map(() => "---:").join("|")}|---:|`,
  );
  for (const scenario of all) {
    for (const setup of setupNames) {
      const cell = cells.get(`${scenario.name}|${setup}`);
      if (!cell || setup === "SQL floor") continue;
      const requests = cell.runs.reduce((n, r) => n + r.requests, 0);
      const per = (name: string) => figure((cell.statements[name] ?? 0) / requests, 1);
      lines.push(`| ${scenario.name} | ${setup} | ${subgraphNames.map(per).join(" | ")} | ${per("embedded")} |`);
    }
  }
  lines.push(
    "",
    "CPU per request, ms (the gateway's process: ours, Hive's, or the embedded graph's one process):",
    "",
    `| query | setup | gateway | ${subgraphNames.join(" | ")} |`,
    `|---|---|---:|${subgraphNames.map(() => "---:").join("|")}|`,
  );
  for (const scenario of all) {
    for (const setup of setupNames) {
      const cell = cells.get(`${scenario.name}|${setup}`);
      if (!cell || setup === "SQL floor") continue;
      const requests = cell.runs.reduce((n, r) => n + r.requests, 0);
      const per = (name: string) => figure(((cell.cpu[name] ?? 0) * 1000) / requests, 2);
      lines.push(`| ${scenario.name} | ${setup} | ${setup === "root subgraph" ? "–" : per("gateway")} | ${subgraphNames.map(per).join(" | ")} |`);
    }
  }
  return lines;
}

/** Replaces the generated section of docs/performance.md, keeping whatever is written around it. */
function writeDocs(lines: string[]): void {
  const BEGIN = "<!-- npm run bench: generated from here -->";
  const END = "<!-- npm run bench: generated up to here -->";
  const file = path.join(root, "docs/performance.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : `# Performance\n\n${BEGIN}\n${END}\n`;
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  const generated = `${BEGIN}\n${lines.join("\n")}\n${END}`;
  const next = from >= 0 && to > from ? `${text.slice(0, from)}${generated}${text.slice(to + END.length)}` : `${text.trimEnd()}\n\n${generated}\n`;
  writeFileSync(file, next);
}
