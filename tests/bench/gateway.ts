/**
 * How fast the gateway answers typical reads, with everything a partner's
 * request goes through: token check, limits, signed identity, one scoped
 * transaction per subgraph request, row-level security.
 *
 *   npm run bench                                   # embedded PGlite, in memory
 *   TEST_DATABASE_URL=postgres://... npm run bench  # a PostgreSQL server
 *   REQUESTS=50 ONLY=units npm run bench            # a short run: fewer requests, the queries whose name holds "units"
 *
 * Prints latency percentiles and throughput per query and caller.
 */
import { seedDemo } from "@aftersales/demo";
import { todayUtc } from "@aftersales/kit";
import { startGraph, type Client } from "../src/graph.js";

const REQUESTS = Number(process.env.REQUESTS ?? 200);
const ONLY = process.env.ONLY ?? "";
/** One client at a time shows latency; eight show what the process sustains. */
const CONCURRENCIES = [1, 8];

const QUERIES = {
  "100 units with customer and dealer": `{ units(first: 100) { edges { node { serialNumber status product { name } customer { name } soldBy { name } } } } }`,
  "one unit by serial number": `query($serial: String!) { unit(serialNumber: $serial) { status product { name } events { kind occurredOn } } }`,
  "20 customers with their units": `{ customers(first: 20) { edges { node { name units(first: 5) { edges { node { serialNumber } } } } } } }`,
  "100 units with their coverage": `{ units(first: 100) { edges { node { serialNumber coverage { kind endsOn reason policy { version } } warranty { endsOn } } } } }`,
  "a page of tickets with SLA, dispatch, technician and coverage": `{ tickets(first: 100) { edges { node { number status customer { name } unit { serialNumber }
    technician { name } sla { source response { state dueAt } resolution { state dueAt elapsedBusinessSeconds } } dispatch { explanation } coverage { kind } } } } }`,
  "tickets at risk within 8 hours": `{ ticketsAtRisk(within: 480, first: 50) { edges { node { number priority sla { resolution { dueAt } } } } } }`,
  "coverage quote for a repair": `query($serial: String!) { coverageQuote(serialNumber: $serial, failureCode: "E01-PUMP", laborHours: 2) { coverage { kind } total { amount } customerPays { amount } } }`,
};

async function measure(client: Client, query: string, variables: Record<string, unknown>, concurrency: number): Promise<number[]> {
  await client.query(query, variables); // warm the plan caches
  const timings: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < REQUESTS) {
        const started = performance.now();
        await client.query(query, variables);
        timings.push(performance.now() - started);
      }
    }),
  );
  return timings.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const graph = await startGraph();
try {
  await seedDemo({ url: graph.url, settle: () => graph.settle(), token: await graph.token({ role: "ADMIN" }), today: todayUtc() });
  const { units } = await graph.query<{ units: { edges: { node: { serialNumber: string; soldBy: { id: string } | null } }[] } }>(
    `{ units(first: 100, filter: { statuses: [INSTALLED] }) { edges { node { serialNumber soldBy { id } } } } }`,
  );
  const sold = units.edges.find((e) => e.node.soldBy)!.node;
  const callers = { AGENT: graph.as({ role: "AGENT" }), DEALER: graph.as({ role: "DEALER", dealerId: sold.soldBy!.id }) };
  console.log(`${REQUESTS} requests per row, database: ${graph.database.kind}`);
  console.log("query | caller | clients | p50 ms | p95 ms | p99 ms | requests/s");
  for (const [name, query] of Object.entries(QUERIES).filter(([name]) => name.includes(ONLY))) {
    for (const [role, client] of Object.entries(callers)) {
      for (const concurrency of CONCURRENCIES) {
        const started = performance.now();
        const timings = await measure(client, query, { serial: sold.serialNumber }, concurrency);
        const seconds = (performance.now() - started) / 1000;
        const ms = (p: number) => percentile(timings, p).toFixed(1);
        console.log(`${name} | ${role} | ${concurrency} | ${ms(0.5)} | ${ms(0.95)} | ${ms(0.99)} | ${(timings.length / seconds).toFixed(0)}`);
      }
    }
  }
} finally {
  await graph.stop();
}
