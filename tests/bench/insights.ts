/**
 * How fast the gateway answers the insights data teams and dealers ask for,
 * on the large database `npm run seed:insights` fills (1M+ tickets, 1.6M
 * surveys): the whole graph starts on it, and each insights query goes
 * through the gateway as an ANALYST (every dealer) and as the DEALER with the
 * most tickets (its own rows, under row-level security). Each query runs
 * once to warm up, then RUNS times one after another.
 *
 *   npm run seed:insights && npm run bench:insights      # tsx tests/bench/insights.ts
 *   INSIGHTS_TICKETS=20000 npm run seed:insights -- --fresh && npm run bench:insights   # a quick run
 *   INSIGHTS_DATABASE_URL=postgres://... INSIGHTS_RUNS=5 npm run bench:insights
 *   INSIGHTS_SHOW=1 npm run bench:insights     # also prints each query's answer once, to check the figures
 *   INSIGHTS_ACCURACY=1 npm run bench:insights # then holds the ANALYST's resolution figures against exact SQL
 *
 * With INSIGHTS_ACCURACY, resolution over all time grouped by each dimension
 * (the first 100 groups) is compared with the same figures computed from the
 * facts with percentile_cont: counts must be equal, and the largest relative
 * error of the median and the p90 hours to resolve is printed (the rollups'
 * histogram promises 1 %).
 *
 * Prints query | caller | p50 ms | p95 ms | max ms | SQL statements the
 * feedback subgraph ran per request. Exits non-zero, printing them, when any
 * query returns GraphQL errors.
 */
import { randomBytes } from "node:crypto";
import { signToken } from "@aftersales/gateway/auth";
import { startWholeGraph } from "@aftersales/gateway/graph";
import { memoryRateLimiter } from "@aftersales/gateway/limits";
import {
  addDays,
  addMonthsClamped,
  createLogger,
  executeRows,
  generateIdentityKey,
  identitySigner,
  openDatabase,
  secretKey,
  todayUtc,
  type Role,
} from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { postGraphQL, testLimits, type GraphQLResponse } from "../src/graph.js";

const DATABASE_URL = process.env.INSIGHTS_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/aftersales_insights";
/** Timed runs per query and caller, after one warm-up run. */
const RUNS = Number(process.env.INSIGHTS_RUNS ?? 10);
/** Rows per page for grouped figures. */
const FIRST = 20;
/** Print each query's answer (from its warm-up run). */
const SHOW = ["1", "true"].includes(process.env.INSIGHTS_SHOW ?? "");
/** Compare the resolution figures with exact SQL after the timings. */
const ACCURACY = ["1", "true"].includes(process.env.INSIGHTS_ACCURACY ?? "");
/** The gateway's own default: a query slower than this fails in production. */
const PRODUCTION_SUBGRAPH_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------
// The queries
// ---------------------------------------------------------------------------

const SATISFACTION = `responses averageScore satisfiedShare promoters passives detractors nps`;
const RESOLUTION = `resolved slaMet slaCompliance medianHoursToResolve p90HoursToResolve firstTimeFixes repairs firstTimeFixRate`;
const GROUP = `group { key label }`;

/** One insights field, asked with `$filter: InsightsFilter` (and `$productId` for the Pareto). */
const insights = (selection: string, variables = "$filter: InsightsFilter") => `query Insights(${variables}) { insights(filter: $filter) { ${selection} } }`;

const satisfaction = (measure: string, groupBy: string) =>
  insights(`satisfaction(measure: ${measure}, groupBy: ${groupBy}, first: ${FIRST}) { totalCount edges { node { ${GROUP} figures { ${SATISFACTION} } } } }`);

/** The figures a dashboard shows, each over the filter it is given. */
const QUERIES: Record<string, string> = {
  "CSAT by MONTH": satisfaction("CSAT", "MONTH"),
  "NPS TOTAL": satisfaction("NPS", "TOTAL"),
  "NPS by DEALER": satisfaction("NPS", "DEALER"),
  "CSAT by PRODUCT": satisfaction("CSAT", "PRODUCT"),
  "CSAT by SERVICE_CENTER": satisfaction("CSAT", "SERVICE_CENTER"),
  "CSAT by TECHNICIAN": satisfaction("CSAT", "TECHNICIAN"),
  "CSAT split by SLA_OUTCOME": insights(`satisfactionSplit(by: SLA_OUTCOME) { key figures { ${SATISFACTION} } }`),
  "CSAT split by COVERAGE": insights(`satisfactionSplit(by: COVERAGE) { key figures { ${SATISFACTION} } }`),
  "CSAT split by FIRST_TIME_FIX": insights(`satisfactionSplit(by: FIRST_TIME_FIX) { key figures { ${SATISFACTION} } }`),
  "resolution TOTAL": insights(`resolution(groupBy: TOTAL) { edges { node { ${GROUP} figures { ${RESOLUTION} } } } }`),
  "resolution by MONTH": insights(`resolution(groupBy: MONTH, first: 36) { totalCount edges { node { ${GROUP} figures { ${RESOLUTION} } } } }`),
  "repeat repairs 30d TOTAL": insights(`repeatRepairs(withinDays: 30, groupBy: TOTAL) { edges { node { ${GROUP} repairs repeated repeatRate } } }`),
  "repeat repairs 30d by PRODUCT": insights(
    `repeatRepairs(withinDays: 30, groupBy: PRODUCT, first: ${FIRST}) { totalCount edges { node { ${GROUP} repairs repeated repeatRate } } }`,
  ),
  "failure Pareto, top product": insights(
    `failurePareto(productId: $productId, first: ${FIRST}) { totalCount totalTickets edges { node { failureCode tickets share cumulativeShare } } }`,
    "$filter: InsightsFilter, $productId: ID!",
  ),
  "warranty claims": insights(
    `warrantyClaims(first: ${FIRST}) { totalCount edges { node { productName unitsSold claims claimsPer100Units approvedCost { amount currency } } } }`,
  ),
};

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  roles: Role[];
}

/** Every query over all time (CSAT by month: the last 12 months), then again for one product, then for the last 3 months. */
function cases(topProductId: string): Case[] {
  const today = todayUtc();
  const lastTwelveMonths = { from: `${addMonthsClamped(today, -11).slice(0, 7)}-01`, to: today };
  const lastThreeMonths = { from: addDays(addMonthsClamped(today, -3), 1), to: today };
  const both: Role[] = ["ANALYST", "DEALER"];
  const list: Case[] = [];
  const slices: [string, Record<string, unknown>][] = [
    ["", {}],
    [" | product", { productIds: [topProductId] }],
    [" | 3 months", lastThreeMonths],
  ];
  for (const [suffix, slice] of slices) {
    for (const [name, query] of Object.entries(QUERIES)) {
      // The Pareto is one product's already.
      if (suffix === " | product" && name.startsWith("failure Pareto")) continue;
      const period = name === "CSAT by MONTH" && !("from" in slice) ? lastTwelveMonths : {};
      list.push({ name: `${name}${suffix}`, query, variables: { filter: { ...period, ...slice }, productId: topProductId }, roles: both });
    }
  }
  return list;
}

// ---------------------------------------------------------------------------
// Running them
// ---------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;

/** The dealer with the most tickets and the product with the most repairs: the seed's busiest. */
async function busiest(): Promise<{ dealerId: string; productId: string; tickets: number }> {
  const handle = openDatabase({ kind: "postgres", url: DATABASE_URL, poolSize: 1 });
  try {
    const [dealer] = await executeRows<{ dealer_id: string; tickets: number }>(
      handle.db,
      sql`select dealer_id, count(*)::int as tickets from feedback.ticket_facts group by 1 order by 2 desc, 1 limit 1`,
    );
    const [product] = await executeRows<{ product_id: string }>(
      handle.db,
      sql`select product_id from feedback.ticket_facts where kind = 'REPAIR' and product_id is not null group by 1 order by count(*) desc, 1 limit 1`,
    );
    if (!dealer || !product) throw new Error("feedback.ticket_facts is empty");
    return { dealerId: dealer.dealer_id, productId: product.product_id, tickets: dealer.tickets };
  } catch (error) {
    throw new Error(`No seeded insights database at INSIGHTS_DATABASE_URL: run \`npm run seed:insights\` first (${String(error)}).`);
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------
// Accuracy: the rollups' figures against exact SQL over the facts
// ---------------------------------------------------------------------------

interface ResolutionFigures {
  resolved: number;
  slaMet: number;
  repairs: number;
  firstTimeFixes: number;
  medianHoursToResolve: number | null;
  p90HoursToResolve: number | null;
}

/** The key of a group as the insights name it, computed over the facts. */
const EXACT_KEYS: Record<string, string> = {
  TOTAL: "'total'",
  MONTH: "to_char(t.resolved_at at time zone 'UTC', 'YYYY-MM')",
  PRODUCT: "t.product_id",
  DEALER: "t.dealer_id",
  SERVICE_CENTER: "t.service_center_id",
  TECHNICIAN: "t.technician_id",
};

/** Resolution over all time by each dimension, through the gateway as an ANALYST and exactly from the facts; prints the differences. */
async function checkAccuracy(url: string, headers: Record<string, string>): Promise<void> {
  const handle = openDatabase({ kind: "postgres", url: DATABASE_URL, poolSize: 1 });
  const relative = (a: number | null, b: number | null) =>
    a === null || b === null ? (a === b ? 0 : Number.POSITIVE_INFINITY) : b === 0 ? Math.abs(a) : Math.abs(a - b) / b;
  try {
    console.log("\naccuracy of resolution over all time, ANALYST, first 100 groups: rollups against exact SQL over the facts");
    console.log("grouped by | groups | counts unequal | max rel. error median | max rel. error p90");
    for (const [dimension, key] of Object.entries(EXACT_KEYS)) {
      const response = await postGraphQL<{ insights: { resolution: { edges: { node: { group: { key: string | null }; figures: ResolutionFigures } }[] } } }>(
        url,
        `query Accuracy { insights { resolution(groupBy: ${dimension}, first: 100) { edges { node { group { key } figures {
          resolved slaMet repairs firstTimeFixes medianHoursToResolve p90HoursToResolve } } } } } }`,
        {},
        headers,
      );
      if (response.errors?.length || !response.data) throw new Error(`resolution by ${dimension}: ${JSON.stringify(response.errors)}`);
      const exact = await executeRows<{ key: string | null; resolved: number; sla_met: number; repairs: number; first_time_fixes: number; hours: number[] }>(
        handle.db,
        sql.raw(`select ${key} as key, count(*)::int as resolved, (count(*) filter (where not t.sla_breached))::int as sla_met,
                   (count(*) filter (where t.kind = 'REPAIR'))::int as repairs,
                   (count(*) filter (where t.kind = 'REPAIR' and t.reopen_count = 0 and not t.waited_for_parts))::int as first_time_fixes,
                   percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from t.resolved_at - t.opened_at) / 3600) as hours
                 from feedback.ticket_facts t where t.resolved_at is not null group by 1`),
      );
      const byKey = new Map(exact.map((row) => [row.key, row]));
      let unequal = 0;
      let median = 0;
      let p90 = 0;
      const edges = response.data.insights.resolution.edges;
      for (const { node } of edges) {
        const row = byKey.get(node.group.key);
        const f = node.figures;
        if (!row || row.resolved !== f.resolved || row.sla_met !== f.slaMet || row.repairs !== f.repairs || row.first_time_fixes !== f.firstTimeFixes) {
          unequal++;
          continue;
        }
        median = Math.max(median, relative(f.medianHoursToResolve, Number(row.hours[0])));
        p90 = Math.max(p90, relative(f.p90HoursToResolve, Number(row.hours[1])));
      }
      const pct = (x: number) => `${(x * 100).toFixed(3)} %`;
      console.log(`${dimension} | ${edges.length} | ${unequal} | ${pct(median)} | ${pct(p90)}`);
    }
  } finally {
    await handle.close();
  }
}

const { dealerId, productId, tickets } = await busiest();

const tokenSecret = randomBytes(32).toString("hex");
let feedbackStatements = 0;
const graph = await startWholeGraph({
  database: { kind: "postgres", url: DATABASE_URL },
  logger: createLogger("bench", { level: "warn" }),
  host: "127.0.0.1",
  port: 0,
  subgraphPortOffset: null,
  onStatement: (subgraph) => {
    if (subgraph === "feedback") feedbackStatements++;
  },
  // Nothing to hand on: the seed wrote the projections directly.
  relay: false,
  webhookIntervalMs: null,
  security: {
    tokens: { secret: secretKey(tokenSecret) },
    identitySigner: identitySigner(await generateIdentityKey()),
    apiKeyCacheSeconds: 0,
    // The most the gateway allows, so slow queries are measured rather than cut off.
    subgraphTimeoutMs: 120_000,
    limits: testLimits(),
    rateLimiter: memoryRateLimiter(),
    allowBatching: false,
  },
});

const failures: { name: string; role: Role; errors: GraphQLResponse<unknown>["errors"] }[] = [];
try {
  const headersOf = async (role: Role) => ({
    authorization: `Bearer ${await signToken(tokenSecret, {
      role,
      dealerId: role === "DEALER" ? dealerId : null,
      subject: `bench-${role.toLowerCase()}`,
      expiresIn: "4h",
    })}`,
  });
  const headers: Partial<Record<Role, Record<string, string>>> = { ANALYST: await headersOf("ANALYST"), DEALER: await headersOf("DEALER") };

  console.log(`insights on ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}: ${RUNS} runs per row after one warm-up`);
  console.log(`DEALER ${dealerId} (${tickets.toLocaleString("en")} tickets), top product ${productId}`);
  console.log("");
  console.log("query | caller | p50 ms | p95 ms | max ms | SQL statements");
  const slow: string[] = [];
  for (const { name, query, variables, roles } of cases(productId)) {
    for (const role of roles) {
      const warmUp = await postGraphQL(graph.gateway.url, query, variables, headers[role]);
      if (warmUp.errors?.length || !warmUp.data) {
        failures.push({ name, role, errors: warmUp.errors ?? [{ message: "no data" }] });
        console.log(`${name} | ${role} | FAILED | | |`);
        continue;
      }
      if (SHOW) console.log(`  ${JSON.stringify(warmUp.data)}`);
      const timings: number[] = [];
      feedbackStatements = 0;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const response = await postGraphQL(graph.gateway.url, query, variables, headers[role]);
        timings.push(performance.now() - started);
        if (response.errors?.length) failures.push({ name, role, errors: response.errors });
      }
      timings.sort((a, b) => a - b);
      const ms = (p: number) => percentile(timings, p).toFixed(0);
      console.log(`${name} | ${role} | ${ms(0.5)} | ${ms(0.95)} | ${timings.at(-1)!.toFixed(0)} | ${(feedbackStatements / RUNS).toFixed(0)}`);
      if (timings.at(-1)! > PRODUCTION_SUBGRAPH_TIMEOUT_MS) slow.push(`${name} (${role})`);
    }
  }
  if (slow.length) {
    console.log(`\nslower than the gateway's production subgraph timeout (${PRODUCTION_SUBGRAPH_TIMEOUT_MS} ms): ${slow.join(", ")}`);
  }
  if (ACCURACY) await checkAccuracy(graph.gateway.url, headers.ANALYST!);
} finally {
  await graph.stop();
}

if (failures.length) {
  console.error(`\n${failures.length} queries returned GraphQL errors:`);
  for (const { name, role, errors } of failures) console.error(`- ${name} (${role}): ${JSON.stringify(errors, null, 2)}`);
  process.exit(1);
}
