/**
 * The embedded graph (`npm start`: one process, PGlite) beside the production
 * shape (`infra/local/run-on-postgres.sh`: a process per subgraph, the
 * gateway, the relay and the scheduler on PostgreSQL) on this machine, both
 * seeded with the demo, answering "100 units with customer and dealer" as an
 * ADMIN. Rounds alternate which goes first, so a machine that gets busier or
 * idler meanwhile slows both alike; the ratio is the figure.
 *
 *   npm run bench:embedded                                  # PostgreSQL at TEST_DATABASE_URL's server
 *   ROUNDS=7 REQUESTS=400 CONCURRENCY=8 npm run bench:embedded
 *
 * It uses ports 11000-11011 and 18464 (PORT_BASE=<n> moves them), a temporary data
 * directory, and databases bench_shape_* it drops before and after. Seeding
 * both takes minutes on a busy machine: with KEEP_DATA=true both are kept
 * (the data directory in .data/bench-embedded) and the next run seeds neither.
 * BASELINE_CHECKOUT=<dir> (another checkout of the graph, installed) adds its
 * embedded graph, on a copy of the seeded data directory, to the rounds: a
 * change's before and after on the same machine at the same time.
 * COPIES=<n> (and TICKET_COPIES=<n>, default 8 per customer copy) multiplies
 * both graphs' demo as `npm run bench` multiplies its dataset
 * (production/dataset.ts): COPIES=100 holds 20,000 units, 400 holds 80,000.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { seedDemo } from "@aftersales/demo";
import { openPglite, todayUtc } from "@aftersales/kit";
import { SignJWT } from "jose";
import postgres from "postgres";
import { root, type GraphProcess } from "../src/processes.js";
import { multiplyDemoIn, type DatasetSize } from "./production/dataset.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
/** The embedded graph on PORT_BASE (subgraphs +1..+5), the production shape on PORT_BASE+100 and up. */
const PORT_BASE = Number(process.env.PORT_BASE ?? 11_000);
const PREFIX = "bench_shape_";
const SUBGRAPHS = ["partners", "catalog", "warranty", "tickets", "feedback"];
const KEEP_DATA = process.env.KEEP_DATA === "true";
const BASELINE_CHECKOUT = process.env.BASELINE_CHECKOUT ? path.resolve(process.env.BASELINE_CHECKOUT) : null;
/** The demo as it is, or multiplied. */
const SIZE: DatasetSize | null = process.env.COPIES
  ? { customerCopies: Number(process.env.COPIES), ticketCopies: Number(process.env.TICKET_COPIES ?? Number(process.env.COPIES) * 8) }
  : null;
/** The load comes from one credential: no rate limit, in either graph; every other limit as configured by default. */
const UNLIMITED = { RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000000", RATE_LIMIT_COST_PER_MINUTE: "1000000000000" };
const UNITS = `{ units(first: 100) { edges { node { serialNumber status product { name } customer { name } soldBy { name } } } } }`;

const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl) {
  console.error("The production shape runs on PostgreSQL: set TEST_DATABASE_URL (its server is used, with databases of the benchmark's own).");
  process.exit(1);
}
const server = new URL(databaseUrl);
const serverUrl = `${server.protocol}//${server.username ? `${server.username}${server.password ? `:${server.password}` : ""}@` : ""}${server.host}`;

interface Target {
  name: string;
  url: string;
  token: string;
}

/** What was started, stopped at the end however it ends (a start that failed included). */
const started: { name: string; stop(): Promise<number | null> }[] = [];

const signAdmin = (secret: string) =>
  new SignJWT({ role: "ADMIN" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("bench")
    .setIssuedAt()
    .setExpirationTime("4h")
    .sign(new TextEncoder().encode(secret));

/** Resolves once the process printed `text`; fails with its output when it exits first or takes longer than `ms`. */
async function printed(running: GraphProcess, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`exited (${running.child.exitCode}) before printing "${text}":\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`did not print "${text}" within ${ms / 1000} s:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function dropDatabases(): Promise<void> {
  const sql = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    for (const name of [...SUBGRAPHS, "scheduler"]) await sql.unsafe(`drop database if exists "${PREFIX}${name}" with (force)`);
  } finally {
    await sql.end();
  }
}

/** `npm start` of this checkout, or of `checkout`, on `port` (its subgraphs on the 5 ports after it). */
async function startEmbedded(name: string, dataDir: string, port: number, checkout = root): Promise<Target> {
  const child = spawn(process.execPath, ["--conditions=@aftersales/source", "--import", "tsx", "gateway/src/embedded.ts"], {
    cwd: checkout,
    env: {
      ...process.env,
      ...UNLIMITED,
      DATA_DIR: dataDir,
      PORT: String(port),
      SUBGRAPH_PORT_OFFSET: String(port - 4000),
      DEMO_DATA: "true",
      LOG_PRETTY: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const running = captured(child);
  started.push({
    name,
    stop: () => {
      child.kill("SIGINT");
      return running.exited;
    },
  });
  const since = performance.now();
  await printed(running, "is ready at", 1_800_000);
  console.log(`${name}: started (and seeded when it was new) in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  const { tokenSecret } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { tokenSecret: string };
  return { name, url: `http://127.0.0.1:${port}/graphql`, token: await signAdmin(tokenSecret) };
}

function captured(child: ReturnType<typeof spawn>): GraphProcess {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startProductionShape(): Promise<Target> {
  const offset = PORT_BASE + 100 - 4000;
  const child = spawn("bash", ["infra/local/run-on-postgres.sh"], {
    cwd: root,
    // The embedded graph gives a subgraph 30 s; the seed's batches on a busy machine need more than the default 10.
    env: {
      ...process.env,
      ...UNLIMITED,
      POSTGRES_URL: serverUrl,
      DATABASE_PREFIX: PREFIX,
      PORT_OFFSET: String(offset),
      LOG_LEVEL: "warn",
      SUBGRAPH_TIMEOUT_MS: "30000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const running = captured(child);
  started.push({
    name: "production shape",
    stop: () => {
      child.kill("SIGINT");
      return running.exited;
    },
  });
  const since = performance.now();
  await printed(running, "The graph runs on PostgreSQL", 1_800_000);
  const secrets = readFileSync(path.join(root, ".data/run-on-postgres", `${PREFIX}secrets.env`), "utf8");
  const secret = /^JWT_SECRET=(.+)$/m.exec(secrets)?.[1];
  if (!secret) throw new Error("run-on-postgres.sh kept no JWT_SECRET");
  const url = `http://127.0.0.1:${PORT_BASE + 100}/graphql`;
  const token = await signAdmin(secret);
  if (!existsSync(productionSeeded)) {
    // A relay on a busy machine may take longer than the seed waits by default for the events to arrive.
    const settle = () => relaySettled(`http://127.0.0.1:${PORT_BASE + 110}/metrics`);
    await seedDemo({ url, token, today: todayUtc(), settle, warrantyWaitMs: 600_000 });
    if (SIZE) {
      // A database per subgraph: each multiplies the schema it holds.
      for (const name of SUBGRAPHS) {
        const sql = postgres(`${serverUrl}/${PREFIX}${name}`, { max: 1, onnotice: () => {} });
        try {
          await multiplyDemoIn(<Row>(text: string) => sql.unsafe<Row[]>(text), SIZE);
        } finally {
          await sql.end();
        }
      }
    }
    if (KEEP_DATA) writeFileSync(productionSeeded, `${new Date().toISOString()}\n`);
  }
  console.log(`production shape: started and seeded in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  return { name: "production shape", url, token };
}

/** Multiplies the demo in an embedded graph's data directory, while no graph holds it. */
async function multiplyEmbedded(dataDir: string, size: DatasetSize): Promise<void> {
  const since = performance.now();
  const client = await openPglite(path.join(dataDir, "pglite"));
  try {
    await multiplyDemoIn(async <Row>(text: string) => (await client.query<Row>(text)).rows, size);
  } finally {
    await client.close();
  }
  console.log(
    `embedded: demo multiplied (${size.customerCopies}× customers and units, ${size.ticketCopies}× tickets) in ${((performance.now() - since) / 1000).toFixed(1)} s`,
  );
}

/** Every event committed so far applied: the relay reports no outbox lag, twice in a row. */
async function relaySettled(metricsUrl: string): Promise<void> {
  let quiet = 0;
  while (quiet < 2) {
    const text = await (await fetch(metricsUrl)).text();
    const lags = [...text.matchAll(/^aftersales_outbox_lag_seconds\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
    quiet = lags.length > 0 && lags.every((lag) => lag === 0) ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function ask(target: Target): Promise<void> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    body: JSON.stringify({ query: UNITS }),
  });
  const body = (await response.json()) as { data?: { units: { edges: unknown[] } }; errors?: unknown[] };
  if (body.errors || body.data?.units.edges.length !== 100) throw new Error(`${target.name} answered: ${JSON.stringify(body).slice(0, 500)}`);
}

/** `REQUESTS` queries, `CONCURRENCY` at a time: each one's milliseconds, and the seconds they took together. */
async function round(target: Target): Promise<{ timings: number[]; seconds: number }> {
  const timings: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const sent = performance.now();
        await ask(target);
        timings.push(performance.now() - sent);
      }
    }),
  );
  return { timings, seconds: (performance.now() - started) / 1000 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (timings: number[], seconds: number) => {
  const sorted = [...timings].sort((a, b) => a - b);
  return { rps: timings.length / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
};
const row = (cells: (string | number)[]) => console.log(cells.join(" | "));

const dataDir = KEEP_DATA ? path.join(root, ".data/bench-embedded") : mkdtempSync(path.join(tmpdir(), "aftersales-bench-embedded-"));
mkdirSync(dataDir, { recursive: true });
/** Written once the production shape's databases hold the whole demo (KEEP_DATA), multiplied when asked. */
const productionSeeded = path.join(dataDir, "production-shape-seeded");
/** Written once the embedded graph's demo is multiplied (KEEP_DATA). */
const embeddedMultiplied = path.join(dataDir, "embedded-multiplied");
const targets: Target[] = [];
const toRemove: string[] = [];
try {
  if (!existsSync(productionSeeded)) await dropDatabases();
  // One after the other: two demo seeds at once would each take longer than both in turn.
  targets.push(await startEmbedded("embedded", dataDir, PORT_BASE));
  const multiply = SIZE !== null && !existsSync(embeddedMultiplied);
  if (BASELINE_CHECKOUT || multiply) {
    await started.pop()!.stop();
    targets.pop();
    if (SIZE && multiply) {
      await multiplyEmbedded(dataDir, SIZE);
      if (KEEP_DATA) writeFileSync(embeddedMultiplied, `${JSON.stringify(SIZE)}\n`);
    }
    if (BASELINE_CHECKOUT) {
      // A copy of the seeded data, taken while no graph holds it, so the baseline needs no seed of its own.
      const baselineDir = mkdtempSync(path.join(tmpdir(), "aftersales-bench-baseline-"));
      cpSync(dataDir, baselineDir, { recursive: true });
      toRemove.push(baselineDir);
      targets.push(await startEmbedded("embedded (baseline)", baselineDir, PORT_BASE + 200, BASELINE_CHECKOUT));
    }
    targets.push(await startEmbedded("embedded", dataDir, PORT_BASE));
  }
  targets.push(await startProductionShape());
  for (const target of targets) for (let i = 0; i < 20; i++) await ask(target); // warm the plan caches
  const all = new Map(targets.map((t) => [t.name, { timings: [] as number[], seconds: 0 }]));
  console.log(`\n"100 units with customer and dealer" as an ADMIN: ${ROUNDS} rounds of ${REQUESTS} requests, ${CONCURRENCY} at a time`);
  row(["round", "graph", "requests/s", "p50 ms", "p99 ms"]);
  for (let r = 1; r <= ROUNDS; r++) {
    const order = r % 2 === 1 ? targets : [...targets].reverse();
    for (const target of order) {
      const result = await round(target);
      const total = all.get(target.name)!;
      total.timings.push(...result.timings);
      total.seconds += result.seconds;
      const s = summary(result.timings, result.seconds);
      row([r, target.name, s.rps.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1)]);
    }
  }
  const totals = new Map(targets.map((t) => [t.name, summary(all.get(t.name)!.timings, all.get(t.name)!.seconds)]));
  console.log("\nall rounds");
  row(["graph", "requests/s", "p50 ms", "p99 ms"]);
  for (const [name, s] of totals) row([name, s.rps.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1)]);
  const production = totals.get("production shape")!;
  for (const [name, s] of totals) {
    if (name === "production shape") continue;
    console.log(`${name} / production shape: ${(s.rps / production.rps).toFixed(2)}x the requests per second, ${(s.p50 / production.p50).toFixed(2)}x the p50`);
  }
} finally {
  for (const running of started.reverse()) {
    const code = await running.stop();
    // run-on-postgres.sh exits 130 on Ctrl-C (SIGINT), having stopped its processes.
    if (code !== 0 && code !== 130) console.error(`${running.name} exited with ${code}`);
  }
  for (const directory of toRemove) rmSync(directory, { recursive: true, force: true });
  if (!KEEP_DATA) {
    rmSync(dataDir, { recursive: true, force: true });
    await dropDatabases();
  }
}
