import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkEventsAgainstCatalog, outboxEvents } from "./src/events.js";
import { create, createCustomer, createDealer, createProduct, setWarrantyPolicy, soldUnit, tag } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * A dealer moving from a previous system brings its tickets in with their
 * history (`importTickets`), and then the answers its customers gave to the
 * surveys about them (`importSurveyAnswers`): each lands as it would have,
 * had it happened live at those times, with its SLA outcome, the events the
 * other subgraphs learn it from, and the insights those give.
 */

const IMPORT = graphql(`mutation ImportTickets($input: ImportTicketsInput!) {
  importTickets(input: $input) {
    tickets { id number status openedAt resolvedAt closedAt serviceCenter { id } technician { id } sla { breached resolution { state } response { state } } }
    errors { code field }
  }
}`);
const RESOLUTION_BY_MONTH = graphql(`query ImportedResolutionByMonth($filter: InsightsFilter) {
  insights(filter: $filter) { resolution(groupBy: MONTH) { edges { node { group { key } figures { resolved slaMet firstTimeFixes repairs } } } } }
}`);
const IMPORT_ANSWERS = graphql(`mutation ImportSurveyAnswers($input: ImportSurveyAnswersInput!) {
  importSurveyAnswers(input: $input) { surveys { id kind status openedAt answer { score answeredAt reading { sentiment } } } errors { code field } }
}`);
const CSAT_BY_MONTH = graphql(`query ImportedCsatByMonth($filter: InsightsFilter) {
  insights(filter: $filter) { satisfaction(measure: CSAT, groupBy: MONTH) { edges { node { group { key } figures { responses averageScore } } } } }
}`);
const CUSTOMER_TICKETS = graphql(`query ImportedCustomerTickets($id: ID!) { customer(id: $id) { tickets { totalCount } } }`);

let graph: TestGraph;
let handle: DatabaseHandle;
let dealer: string;
let customer: string;
let unit: string;
let technician: string;
/** The tickets the first import brought in: one fixed at once, one reopened. */
let imported: { quick: string; slow: string } | undefined;

const today = todayUtc();
const at = (daysAgo: number, time: string) => `${addDays(today, -daysAgo)}T${time}:00.000Z`;
const month = (instant: string) => instant.slice(0, 7);

beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
  dealer = (await createDealer(graph, { kind: "BOTH" })).id;
  customer = (await createCustomer(graph, dealer)).id;
  const product = (await createProduct(graph)).id;
  await setWarrantyPolicy(graph, product);
  unit = (await soldUnit(graph, { productId: product, dealerId: dealer, customerId: customer, soldOn: addDays(today, -300) })).id;
  technician = (await create(graph, "createTechnician", "technician", { serviceCenterId: dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"] })).id;
  await graph.settle();
}, 120_000);
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

const quickFix = () => ({
  customerId: customer,
  unitId: unit,
  kind: "REPAIR" as const,
  channel: "PHONE" as const,
  priority: "P4" as const,
  subject: "Grinder jams",
  failureCode: "E07-GRINDER",
  openedAt: at(120, "09:00"),
  serviceCenterId: dealer,
  technicianId: technician,
  steps: [
    { status: "IN_PROGRESS" as const, at: at(120, "09:30") },
    { status: "RESOLVED" as const, at: at(120, "10:30"), resolution: "Burrs cleaned." },
    { status: "CLOSED" as const, at: at(110, "08:00") },
  ],
});

/** A P1 left for ten days (both clocks breached), resolved, reopened two days later, resolved again. */
const slowRepair = () => ({
  ...quickFix(),
  priority: "P1" as const,
  subject: "Pump leaks",
  failureCode: "E04-PUMP",
  openedAt: at(60, "09:00"),
  steps: [
    { status: "IN_PROGRESS" as const, at: at(50, "09:00") },
    { status: "RESOLVED" as const, at: at(50, "15:00"), resolution: "Seal replaced." },
    { status: "IN_PROGRESS" as const, at: at(48, "09:00"), note: "Leaks again." },
    { status: "RESOLVED" as const, at: at(47, "12:00"), resolution: "Pump replaced." },
  ],
});

describe("importing tickets with their history", () => {
  it("opens each at its time, moves it through its history, and records the SLA outcome then", async () => {
    const { importTickets } = await graph.query(IMPORT, { input: { tickets: [quickFix(), slowRepair()] } });
    expect(importTickets.errors).toEqual([]);
    const [quick, slow] = importTickets.tickets ?? [];
    imported = { quick: quick!.id, slow: slow!.id };
    expect(quick).toMatchObject({
      status: "CLOSED",
      openedAt: at(120, "09:00"),
      resolvedAt: at(120, "10:30"),
      closedAt: at(110, "08:00"),
      serviceCenter: { id: dealer },
      technician: { id: technician },
      sla: { breached: false, response: { state: "MET" }, resolution: { state: "MET" } },
    });
    expect(slow).toMatchObject({ status: "RESOLVED", resolvedAt: at(47, "12:00"), sla: { breached: true, response: { state: "BREACHED" } } });

    // The events a live ticket would have written, carrying the historic times.
    const events = await outboxEvents(handle.db, "tickets", [quick!.id, slow!.id]);
    const of = (id: string) => events.filter((event) => event.aggregateId === id).map((event) => event.type);
    expect(of(quick!.id)).toEqual(["ticket.opened", "ticket.status_changed", "ticket.resolved", "ticket.closed"]);
    expect(of(slow!.id)).toEqual([
      "ticket.opened",
      "ticket.sla_breached",
      "ticket.sla_breached",
      "ticket.status_changed",
      "ticket.resolved",
      "ticket.reopened",
      "ticket.resolved",
    ]);
    const opened = events.find((event) => event.aggregateId === slow!.id && event.type === "ticket.opened");
    expect(opened?.payload).toMatchObject({ openedAt: at(60, "09:00"), resolvedAt: null });
    await checkEventsAgainstCatalog(graph.database);

    // Feedback's insights count them in the months they were resolved, the breach and the reopen too.
    await graph.settle();
    const { insights } = await graph.query(RESOLUTION_BY_MONTH, { filter: { dealerIds: [dealer] } });
    const byMonth = new Map<string, { resolved: number; slaMet: number; firstTimeFixes: number; repairs: number }>();
    for (const { node } of insights.resolution.edges) {
      const figures = byMonth.get(node.group.key ?? "") ?? { resolved: 0, slaMet: 0, firstTimeFixes: 0, repairs: 0 };
      byMonth.set(node.group.key ?? "", figures);
      Object.assign(figures, node.figures);
    }
    const quickMonth = month(at(120, "10:30"));
    const slowMonth = month(at(47, "12:00"));
    expect(byMonth.get(quickMonth)).toEqual({ resolved: 1, slaMet: 1, firstTimeFixes: 1, repairs: 1 });
    expect(byMonth.get(slowMonth)).toEqual({ resolved: 1, slaMet: 0, firstTimeFixes: 0, repairs: 1 });
  });

  it("refuses the whole import, naming each ticket and field to fix, and writes nothing", async () => {
    const { customer: before } = await graph.query(CUSTOMER_TICKETS, { id: customer });
    const late = { ...quickFix(), steps: [{ status: "IN_PROGRESS" as const, at: at(121, "09:00") }] };
    const reopenedTooLate = {
      ...quickFix(),
      steps: [...quickFix().steps.slice(0, 2), { status: "IN_PROGRESS" as const, at: at(100, "09:00") }],
    };
    const unknownCustomer = { ...quickFix(), customerId: "cus_01J0000000000000000000000Z" };
    const future = { ...quickFix(), openedAt: `${addDays(today, 2)}T09:00:00.000Z`, steps: [] };
    const { importTickets } = await graph.query(IMPORT, { input: { tickets: [quickFix(), late, reopenedTooLate, unknownCustomer, future] } });
    expect(importTickets.tickets).toBeNull();
    expect(importTickets.errors).toEqual([
      { code: "DATES_OUT_OF_ORDER", field: ["tickets", "1", "steps", "0", "at"] },
      { code: "REOPEN_WINDOW_PASSED", field: ["tickets", "2", "steps", "2", "status"] },
      { code: "DATE_IN_FUTURE", field: ["tickets", "4", "openedAt"] },
      { code: "CUSTOMER_NOT_FOUND", field: ["tickets", "3", "customerId"] },
    ]);
    const { customer: after } = await graph.query(CUSTOMER_TICKETS, { id: customer });
    expect(after?.tickets.totalCount).toBe(before?.tickets.totalCount);
  });

  it("is for ADMINs only", async () => {
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
    const response = await asDealer.request(IMPORT, { input: { tickets: [quickFix()] } });
    expect(response.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("importing the answers to the imported tickets' surveys", () => {
  it("answers the CSAT survey of a ticket while it was open, counted in the month it was answered", async () => {
    if (!imported) throw new Error("the tickets' import ran first and failed");
    await graph.settle();
    // Refused whole: the reopened ticket's survey was cancelled, an answer before the survey fell due, a score off the scale.
    const refused = await graph.query(IMPORT_ANSWERS, {
      input: {
        answers: [
          { ticketId: imported.slow, score: 2, answeredAt: at(40, "10:00") },
          { ticketId: imported.quick, score: 5, answeredAt: at(120, "11:00") },
          { unitId: unit, score: 9, answeredAt: at(1, "10:00") },
        ],
      },
    });
    expect(refused.importSurveyAnswers.errors).toEqual([
      { code: "SURVEY_NOT_OPEN", field: ["answers", "0", "ticketId"] },
      { code: "SURVEY_NOT_OPEN", field: ["answers", "1", "answeredAt"] },
      { code: "SURVEY_NOT_FOUND", field: ["answers", "2", "unitId"] },
    ]);

    const answeredAt = at(118, "12:00");
    const { importSurveyAnswers } = await graph.query(IMPORT_ANSWERS, {
      input: { answers: [{ ticketId: imported.quick, score: 5, comment: "Fast and friendly, thank you.", answeredAt }] },
    });
    expect(importSurveyAnswers.errors).toEqual([]);
    expect(importSurveyAnswers.surveys).toEqual([
      expect.objectContaining({ kind: "CSAT", status: "ANSWERED", answer: { score: 5, answeredAt, reading: { sentiment: "POSITIVE" } } }),
    ]);
    const again = await graph.query(IMPORT_ANSWERS, { input: { answers: [{ ticketId: imported.quick, score: 1, answeredAt }] } });
    expect(again.importSurveyAnswers.errors).toEqual([{ code: "ALREADY_ANSWERED", field: ["answers", "0", "ticketId"] }]);

    const survey = importSurveyAnswers.surveys![0]!.id;
    const events = await outboxEvents(handle.db, "feedback", [survey]);
    expect(events.map((event) => [event.type, (event.payload as { answeredAt: string }).answeredAt])).toEqual([["survey.answered", answeredAt]]);
    await checkEventsAgainstCatalog(graph.database);

    const { insights } = await graph.query(CSAT_BY_MONTH, { filter: { dealerIds: [dealer] } });
    expect(insights.satisfaction.edges.map(({ node }) => [node.group.key, node.figures])).toEqual([[month(answeredAt), { responses: 1, averageScore: 5 }]]);
  });
});

const NPS_BY_MONTH = graphql(`query ImportedNpsByMonth($filter: InsightsFilter) {
  insights(filter: $filter) { satisfaction(measure: NPS, groupBy: MONTH) { edges { node { group { key } figures { responses detractors } } } } }
}`);
const IMPORT_CONTACTS = graphql(`mutation ImportOutreachItems($input: ImportOutreachItemsInput!) {
  importOutreachItems(input: $input) {
    items { id status reason version attempts openedAt closedAt dueOn outcome { outcome channel recordedAt } reasons { kind survey { id } } }
    errors { code field }
  }
}`);
const CONVERSION_BY_MONTH = graphql(`query ImportedConversionByMonth($filter: OutreachInsightsFilter) {
  outreachInsights(filter: $filter) { conversion(groupBy: MONTH) { edges { node { group { key } figures { opened contacted firstContacts } } } } }
}`);

describe("importing past NPS rounds and the outreach contacts they led to", () => {
  /** The round the first test imports: a detractor, called back afterwards. */
  let round: { survey: string; answeredAt: string } | undefined;

  it("records an NPS round as sent then and answered while open, counted in the month it was answered", async () => {
    // given a round sent 200 days ago and answered two days later
    const askedAt = at(200, "09:00");
    const answeredAt = at(198, "10:00");

    // when refused rows and then the round are imported
    const refused = await graph.query(IMPORT_ANSWERS, {
      input: {
        answers: [
          { customerId: customer, score: 3, answeredAt },
          { customerId: "cus_01J0000000000000000000000Z", askedAt, score: 3, answeredAt },
          { customerId: customer, askedAt, score: 11, answeredAt },
          { customerId: customer, askedAt: at(190, "09:00"), score: 3, answeredAt: at(150, "10:00") },
        ],
      },
    });
    const { importSurveyAnswers } = await graph.query(IMPORT_ANSWERS, { input: { answers: [{ customerId: customer, askedAt, score: 3, answeredAt }] } });
    const again = await graph.query(IMPORT_ANSWERS, { input: { answers: [{ customerId: customer, askedAt, score: 9, answeredAt }] } });

    // then each refusal names the row and field, the round is answered once, and its month counts a detractor
    expect(refused.importSurveyAnswers.errors).toEqual([
      { code: "REQUIRED", field: ["answers", "0", "askedAt"] },
      { code: "CUSTOMER_NOT_FOUND", field: ["answers", "1", "customerId"] },
      { code: "SCORE_OUT_OF_RANGE", field: ["answers", "2", "score"] },
      { code: "SURVEY_NOT_OPEN", field: ["answers", "3", "answeredAt"] },
    ]);
    expect(importSurveyAnswers.errors).toEqual([]);
    expect(importSurveyAnswers.surveys).toEqual([
      expect.objectContaining({ kind: "NPS", status: "ANSWERED", openedAt: askedAt, answer: expect.objectContaining({ score: 3, answeredAt }) }),
    ]);
    expect(again.importSurveyAnswers.errors).toEqual([{ code: "ALREADY_ANSWERED", field: ["answers", "0", "askedAt"] }]);
    const survey = importSurveyAnswers.surveys![0]!.id;
    round = { survey, answeredAt };
    const events = await outboxEvents(handle.db, "feedback", [survey]);
    expect(events.map((event) => [event.type, (event.payload as { answeredAt: string }).answeredAt])).toEqual([["survey.answered", answeredAt]]);
    const { insights } = await graph.query(NPS_BY_MONTH, { filter: { dealerIds: [dealer] } });
    expect(insights.satisfaction.edges.map(({ node }) => [node.group.key, node.figures])).toEqual([[month(answeredAt), { responses: 1, detractors: 1 }]]);
  });

  it("records the call back to the detractor as it went, at its times, and counts it in the month it was opened", async () => {
    if (!round) throw new Error("the NPS round's import ran first and failed");
    // given outreach has heard of the answer (it raises the call back from it)
    await graph.settle();
    const contact = {
      customerId: customer,
      reason: "DETRACTOR" as const,
      subjectId: round.survey,
      openedAt: round.answeredAt,
      unansweredAttempts: [at(197, "09:30")],
      outcome: "CONTACTED" as const,
      channel: "PHONE" as const,
      outcomeAt: at(196, "14:00"),
      note: "Heard them out; a technician visits next week.",
    };

    // when contacts it refuses, and then the contact, are imported
    const refusals = await Promise.all(
      [
        { ...contact, subjectId: "svy_01J0000000000000000000000Z" },
        { ...contact, outcome: "NO_ANSWER" as const },
        { ...contact, unansweredAttempts: [at(199, "09:00")] },
        { ...contact, outcomeAt: `${addDays(today, 2)}T09:00:00.000Z` },
        { ...contact, outcome: "CONVERTED" as const },
      ].map(async (refused) => (await graph.query(IMPORT_CONTACTS, { input: { items: [refused] } })).importOutreachItems),
    );
    const twice = await graph.query(IMPORT_CONTACTS, { input: { items: [contact, contact] } });
    const { importOutreachItems } = await graph.query(IMPORT_CONTACTS, { input: { items: [contact] } });
    const again = await graph.query(IMPORT_CONTACTS, { input: { items: [contact] } });

    // then refusals name the row and field; the item closed as it did, once, with the events a live worklist writes
    expect(refusals.map((refused) => refused.items)).toEqual([null, null, null, null, null]);
    expect(refusals.map((refused) => refused.errors)).toEqual([
      [{ code: "REASON_NOT_FOUND", field: ["items", "0", "subjectId"] }],
      [{ code: "OUT_OF_RANGE", field: ["items", "0", "outcome"] }],
      [{ code: "OUT_OF_RANGE", field: ["items", "0", "unansweredAttempts"] }],
      [{ code: "DATE_IN_FUTURE", field: ["items", "0", "outcomeAt"] }],
      [{ code: "CONVERSION_REQUIRED", field: ["items", "0", "conversion"] }],
    ]);
    expect(twice.importOutreachItems.errors).toEqual([{ code: "REASON_ALREADY_WORKED", field: ["items", "1", "subjectId"] }]);
    expect(importOutreachItems.errors).toEqual([]);
    const [item] = importOutreachItems.items ?? [];
    expect(item).toMatchObject({
      status: "CONTACTED",
      reason: "DETRACTOR",
      version: 3,
      attempts: 1,
      openedAt: contact.openedAt,
      closedAt: contact.outcomeAt,
      outcome: { outcome: "CONTACTED", channel: "PHONE", recordedAt: contact.outcomeAt },
      reasons: [{ kind: "DETRACTOR", survey: { id: round.survey } }],
    });
    expect(again.importOutreachItems.errors).toEqual([{ code: "REASON_ALREADY_WORKED", field: ["items", "0", "subjectId"] }]);
    const events = await outboxEvents(handle.db, "outreach", [item!.id]);
    const timesOf = (type: string) =>
      events.filter((event) => event.type === type).map((event) => (event.payload as { status: string; closedAt: string | null }).closedAt);
    expect(timesOf("outreach.opened")).toEqual([null, null]);
    expect(timesOf("outreach.closed")).toEqual([contact.outcomeAt, contact.outcomeAt]);
    await checkEventsAgainstCatalog(graph.database);
    const { outreachInsights } = await graph.query(CONVERSION_BY_MONTH, { filter: { dealerIds: [dealer] } });
    expect(outreachInsights.conversion.edges.map(({ node }) => [node.group.key, node.figures])).toContainEqual([
      month(contact.openedAt),
      { opened: 1, contacted: 1, firstContacts: 1 },
    ]);
  });

  it("is for ADMINs only", async () => {
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
    const response = await asDealer.request(IMPORT_CONTACTS, {
      input: {
        items: [
          { customerId: customer, reason: "DETRACTOR", subjectId: "svy_x", openedAt: at(3, "09:00"), outcome: "NOT_APPLICABLE", outcomeAt: at(2, "09:00") },
        ],
      },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
