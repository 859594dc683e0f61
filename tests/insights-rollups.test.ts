import { executeRows, openDatabase, type DatabaseHandle } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDealer } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { InsightsFilter, InsightsRollupsEveryInsightQuery } from "./src/generated/graphql.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";

/**
 * The insights read rollups that triggers keep beside the feedback
 * subgraph's facts. Here a world of generated facts (written straight into
 * the projections, as the events would leave them, then changed the ways
 * events change them) is read through the gateway, and every figure is held
 * against the same figure computed from the facts themselves: counts equal,
 * hours to resolve within the histogram's 1 %. Then the rollups are rebuilt
 * from the facts and every answer must stay the same.
 */

let graph: TestGraph;
let handle: DatabaseHandle;
/** A dealer the graph knows (for the DEALER identity), and two generated ones. */
let dealers: string[] = [];

beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
  dealers = [(await createDealer(graph)).id, "gd2", "gd3"];
  await graph.settle();
  const db = handle.db;
  const dealerArray = sql`${sql.param(dealers)}::text[]`;
  // 3000 tickets over 200 days from 2025-11-10 (so periods start and end inside months), 72 % repairs, hours lognormal.
  await db.execute(sql`
    insert into feedback.ticket_facts (id, source_version, number, dealer_id, customer_id, unit_id, product_id, service_center_id, technician_id,
                                       kind, priority, status, failure_code, sla_breached, opened_at, resolved_at, reopen_count, waited_for_parts)
    select 'gt' || g, 1, 'G-' || g, (${dealerArray})[1 + g % 3], 'gcus' || g, 'gu' || (g % 700), 'gp' || (1 + (g * 7) % 4), 'gc' || (1 + g % 3),
           'gtech' || (g % 9), case when g % 25 < 18 then 'REPAIR' else 'MAINTENANCE' end, 'P3',
           case when g % 11 = 0 then 'IN_PROGRESS' else 'RESOLVED' end, case when g % 5 = 0 then null else 'E0' || (g % 4) end, g % 13 = 0,
           opened, case when g % 11 <> 0 then opened + interval '1 hour' * exp(ln(20) + 0.9 * sqrt(-2 * ln(1 - ((g * 7919) % 997 + 0.5) / 997.0))
                                                      * cos(2 * pi() * ((g * 104729) % 991) / 991.0)) end,
           (g % 17 = 0)::int, g % 7 = 0
    from (select g, timestamptz '2025-11-10 00:00Z' + interval '1 minute' * ((g * 96.0 * 60) / 15)::int as opened from generate_series(1, 3000) g) t`);
  // Each repair's next repair on its unit, as the projection keeps it.
  await db.execute(sql`
    update feedback.ticket_facts p set next_repair_opened_at = (
      select min(n.opened_at) from feedback.ticket_facts n where n.unit_id = p.unit_id and n.kind = 'REPAIR' and n.id <> p.id and n.opened_at > p.resolved_at)
    where p.id like 'gt%' and p.kind = 'REPAIR'`);
  // CSAT answers for two in three resolved tickets, NPS answers from customers, with their dealer's dimensions.
  await db.execute(sql`
    insert into feedback.surveys (id, kind, status, dealer_id, customer_id, ticket_id, unit_id, product_id, service_center_id, technician_id,
                                  sla_breached, first_time_fix, coverage, token, due_at, answered_at, score, created_at)
    select 'gs' || t.id, 'CSAT', 'ANSWERED', t.dealer_id, t.customer_id, t.id, t.unit_id, t.product_id, t.service_center_id, t.technician_id,
           t.sla_breached, not t.waited_for_parts, case when t.number like '%3' then 'WARRANTY' else 'NONE' end, 'gtok' || t.id,
           t.resolved_at, t.resolved_at + interval '5 hours', 1 + (substr(t.id, 3)::int * 7) % 5, t.resolved_at
    from feedback.ticket_facts t where t.id like 'gt%' and t.resolved_at is not null and right(t.id, 1) not in ('2', '5', '8')`);
  await db.execute(sql`
    insert into feedback.surveys (id, kind, status, dealer_id, customer_id, token, due_at, answered_at, score, created_at)
    select 'gn' || g, 'NPS', 'ANSWERED', (${dealerArray})[1 + g % 3], 'gcus' || g, 'gntok' || g, now(),
           timestamptz '2025-11-10 00:00Z' + interval '1 hour' * g * 4, (g * 7) % 11, now()
    from generate_series(1, 1000) g`);
  // Units sold and warranty claims.
  await db.execute(sql`
    insert into feedback.known_units (id, source_version, product_id, dealer_id, status, sold_on)
    select 'gu' || g, 1, 'gp' || (1 + g % 4), (${dealerArray})[1 + g % 3], 'SOLD', date '2025-11-01' + g % 200 from generate_series(0, 699) g`);
  await db.execute(sql`
    insert into feedback.claim_facts (id, source_version, dealer_id, unit_id, product_id, failure_code, failure_on, repair_on, status,
                                      claimed_total, approved_total, currency, coverage_kind)
    select 'gw' || g, 1, (${dealerArray})[1 + g % 3], 'gu' || g, 'gp' || (1 + g % 4), 'E01', date '2025-11-10' + g % 190, date '2025-11-10' + g % 190,
           (array['APPROVED', 'PAID', 'REJECTED', 'IN_REVIEW', 'PARTIALLY_APPROVED'])[1 + g % 5], 100 + g, case when g % 5 = 2 then 0 else 80 + g end,
           case when g % 9 = 0 then 'CHF' else 'EUR' end, 'WARRANTY'
    from generate_series(1, 400) g`);
  // Then the facts change as events change them: reopened, resolved again later, moved to another technician, re-scored, withdrawn.
  await db.execute(sql`update feedback.ticket_facts set reopen_count = reopen_count + 1, resolved_at = resolved_at + interval '30 hours'
                       where id like 'gt%' and resolved_at is not null and right(id, 2) = '17'`);
  await db.execute(sql`update feedback.surveys set technician_id = 'gtech-moved', score = 5 where id like 'gsgt%' and right(id, 2) = '41'`);
  await db.execute(sql`update feedback.surveys set status = 'CANCELLED' where id like 'gn%' and right(id, 2) = '33'`);
  await db.execute(sql`delete from feedback.ticket_facts where id like 'gt%' and right(id, 3) = '999'`);
  await db.execute(sql`update feedback.claim_facts set status = 'APPROVED', approved_total = 55 where id like 'gw%' and right(id, 1) = '4'`);
});

afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

graphql(`fragment InsightsRollupsSatisfaction on SatisfactionFigures { responses averageScore satisfiedShare promoters passives detractors nps }`);
graphql(`fragment InsightsRollupsResolution on ResolutionFigures {
  resolved slaMet slaCompliance medianHoursToResolve p90HoursToResolve firstTimeFixes repairs firstTimeFixRate }`);

/** Every insight field a dashboard asks for, over one filter. */
const EVERY_INSIGHT = graphql(`query InsightsRollupsEveryInsight($filter: InsightsFilter, $productId: ID!) { insights(filter: $filter) {
    csatTotal: satisfaction(measure: CSAT, groupBy: TOTAL) { totalCount edges { node { group { key } figures { ...InsightsRollupsSatisfaction } } } }
    csatByProduct: satisfaction(measure: CSAT, groupBy: PRODUCT) { totalCount edges { node { group { key } figures { ...InsightsRollupsSatisfaction } } } }
    csatByTechnician: satisfaction(measure: CSAT, groupBy: TECHNICIAN, first: 50) {
      totalCount edges { node { group { key } figures { ...InsightsRollupsSatisfaction } } } }
    csatByWeek: satisfaction(measure: CSAT, groupBy: WEEK, first: 50) { totalCount edges { node { group { key } figures { responses } } } }
    npsByDealer: satisfaction(measure: NPS, groupBy: DEALER) { totalCount edges { node { group { key } figures { ...InsightsRollupsSatisfaction } } } }
    splitCoverage: satisfactionSplit(by: COVERAGE) { key figures { responses averageScore } }
    splitSla: satisfactionSplit(by: SLA_OUTCOME) { key figures { responses averageScore } }
    resolutionTotal: resolution(groupBy: TOTAL) { edges { node { group { key } figures { ...InsightsRollupsResolution } } } }
    resolutionByMonth: resolution(groupBy: MONTH, first: 50) { edges { node { group { key } figures { ...InsightsRollupsResolution } } } }
    resolutionByCenter: resolution(groupBy: SERVICE_CENTER) { edges { node { group { key } figures { ...InsightsRollupsResolution } } } }
    repeats: repeatRepairs(withinDays: 30, groupBy: PRODUCT) { edges { node { group { key } repairs repeated } } }
    repeatsShort: repeatRepairs(withinDays: 3, groupBy: TOTAL) { edges { node { repairs repeated } } }
    pareto: failurePareto(productId: $productId) { totalCount totalTickets edges { node { failureCode tickets cumulativeShare } } }
    claims: warrantyClaims { totalCount edges { node { product { id } unitsSold claims approvedCost { amount currency } } } }
  } }`);

type Answer = InsightsRollupsEveryInsightQuery["insights"];

async function read(client: Client, filter: InsightsFilter): Promise<Answer> {
  const { insights } = await client.query(EVERY_INSIGHT, { filter, productId: "gp2" });
  return insights;
}

/** Hours to resolve within the histogram's 1 %; everything else equal. */
function expectSameFigures(fromRollups: Answer, exact: Answer, label: string) {
  const hours = new Set(["medianHoursToResolve", "p90HoursToResolve"]);
  const walk = (a: unknown, b: unknown, path: string) => {
    if (a && typeof a === "object") {
      expect(Object.keys(a as object).sort(), path).toEqual(Object.keys((b ?? {}) as object).sort());
      for (const [key, value] of Object.entries(a as Record<string, unknown>)) {
        const other = (b as Record<string, unknown>)[key];
        if (hours.has(key) && typeof value === "number" && typeof other === "number") {
          expect(Math.abs(value - other) / other, `${path}.${key}: ${value} against ${other}`).toBeLessThanOrEqual(0.01);
        } else walk(value, other, `${path}.${key}`);
      }
    } else expect(a, path).toEqual(b);
  };
  walk(fromRollups, exact, label);
}

/** The figures computed from the facts with the statements the insights ran before they had rollups. */
async function exactFigures(filter: InsightsFilter) {
  const where = (at: string, extra: string[] = []) => {
    const parts = [...extra];
    if (filter.from) parts.push(`${at} >= '${filter.from}T00:00:00Z'`);
    if (filter.to) parts.push(`${at} < ('${filter.to}'::date + 1)::timestamp at time zone 'UTC'`);
    if (filter.productIds) parts.push(`t.product_id = any('{${filter.productIds.join(",")}}')`);
    if (filter.dealerIds) parts.push(`t.dealer_id = any('{${filter.dealerIds.join(",")}}')`);
    if (filter.serviceCenterIds) parts.push(`t.service_center_id = any('{${filter.serviceCenterIds.join(",")}}')`);
    return parts.length ? parts.join(" and ") : "true";
  };
  const rows = async <T>(text: string) => executeRows<T>(handle.db, sql.raw(text));
  const resolved = where("t.resolved_at", ["t.resolved_at is not null"]);
  const [total] = await rows<{ resolved: number; median: number; p90: number; repairs: number; ftf: number }>(
    `select count(*)::int as resolved, percentile_cont(0.5) within group (order by extract(epoch from t.resolved_at - t.opened_at) / 3600) as median,
            percentile_cont(0.9) within group (order by extract(epoch from t.resolved_at - t.opened_at) / 3600) as p90,
            (count(*) filter (where t.kind = 'REPAIR'))::int as repairs,
            (count(*) filter (where t.kind = 'REPAIR' and t.reopen_count = 0 and not t.waited_for_parts))::int as ftf
     from feedback.ticket_facts t where ${resolved}`,
  );
  const [csat] = await rows<{ responses: number; score_sum: number }>(
    `select count(*)::int as responses, coalesce(sum(score), 0)::int as score_sum from feedback.surveys t
     where t.status = 'ANSWERED' and t.kind = 'CSAT' and ${where("t.answered_at")}`,
  );
  const [repeats] = await rows<{ repairs: number; repeated: number }>(
    `select count(*)::int as repairs, (count(*) filter (where t.next_repair_opened_at <= t.resolved_at + interval '3 days'))::int as repeated
     from feedback.ticket_facts t where t.kind = 'REPAIR' and t.unit_id is not null and ${resolved}`,
  );
  return { total: total!, csat: csat!, repeats: repeats! };
}

const FILTERS: [string, InsightsFilter][] = [
  ["all time", {}],
  ["one product", { productIds: ["gp2"] }],
  ["a period starting and ending inside months", { from: "2025-12-17", to: "2026-03-09" }],
  ["within one month", { from: "2026-01-05", to: "2026-01-20" }],
  ["a product and a service center", { productIds: ["gp1"], serviceCenterIds: ["gc2"] }],
  ["a whole year, a month and days", { from: "2025-01-01", to: "2026-02-14" }],
  ["from inside a year, open-ended", { from: "2025-12-02" }],
];

describe("insights from rollups", () => {
  it.each(FILTERS)("match the figures computed from the facts, as an ANALYST: %s", async (_, filter) => {
    // given the generated facts, read from the rollups
    const analyst = graph.as({ role: "ANALYST" });
    const answer = await read(analyst, filter);
    // then the totals are the facts' own
    const exact = await exactFigures(filter);
    const total = answer.resolutionTotal.edges[0]!.node.figures;
    expect(total.resolved).toBe(exact.total.resolved);
    expect(total.repairs).toBe(exact.total.repairs);
    expect(total.firstTimeFixes).toBe(exact.total.ftf);
    expect(Math.abs(total.medianHoursToResolve! - exact.total.median) / exact.total.median).toBeLessThanOrEqual(0.01);
    expect(Math.abs(total.p90HoursToResolve! - exact.total.p90) / exact.total.p90).toBeLessThanOrEqual(0.01);
    const csat = answer.csatTotal.edges[0]!.node.figures;
    expect(csat.responses).toBe(exact.csat.responses);
    expect(csat.averageScore).toBeCloseTo(exact.csat.score_sum / exact.csat.responses, 12);
    expect(answer.repeatsShort.edges.map((e) => e.node)).toEqual([exact.repeats]);
  });

  it("show a DEALER the same figures from its own cells as an ANALYST gets for that dealer", async () => {
    const own = await read(graph.as({ role: "DEALER", dealerId: dealers[0]! }), { dealerIds: [dealers[1]!] });
    const named = await read(graph.as({ role: "ANALYST" }), { dealerIds: [dealers[0]!] });
    expectSameFigures(own, named, "dealer");
    const exact = await exactFigures({ dealerIds: [dealers[0]!] });
    expect(own.resolutionTotal.edges[0]!.node.figures.resolved).toBe(exact.total.resolved);
  });

  it("give the same answers after the rollups are rebuilt from the facts as the triggers kept", async () => {
    // given every answer the triggers' cells give, for every filter and both kinds of caller
    const callers: Client[] = [graph.as({ role: "ANALYST" }), graph.as({ role: "DEALER", dealerId: dealers[0]! })];
    const before: Answer[] = [];
    for (const caller of callers) for (const [, filter] of FILTERS) before.push(await read(caller, filter));
    // when the rollups are rebuilt from the facts alone
    await handle.db.execute(sql`select feedback.rebuild_insight_rollups()`);
    // then nothing changes
    const after: Answer[] = [];
    for (const caller of callers) for (const [, filter] of FILTERS) after.push(await read(caller, filter));
    expect(after).toEqual(before);
  });
});
