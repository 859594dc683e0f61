import { addDays, localDate, zonedInstant } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import { graphql } from "./src/generated/index.js";
import type { AssignComplaintCaseInput, ComplaintsCaseFragment, ResolveComplaintCaseInput, RespondToComplaintCaseInput } from "./src/generated/graphql.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";

/**
 * Complaint recovery, end to end through the gateway: a complaint becomes a
 * case with an owner and a response deadline in the dealer's business hours
 * (Monday to Friday 09:00–17:00 in Berlin, the factories' dealer); a case not
 * answered in time is breached and at risk; a resolved case asks the customer
 * through the survey page whether it was resolved to their satisfaction, and
 * the insights count the answers.
 *
 * The graph's clock is stopped on a Monday 10:00 in Berlin, after the real
 * today (customers' NPS schedules count from the real time they were created).
 */

let graph: TestGraph;

/** The first Monday after today, at `time` in Berlin, and the days after it. */
const MONDAY = (() => {
  let day = addDays(localDate(new Date(), "Europe/Berlin"), 1);
  while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 1) day = addDays(day, 1);
  return day;
})();
const berlin = (dayOffset: number, time: string) => zonedInstant(addDays(MONDAY, dayOffset), time, "Europe/Berlin");

beforeAll(async () => {
  graph = await startGraph();
  graph.clock.set(berlin(0, "10:00"));
  // Every customer gets an NPS survey at once: the low answers that become cases.
  await graph.query(graphql(`mutation ComplaintsSurveyTimings { setSurveyTimings(input: { npsFirstAfterDays: 0, csatDelayHours: 24 }) { errors { code } } }`));
});
afterAll(() => graph?.stop());

// --- helpers ------------------------------------------------------------------

graphql(`fragment ComplaintsCase on ComplaintCase {
  id status source comment customer { id } dealer { id } owner { name email }
  responseDeadline { targetMinutes timeZone dueAt state metAt breachedAt } atRisk respondedAt
  resolution { text resolvedAt } followUp { id kind status link question } resolvedToSatisfaction version }`);
type Case = ComplaintsCaseFragment;

/** A dealer of its own (so figures count its cases alone), a DEALER client for it, and a customer of it. */
async function dealerWithCustomer() {
  const dealerId = (await createDealer(graph)).id;
  const customerId = (await createCustomer(graph, dealerId)).id;
  await graph.settle();
  return { dealerId, customerId, dealer: graph.as({ role: "DEALER", dealerId }) };
}

const RECORD_FEEDBACK = graphql(`mutation ComplaintsRecordFeedback($input: RecordFeedbackInput!) { recordFeedback(input: $input) { errors { code field } } }`);

async function complain(client: Client, input: { customerId: string; dealerId: string; comment?: string }): Promise<void> {
  const data = await client.query(RECORD_FEEDBACK, {
    input: { kind: "COMPLAINT", comment: "Nobody called me back about the leaking machine.", ...input },
  });
  expect(data.recordFeedback.errors).toEqual([]);
}

const CASES = graphql(
  `query ComplaintsCases($customerId: ID!) { complaintCases(filter: { customerId: $customerId }) { edges { node { ...ComplaintsCase } } } }`,
);
async function casesOf(client: Client, customerId: string): Promise<Case[]> {
  const data = await client.query(CASES, { customerId });
  return data.complaintCases.edges.map((edge) => edge.node);
}

const CASE_BY_ID = graphql(`query ComplaintsCaseById($id: ID!) { complaintCase(id: $id) { ...ComplaintsCase } }`);
async function caseById(client: Client, id: string): Promise<Case | null> {
  return (await client.query(CASE_BY_ID, { id })).complaintCase;
}

/** The three changes to a case, each returning its payload: the case as saved, and the refusals. */
const ASSIGN = graphql(`mutation ComplaintsAssign($input: AssignComplaintCaseInput!) {
  assignComplaintCase(input: $input) { complaintCase { ...ComplaintsCase } errors { code field } } }`);
const RESPOND = graphql(`mutation ComplaintsRespond($input: RespondToComplaintCaseInput!) {
  respondToComplaintCase(input: $input) { complaintCase { ...ComplaintsCase } errors { code field } } }`);
const RESOLVE = graphql(`mutation ComplaintsResolve($input: ResolveComplaintCaseInput!) {
  resolveComplaintCase(input: $input) { complaintCase { ...ComplaintsCase } errors { code field } } }`);
const assign = async (client: Client, input: AssignComplaintCaseInput) => (await client.query(ASSIGN, { input })).assignComplaintCase;
const respond = async (client: Client, input: RespondToComplaintCaseInput) => (await client.query(RESPOND, { input })).respondToComplaintCase;
const resolve = async (client: Client, input: ResolveComplaintCaseInput) => (await client.query(RESOLVE, { input })).resolveComplaintCase;
/** A change's refusal codes. */
const codes = async (change: Promise<{ errors: { code: string }[] }>) => (await change).errors.map((e) => e.code);

const RECORD_BREACHES = graphql(`mutation ComplaintsRecordBreaches { recordComplaintBreaches { recorded errors { code field } } }`);
async function recordBreaches(): Promise<number> {
  const data = await graph.query(RECORD_BREACHES);
  expect(data.recordComplaintBreaches.errors).toEqual([]);
  return data.recordComplaintBreaches.recorded;
}

const AT_RISK = graphql(`query ComplaintsAtRisk($within: Int!) { complaintCasesAtRisk(within: $within, first: 100) { edges { node { id } } } }`);
async function atRisk(client: Client, within: number): Promise<string[]> {
  const data = await client.query(AT_RISK, { within });
  return data.complaintCasesAtRisk.edges.map((edge) => edge.node.id);
}

const ANSWER_SURVEY = graphql(`mutation ComplaintsAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { errors { code } } }`);

// --- cases ----------------------------------------------------------------------

describe("complaint cases", () => {
  it("opens a case for a recorded complaint, due one business day later in the dealer's hours", async () => {
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();

    await complain(dealer, { customerId, dealerId });

    const [opened] = await casesOf(dealer, customerId);
    expect(opened).toMatchObject({
      status: "OPEN",
      source: "FEEDBACK",
      comment: "Nobody called me back about the leaking machine.",
      customer: { id: customerId },
      dealer: { id: dealerId },
      owner: null,
      atRisk: false,
      // Monday 10:00–17:00 is seven business hours; the eighth is Tuesday 09:00–10:00.
      responseDeadline: { targetMinutes: 480, timeZone: "Europe/Berlin", dueAt: berlin(1, "10:00").toISOString(), state: "RUNNING", breachedAt: null },
      resolution: null,
      followUp: null,
      version: 1,
    });
    // suggestions and praise are no cases
    await graph.query(RECORD_FEEDBACK, {
      input: { kind: "PRAISE", customerId, dealerId, comment: "Lovely staff." },
    });
    expect(await casesOf(dealer, customerId)).toHaveLength(1);
  });

  it("opens a case for a low NPS answer with a comment, and none for one without", async () => {
    const { customerId, dealer } = await dealerWithCustomer();
    const quiet = await dealerWithCustomer();
    await runSurveySchedule(graph);
    const npsLink = async (client: Client, id: string) => {
      const data = await client.query(
        graphql(`query ComplaintsOpenSurveys($id: ID!) { surveys(filter: { customerId: $id, statuses: [OPEN] }) { edges { node { kind link } } } }`),
        { id },
      );
      return data.surveys.edges.map((edge) => edge.node).find((survey) => survey.kind === "NPS")!.link!;
    };
    const answer = (token: string, score: number, comment: string | null) => graph.query(ANSWER_SURVEY, { input: { token, score, comment } });

    await answer(surveyToken(await npsLink(dealer, customerId)), 3, "The repair took three weeks and nobody told us why.");
    await answer(surveyToken(await npsLink(quiet.dealer, quiet.customerId)), 3, null);

    const [fromSurvey] = await casesOf(dealer, customerId);
    expect(fromSurvey).toMatchObject({ source: "SURVEY", status: "OPEN", comment: "The repair took three weeks and nobody told us why." });
    expect(await casesOf(quiet.dealer, quiet.customerId)).toEqual([]);
  });

  it("takes an owner from the dealer, and refuses bad input with codes saying what to fix", async () => {
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();
    await complain(dealer, { customerId, dealerId });
    const [opened] = await casesOf(dealer, customerId);
    const id = opened!.id;

    // a case is worked by its owner
    expect(await codes(respond(dealer, { id, version: 1, response: "We will call you today." }))).toEqual(["OWNER_REQUIRED"]);
    expect(await codes(assign(dealer, { id, version: 1, ownerName: "  " }))).toEqual(["REQUIRED"]);
    expect(await codes(assign(dealer, { id, version: 1, ownerName: "Jana Vogel", ownerEmail: "not-an-address" }))).toEqual(["INVALID_EMAIL"]);
    expect(await codes(assign(dealer, { id, version: 7, ownerName: "Jana Vogel" }))).toEqual(["STALE_VERSION"]);
    expect(await codes(assign(dealer, { id: "cpl_01JD3QP7S9V1X3Z5B7D9F1H3K5", version: 1, ownerName: "Jana Vogel" }))).toEqual(["COMPLAINT_CASE_NOT_FOUND"]);
    // an AGENT works cases but does not hand the dealer's out; an ANALYST changes nothing
    const agent = await graph.as({ role: "AGENT" }).request(ASSIGN, { input: { id, version: 1, ownerName: "X" } });
    expect(agent.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const assigned = await assign(dealer, { id, version: 1, ownerName: "Jana Vogel", ownerEmail: "Jana.Vogel@dealer.example" });
    expect(assigned.errors).toEqual([]);
    expect(assigned.complaintCase).toMatchObject({ owner: { name: "Jana Vogel", email: "jana.vogel@dealer.example" }, version: 2 });
    // an ANALYST reads the case without the people in it
    const seen = await caseById(graph.as({ role: "ANALYST" }), id);
    expect(seen).toMatchObject({ owner: null, customer: null });

    // the response meets the deadline, once
    graph.clock.set(berlin(0, "15:00"));
    expect(await codes(respond(dealer, { id, version: 2, response: "" }))).toEqual(["REQUIRED"]);
    const responded = await respond(dealer, { id, version: 2, response: "Called: a technician comes on Wednesday." });
    expect(responded.complaintCase).toMatchObject({
      status: "RESPONDED",
      respondedAt: berlin(0, "15:00").toISOString(),
      responseDeadline: { state: "MET", dueAt: null },
    });
    expect(await codes(respond(dealer, { id, version: 3, response: "Again" }))).toEqual(["ALREADY_RESPONDED"]);
  });

  it("shows a case at risk as its deadline nears, and breached once it ran out unanswered, recording the breach once", async () => {
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();
    await complain(dealer, { customerId, dealerId });
    const [opened] = await casesOf(dealer, customerId);
    const id = opened!.id;
    expect(await atRisk(dealer, 60)).toEqual([]);

    // Tuesday 09:30: due within the hour
    graph.clock.set(berlin(1, "09:30"));
    expect(await atRisk(dealer, 60)).toEqual([id]);
    expect((await caseById(dealer, id))!.atRisk).toBe(false);

    // Tuesday 10:05: ran out at 10:00 with no response
    graph.clock.set(berlin(1, "10:05"));
    expect(await recordBreaches()).toBeGreaterThanOrEqual(1);
    expect(await recordBreaches()).toBe(0);
    const breached = (await caseById(dealer, id))!;
    expect(breached).toMatchObject({ atRisk: true, version: 1, responseDeadline: { state: "BREACHED", breachedAt: berlin(1, "10:00").toISOString() } });
    expect(await atRisk(dealer, 1)).toEqual([id]);
    const recorded = await dealer.query(graphql(`query ComplaintsBreached { complaintCases(filter: { breached: true }) { edges { node { id } } } }`));
    expect(recorded.complaintCases.edges.map((edge) => edge.node.id)).toEqual([id]);

    // a late answer does not undo the breach; resolving ends the risk
    await assign(dealer, { id, version: 1, ownerName: "Jana Vogel" });
    const resolved = await resolve(dealer, { id, version: 2, resolution: "Replaced the pump and apologised." });
    expect(resolved.complaintCase).toMatchObject({ atRisk: false, responseDeadline: { state: "BREACHED" } });
    expect(await atRisk(dealer, 60)).toEqual([]);
  });

  it("never shows one dealer's cases to another", async () => {
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();
    await complain(dealer, { customerId, dealerId });
    const [opened] = await casesOf(dealer, customerId);
    const stranger = (await dealerWithCustomer()).dealer;

    expect(await caseById(stranger, opened!.id)).toBeNull();
    expect(await casesOf(stranger, customerId)).toEqual([]);
    expect(await codes(assign(stranger, { id: opened!.id, version: 1, ownerName: "Mallory" }))).toEqual(["COMPLAINT_CASE_NOT_FOUND"]);
    const entities = await graph
      .subgraph("feedback", { role: "DEALER", dealerId: (await createDealer(graph)).id })
      // A subgraph's own field, outside the API schema the typed documents are checked against.
      .query<{ _entities: unknown[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on ComplaintCase { id } } }`, {
        r: [{ __typename: "ComplaintCase", id: opened!.id }],
      });
    expect(entities._entities).toEqual([null]);
  });
});

// --- resolution, follow-up, insight --------------------------------------------------

describe("recovering a complaint", () => {
  it("asks the customer after the resolution through the survey page, and counts their answer in the insights", async () => {
    // given a complaint Monday 10:00, answered at 11:00 and resolved Tuesday 10:00 (24 hours)
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();
    await complain(dealer, { customerId, dealerId });
    const [opened] = await casesOf(dealer, customerId);
    const id = opened!.id;
    await assign(dealer, { id, version: 1, ownerName: "Jana Vogel" });
    graph.clock.set(berlin(0, "11:00"));
    await respond(dealer, { id, version: 2, response: "Sorry: a technician comes tomorrow." });
    graph.clock.set(berlin(1, "10:00"));
    expect(await codes(resolve(dealer, { id, version: 3, resolution: "x".repeat(4001) }))).toEqual(["TOO_LONG"]);

    // when it is resolved
    const resolved = await resolve(dealer, { id, version: 3, resolution: "Replaced the leaking valve free of charge." });

    // then the customer is asked at once, through a survey link, yes or no
    expect(resolved.errors).toEqual([]);
    const followUp = resolved.complaintCase!.followUp!;
    expect(resolved.complaintCase).toMatchObject({
      status: "RESOLVED",
      resolution: { text: "Replaced the leaking valve free of charge.", resolvedAt: berlin(1, "10:00").toISOString() },
      resolvedToSatisfaction: null,
    });
    expect(followUp).toMatchObject({ kind: "COMPLAINT_FOLLOW_UP", status: "OPEN", question: expect.stringContaining("resolved to your satisfaction") });
    expect(await codes(respond(dealer, { id, version: 4, response: "More" }))).toEqual(["CASE_RESOLVED"]);

    // the page the link opens asks yes or no, with no account
    const page = await fetch(followUp.link!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Was your complaint resolved to your satisfaction?");
    expect(html).toContain(`value="1" required> Yes`);
    expect(html).toContain(`value="0" required> No`);
    const sent = await fetch(followUp.link!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ score: "1", comment: "Yes, all good now." }),
    });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("Thank you");

    // the case carries the customer's word
    expect(await caseById(dealer, id)).toMatchObject({ resolvedToSatisfaction: true, followUp: { status: "ANSWERED", link: null } });

    // and the dealer's insights count it: one case, answered in time, resolved in 24 hours, the customer satisfied
    const { insights } = await dealer.query(
      graphql(`query ComplaintsRecovery { insights { complaintRecovery {
        opened resolved respondedInTime breached medianHoursToResolve p90HoursToResolve followUpsAnswered satisfiedAfter satisfiedShare } } }`),
    );
    expect(insights.complaintRecovery).toEqual({
      opened: 1,
      resolved: 1,
      respondedInTime: 1,
      breached: 0,
      medianHoursToResolve: 24,
      p90HoursToResolve: 24,
      followUpsAnswered: 1,
      satisfiedAfter: 1,
      satisfiedShare: 1,
    });
  });

  it("counts a customer who says no, and a case still open, in the dealer's figures", async () => {
    graph.clock.set(berlin(0, "10:00"));
    const { dealerId, customerId, dealer } = await dealerWithCustomer();
    await complain(dealer, { customerId, dealerId });
    await complain(dealer, { customerId, dealerId, comment: "And the invoice was wrong." });
    const [second, first] = await casesOf(dealer, customerId);
    await assign(dealer, { id: first!.id, version: 1, ownerName: "Jana Vogel" });
    graph.clock.set(berlin(0, "16:00"));
    const resolved = await resolve(dealer, { id: first!.id, version: 2, resolution: "Sent a new seal." });
    const token = surveyToken(resolved.complaintCase!.followUp!.link!);
    const answered = await graph.query(ANSWER_SURVEY, { input: { token, score: 0, comment: "Still dripping." } });
    expect(answered.answerSurvey.errors).toEqual([]);
    // a yes/no question takes nothing else
    expect((await caseById(dealer, first!.id))!.resolvedToSatisfaction).toBe(false);
    expect(second!.status).toBe("OPEN");

    const { insights } = await dealer.query(
      graphql(
        `query ComplaintsRecoveryOpen { insights { complaintRecovery { opened resolved medianHoursToResolve followUpsAnswered satisfiedAfter satisfiedShare } } }`,
      ),
    );
    expect(insights.complaintRecovery).toEqual({ opened: 2, resolved: 1, medianHoursToResolve: 6, followUpsAnswered: 1, satisfiedAfter: 0, satisfiedShare: 0 });
  });
});
