/**
 * What a subgraph costs over its database: a root fetch of 100 units from
 * the catalog, and of 50 tickets with their SLA from tickets, sent straight
 * to the subgraph (with the identity header, no gateway), side by side with
 * the same rows read straight from PostgreSQL with postgres.js. Rounds are
 * interleaved, so a busy machine slows both alike; the ratio is the figure.
 *
 *   TEST_DATABASE_URL=postgres://... npm run bench:subgraph
 *   ROUNDS=5 REQUESTS=300 npm run bench:subgraph
 *   PROFILE=subgraph.cpuprofile npm run bench:subgraph   # then a CPU profile of a round of subgraph requests alone
 *   ONLY=units npm run bench:subgraph                     # the scenarios whose name holds "units"
 */
import { seedDemo } from "@aftersales/demo";
import { todayUtc } from "@aftersales/kit";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import postgres from "postgres";
import { openTicket } from "../src/factories.js";
import { startGraph } from "../src/graph.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const REQUESTS = Number(process.env.REQUESTS ?? 200);
const CONCURRENCY = 4;
const TICKETS = 50;

if (!process.env.TEST_DATABASE_URL) {
  console.error("The subgraph benchmark compares with PostgreSQL read directly: set TEST_DATABASE_URL.");
  process.exit(1);
}

const graph = await startGraph();
const sql = postgres(graph.database.kind === "postgres" ? graph.database.url : "", { max: CONCURRENCY, onnotice: () => {} });
try {
  await seedDemo({ url: graph.url, settle: () => graph.settle(), token: await graph.token({ role: "ADMIN" }), today: todayUtc() });
  const { customers } = await graph.query<{ customers: { edges: { node: { id: string } }[] } }>(`{ customers(first: 50) { edges { node { id } } } }`);
  const { tickets } = await graph.query<{ tickets: { totalCount: number } }>(`{ tickets(first: 1) { totalCount } }`);
  for (let i = tickets.totalCount; i < TICKETS; i++) await openTicket(graph, customers.edges[i % customers.edges.length]!.node.id);
  await graph.settle();

  const catalog = graph.subgraph("catalog");
  const ticketsSubgraph = graph.subgraph("tickets");
  const scenarios: Record<string, { subgraph: () => Promise<unknown>; sql: () => Promise<unknown> }> = {
    "100 units (catalog)": {
      subgraph: () => catalog.query(`{ units(first: 100) { edges { node { id serialNumber status soldOn product { id name sku } } } } }`),
      sql: () => sql`select u.*, p.name, p.sku from catalog.units u join catalog.products p on p.id = u.product_id order by u.serial_number limit 100`,
    },
    "50 tickets with SLA (tickets)": {
      subgraph: () =>
        ticketsSubgraph.query(`{ tickets(first: ${TICKETS}) { edges { node { id number status priority openedAt
          sla { source response { state dueAt } resolution { state dueAt elapsedBusinessSeconds } } } } } }`),
      sql: () => sql`select t.*, (select json_agg(e) from tickets.ticket_sla_events e where e.ticket_id = t.id) as sla
        from tickets.tickets t order by t.opened_at desc limit ${TICKETS}`,
    },
  };

  /**
   * `REQUESTS` calls of `work`, `CONCURRENCY` at a time: requests per second, and this process's CPU time per
   * request in ms (the client's share included; PostgreSQL's own work is not), which a busy machine sways less.
   */
  const rate = async (work: () => Promise<unknown>) => {
    let next = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) await work();
      }),
    );
    const { user, system } = process.cpuUsage(cpu);
    return { rps: REQUESTS / ((performance.now() - started) / 1000), cpuMs: (user + system) / 1000 / REQUESTS };
  };

  for (const name of Object.keys(scenarios)) if (process.env.ONLY && !name.includes(process.env.ONLY)) delete scenarios[name];
  type Rate = Awaited<ReturnType<typeof rate>>;
  const results: Record<string, { subgraph: Rate[]; sql: Rate[] }> = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    // The plan and statement caches warm, and the code runs hot before it is measured.
    for (let i = 0; i < 20; i++) {
      await scenario.subgraph();
      await scenario.sql();
    }
    results[name] = { subgraph: [], sql: [] };
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, scenario] of Object.entries(scenarios)) {
      results[name]!.subgraph.push(await rate(scenario.subgraph));
      results[name]!.sql.push(await rate(scenario.sql));
    }
  }
  // The graph runs in this process: one more round of the subgraph requests alone, profiled, shows where the
  // subgraphs spend their CPU (the client's fetch and JSON parsing are in it too, the SQL floor's work is not).
  if (process.env.PROFILE) {
    const profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
    for (const scenario of Object.values(scenarios)) await rate(scenario.subgraph);
    const { profile } = await profiler.post("Profiler.stop");
    await writeFile(process.env.PROFILE, JSON.stringify(profile));
    profiler.disconnect();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`${ROUNDS} interleaved rounds of ${REQUESTS} requests, ${CONCURRENCY} at a time, on ${graph.database.kind}`);
  console.log("scenario | subgraph rps | SQL rps | subgraph cost / SQL cost | CPU ms per request: subgraph | SQL | ratio");
  for (const [name, { subgraph, sql: raw }] of Object.entries(results)) {
    const [rps, rawRps] = [median(subgraph.map((r) => r.rps)), median(raw.map((r) => r.rps))];
    const [cpu, rawCpu] = [median(subgraph.map((r) => r.cpuMs)), median(raw.map((r) => r.cpuMs))];
    console.log(
      `${name} | ${rps.toFixed(0)} | ${rawRps.toFixed(0)} | ${(rawRps / rps).toFixed(1)}x | ${cpu.toFixed(2)} | ${rawCpu.toFixed(2)} | ${(cpu / rawCpu).toFixed(1)}x`,
    );
  }
} finally {
  await sql.end({ timeout: 1 });
  await graph.stop();
}
