import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { addDays, todayUtc } from "@aftersales/kit";
import { testChromiumPath } from "@aftersales/kit/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, openTicket, soldUnit, tag } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import { graphql } from "./src/generated/index.js";
import type { SetSurveyTimingsInput } from "./src/generated/graphql.js";
import { startGraph, type TestGraph } from "./src/graph.js";
import { assignTicket, moveTicket } from "./src/tickets.js";

/**
 * The gateway's insights page (`/insights`) and CSV export (`/insights.csv`)
 * end to end: a small dataset made through the API (repairs of a product,
 * resolved, their CSAT surveys opened by the scheduler's run and answered,
 * NPS surveys answered), then the page opened in headless Chromium with an
 * ANALYST's token, and what it drew checked against what the graph answers
 * to the same query. The page's screenshot lands in tests/artifacts/.
 *
 * Chromium is Debian's (`/usr/bin/chromium`, or CHROMIUM_PATH): playwright's
 * own browser builds are never downloaded. CI always has it; elsewhere the
 * page's tests skip without it, and the CSV export's still run.
 */

const ARTIFACTS = path.join(import.meta.dirname, "artifacts");
const chromiumPath = testChromiumPath();
const HOUR = 60;
const DAY = 24 * HOUR;

let graph: TestGraph;
let base: string;
let browser: Browser;
let analystToken: string;
let productId: string;
let productName: string;
/** A dealer with no customers: chosen on the page, every chart has no data. */
let quietDealerId: string;

/** Two months with answers: the 10th of the month three months ago (A), and of last month (B), 09:00 UTC. */
const monthStart = (monthsBack: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 10, 9, 0));
};
const monthKey = (at: Date) => at.toISOString().slice(0, 7);
const A = monthStart(3);
const B = monthStart(1);

/** A repair of `unitId` with `failureCode`, opened, assigned to `dealerId`, worked and resolved `hours` later at the graph's clock. */
async function resolvedRepair(customerId: string, unitId: string, dealerId: string, failureCode: string, hours: number): Promise<string> {
  const opened = await openTicket(graph, customerId, { unitId, failureCode, subject: `${failureCode} ${tag()}` });
  const working = await moveTicket(graph, await assignTicket(graph, opened, dealerId), "IN_PROGRESS");
  graph.clock.advance(hours * HOUR);
  return (await moveTicket(graph, working, "RESOLVED")).id;
}

const ANSWER_SURVEY = graphql(
  `mutation PageAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id status } errors { code field message } } }`,
);
async function answer(link: string, score: number): Promise<void> {
  const { answerSurvey } = await graph.query(ANSWER_SURVEY, { input: { token: surveyToken(link), score } });
  expect(answerSurvey.errors).toEqual([]);
}

const SURVEY_TIMINGS = graphql(`mutation PageSurveyTimings($input: SetSurveyTimingsInput!) { setSurveyTimings(input: $input) { errors { code } } }`);
const setTimings = (input: SetSurveyTimingsInput) => graph.query(SURVEY_TIMINGS, { input });

/** Answers the CSAT survey of each ticket with its score. */
async function answerCsat(scores: [ticketId: string, score: number][]): Promise<void> {
  for (const [ticketId, score] of scores) {
    const { ticket } = await graph.query(graphql(`query PageTicketSurvey($id: ID!) { ticket(id: $id) { survey { status link } } }`), { id: ticketId });
    expect(ticket!.survey, `the CSAT survey of ${ticketId}`).toMatchObject({ status: "OPEN", link: expect.any(String) });
    await answer(ticket!.survey!.link!, score);
  }
}

beforeAll(async () => {
  graph = await startGraph();
  base = graph.url.replace(/\/graphql$/, "");
  analystToken = await graph.token({ role: "ANALYST", subject: "analyst-ada" });

  // Everything happens at the graph's stopped clock, from the day before month A on.
  graph.clock.set(new Date(A.getTime() - DAY * 60_000));
  // No NPS survey yet: none may take a customer's one open survey before their CSAT survey.
  await setTimings({ csatDelayHours: 24, npsFirstAfterDays: 365, npsIntervalDays: 180, answerWithinDays: 14 });
  // An ACTIVE relationship level: the complaints and low answers below put items on its outreach worklist.
  const dealer = (await createDealer(graph, { outreach: { defaultRelationshipLevel: "ACTIVE", contactIntervalDays: 30 } })).id;
  quietDealerId = (await createDealer(graph)).id;
  productName = `Espresso ${tag()}`;
  productId = (await createProduct(graph, { name: productName })).id;
  const otherProduct = (await createProduct(graph, { name: `Grinder ${tag()}` })).id;
  // One customer per repair, so that no survey waits for another to be answered. Units are sold on real past days.
  const soldOn = addDays(todayUtc(), -200);
  const repairOf = async (product: string) => {
    const customer = (await createCustomer(graph, dealer)).id;
    const unit = await soldUnit(graph, { productId: product, dealerId: dealer, customerId: customer, soldOn });
    return { customer, unit: unit.id };
  };
  const inA = [await repairOf(productId), await repairOf(productId), await repairOf(productId)];
  const inB = [await repairOf(productId), await repairOf(productId), await repairOf(productId), await repairOf(otherProduct)];
  await graph.settle();

  // Month A: three repairs (two pumps, a heater) taking 2, 5 and 9 hours, their CSAT surveys answered two days later: 5, 4, 2.
  // (Every month's repairs take less than a day in all, so each CSAT survey, due a day after its resolution, is open by then.)
  graph.clock.set(A);
  const ticketsA = [
    await resolvedRepair(inA[0]!.customer, inA[0]!.unit, dealer, "E04-PUMP", 2),
    await resolvedRepair(inA[1]!.customer, inA[1]!.unit, dealer, "E04-PUMP", 5),
    await resolvedRepair(inA[2]!.customer, inA[2]!.unit, dealer, "E11-HEATER", 9),
  ];
  await graph.settle();
  graph.clock.set(new Date(A.getTime() + 2 * DAY * 60_000));
  await runSurveySchedule(graph);
  await answerCsat([
    [ticketsA[0]!, 5],
    [ticketsA[1]!, 4],
    [ticketsA[2]!, 2],
  ]);

  // Month B: a pump, a heater and a grinder of the product (5, 5, 4), and the other product's repair (1).
  // And two complaints about the product: one resolved 6 hours later, one left open.
  graph.clock.set(B);
  const ticketsB = [
    await resolvedRepair(inB[0]!.customer, inB[0]!.unit, dealer, "E04-PUMP", 1),
    await resolvedRepair(inB[1]!.customer, inB[1]!.unit, dealer, "E11-HEATER", 3),
    await resolvedRepair(inB[2]!.customer, inB[2]!.unit, dealer, "E02-GRINDER", 6),
    await resolvedRepair(inB[3]!.customer, inB[3]!.unit, dealer, "E99-OTHER", 2),
  ];
  const complainant = (await createCustomer(graph, dealer)).id;
  await graph.settle();
  for (const comment of ["The machine still leaks after the repair.", "Nobody called me back."]) {
    const { recordFeedback } = await graph.query(RECORD_COMPLAINT, { input: { kind: "COMPLAINT", customerId: complainant, productId, comment } });
    expect(recordFeedback.errors).toEqual([]);
  }
  const { complaintCases } = await graph.query(COMPLAINT_CASES, { customerId: complainant });
  const complaint = complaintCases.edges.at(-1)!.node;
  await graph.query(ASSIGN_COMPLAINT, { input: { id: complaint.id, version: complaint.version, ownerName: "Jana Vogel" } });
  graph.clock.advance(6 * HOUR);
  const { resolveComplaintCase } = await graph.query(RESOLVE_COMPLAINT, {
    input: { id: complaint.id, version: complaint.version + 1, resolution: "Replaced the seal." },
  });
  expect(resolveComplaintCase.errors).toEqual([]);
  await graph.settle();
  graph.clock.set(new Date(B.getTime() + 2 * DAY * 60_000));
  await runSurveySchedule(graph);
  await answerCsat([
    [ticketsB[0]!, 5],
    [ticketsB[1]!, 5],
    [ticketsB[2]!, 4],
    [ticketsB[3]!, 1],
  ]);
  // Today: every customer's NPS survey comes due at once (0 days after they became known) and is answered.
  graph.clock.set(new Date());
  await setTimings({ npsFirstAfterDays: 0 });
  await runSurveySchedule(graph);
  const { surveys } = await graph.query(
    graphql(`query PageOpenNpsSurveys { surveys(filter: { kinds: [NPS], statuses: [OPEN] }, first: 100) { edges { node { link } } } }`),
  );
  const npsScores = [10, 9, 3, 7, 10, 0, 8];
  for (const [i, { node }] of surveys.edges.entries()) await answer(node.link!, npsScores[i % npsScores.length]!);
  await graph.settle();

  if (chromiumPath) browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await graph?.stop();
});

// --- the figures, as the graph answers them ------------------------------------------

interface Filter {
  from: string;
  to: string;
  productIds?: string[];
}

const SATISFACTION = graphql(`query PageSatisfactionByMonth($filter: InsightsFilter, $measure: SatisfactionMeasure!) {
  insights(filter: $filter) {
    satisfaction(measure: $measure, groupBy: MONTH, first: 100) {
      edges { node { group { key label } figures { responses satisfiedShare promoters passives detractors nps } } }
    }
  }
}`);
const PARETO = graphql(`query PageFailurePareto($filter: InsightsFilter, $productId: ID!) {
  insights(filter: $filter) {
    failurePareto(productId: $productId, first: 100) { totalTickets edges { node { failureCode tickets share cumulativeShare } } }
  }
}`);

async function satisfaction(measure: "CSAT" | "NPS", filter: Filter) {
  const data = await graph.as({ role: "ANALYST" }).query(SATISFACTION, { filter, measure });
  return data.insights.satisfaction.edges.map((e) => e.node);
}

async function pareto(filter: Filter) {
  const data = await graph.as({ role: "ANALYST" }).query(PARETO, { filter, productId });
  return data.insights.failurePareto.edges.map((e) => e.node);
}

const RECORD_COMPLAINT = graphql(`mutation PageRecordComplaint($input: RecordFeedbackInput!) { recordFeedback(input: $input) { errors { code field } } }`);
const COMPLAINT_CASES = graphql(
  `query PageComplaintCases($customerId: ID!) { complaintCases(filter: { customerId: $customerId }) { edges { node { id version } } } }`,
);
const ASSIGN_COMPLAINT = graphql(`mutation PageAssignComplaint($input: AssignComplaintCaseInput!) { assignComplaintCase(input: $input) { errors { code } } }`);
const RESOLVE_COMPLAINT = graphql(
  `mutation PageResolveComplaint($input: ResolveComplaintCaseInput!) { resolveComplaintCase(input: $input) { errors { code } } }`,
);

// The page's other charts, as the graph answers them (the same selections as the page's, so the CSV's columns are these).
const RESOLUTION = graphql(`query PageResolutionByMonth($filter: InsightsFilter) {
  insights(filter: $filter) {
    resolution(groupBy: MONTH, first: 100) {
      edges { node { group { key label } figures { resolved slaMet slaCompliance medianHoursToResolve p90HoursToResolve repairs firstTimeFixes firstTimeFixRate } } }
    }
  }
}`);
const REPEAT_REPAIRS = graphql(`query PageRepeatRepairsByMonth($filter: InsightsFilter) {
  insights(filter: $filter) { repeatRepairs(withinDays: 30, groupBy: MONTH, first: 100) { edges { node { group { key label } repairs repeated repeatRate } } } }
}`);
const WARRANTY_CLAIMS = graphql(`query PageWarrantyClaims($filter: InsightsFilter) {
  insights(filter: $filter) { warrantyClaims(first: 100) { edges { node { productName unitsSold claims claimsPer100Units approvedCost { amount currency } } } } }
}`);
const SATISFACTION_BY_SLA = graphql(`query PageSatisfactionBySla($filter: InsightsFilter) {
  insights(filter: $filter) { satisfactionSplit(by: SLA_OUTCOME) { key figures { responses satisfiedShare averageScore } } }
}`);
const COMPLAINT_RECOVERY = graphql(`query PageComplaintRecovery($filter: InsightsFilter) {
  insights(filter: $filter) {
    complaintRecovery { opened resolved respondedInTime breached medianHoursToResolve p90HoursToResolve followUpsAnswered satisfiedAfter satisfiedShare }
  }
}`);

const OUTREACH_CONVERSION = graphql(`query PageOutreachConversion($filter: OutreachInsightsFilter) {
  outreachInsights(filter: $filter) {
    conversion(groupBy: MONTH, first: 100) {
      edges { node { group { key label } figures { opened contacted converted contactRate conversionRate revenue { amount currency } } } }
    }
  }
}`);

/** How the page writes a figure: a share as a percentage with one decimal, a number with `digits` decimals, a dash for none. */
const shown = {
  share: (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)} %`),
  number: (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? "–" : v.toFixed(digits)),
};
/** A record as the CSV writes it: its leaves in the selection's order, none as empty. */
function csvRow(record: object): string[] {
  return Object.values(record).flatMap((value: unknown): string[] => {
    if (value === null || value === undefined) return [""];
    if (typeof value === "object") return csvRow(value);
    return [String(value)];
  });
}

/** The rows of a chart's figures table, cell by cell. */
const figuresOf = (page: Page, chart: string) =>
  page.$$eval(`#${chart} .table tbody tr`, (rows) => rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")));

/** The CSV that a chart's "Download CSV" saves, parsed; its file is named for the chart. */
async function downloaded(page: Page, chart: string): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#${chart} a.csv`)]);
  expect(download.suggestedFilename()).toMatch(/^[a-z-]+-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  return parseCsv(await readFile((await download.path())!, "utf8"));
}

/** The `data-*` attributes of the marks matching `selector`, in document order. */
const marks = (page: Page, selector: string, attributes: string[]) =>
  page.$$eval(selector, (elements, names) => elements.map((e) => names.map((n) => e.getAttribute(n))), attributes);

// --- the page -------------------------------------------------------------------------

describe.skipIf(!chromiumPath)("the insights page", () => {
  it("draws CSAT, NPS and the failure Pareto of the chosen product from the graph's figures, for an ANALYST", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    try {
      // given the page opened with an ANALYST's token in its fragment
      await page.goto(`${base}/insights#token=${analystToken}`);
      // then the token leaves the address bar, and the products are offered
      await page.waitForSelector("#product[data-loaded]");
      expect(new URL(page.url()).hash).toBe("");
      const offered = await page.$$eval("#product option", (options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toContain(productId);

      // when the analyst picks the product (the period stays the last 12 months)
      await page.selectOption("#product", productId);
      for (const chart of ["csat", "nps", "pareto"]) await page.waitForSelector(`#${chart}[data-state="ready"]`, { timeout: 60_000 });
      const period = { from: await page.inputValue("#from"), to: await page.inputValue("#to") };
      expect(period.to).toBe(todayUtc());
      expect(period.from <= A.toISOString().slice(0, 10)).toBe(true);

      // then the Pareto's bars are the graph's failure modes of the product, most frequent first, with the 80 % line
      const modes = await pareto(period);
      expect(modes.map((m) => [m.failureCode, m.tickets])).toEqual([
        ["E04-PUMP", 3],
        ["E11-HEATER", 2],
        ["E02-GRINDER", 1],
      ]);
      expect(await marks(page, "#pareto rect[data-failure-code]", ["data-failure-code", "data-tickets"])).toEqual(
        modes.map((m) => [m.failureCode, String(m.tickets)]),
      );
      expect((await marks(page, "#pareto circle[data-failure-code]", ["data-cumulative-share"])).map(([v]) => Number(v))).toEqual(
        modes.map((m) => m.cumulativeShare),
      );
      expect(await page.$$("#pareto [data-reference='0.8']")).toHaveLength(1);
      expect(await page.textContent("#pareto-heading")).toContain(productName);

      // and the CSAT points are the graph's months and satisfied shares for the product (the other product's answer left out)
      const csat = await satisfaction("CSAT", { ...period, productIds: [productId] });
      expect(csat.map((g) => [g.group.key, g.figures.responses, g.figures.satisfiedShare])).toEqual([
        [monthKey(A), 3, 2 / 3],
        [monthKey(B), 3, 1],
      ]);
      expect((await marks(page, "#csat circle[data-month]", ["data-month", "data-value"])).map(([m, v]) => [m, Number(v)])).toEqual(
        csat.map((g) => [g.group.key, g.figures.satisfiedShare]),
      );
      expect(await marks(page, "#csat rect[data-month]", ["data-month", "data-responses"])).toEqual(
        csat.map((g) => [g.group.key, String(g.figures.responses)]),
      );

      // and the NPS points and stacks are the graph's (NPS covers every product)
      const nps = await satisfaction("NPS", period);
      expect(nps.length).toBeGreaterThan(0);
      expect((await marks(page, "#nps circle[data-month]", ["data-month", "data-value"])).map(([m, v]) => [m, Number(v)])).toEqual(
        nps.filter((g) => g.figures.nps !== null).map((g) => [g.group.key, g.figures.nps]),
      );
      expect(await marks(page, "#nps rect[data-segment]", ["data-month", "data-segment", "data-count"])).toEqual(
        nps.flatMap((g) =>
          (["detractors", "passives", "promoters"] as const).flatMap((segment) =>
            g.figures[segment] ? [[g.group.key, segment, String(g.figures[segment])]] : [],
          ),
        ),
      );

      // and every chart is titled for assistive technology, with its axes labelled
      for (const chart of ["csat-chart", "nps-chart", "pareto-chart"]) {
        const svg = page.locator(`svg[data-chart="${chart}"]`);
        expect(await svg.getAttribute("role")).toBe("img");
        expect(await svg.locator("title").first().textContent()).toBeTruthy();
        expect(await svg.locator(".axis-title").count()).toBeGreaterThanOrEqual(3);
      }
      expect(await page.isHidden("#errors")).toBe(true);
      expect(problems).toEqual([]);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "insights-page.png"), fullPage: true });

      // and "Download CSV" saves the chart's rows through the export
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#pareto a.csv")]);
      const { readFile } = await import("node:fs/promises");
      const csv = await readFile((await download.path())!, "utf8");
      expect(download.suggestedFilename()).toMatch(/^failure-pareto-.*\.csv$/);
      expect(
        parseCsv(csv)
          .slice(1)
          .map((row) => [row[0], Number(row[1])]),
      ).toEqual(modes.map((m) => [m.failureCode, m.tickets]));
    } finally {
      await page.close();
    }
  });

  it("draws every other insight of the chosen product, its figures table and its CSV being the graph's answers", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    try {
      // given the page opened on the product over the last 20 months with an ANALYST's token (the months without figures are gaps)
      const from = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 19, 1)).toISOString().slice(0, 10);
      await page.goto(`${base}/insights?product=${productId}&from=${from}&to=${todayUtc()}#token=${analystToken}`);
      for (const chart of ["sla", "resolution-time", "first-time-fix", "repeat-repairs", "satisfaction-by-sla", "warranty", "complaint-recovery", "outreach"]) {
        await page.waitForSelector(`#${chart}[data-state="ready"]`, { timeout: 60_000 });
      }
      const filter = { from: await page.inputValue("#from"), to: await page.inputValue("#to"), productIds: [productId] };
      expect(filter.from).toBe(from);
      expect(await page.$$("#sla .axis-bottom line:not(:first-child)")).toHaveLength(20);
      const analyst = graph.as({ role: "ANALYST" });
      mkdirSync(ARTIFACTS, { recursive: true });

      // then SLA compliance, time to resolution and first-time fix are the graph's months of the product's resolved tickets
      const resolution = (await analyst.query(RESOLUTION, { filter })).insights.resolution.edges.map((e) => e.node);
      expect(resolution.map((r) => [r.group.key, r.figures.resolved, r.figures.medianHoursToResolve])).toEqual([
        [monthKey(A), 3, 5],
        [monthKey(B), 3, 3],
      ]);
      expect(await figuresOf(page, "sla")).toEqual(
        resolution.map((r) => [r.group.label, String(r.figures.resolved), String(r.figures.slaMet), shown.share(r.figures.slaCompliance)]),
      );
      expect(await marks(page, "#sla circle[data-series]", ["data-month", "data-value"])).toEqual(
        resolution.map((r) => [r.group.key, String(r.figures.slaCompliance)]),
      );
      expect(await figuresOf(page, "resolution-time")).toEqual(
        resolution.map((r) => [
          r.group.label,
          String(r.figures.resolved),
          shown.number(r.figures.medianHoursToResolve, 1),
          shown.number(r.figures.p90HoursToResolve, 1),
        ]),
      );
      expect(await marks(page, "#resolution-time circle[data-series='medianHoursToResolve']", ["data-month", "data-value"])).toEqual(
        resolution.map((r) => [r.group.key, String(r.figures.medianHoursToResolve)]),
      );
      expect(await page.$$("#resolution-time path.band-p90")).not.toHaveLength(0);
      expect(await figuresOf(page, "first-time-fix")).toEqual(
        resolution.map((r) => [r.group.label, String(r.figures.repairs), String(r.figures.firstTimeFixes), shown.share(r.figures.firstTimeFixRate)]),
      );
      for (const chart of ["sla", "resolution-time", "first-time-fix"]) {
        expect((await downloaded(page, chart)).slice(1), `${chart}'s CSV`).toEqual(resolution.map(csvRow));
      }

      // and repeat repairs are the graph's (one repair per unit here: none repeated)
      const repeats = (await analyst.query(REPEAT_REPAIRS, { filter })).insights.repeatRepairs.edges.map((e) => e.node);
      expect(repeats.map((r) => [r.group.key, r.repairs, r.repeated])).toEqual([
        [monthKey(A), 3, 0],
        [monthKey(B), 3, 0],
      ]);
      expect(await figuresOf(page, "repeat-repairs")).toEqual(
        repeats.map((r) => [r.group.label, String(r.repairs), String(r.repeated), shown.share(r.repeatRate)]),
      );
      expect((await downloaded(page, "repeat-repairs")).slice(1)).toEqual(repeats.map(csvRow));

      // and satisfaction by SLA outcome holds the product's six CSAT answers, met first
      const split = (await analyst.query(SATISFACTION_BY_SLA, { filter })).insights.satisfactionSplit;
      const outcomes = ["MET", "BREACHED"];
      const ordered = [...split].sort((a, b) => outcomes.indexOf(a.key) - outcomes.indexOf(b.key));
      expect(split.reduce((sum, g) => sum + g.figures.responses, 0)).toBe(6);
      expect(await figuresOf(page, "satisfaction-by-sla")).toEqual(
        ordered.map((g) => [
          g.key === "MET" ? "SLA met" : "SLA breached",
          String(g.figures.responses),
          shown.share(g.figures.satisfiedShare),
          shown.number(g.figures.averageScore, 2),
        ]),
      );
      expect(await marks(page, "#satisfaction-by-sla rect[data-segment]", ["data-key", "data-segment", "data-value"])).toEqual(
        ordered.flatMap((g) => {
          const satisfied = Math.round((g.figures.satisfiedShare ?? 0) * g.figures.responses);
          return [
            ["satisfied", satisfied],
            ["dissatisfied", g.figures.responses - satisfied],
          ].flatMap(([segment, count]) => (count ? [[g.key, String(segment), String(count)]] : []));
        }),
      );
      expect((await downloaded(page, "satisfaction-by-sla")).slice(1)).toEqual(split.map(csvRow));

      // and warranty claims per product are the graph's
      const warranty = (await analyst.query(WARRANTY_CLAIMS, { filter })).insights.warrantyClaims.edges.map((e) => e.node);
      expect(warranty.map((w) => w.productName)).toEqual([productName]);
      expect(await figuresOf(page, "warranty")).toEqual(
        warranty.map((w) => [
          w.productName,
          String(w.unitsSold),
          String(w.claims),
          shown.number(w.claimsPer100Units, 1),
          w.approvedCost.length ? w.approvedCost.map((m) => `${m.amount} ${m.currency}`).join(", ") : "–",
        ]),
      );
      // (the approved cost's amounts and currencies are a column each, in the same order)
      expect((await downloaded(page, "warranty")).slice(1)).toEqual(
        warranty.map((w) => [
          w.productName,
          String(w.unitsSold),
          String(w.claims),
          w.claimsPer100Units === null ? "" : String(w.claimsPer100Units),
          w.approvedCost.map((m) => m.amount).join(";"),
          w.approvedCost.map((m) => m.currency).join(";"),
        ]),
      );

      // and complaint recovery counts the two complaints about the product, one resolved in 6 hours
      const recovery = (await analyst.query(COMPLAINT_RECOVERY, { filter })).insights.complaintRecovery;
      expect(recovery).toMatchObject({ opened: 2, resolved: 1, medianHoursToResolve: 6 });
      expect(await figuresOf(page, "complaint-recovery")).toEqual([
        [
          String(recovery.opened),
          String(recovery.resolved),
          String(recovery.respondedInTime),
          String(recovery.breached),
          shown.number(recovery.medianHoursToResolve, 1),
          shown.number(recovery.p90HoursToResolve, 1),
          String(recovery.followUpsAnswered),
          shown.share(recovery.satisfiedShare),
        ],
      ]);
      expect(await marks(page, "#complaint-recovery rect[data-key]", ["data-key", "data-value"])).toEqual(
        Object.entries(recovery).flatMap(([key, value]) =>
          ["opened", "resolved", "respondedInTime", "breached", "followUpsAnswered", "satisfiedAfter"].includes(key) && value ? [[key, String(value)]] : [],
        ),
      );
      const recoveryCsv = await downloaded(page, "complaint-recovery");
      expect(recoveryCsv).toEqual([Object.keys(recovery), csvRow(recovery)]);

      // and outreach conversion is the graph's months of worklist items (the complaints and low answers above raised some), every product's
      const outreach = (await analyst.query(OUTREACH_CONVERSION, { filter: { from: filter.from, to: filter.to } })).outreachInsights.conversion.edges.map(
        (e) => e.node,
      );
      expect(outreach.reduce((sum, g) => sum + g.figures.opened, 0)).toBeGreaterThan(0);
      expect(await figuresOf(page, "outreach")).toEqual(
        outreach.map((g) => [
          g.group.label,
          String(g.figures.opened),
          String(g.figures.contacted),
          String(g.figures.converted),
          shown.share(g.figures.conversionRate),
          g.figures.revenue.length ? g.figures.revenue.map((m) => `${m.amount} ${m.currency}`).join(", ") : "–",
        ]),
      );
      expect(await marks(page, "#outreach rect[data-series='opened']", ["data-month", "data-value"])).toEqual(
        outreach.map((g) => [g.group.key, String(g.figures.opened)]),
      );
      expect((await downloaded(page, "outreach")).slice(1)).toEqual(
        outreach.map((g) => [
          g.group.key,
          g.group.label,
          ...csvRow({ ...g.figures, revenue: null }).slice(0, -1),
          g.figures.revenue.map((m) => m.amount).join(";"),
          g.figures.revenue.map((m) => m.currency).join(";"),
        ]),
      );

      // and every chart is an image with a title, axes titled; each is saved on its own to be looked at
      for (const chart of ["sla", "resolution-time", "first-time-fix", "repeat-repairs", "satisfaction-by-sla", "warranty", "complaint-recovery", "outreach"]) {
        const svg = page.locator(`svg[data-chart="${chart}-chart"]`);
        expect(await svg.getAttribute("role")).toBe("img");
        expect(await svg.locator(".axis-title").count(), `${chart}'s axis titles`).toBeGreaterThanOrEqual(2);
        await page.locator(`#${chart}`).screenshot({ path: path.join(ARTIFACTS, `insights-${chart}.png`) });
      }
      await page.screenshot({ path: path.join(ARTIFACTS, "insights-page-all.png"), fullPage: true });
      expect(await page.isHidden("#errors")).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("says there is no data on every chart for a dealer without any, and keeps the dealer in the address", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${base}/insights#token=${analystToken}`);
      await page.waitForSelector("#dealer[data-loaded]");
      await page.selectOption("#dealer", quietDealerId);
      const charts = [
        "csat",
        "nps",
        "sla",
        "resolution-time",
        "first-time-fix",
        "repeat-repairs",
        "satisfaction-by-sla",
        "warranty",
        "complaint-recovery",
        "outreach",
      ];
      for (const chart of charts) await page.waitForSelector(`#${chart}[data-state="empty"]`, { timeout: 60_000 });
      for (const chart of charts) expect(await page.textContent(`#${chart} .chart`), chart).toMatch(/^No data for this period: /);
      expect(await page.textContent("#pareto .chart")).toBe("Choose a product to see what fails on it.");
      expect(new URL(page.url()).searchParams.get("dealer")).toBe(quietDealerId);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "insights-page-no-data.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it("offers no dealer to choose to a DEALER, whose figures are its own", async () => {
    const page = await browser.newPage();
    try {
      const dealerToken = await graph.token({ role: "DEALER", dealerId: quietDealerId, subject: "dealer-dora" });
      await page.goto(`${base}/insights#token=${dealerToken}`);
      await page.waitForSelector("#product[data-loaded]");
      await page.waitForSelector("#csat[data-state='empty']");
      expect(await page.isHidden("#dealer-field")).toBe(true);
      expect(await page.isHidden("#errors")).toBe(true);
    } finally {
      await page.close();
    }
  });

  it("shows the graph's refusal of a token on the page", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/insights#token=not-a-jwt`);
      await page.waitForSelector("#errors:not([hidden])");
      expect(await page.textContent("#errors")).toMatch(/token is not valid/);
    } finally {
      await page.close();
    }
  });

  it("is one self-contained page: no script, style or request elsewhere, and no token without one given", async () => {
    const response = await fetch(`${base}/insights`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'.*connect-src 'self'/);
    const html = await response.text();
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('<script type="application/json" id="graph-headers">{}</script>');
  });
});

// --- the CSV export -------------------------------------------------------------------

/** RFC 4180, enough for the export's output. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      rows.push([...row, field]);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

describe("/insights.csv", () => {
  const period = () => ({ from: addDays(todayUtc(), -365), to: todayUtc() });
  const csvUrl = (query: string, variables?: unknown) =>
    `${base}/insights.csv?query=${encodeURIComponent(query)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ""}`;
  const bearer = () => ({ authorization: `Bearer ${analystToken}` });

  it("gives an ANALYST the failure Pareto's rows as CSV, matching the JSON figures", async () => {
    const variables = { filter: period(), productId };
    const response = await fetch(csvUrl(PARETO.toString(), variables), { headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="insights.csv"');
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["failureCode", "tickets", "share", "cumulativeShare"]);
    const modes = await pareto(variables.filter);
    expect(rows).toEqual(modes.map((m) => [m.failureCode, String(m.tickets), String(m.share), String(m.cumulativeShare)]));
  });

  it("flattens a month's groups into dotted columns, by POST", async () => {
    const filter = { ...period(), productIds: [productId] };
    const response = await fetch(`${base}/insights.csv`, {
      method: "POST",
      headers: { ...bearer(), "content-type": "application/json" },
      body: JSON.stringify({ query: SATISFACTION, variables: { filter, measure: "CSAT" } }),
    });
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual([
      "group.key",
      "group.label",
      "figures.responses",
      "figures.satisfiedShare",
      "figures.promoters",
      "figures.passives",
      "figures.detractors",
      "figures.nps",
    ]);
    const cell = (v: unknown) => (v === null ? "" : String(v));
    expect(rows).toEqual((await satisfaction("CSAT", filter)).map((g) => [g.group.key, g.group.label, ...Object.values(g.figures).map(cell)]));
    expect(rows.map((r) => r[0])).toEqual([monthKey(A), monthKey(B)]);
  });

  it("refuses a document that is not an insights query with 400, and says why", async () => {
    const tickets = await fetch(csvUrl("{ tickets { edges { node { id subject } } } }"), { headers: bearer() });
    expect(tickets.status).toBe(400);
    expect(tickets.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await tickets.text()).toMatch(/Only `insights` or `outreachInsights` may be selected/);

    const mutation = await fetch(csvUrl("mutation { openDueSurveys { opened } }"), { headers: bearer() });
    expect(mutation.status).toBe(400);

    const mixed = await fetch(csvUrl("{ insights { filter { from } } customers { edges { node { name } } } }"), { headers: bearer() });
    expect(mixed.status).toBe(400);
    expect(await mixed.text()).toMatch(/not `customers`/);
  });

  it("passes the graph's refusals on: no token 401, a GraphQL error 400 with its message", async () => {
    const anonymous = await fetch(csvUrl(PARETO.toString(), { filter: period(), productId }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/No credentials/);

    const invalid = await fetch(csvUrl("{ insights { noSuchField } }"), { headers: bearer() });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/noSuchField/);
  });
});
