import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, localInstant, openTicket, setWarrantyPolicy, soldUnit, tag } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import { graphql } from "./src/generated/index.js";
import type {
  InsightsFiguresFragment,
  InsightsFilter,
  InsightsResolutionTotalFragment,
  InsightsSatisfactionPageFragment,
  InsightsSatisfactionQueryVariables,
  InsightsSurveyViewFragment,
  SatisfactionSplit,
  SetSurveyTimingsInput,
  ClaimLineInput,
} from "./src/generated/graphql.js";
import { startGraph, type Caller, type Client, type TestGraph } from "./src/graph.js";
import { assignTicket, moveTicket, type TicketVersion } from "./src/tickets.js";

/**
 * Insights end to end, through the gateway: the feedback subgraph learns
 * tickets, units, claims, customers and dealers from their events and
 * computes satisfaction, resolution, repeat-repair, failure and warranty
 * figures from its own copies. One small world is built once (below), every
 * figure worked out by hand from it, and each `describe` reads one family of
 * figures from it.
 *
 * THE WORLD. Two dealers (kind BOTH: each its own service center, each an
 * authorized warranty workshop, Berlin, Mon–Fri 09:00–17:00), one
 * technician each (T1 at North, T2 at South), two products: PA, an espresso
 * machine (pump in its bill of materials, 1.5 standard hours for E04-PUMP,
 * 24 months of warranty), and PB, a grinder. Each customer bought one unit
 * from their home dealer on 2026-01-15.
 *
 *   ticket customer dealer unit/product kind   prio code        worked by  opened → resolved (Berlin)            hours  SLA       first-time fix  CSAT (answered, UTC)
 *   t1     c1       North  u1 PA        REPAIR P3   E04-PUMP    North/T1   Mon 03-02 09:00 → Mon 11:00             2     met       yes             5 (03-10)
 *   t2     c2       North  u2 PA        REPAIR P3   E04-PUMP    North/T1   Mon 09:00 → Mon 13:00                   4     met       yes             4 (03-10)
 *   t3     c3       North  u3 PB        REPAIR P3   E09-GRINDER South/T2   Mon 09:00 → Tue 12:00 (waited parts)   27     met       no (parts)      2 (03-31 23:30)
 *   t4     c4       South  u4 PA        REPAIR P1   E07-HEATER  South/T2   Mon 09:00 → Tue 10:00                  25     BREACHED  yes             1 (04-01 00:30)
 *   t5     c5       North  u5 PA        REPAIR P3   (none)      South/T2   Mon 09:00 → Mon 15:00                   6     met       yes             4 (04-01 00:30)
 *   t6     c6       South  u6 PB        MAINT. P3   (none)      South/T2   Mon 09:00 → Wed 09:00                  48     met       (not a repair)  5 (04-01 00:30)
 *   t7     c7       North  u7 PA        REPAIR P3   E07-HEATER  North/T1   Mon 09:00 → 10:00, reopened 11:00,
 *                                                                          resolved again 14:00                    5     met       no (reopened)   none: cancelled by the reopen
 *   t8     c1       North  u1 PA        REPAIR P3   E04-PUMP    –          Thu 03-12 09:00, still open            –     –         –               –
 *
 *   t4's resolution target (P1: 8 business hours) ran out Mon 17:00: recorded by the breach run at 17:30.
 *   Warranty claims (their repair day dates them): u1 by North, repaired 03-02, APPROVED 210.00 EUR;
 *   u2 by North, 03-02, IN_REVIEW with 120.00 approved so far; u4 by South, 03-03, PARTIALLY_APPROVED 120.00 EUR.
 *   Each claim's repair day falls within its ticket's (t1, t2, t4), so those tickets were covered by the WARRANTY.
 *   NPS (answered in the present, the clock moved to the real now): c1 10, c2 9, c3 8, c4 6, c5 3; c6, c7 leave theirs open.
 *
 * Unless a test says otherwise figures are read as an ADMIN with no filter.
 * The world is built in two parts: tickets, claims and feedback first, then
 * the survey runs and answers; tests that read surveys wait for the second
 * (`surveysAnswered`), so a failing survey run fails them alone. The last two
 * describes add rows of their own under dealers of their own (and filter on
 * them): they come after every figure of the world.
 */

let graph: TestGraph;
afterAll(() => graph?.stop());

// --- helpers ------------------------------------------------------------------

const BERLIN = "Europe/Berlin";
/** The instant Berlin's clocks read `date` `time` (2026-03 is still winter time: UTC+1). */
const berlin = (date: string, time: string) => localInstant(date, time, BERLIN);
const eur = (amount: string) => ({ amount, currency: "EUR" });

type Ref = TicketVersion;

/** A mutation's payload, which must carry no refusal. */
function accepted<T extends { errors: unknown[] }>(payload: T): T {
  expect(payload.errors).toEqual([]);
  return payload;
}

/** Gives a ticket to a service center (and one of its technicians). */
const assign = (ticket: Ref, serviceCenterId: string, technicianId?: string) => assignTicket(graph, ticket, serviceCenterId, technicianId);

/** Moves a ticket to `status` at the graph's clock. */
const move = (ticket: Ref, status: string) => moveTicket(graph, ticket, status);

/** A customer of a dealer of its own with a unit of `productId`, settled; for the describes that add rows. */
async function ownCustomer(dealerId: string, productId: string) {
  const customerId = (await createCustomer(graph, dealerId)).id;
  const unitId = (await soldUnit(graph, { productId, dealerId, customerId, soldOn: "2026-01-15" })).id;
  await graph.settle();
  return { customerId, unitId };
}

/** A repair of the unit opened now, worked by `dealerId`, resolved `hours` later. */
async function resolvedRepair(owner: { customerId: string; unitId: string }, dealerId: string, hours: number): Promise<Ref> {
  const opened = await openTicket(graph, owner.customerId, { unitId: owner.unitId });
  const working = await move(await assign(opened, dealerId), "IN_PROGRESS");
  graph.clock.advance(hours * 60);
  return move(working, "RESOLVED");
}

const runSchedule = () => runSurveySchedule(graph);

const SURVEY_TIMINGS = graphql(`mutation InsightsSurveyTimings($input: SetSurveyTimingsInput!) {
  setSurveyTimings(input: $input) { timings { csatDelayHours npsFirstAfterDays answerWithinDays } errors { code field message } } }`);
const setTimings = async (input: SetSurveyTimingsInput) => accepted((await graph.query(SURVEY_TIMINGS, { input })).setSurveyTimings);

graphql(`fragment InsightsSurveyView on Survey { id status link }`);
type SurveyView = InsightsSurveyViewFragment;

async function csatSurveyOf(ticketId: string): Promise<SurveyView> {
  const { ticket } = await graph.query(graphql(`query InsightsTicketSurvey($id: ID) { ticket(id: $id) { survey { ...InsightsSurveyView } } }`), {
    id: ticketId,
  });
  return ticket!.survey!;
}

async function npsSurveyOf(customerId: string): Promise<SurveyView> {
  const { surveys } = await graph.query(
    graphql(`query InsightsNpsSurvey($customerId: ID!) {
      surveys(filter: { customerId: $customerId, kinds: [NPS] }) { edges { node { ...InsightsSurveyView } } } }`),
    { customerId },
  );
  expect(surveys.edges).toHaveLength(1);
  return surveys.edges[0]!.node;
}

const ANSWER = graphql(
  `mutation InsightsAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id } errors { code field message } } }`,
);

/** Answers an OPEN survey with the token from its link, at the graph's clock. */
async function answer(survey: SurveyView, score: number, comment?: string): Promise<void> {
  expect(survey.status).toBe("OPEN");
  const token = surveyToken(survey.link!);
  accepted((await graph.query(ANSWER, { input: { token, score, ...(comment ? { comment } : {}) } })).answerSurvey);
}

// Selections and the figures they read.

graphql(`fragment InsightsFigures on SatisfactionFigures { responses averageScore satisfiedShare promoters passives detractors nps }`);
graphql(`fragment InsightsSatisfactionPage on SatisfactionConnection {
  totalCount pageInfo { hasNextPage endCursor } edges { node { group { dimension key label product { id } dealer { id } } figures { ...InsightsFigures } } } }`);
type Figures = InsightsFiguresFragment;
type SatisfactionConnection = InsightsSatisfactionPageFragment;

const SATISFACTION =
  graphql(`query InsightsSatisfaction($filter: InsightsFilter, $measure: SatisfactionMeasure!, $groupBy: InsightsDimension!, $first: Int, $after: String) {
  insights(filter: $filter) { satisfaction(measure: $measure, groupBy: $groupBy, first: $first, after: $after) { ...InsightsSatisfactionPage } } }`);

/** Satisfaction figures by one dimension, as `client` (an ADMIN unless given). */
const satisfaction = async (variables: InsightsSatisfactionQueryVariables, client: Client = graph) => (await client.query(SATISFACTION, variables)).insights;

/** Satisfaction groups as [key, figures] pairs, in the order given. */
const groupsOf = (connection: SatisfactionConnection) => connection.edges.map(({ node }) => [node.group.key, node.figures]);

/** CSAT (or post-sale) figures of `responses` answers whose scores add up to `sum`, `satisfied` of them 4 or 5. */
const csat = (responses: number, sum: number, satisfied: number): Figures => ({
  responses,
  averageScore: sum / responses,
  satisfiedShare: satisfied / responses,
  promoters: null,
  passives: null,
  detractors: null,
  nps: null,
});

/** NPS figures: % promoters − % detractors. */
const npsFigures = (responses: number, sum: number, promoters: number, passives: number, detractors: number): Figures => ({
  responses,
  averageScore: sum / responses,
  satisfiedShare: null,
  promoters,
  passives,
  detractors,
  nps: ((promoters - detractors) * 100) / responses,
});

graphql(`fragment InsightsResolutionTotal on Insights { resolution(groupBy: TOTAL) { totalCount edges { node { group { key }
  figures { resolved slaMet slaCompliance medianHoursToResolve p90HoursToResolve firstTimeFixes repairs firstTimeFixRate } } } } }`);
type ResolutionTotal = InsightsResolutionTotalFragment;

const RESOLUTION = graphql(`query InsightsResolution($filter: InsightsFilter) { insights(filter: $filter) { ...InsightsResolutionTotal } }`);
const resolutionTotal = async (filter: InsightsFilter | null = null) => (await graph.query(RESOLUTION, { filter })).insights;

/** Resolution figures; hours compared to 9 decimals (percentile_cont interpolates in floating point). */
const resolutionFigures = (f: { resolved: number; slaMet: number; medianHours: number; p90Hours: number; firstTimeFixes: number; repairs: number }) => ({
  resolved: f.resolved,
  slaMet: f.slaMet,
  slaCompliance: f.slaMet / f.resolved,
  medianHoursToResolve: expect.closeTo(f.medianHours, 9),
  p90HoursToResolve: expect.closeTo(f.p90Hours, 9),
  firstTimeFixes: f.firstTimeFixes,
  repairs: f.repairs,
  firstTimeFixRate: f.firstTimeFixes / f.repairs,
});

const onlyFigures = (read: ResolutionTotal) => {
  expect(read.resolution.totalCount).toBe(1);
  expect(read.resolution.edges[0]!.node.group.key).toBe("total");
  return read.resolution.edges[0]!.node.figures;
};

graphql(`fragment InsightsParetoPage on FailureModeConnection {
  totalCount totalTickets pageInfo { hasNextPage endCursor } edges { node { failureCode tickets share cumulativeShare } } }`);
const PARETO = graphql(`query InsightsPareto($filter: InsightsFilter, $productId: ID!, $first: Int, $after: String) {
  insights(filter: $filter) { failurePareto(productId: $productId, first: $first, after: $after) { ...InsightsParetoPage } } }`);
/** A product's failure modes, a page of them when `first` (and `after`) say so. */
const pareto = async (productId: string, page: { first?: number; after?: string | null } = {}, filter: InsightsFilter | null = null) =>
  (await graph.query(PARETO, { productId, ...page, filter })).insights;

graphql(`fragment InsightsClaimRatePage on WarrantyClaimRateConnection { totalCount pageInfo { hasNextPage endCursor }
  edges { node { product { id } productName unitsSold claims claimsPer100Units approvedCost { amount currency } } } }`);
const CLAIMS = graphql(`query InsightsClaimRates($filter: InsightsFilter, $first: Int, $after: String) {
  insights(filter: $filter) { warrantyClaims(first: $first, after: $after) { ...InsightsClaimRatePage } } }`);
/** Warranty claim rates by product, a page of them when `first` (and `after`) say so. */
const claimRates = async (page: { first?: number; after?: string | null } = {}, filter: InsightsFilter | null = null) =>
  (await graph.query(CLAIMS, { ...page, filter })).insights;

graphql(`fragment InsightsSplitGroup on SatisfactionSplitGroup { key figures { ...InsightsFigures } }`);
const SPLIT = graphql(`query InsightsSplit($filter: InsightsFilter, $by: SatisfactionSplit!) {
  insights(filter: $filter) { satisfactionSplit(by: $by) { ...InsightsSplitGroup } } }`);

// --- the world ----------------------------------------------------------------

/** Who is who in the world; ids filled in by `beforeAll`. */
const w = {
  north: "",
  south: "",
  northName: `North Coffee Service ${tag()}`,
  southName: `South Coffee Service ${tag()}`,
  t1Tech: "",
  t2Tech: "",
  pa: "",
  pb: "",
  /** PA's pump, in its bill of materials. */
  pump: "",
  paName: `Espresso PA ${tag()}`,
  pbName: `Grinder PB ${tag()}`,
  customers: [] as { id: string; name: string; email: string; phone: string }[],
  units: {} as Record<string, string>,
  tickets: {} as Record<string, string>,
};
/** Personal data the world holds: no ANALYST may ever receive any of it. */
const personal: string[] = [];

/** c1's comment, with their own e-mail address and phone number in it. */
let c1Comment = "";

/**
 * The survey part of the world, built after the rest. A test that reads
 * surveys awaits it (see `surveysAnswered`), so a survey run that fails
 * fails those tests with its error and leaves the others to run.
 */
let surveysBuilt: Promise<void> = Promise.resolve();
const surveysAnswered = () => surveysBuilt;

beforeAll(async () => {
  graph = await startGraph();
  await buildTicketsAndClaims();
  surveysBuilt = buildSurveys();
  await surveysBuilt.catch(() => {});
});

/** Everything but the surveys' runs and answers: dealers, products, customers, units, tickets, claims, unasked feedback. */
async function buildTicketsAndClaims(): Promise<void> {
  // The setup works on fixed days of 2026 (before the real today, which the catalog and warranty check).
  graph.clock.set("2026-03-01T12:00:00Z");
  // CSAT surveys due at once; answers taken for 60 days; NPS out of the way until the NPS part.
  await setTimings({ csatDelayHours: 0, answerWithinDays: 60, npsFirstAfterDays: 365 });

  // Dealers, technicians, products.
  const workshop = { warrantyWorkshop: { authorizedFrom: "2023-01-01" } };
  w.north = (await createDealer(graph, { name: w.northName, ...workshop })).id;
  w.south = (await createDealer(graph, { name: w.southName, ...workshop })).id;
  const technician = async (serviceCenterId: string, n: number) => {
    const person = { name: `Tech Person${n} ${tag()}`, email: `tech${n}.${tag()}@workshop.example`, phone: `+49 151 555 03${n}${n}` };
    personal.push(person.name, person.email, person.phone, digits(person.phone));
    // No skills: dispatch finds no one, and the tests assign every ticket themselves.
    return (await create(graph, "createTechnician", "technician", { serviceCenterId, skills: [], ...person })).id;
  };
  w.t1Tech = await technician(w.north, 1);
  w.t2Tech = await technician(w.south, 2);
  const pump = (await createProduct(graph, { kind: "SPARE_PART", name: `Pump ${tag()}`, category: "pumps", listPrice: eur("120.00") })).id;
  w.pump = pump;
  const valve = (await createProduct(graph, { kind: "SPARE_PART", name: `Valve ${tag()}`, category: "valves", listPrice: eur("40.00") })).id;
  w.pa = (
    await createProduct(graph, {
      name: w.paName,
      billOfMaterials: [{ partId: pump, quantity: 1 }],
      repairStandards: [{ failureCode: "E04-PUMP", hours: 1.5 }],
    })
  ).id;
  w.pb = (await createProduct(graph, { name: w.pbName, category: "grinders" })).id;
  await graph.settle();
  await setWarrantyPolicy(graph, w.pa, { months: 24, partsShare: 100, laborShare: 80, serviceMode: "ON_SITE" });

  // Customers c1..c7 (home dealer, product of their unit), each with one unit sold on 2026-01-15.
  const people: [string, string, string][] = [
    ["c1", w.north, w.pa],
    ["c2", w.north, w.pa],
    ["c3", w.north, w.pb],
    ["c4", w.south, w.pa],
    ["c5", w.north, w.pa],
    ["c6", w.south, w.pb],
    ["c7", w.north, w.pa],
  ];
  for (const [i, [name, dealerId, productId]] of people.entries()) {
    const person = { name: `Customer ${name.toUpperCase()} Persona ${tag()}`, email: `${name}.${tag()}@customer.example`, phone: `+49 170 555 01${i}${i}` };
    const { id } = await createCustomer(graph, dealerId, person);
    w.customers.push({ id, ...person });
    personal.push(person.name, person.email, person.phone, digits(person.phone));
    w.units[name] = (await soldUnit(graph, { productId, dealerId, customerId: id, soldOn: "2026-01-15" })).id;
  }
  await graph.settle();
  const customer = (name: string) => w.customers[Number(name.slice(1)) - 1]!.id;
  c1Comment = `Quick repair, thanks! Call me on ${w.customers[0]!.phone} or write to ${w.customers[0]!.email} if anything is needed.`;

  // Monday 2026-03-02 09:00: t1..t7 opened and assigned; work starts at 09:30 (every response target met).
  graph.clock.set(berlin("2026-03-02", "09:00"));
  const specs: [string, string, Record<string, unknown>, string, string][] = [
    ["t1", "c1", { failureCode: "E04-PUMP" }, w.north, w.t1Tech],
    ["t2", "c2", { failureCode: "E04-PUMP" }, w.north, w.t1Tech],
    ["t3", "c3", { failureCode: "E09-GRINDER" }, w.south, w.t2Tech],
    ["t4", "c4", { failureCode: "E07-HEATER", priority: "P1" }, w.south, w.t2Tech],
    ["t5", "c5", { failureCode: null }, w.south, w.t2Tech],
    ["t6", "c6", { failureCode: null, kind: "MAINTENANCE" }, w.south, w.t2Tech],
    ["t7", "c7", { failureCode: "E07-HEATER" }, w.north, w.t1Tech],
  ];
  const t: Record<string, Ref> = {};
  for (const [name, owner, extra, serviceCenter, tech] of specs) {
    const opened = await openTicket(graph, customer(owner), { unitId: w.units[owner], priority: "P3", ...extra });
    t[name] = await assign(opened, serviceCenter, tech);
    w.tickets[name] = opened.id;
  }
  graph.clock.set(berlin("2026-03-02", "09:30"));
  for (const name of Object.keys(t)) t[name] = await move(t[name]!, "IN_PROGRESS");

  graph.clock.set(berlin("2026-03-02", "10:00"));
  t.t3 = await move(t.t3!, "WAITING_PARTS");
  t.t7 = await move(t.t7!, "RESOLVED");
  graph.clock.set(berlin("2026-03-02", "11:00"));
  t.t1 = await move(t.t1!, "RESOLVED");
  // t7's fix did not hold: reopened before any survey run, so its survey is cancelled.
  t.t7 = await move(t.t7!, "IN_PROGRESS");
  graph.clock.set(berlin("2026-03-02", "13:00"));
  t.t2 = await move(t.t2!, "RESOLVED");
  graph.clock.set(berlin("2026-03-02", "14:00"));
  t.t7 = await move(t.t7!, "RESOLVED");
  graph.clock.set(berlin("2026-03-02", "15:00"));
  t.t5 = await move(t.t5!, "RESOLVED");
  // 17:30: t4's 8 business hours ran out at 17:00; the breach run records that one breach.
  graph.clock.set(berlin("2026-03-02", "17:30"));
  const breaches = await graph.query(graphql(`mutation InsightsRecordBreaches { recordSlaBreaches { recorded errors { code } } }`));
  expect(breaches.recordSlaBreaches.recorded).toBe(1);

  graph.clock.set(berlin("2026-03-03", "10:00"));
  t.t3 = await move(t.t3!, "IN_PROGRESS");
  t.t4 = await move(t.t4!, "RESOLVED");
  graph.clock.set(berlin("2026-03-03", "12:00"));
  t.t3 = await move(t.t3!, "RESOLVED");
  graph.clock.set(berlin("2026-03-04", "09:00"));
  t.t6 = await move(t.t6!, "RESOLVED");

  // Wednesday 09:30: the workshops claim the warranty for three repairs.
  graph.clock.set(berlin("2026-03-04", "09:30"));
  const FILE_CLAIM = graphql(`mutation InsightsFileClaim($input: FileWarrantyClaimInput!) {
    fileWarrantyClaim(input: $input) { claim { status approvedTotal { amount } } errors { code field message } } }`);
  const claim = async (dealerId: string, unit: string, ticket: string, repairOn: string, failureCode: string, lines: ClaimLineInput[]) => {
    const input = { dealerId, unitId: w.units[unit]!, ticketId: w.tickets[ticket]!, failureOn: repairOn, repairOn, failureCode, lines };
    return accepted((await graph.query(FILE_CLAIM, { input })).fileWarrantyClaim).claim;
  };
  const pumpLine = (amount: string): ClaimLineInput => ({ kind: "PART", partId: pump, quantity: 1, claimed: eur(amount) });
  // u1: pump 110.00 (list 120.00) and 1.5 h at 100.00 (allowed 1.5 × 85.00 × 80 % = 102.00): approved as claimed.
  expect(await claim(w.north, "c1", "t1", "2026-03-02", "E04-PUMP", [pumpLine("110.00"), { kind: "LABOR", hours: 1.5, claimed: eur("100.00") }])).toEqual({
    status: "APPROVED",
    approvedTotal: { amount: "210.00" },
  });
  // u2: the pump approved, travel left to an agent: in review, 120.00 approved so far (not yet a cost).
  expect(await claim(w.north, "c2", "t2", "2026-03-02", "E04-PUMP", [pumpLine("120.00"), { kind: "TRAVEL", km: 30, claimed: eur("45.00") }])).toEqual({
    status: "IN_REVIEW",
    approvedTotal: { amount: "120.00" },
  });
  // u4: the pump approved, a valve outside the bill of materials rejected.
  expect(
    await claim(w.south, "c4", "t4", "2026-03-03", "E07-HEATER", [pumpLine("120.00"), { kind: "PART", partId: valve, quantity: 1, claimed: eur("40.00") }]),
  ).toEqual({ status: "PARTIALLY_APPROVED", approvedTotal: { amount: "120.00" } });
  await graph.settle();

  // Thursday 03-12 09:00: a second repair of u1, 9 days 22 hours after t1's resolution (Mon 03-02 10:00 UTC); left open.
  graph.clock.set(berlin("2026-03-12", "09:00"));
  w.tickets.t8 = (await openTicket(graph, customer("c1"), { unitId: w.units.c1, priority: "P3", failureCode: "E04-PUMP" })).id;

  // A complaint outside surveys, in which c1 typed their contact details.
  const complaint = await graph.query(
    graphql(`mutation InsightsComplaint($input: RecordFeedbackInput!) { recordFeedback(input: $input) { feedback { id } errors { code field message } } }`),
    { input: { kind: "COMPLAINT", unitId: w.units.c1, comment: `The pump failed again. Reach me at ${w.customers[0]!.email} or ${w.customers[0]!.phone}.` } },
  );
  accepted(complaint.recordFeedback);
  await graph.settle();
}

/** The surveys' runs and answers, from Wednesday 03-04 on (the tickets and claims they ask about are all in place by then). */
async function buildSurveys(): Promise<void> {
  // Wednesday 10:00: the survey run opens t1..t6's CSAT surveys (t7's was cancelled by its reopening).
  graph.clock.set(berlin("2026-03-04", "10:00"));
  expect(await runSchedule()).toMatchObject({ opened: 6 });
  const csatOf = async (name: string) => csatSurveyOf(w.tickets[name]!);
  graph.clock.set("2026-03-10T12:00:00Z");
  await answer(await csatOf("t1"), 5, c1Comment);
  await answer(await csatOf("t2"), 4);
  graph.clock.set("2026-03-31T23:30:00Z");
  await answer(await csatOf("t3"), 2);
  graph.clock.set("2026-04-01T00:30:00Z");
  await answer(await csatOf("t4"), 1);
  await answer(await csatOf("t5"), 4);
  await answer(await csatOf("t6"), 5, "The technician was friendly.");

  // NPS: customers become known at the real now, so the clock moves there; the first survey is due at once.
  await setTimings({ npsFirstAfterDays: 0 });
  graph.clock.set(new Date(Date.now() + 60 * 60_000));
  expect(await runSchedule()).toMatchObject({ opened: 7 });
  for (const [i, score] of [10, 9, 8, 6, 3].entries()) await answer(await npsSurveyOf(w.customers[i]!.id), score);
  await setTimings({ npsFirstAfterDays: 365 });
}

const digits = (phone: string) => phone.replace(/\D/g, "");

// --- 1. satisfaction -------------------------------------------------------------

describe("satisfaction", () => {
  beforeEach(() => surveysAnswered());

  it("counts every answered CSAT survey in the TOTAL group: mean score and the share of 4s and 5s", async () => {
    // given the CSAT answers 5, 4, 2, 1, 4, 5 (t1..t6; t7's survey was cancelled, surveys still open are no answers)
    // when
    const read = await satisfaction({ measure: "CSAT", groupBy: "TOTAL" });
    // then 6 responses, sum 21 → mean 3.5; 5, 4, 4, 5 satisfied → 4/6
    expect(read.satisfaction.totalCount).toBe(1);
    expect(read.satisfaction.edges.map((e) => e.node)).toEqual([
      { group: { dimension: "TOTAL", key: "total", label: "total", product: null, dealer: null }, figures: csat(6, 21, 4) },
    ]);
  });

  it("groups CSAT answers by the product of the ticket's unit, largest group first, labelled with the product's name", async () => {
    const read = await satisfaction({ measure: "CSAT", groupBy: "PRODUCT" });
    // PA: t1 5, t2 4, t4 1, t5 4 → 4 responses, sum 14, 3 satisfied; PB: t3 2, t6 5 → 2, sum 7, 1 satisfied
    expect(read.satisfaction.totalCount).toBe(2);
    expect(read.satisfaction.edges.map((e) => e.node)).toEqual([
      { group: { dimension: "PRODUCT", key: w.pa, label: w.paName, product: { id: w.pa }, dealer: null }, figures: csat(4, 14, 3) },
      { group: { dimension: "PRODUCT", key: w.pb, label: w.pbName, product: { id: w.pb }, dealer: null }, figures: csat(2, 7, 1) },
    ]);
  });

  it("groups CSAT answers by the ticket's dealer and, apart, by the service center that worked it", async () => {
    const { insights: read } = await graph.query(
      graphql(`query InsightsCsatByDealerAndCenter { insights {
        byDealer: satisfaction(measure: CSAT, groupBy: DEALER) { ...InsightsSatisfactionPage }
        byCenter: satisfaction(measure: CSAT, groupBy: SERVICE_CENTER) { ...InsightsSatisfactionPage } } }`),
    );
    // dealers: North t1 5, t2 4, t3 2, t5 4 → 4, sum 15, 3 satisfied; South t4 1, t6 5 → 2, sum 6, 1 satisfied
    expect(read.byDealer.edges.map((e) => e.node)).toEqual([
      { group: { dimension: "DEALER", key: w.north, label: w.northName, product: null, dealer: { id: w.north } }, figures: csat(4, 15, 3) },
      { group: { dimension: "DEALER", key: w.south, label: w.southName, product: null, dealer: { id: w.south } }, figures: csat(2, 6, 1) },
    ]);
    // service centers: South worked t3 2, t4 1, t5 4, t6 5 → 4, sum 12, 2 satisfied; North t1 5, t2 4 → 2, sum 9, 2 satisfied
    expect(read.byCenter.edges.map((e) => e.node)).toEqual([
      { group: { dimension: "SERVICE_CENTER", key: w.south, label: w.southName, product: null, dealer: { id: w.south } }, figures: csat(4, 12, 2) },
      { group: { dimension: "SERVICE_CENTER", key: w.north, label: w.northName, product: null, dealer: { id: w.north } }, figures: csat(2, 9, 2) },
    ]);
  });

  it("groups CSAT answers by the UTC month they were answered in, in time order", async () => {
    const read = await satisfaction({ measure: "CSAT", groupBy: "MONTH" });
    // 2026-03: t1 5, t2 4 (03-10), t3 2 (03-31 23:30 UTC) → 3, sum 11, 2 satisfied
    // 2026-04: t4 1, t5 4, t6 5 (04-01 00:30 UTC) → 3, sum 10, 2 satisfied
    expect(read.satisfaction.edges.map((e) => e.node)).toEqual([
      { group: { dimension: "MONTH", key: "2026-03", label: "2026-03", product: null, dealer: null }, figures: csat(3, 11, 2) },
      { group: { dimension: "MONTH", key: "2026-04", label: "2026-04", product: null, dealer: null }, figures: csat(3, 10, 2) },
    ]);
  });

  it("bands NPS answers into promoters, passives and detractors: 10, 9, 8, 6, 3 give 2/1/2 and an NPS of 0", async () => {
    const { insights: read } = await graph.query(
      graphql(`query InsightsNpsBands { insights {
        total: satisfaction(measure: NPS, groupBy: TOTAL) { ...InsightsSatisfactionPage }
        byDealer: satisfaction(measure: NPS, groupBy: DEALER) { ...InsightsSatisfactionPage }
        byProduct: satisfaction(measure: NPS, groupBy: PRODUCT) { ...InsightsSatisfactionPage } } }`),
    );
    // total: 5 responses, sum 36 → mean 7.2; 2 promoters (10, 9), 1 passive (8), 2 detractors (6, 3) → 40 % − 40 % = 0
    expect(groupsOf(read.total)).toEqual([["total", npsFigures(5, 36, 2, 1, 2)]]);
    expect(read.total.edges[0]!.node.figures.nps).toBe(0);
    // by the customer's home dealer: North c1 10, c2 9, c3 8, c5 3 → 2/1/1, (2 − 1) × 100 / 4 = 25; South c4 6 → 0/0/1, −100
    expect(groupsOf(read.byDealer)).toEqual([
      [w.north, npsFigures(4, 30, 2, 1, 1)],
      [w.south, npsFigures(1, 6, 0, 0, 1)],
    ]);
    expect(read.byDealer.edges.map((e) => e.node.figures.nps)).toEqual([25, -100]);
    // an NPS survey concerns no product: every answer falls into the group with a null key
    expect(read.byProduct.edges.map((e) => e.node.group)).toEqual([{ dimension: "PRODUCT", key: null, label: "none", product: null, dealer: null }]);
    expect(read.byProduct.edges[0]!.node.figures.responses).toBe(5);
  });

  it("pages groups: `first` and `after` walk them in order, and every page tells the same totalCount", async () => {
    // given two product groups (PA 4 responses, PB 2)
    const first = await satisfaction({ measure: "CSAT", groupBy: "PRODUCT", first: 1 });
    expect(first.satisfaction).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.satisfaction.edges.map((e) => e.node.group.key)).toEqual([w.pa]);
    const second = await satisfaction({ measure: "CSAT", groupBy: "PRODUCT", first: 1, after: first.satisfaction.pageInfo.endCursor });
    expect(second.satisfaction).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(second.satisfaction.edges.map((e) => e.node.group.key)).toEqual([w.pb]);
    // past the end: no groups, the same total
    const past = await satisfaction({ measure: "CSAT", groupBy: "PRODUCT", first: 1, after: second.satisfaction.pageInfo.endCursor });
    expect(past.satisfaction).toMatchObject({ totalCount: 2, edges: [], pageInfo: { hasNextPage: false } });
  });

  it("tells the number of groups with `first: 0`, as a client asking only for the count does", async () => {
    const read = await satisfaction({ measure: "CSAT", groupBy: "PRODUCT", first: 0 });
    expect(read.satisfaction).toMatchObject({ totalCount: 2, edges: [], pageInfo: { hasNextPage: true } });
  });

  it("counts the null-key group in totalCount on a page past the end too (NPS by product)", async () => {
    const first = await satisfaction({ measure: "NPS", groupBy: "PRODUCT", first: 1 });
    expect(first.satisfaction).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    const past = await satisfaction({ measure: "NPS", groupBy: "PRODUCT", first: 1, after: first.satisfaction.pageInfo.endCursor });
    expect(past.satisfaction).toMatchObject({ totalCount: 1, edges: [] });
  });
});

// --- 2. resolution ---------------------------------------------------------------

describe("resolution", () => {
  it("counts tickets resolved, SLA compliance, median and p90 hours from opening to final resolution, and first-time fixes", async () => {
    // given 7 resolved tickets (t8 is still open), wall-clock hours from opening to the last resolution:
    //   t1 2, t2 4, t7 5 (its final resolution), t5 6, t4 25, t3 27, t6 48
    // median (percentile_cont 0.5) of 7 sorted values: position 1 + 0.5 × 6 = 4 → 6
    // p90: position 1 + 0.9 × 6 = 6.4 → 27 + 0.4 × (48 − 27) = 35.4
    // SLA: t4 breached → 6 of 7 met
    // repairs: all but t6 (MAINTENANCE) → 6; first-time fixes: not t3 (waited for parts), not t7 (reopened) → 4
    const read = await resolutionTotal();
    expect(onlyFigures(read)).toEqual(resolutionFigures({ resolved: 7, slaMet: 6, medianHours: 6, p90Hours: 35.4, firstTimeFixes: 4, repairs: 6 }));
  });
});

// --- 3. repeat repairs -----------------------------------------------------------

describe("repeat repairs", () => {
  graphql(`fragment InsightsRepeats on RepeatRepairConnection { totalCount edges { node { group { key } repairs repeated repeatRate } } }`);

  it("counts a repair followed by another repair ticket on the same unit within the days asked", async () => {
    // given 6 resolved repairs of a unit (t1, t2, t3, t4, t5, t7; t6 is maintenance),
    // and t8 on u1 opened Thu 03-12 08:00 UTC, 9 days 22 hours after t1's resolution (Mon 03-02 10:00 UTC)
    const { insights: read } = await graph.query(
      graphql(`query InsightsRepeatsWithin30 { insights { repeatRepairs(withinDays: 30) { ...InsightsRepeats } } }`),
    );
    // then within 30 days: t1 repeated → 1 of 6
    expect(read.repeatRepairs.edges.map((e) => e.node)).toEqual([{ group: { key: "total" }, repairs: 6, repeated: 1, repeatRate: 1 / 6 }]);
  });

  it("does not count a repeat that came after the days asked: t8 came on day 10, so 9 days miss it and 10 catch it", async () => {
    const { insights: read } = await graph.query(
      graphql(`query InsightsRepeatsNineAndTen { insights {
        nine: repeatRepairs(withinDays: 9) { ...InsightsRepeats } ten: repeatRepairs(withinDays: 10) { ...InsightsRepeats } } }`),
    );
    expect(read.nine.edges.map((e) => [e.node.repairs, e.node.repeated])).toEqual([[6, 0]]);
    expect(read.ten.edges.map((e) => [e.node.repairs, e.node.repeated])).toEqual([[6, 1]]);
  });
});

// --- 4. failure Pareto -----------------------------------------------------------

describe("failure Pareto", () => {
  it("lists a product's failure modes most frequent first, with each one's share and the running share", async () => {
    // given PA's repair tickets: E04-PUMP t1, t2, t8; E07-HEATER t4, t7; none t5 (t6 is PB's, maintenance)
    const read = await pareto(w.pa);
    // then 6 tickets: 3/6 = 0.5, 2/6, 1/6; running 3/6, 5/6, 6/6
    expect(read.failurePareto).toMatchObject({ totalCount: 3, totalTickets: 6, pageInfo: { hasNextPage: false } });
    expect(read.failurePareto.edges.map((e) => e.node)).toEqual([
      { failureCode: "E04-PUMP", tickets: 3, share: 0.5, cumulativeShare: 0.5 },
      { failureCode: "E07-HEATER", tickets: 2, share: 2 / 6, cumulativeShare: 5 / 6 },
      { failureCode: "UNKNOWN", tickets: 1, share: 1 / 6, cumulativeShare: 1 },
    ]);
  });

  it("pages the modes: `first: 1` gives the most frequent, `after` its cursor the next, with the totals on each page", async () => {
    const first = await pareto(w.pa, { first: 1 });
    expect(first.failurePareto).toMatchObject({ totalCount: 3, totalTickets: 6, pageInfo: { hasNextPage: true } });
    expect(first.failurePareto.edges.map((e) => e.node.failureCode)).toEqual(["E04-PUMP"]);
    const next = await pareto(w.pa, { first: 1, after: first.failurePareto.pageInfo.endCursor });
    expect(next.failurePareto).toMatchObject({ totalCount: 3, totalTickets: 6, pageInfo: { hasNextPage: true } });
    // the running share goes on from the page before: 5/6
    expect(next.failurePareto.edges.map((e) => e.node)).toEqual([{ failureCode: "E07-HEATER", tickets: 2, share: 2 / 6, cumulativeShare: 5 / 6 }]);
    // and the totals stand on an empty page: `first: 0`, or past the end
    expect((await pareto(w.pa, { first: 0 })).failurePareto).toMatchObject({
      totalCount: 3,
      totalTickets: 6,
      edges: [],
    });
    const last = await pareto(w.pa, { first: 1, after: next.failurePareto.pageInfo.endCursor });
    expect(last.failurePareto.edges.map((e) => e.node.failureCode)).toEqual(["UNKNOWN"]);
    const past = await pareto(w.pa, { first: 1, after: last.failurePareto.pageInfo.endCursor });
    expect(past.failurePareto).toMatchObject({ totalCount: 3, totalTickets: 6, edges: [], pageInfo: { hasNextPage: false } });
  });
});

// --- 5. warranty claims ----------------------------------------------------------

describe("warranty claims", () => {
  it("rates claims per 100 units sold by product, most claims first, costing approved and partially approved claims only", async () => {
    // given units sold: PA u1, u2, u4, u5, u7 → 5; PB u3, u6 → 2
    // and claims on PA: u1 APPROVED 210.00, u2 IN_REVIEW (120.00 approved so far), u4 PARTIALLY_APPROVED 120.00
    const read = await claimRates();
    // then PA: 3 claims × 100 / 5 units = 60, cost 210.00 + 120.00 = 330.00 (the claim in review is no cost yet); PB: 0 of 2
    expect(read.warrantyClaims.totalCount).toBe(2);
    expect(read.warrantyClaims.edges.map((e) => e.node)).toEqual([
      { product: { id: w.pa }, productName: w.paName, unitsSold: 5, claims: 3, claimsPer100Units: 60, approvedCost: [eur("330.00")] },
      { product: { id: w.pb }, productName: w.pbName, unitsSold: 2, claims: 0, claimsPer100Units: 0, approvedCost: [] },
    ]);
  });

  it("pages the products with `first` and `after`, every page telling the same totalCount, a page past the end too", async () => {
    const first = await claimRates({ first: 1 });
    expect(first.warrantyClaims).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.warrantyClaims.edges.map((e) => e.node.product.id)).toEqual([w.pa]);
    const second = await claimRates({ first: 1, after: first.warrantyClaims.pageInfo.endCursor });
    expect(second.warrantyClaims).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(second.warrantyClaims.edges.map((e) => e.node.product.id)).toEqual([w.pb]);
    const past = await claimRates({ first: 1, after: second.warrantyClaims.pageInfo.endCursor });
    expect(past.warrantyClaims).toMatchObject({ totalCount: 2, edges: [] });
  });

  it("tells the number of products with `first: 0`", async () => {
    expect((await claimRates({ first: 0 })).warrantyClaims).toMatchObject({ totalCount: 2, edges: [], pageInfo: { hasNextPage: true } });
  });
});

// --- 6. satisfaction split -------------------------------------------------------

describe("satisfaction split", () => {
  beforeEach(() => surveysAnswered());

  const split = async (by: SatisfactionSplit) => (await graph.query(SPLIT, { by })).insights;

  it("splits CSAT answers by whether the ticket's SLA was met or breached", async () => {
    const read = await split("SLA_OUTCOME");
    // BREACHED: t4 1 → 1 response, none satisfied; MET: t1 5, t2 4, t3 2, t5 4, t6 5 → 5, sum 20, 4 satisfied
    expect(read.satisfactionSplit).toEqual([
      { key: "BREACHED", figures: csat(1, 1, 0) },
      { key: "MET", figures: csat(5, 20, 4) },
    ]);
  });

  it("splits CSAT answers by whether the ticket was fixed the first time", async () => {
    const read = await split("FIRST_TIME_FIX");
    // NOT_FIRST_TIME: t3 (waited for parts) 2; FIRST_TIME: t1 5, t2 4, t4 1, t5 4, t6 5 → 5, sum 19, 4 satisfied
    // (t7, reopened, was never surveyed)
    expect(read.satisfactionSplit).toEqual([
      { key: "FIRST_TIME", figures: csat(5, 19, 4) },
      { key: "NOT_FIRST_TIME", figures: csat(1, 2, 0) },
    ]);
  });

  it("splits CSAT answers by what covered the repair: the warranty claims made t1, t2 and t4 WARRANTY", async () => {
    const read = await split("COVERAGE");
    // NONE: t3 2, t5 4, t6 5 → 3, sum 11, 2 satisfied; WARRANTY: t1 5, t2 4, t4 1 → 3, sum 10, 2 satisfied
    expect(read.satisfactionSplit).toEqual([
      { key: "NONE", figures: csat(3, 11, 2) },
      { key: "WARRANTY", figures: csat(3, 10, 2) },
    ]);
  });
});

// --- 7. filters ------------------------------------------------------------------

describe("filters", () => {
  const csatTotal = async (filter: InsightsFilter) => groupsOf((await satisfaction({ measure: "CSAT", groupBy: "TOTAL", filter })).satisfaction);

  it("narrows resolution figures to the products named, and echoes the filter as applied", async () => {
    const { insights: read } = await graph.query(
      graphql(`query InsightsFilterAsApplied($filter: InsightsFilter) { insights(filter: $filter) {
        filter { from to productIds dealerIds serviceCenterIds } ...InsightsResolutionTotal } }`),
      { filter: { productIds: [w.pb, w.pb] } },
    );
    expect(read.filter).toEqual({ from: null, to: null, productIds: [w.pb], dealerIds: null, serviceCenterIds: null });
    // resolved PB tickets: t3 27 h, t6 48 h → median 37.5; p90 at position 1.9: 27 + 0.9 × 21 = 45.9; one repair (t3), not first time
    expect(onlyFigures(read)).toEqual(resolutionFigures({ resolved: 2, slaMet: 2, medianHours: 37.5, p90Hours: 45.9, firstTimeFixes: 0, repairs: 1 }));
  });

  it("narrows resolution and warranty figures to the dealers named", async () => {
    const { insights: read } = await graph.query(
      graphql(`query InsightsResolutionAndClaims($filter: InsightsFilter) { insights(filter: $filter) {
        ...InsightsResolutionTotal warrantyClaims { ...InsightsClaimRatePage } } }`),
      { filter: { dealerIds: [w.south] } },
    );
    // South's tickets: t4 25 h (breached), t6 48 h → median 36.5, p90 25 + 0.9 × 23 = 45.7; one repair (t4), fixed the first time
    expect(onlyFigures(read)).toEqual(resolutionFigures({ resolved: 2, slaMet: 1, medianHours: 36.5, p90Hours: 45.7, firstTimeFixes: 1, repairs: 1 }));
    // units South sold: PA u4, PB u6; claims South filed: u4 (120.00)
    expect(read.warrantyClaims.edges.map((e) => e.node)).toEqual([
      { product: { id: w.pa }, productName: w.paName, unitsSold: 1, claims: 1, claimsPer100Units: 100, approvedCost: [eur("120.00")] },
      { product: { id: w.pb }, productName: w.pbName, unitsSold: 1, claims: 0, claimsPer100Units: 0, approvedCost: [] },
    ]);
  });

  it("narrows resolution figures to the service centers named", async () => {
    const read = await resolutionTotal({ serviceCenterIds: [w.north] });
    // North worked t1 2 h, t2 4 h, t7 5 h → median 4; p90 at position 2.8: 4 + 0.8 × 1 = 4.8; t7 reopened
    expect(onlyFigures(read)).toEqual(resolutionFigures({ resolved: 3, slaMet: 3, medianHours: 4, p90Hours: 4.8, firstTimeFixes: 2, repairs: 3 }));
  });

  it("counts only the tickets and claims a period dates within it, both days included (UTC)", async () => {
    // resolution by the resolution: on 2026-03-02 t1 2 h, t2 4 h, t7 5 h, t5 6 h
    // → median (4 + 5) / 2 = 4.5; p90 at position 1 + 0.9 × 3 = 3.7: 5 + 0.7 × 1 = 5.7; first-time fixes t1, t2, t5
    const monday = await resolutionTotal({ from: "2026-03-02", to: "2026-03-02" });
    expect(onlyFigures(monday)).toEqual(resolutionFigures({ resolved: 4, slaMet: 4, medianHours: 4.5, p90Hours: 5.7, firstTimeFixes: 3, repairs: 4 }));

    // the Pareto by the opening: until 03-02, t8 (opened 03-12) is left out: E04 2, E07 2 (ties by code), UNKNOWN 1 of 5
    const opened = await pareto(w.pa, {}, { to: "2026-03-02" });
    expect(opened.failurePareto.totalTickets).toBe(5);
    expect(opened.failurePareto.edges.map((e) => e.node)).toEqual([
      { failureCode: "E04-PUMP", tickets: 2, share: 2 / 5, cumulativeShare: 2 / 5 },
      { failureCode: "E07-HEATER", tickets: 2, share: 2 / 5, cumulativeShare: 4 / 5 },
      { failureCode: "UNKNOWN", tickets: 1, share: 1 / 5, cumulativeShare: 1 },
    ]);

    // claims by the repair day, units by the sale day: from 03-03 only u4's claim, and no unit sold → no rate
    const claims = await claimRates({}, { from: "2026-03-03" });
    expect(claims.warrantyClaims.edges.map((e) => e.node)).toEqual([
      { product: { id: w.pa }, productName: w.paName, unitsSold: 0, claims: 1, claimsPer100Units: null, approvedCost: [eur("120.00")] },
    ]);
  });

  it("narrows satisfaction to the products and dealers named, and to the days the answers were given (UTC)", async () => {
    await surveysAnswered();
    // PB's CSAT: t3 2, t6 5 → 2, sum 7, 1 satisfied
    expect(await csatTotal({ productIds: [w.pb] })).toEqual([["total", csat(2, 7, 1)]]);
    // South's tickets' CSAT: t4 1, t6 5 → 2, sum 6, 1 satisfied
    expect(await csatTotal({ dealerIds: [w.south] })).toEqual([["total", csat(2, 6, 1)]]);
    // t3 answered 03-31 23:30 UTC is March's; t4..t6 (04-01 00:30 UTC) April's
    expect(await csatTotal({ from: "2026-04-01" })).toEqual([["total", csat(3, 10, 2)]]);
    expect(await csatTotal({ from: "2026-03-01", to: "2026-03-31" })).toEqual([["total", csat(3, 11, 2)]]);
    // and both at once: PA's in March → t1 5, t2 4
    expect(await csatTotal({ productIds: [w.pa], to: "2026-03-31" })).toEqual([["total", csat(2, 9, 2)]]);
  });
});

// --- 8. dealer scoping -----------------------------------------------------------

describe("dealer scoping", () => {
  const SCOPED = graphql(`query InsightsScoped($filter: InsightsFilter, $productId: ID!) { insights(filter: $filter) {
    filter { dealerIds } ...InsightsResolutionTotal failurePareto(productId: $productId) { ...InsightsParetoPage }
    warrantyClaims { ...InsightsClaimRatePage } repeatRepairs(withinDays: 30) { edges { node { repairs repeated } } } } }`);
  const scoped = async (client: Client, filter: InsightsFilter | null = null) => (await client.query(SCOPED, { filter, productId: w.pa })).insights;
  const north = () => graph.as({ role: "DEALER", dealerId: w.north });
  const staff: Caller[] = [{ role: "ANALYST" }, { role: "AGENT", subject: "agent-anna" }];

  it("shows a DEALER only its own figures, even when its filter names another dealer", async () => {
    // given North asking for South's figures
    const read = await scoped(north(), { dealerIds: [w.south] });
    // then the filter as applied is North's own
    expect(read.filter.dealerIds).toEqual([w.north]);
    // North's resolved tickets: t1 2, t2 4, t7 5, t5 6, t3 27 → median 5; p90 at 4.6: 6 + 0.6 × 21 = 18.6; first time: t1, t2, t5
    expect(onlyFigures(read)).toEqual(resolutionFigures({ resolved: 5, slaMet: 5, medianHours: 5, p90Hours: 18.6, firstTimeFixes: 3, repairs: 5 }));
    // North's repairs t1, t2, t3, t5, t7, t1 followed by t8
    expect(read.repeatRepairs.edges.map((e) => e.node)).toEqual([{ repairs: 5, repeated: 1 }]);
    // North's PA repairs: E04 t1, t2, t8; E07 t7; none t5 (ties by code: E07-HEATER before UNKNOWN)
    expect(read.failurePareto.totalTickets).toBe(5);
    expect(read.failurePareto.edges.map((e) => [e.node.failureCode, e.node.tickets])).toEqual([
      ["E04-PUMP", 3],
      ["E07-HEATER", 1],
      ["UNKNOWN", 1],
    ]);
    // units North sold: PA u1, u2, u5, u7; PB u3; claims North filed: u1 (210.00), u2 (in review)
    expect(read.warrantyClaims.edges.map((e) => e.node)).toEqual([
      { product: { id: w.pa }, productName: w.paName, unitsSold: 4, claims: 2, claimsPer100Units: 50, approvedCost: [eur("210.00")] },
      { product: { id: w.pb }, productName: w.pbName, unitsSold: 1, claims: 0, claimsPer100Units: 0, approvedCost: [] },
    ]);
  });

  it("lets an ANALYST and an AGENT read every dealer's figures, and narrow them by dealer", async () => {
    for (const caller of staff) {
      const all = await scoped(graph.as(caller));
      expect(all.filter.dealerIds, caller.role).toBeNull();
      expect(onlyFigures(all), caller.role).toMatchObject({ resolved: 7, slaMet: 6, repairs: 6, firstTimeFixes: 4 });
      expect(
        all.repeatRepairs.edges.map((e) => e.node),
        caller.role,
      ).toEqual([{ repairs: 6, repeated: 1 }]);
      expect(all.failurePareto.totalTickets, caller.role).toBe(6);
      expect(
        all.warrantyClaims.edges.map((e) => [e.node.unitsSold, e.node.claims]),
        caller.role,
      ).toEqual([
        [5, 3],
        [2, 0],
      ]);
      const south = await scoped(graph.as(caller), { dealerIds: [w.south] });
      expect(south.filter.dealerIds, caller.role).toEqual([w.south]);
      expect(onlyFigures(south), caller.role).toMatchObject({ resolved: 2, slaMet: 1 });
    }
  });

  it("shows a DEALER only its own customers' answers, and an ANALYST and an AGENT everyone's", async () => {
    await surveysAnswered();
    const csatTotal = async (client: Client, filter: InsightsFilter | null) =>
      groupsOf((await satisfaction({ measure: "CSAT", groupBy: "TOTAL", filter }, client)).satisfaction);
    // North's tickets' CSAT: t1 5, t2 4, t3 2, t5 4 → 4, sum 15, 3 satisfied, whatever North names
    expect(await csatTotal(north(), { dealerIds: [w.south] })).toEqual([["total", csat(4, 15, 3)]]);
    // and its NPS answers: c1 10, c2 9, c3 8, c5 3 → 2/1/1
    const nps = await satisfaction({ measure: "NPS", groupBy: "DEALER" }, north());
    expect(groupsOf(nps.satisfaction)).toEqual([[w.north, npsFigures(4, 30, 2, 1, 1)]]);
    for (const caller of staff) {
      expect(await csatTotal(graph.as(caller), null), caller.role).toEqual([["total", csat(6, 21, 4)]]);
      expect(await csatTotal(graph.as(caller), { dealerIds: [w.south] }), caller.role).toEqual([["total", csat(2, 6, 1)]]);
    }
  });
});

// --- 9. no personal data for ANALYSTs --------------------------------------------

describe("ANALYSTs and personal data", () => {
  beforeEach(() => surveysAnswered());

  const PRIVATE = graphql(`query InsightsPersonalData {
    surveys(first: 50) { edges { node { id kind status customer { id name email phone } link answer { score comment } } } }
    feedback(first: 50) { edges { node { id customer { id name email } comment } } }
    insights { satisfaction(measure: CSAT, groupBy: TECHNICIAN) { edges { node { group { key label technician { id name email phone } } figures { responses } } } } }
  }`);

  it("never gives an ANALYST a customer, a survey link, or a name, e-mail address or phone number, not even one typed into a comment", async () => {
    // given the world's surveys (two NPS surveys still OPEN, with links) and c1's comments carrying their e-mail and phone
    const admin = await graph.query(PRIVATE);
    expect(admin.surveys.edges.filter((e) => e.node.link !== null).length).toBeGreaterThanOrEqual(2);
    expect(admin.surveys.edges.some((e) => e.node.answer?.comment === c1Comment)).toBe(true);

    // when an ANALYST reads the same
    const response = await graph.as({ role: "ANALYST" }).request(PRIVATE);
    expect(response.errors).toBeUndefined();
    const read = response.data!;

    // then no survey or feedback names its customer, and no link is given
    expect(read.surveys.edges.length).toBe(admin.surveys.edges.length);
    expect(read.surveys.edges.every((e) => e.node.customer === null && e.node.link === null)).toBe(true);
    expect(read.feedback.edges.length).toBeGreaterThanOrEqual(1);
    expect(read.feedback.edges.every((e) => e.node.customer === null)).toBe(true);
    // and the comments come masked
    const c1 = w.customers[0]!;
    expect(read.surveys.edges.map((e) => e.node.answer?.comment)).toContain(c1Comment.replace(c1.phone, "[phone]").replace(c1.email, "[email]"));
    expect(read.feedback.edges.map((e) => e.node.comment)).toContain("The pump failed again. Reach me at [email] or [phone].");
    // technicians are labelled by id, without their names
    expect(read.insights.satisfaction.edges.map((e) => e.node.group)).toEqual([
      { key: w.t2Tech, label: w.t2Tech, technician: { id: w.t2Tech, name: null, email: null, phone: null } },
      { key: w.t1Tech, label: w.t1Tech, technician: { id: w.t1Tech, name: null, email: null, phone: null } },
    ]);
    // and nothing in the whole response is any customer's or technician's name, e-mail address or phone number
    const json = JSON.stringify(response).toLowerCase();
    const leaked = personal.filter((value) => json.includes(value.toLowerCase()));
    expect(leaked).toEqual([]);
  });
});

// --- 10. statements per request (adds a dealer of its own, with five more products) ---

describe("statements per request", () => {
  let east = "";
  const products: string[] = [];
  beforeAll(async () => {
    // given a dealer East whose five customers each rated a repair of a different product 4
    graph.clock.set(berlin("2026-05-11", "09:00"));
    east = (await createDealer(graph)).id;
    for (let i = 0; i < 5; i++) products.push((await createProduct(graph)).id);
    const tickets: Ref[] = [];
    for (const productId of products) tickets.push(await resolvedRepair(await ownCustomer(east, productId), east, 1));
    await graph.settle();
    expect(await runSchedule()).toMatchObject({ opened: 5 });
    for (const ticket of tickets) await answer(await csatSurveyOf(ticket.id), 4);
  });

  it("costs the feedback subgraph the same few statements for one product group as for seven", async () => {
    const QUERY = graphql(`query InsightsCsatByProductCounted($filter: InsightsFilter) { insights(filter: $filter) {
      satisfaction(measure: CSAT, groupBy: PRODUCT, first: 20) { totalCount edges { node { group { product { id } label } figures { responses } } } } } }`);
    const count = (filter: InsightsFilter | null) => graph.countStatements(() => graph.query(QUERY, { filter }));
    // when: one group (East, one product), five (East), seven (everyone: PA, PB and East's five)
    const one = await count({ dealerIds: [east], productIds: [products[0]!] });
    const five = await count({ dealerIds: [east] });
    const seven = await count(null);
    // then the pages are what they claim
    expect(one.result.insights.satisfaction.edges.map((e) => e.node.group.product?.id)).toEqual([products[0]]);
    expect(five.result.insights.satisfaction.totalCount).toBe(5);
    expect(seven.result.insights.satisfaction.totalCount).toBe(7);
    expect(seven.result.insights.satisfaction.edges.map((e) => e.node.figures.responses)).toEqual([4, 2, 1, 1, 1, 1, 1]);
    // and each time the feedback subgraph ran three statements: the one opening the request's transaction as the
    // caller (`set_config` of role and dealer), the memory setting for insights' sorts, and the one aggregate;
    // labels come from the same statement, and `product { id }` needs no other subgraph
    for (const { statements } of [one, five, seven]) expect(statements).toEqual({ partners: 0, catalog: 0, warranty: 0, tickets: 0, feedback: 3, outreach: 0 });
  });
});

// --- 11. what a split says about a ticket that changed after its survey opened (adds dealers of their own) ---

describe("satisfaction split after the survey opened", () => {
  /** A dealer of its own (an authorized workshop), a customer with a PA unit, and a repair resolved Mon 2026-05-18 11:00 whose survey was answered 5. */
  async function surveyedRepair() {
    graph.clock.set(berlin("2026-05-18", "09:00"));
    const dealerId = (await createDealer(graph, { warrantyWorkshop: { authorizedFrom: "2023-01-01" } })).id;
    const owner = await ownCustomer(dealerId, w.pa);
    const ticket = await resolvedRepair(owner, dealerId, 2);
    await graph.settle();
    expect(await runSchedule()).toMatchObject({ opened: 1 });
    graph.clock.set(berlin("2026-05-18", "12:00"));
    await answer(await csatSurveyOf(ticket.id), 5);
    return { dealerId, ...owner, ticket };
  }

  it("counts an answer about a ticket reopened after its survey opened as NOT_FIRST_TIME, as resolution does", async () => {
    // given a repair whose survey was answered 5 on Monday
    const { dealerId, ticket } = await surveyedRepair();
    // when the fix does not hold: reopened Tuesday (within the 14 days) and resolved again
    graph.clock.set(berlin("2026-05-19", "09:00"));
    const reopened = await move(ticket, "IN_PROGRESS");
    graph.clock.set(berlin("2026-05-19", "10:00"));
    await move(reopened, "RESOLVED");
    await graph.settle();
    // then resolution says it was not fixed the first time
    const { insights: read } = await graph.query(
      graphql(`query InsightsFirstTimeFixAndResolution($filter: InsightsFilter) { insights(filter: $filter) {
        satisfactionSplit(by: FIRST_TIME_FIX) { ...InsightsSplitGroup } ...InsightsResolutionTotal } }`),
      { filter: { dealerIds: [dealerId] } },
    );
    expect(onlyFigures(read)).toMatchObject({ repairs: 1, firstTimeFixes: 0 });
    // and so does the split ("never reopened, never waiting for parts"): the 5 belongs to NOT_FIRST_TIME
    expect(read.satisfactionSplit).toEqual([{ key: "NOT_FIRST_TIME", figures: csat(1, 5, 1) }]);
  });

  it("counts an answer about a repair the warranty paid as WARRANTY when the claim came after the survey opened", async () => {
    // given a repair whose survey was answered 5 on Monday
    const { dealerId, unitId, ticket } = await surveyedRepair();
    // when the workshop claims the warranty for it on Wednesday, as workshops do days after the repair
    graph.clock.set(berlin("2026-05-20", "09:00"));
    const filed = await graph.query(
      graphql(`mutation InsightsFileClaimCoverage($input: FileWarrantyClaimInput!) {
        fileWarrantyClaim(input: $input) { claim { status coverageKind } errors { code field message } } }`),
      {
        input: {
          dealerId,
          unitId,
          ticketId: ticket.id,
          failureOn: "2026-05-18",
          repairOn: "2026-05-18",
          failureCode: "E04-PUMP",
          lines: [{ kind: "PART", partId: w.pump, quantity: 1, claimed: eur("120.00") }],
        },
      },
    );
    const { claim } = accepted(filed.fileWarrantyClaim);
    expect(claim).toEqual({ status: "APPROVED", coverageKind: "WARRANTY" });
    await graph.settle();
    // then the answer counts as one about a repair the warranty covered
    const { insights: read } = await graph.query(SPLIT, { by: "COVERAGE", filter: { dealerIds: [dealerId] } });
    expect(read.satisfactionSplit).toEqual([{ key: "WARRANTY", figures: csat(1, 5, 1) }]);
  });
});
