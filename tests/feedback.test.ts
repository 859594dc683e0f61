import { eventDefinition } from "@aftersales/schema";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import type { GraphQLEnumType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomer, createDealer, createProduct, openTicket, soldUnit, tag } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import { graphql } from "./src/generated/index.js";
import type { AnswerSurveyInput, FeedbackSurveyFieldsFragment, RecordFeedbackInput, SetSurveyTimingsInput } from "./src/generated/graphql.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { assignTicket, moveTicket, type TicketVersion } from "./src/tickets.js";

/**
 * Surveys and feedback, end to end through the gateway: the feedback
 * subgraph learns tickets, units and customers from their events and
 * schedules surveys from them; the scheduler's run (`openDueSurveys`) opens
 * them; the customer answers with the link's token.
 *
 * The graph's clock is stopped and moved on by hand, so each rule about time
 * (the CSAT delay, expiry, the NPS schedule) is seen on both sides of its edge.
 */

let graph: TestGraph;
let dealerId: string;
let productId: string;
const HOUR = 60;
const DAY = 24 * HOUR;

/** Where the graph's stopped clock stands. */
let now = Date.now();
const advance = (minutes: number) => {
  now += minutes * 60_000;
  graph.clock.set(new Date(now));
};
/** The catalog takes sale and delivery dates up to the real today, whatever the graph's clock says. */
const realToday = () => new Date().toISOString().slice(0, 10);

const SURVEY_TIMINGS = graphql(`mutation FeedbackSurveyTimings($input: SetSurveyTimingsInput!) { setSurveyTimings(input: $input) { errors { code } } }`);
const setTimings = (input: SetSurveyTimingsInput) => graph.query(SURVEY_TIMINGS, { input });

beforeAll(async () => {
  graph = await startGraph();
  graph.clock.set(new Date(now));
  dealerId = (await createDealer(graph)).id;
  productId = (await createProduct(graph)).id;
  await setTimings({ csatDelayHours: 24, postSaleDelayDays: 7, npsFirstAfterDays: 365, answerWithinDays: 14 });
});
afterAll(() => graph?.stop());

// --- helpers ------------------------------------------------------------------

graphql(`fragment FeedbackSurveyFields on Survey {
  id kind status dueAt openedAt expiresAt link scale { min max } answer { score comment reading { language themes sentiment } } }`);
type Survey = FeedbackSurveyFieldsFragment;

/** A repair ticket for `customerId`, assigned, worked and resolved at the graph's clock. */
async function resolvedTicket(customerId: string): Promise<TicketVersion> {
  const opened = await openTicket(graph, customerId);
  const working = await moveTicket(graph, await assignTicket(graph, opened, dealerId), "IN_PROGRESS");
  return moveTicket(graph, working, "RESOLVED", { resolution: "Replaced the pump." });
}

async function newCustomer(): Promise<string> {
  const { id } = await createCustomer(graph, dealerId);
  await graph.settle();
  return id;
}

async function surveyOf(ticketId: string): Promise<Survey | null> {
  const data = await graph.query(graphql(`query FeedbackTicketSurvey($id: ID!) { ticket(id: $id) { survey { ...FeedbackSurveyFields } } }`), { id: ticketId });
  return data.ticket!.survey;
}

async function surveysOf(customerId: string): Promise<Survey[]> {
  const data = await graph.query(
    graphql(`query FeedbackCustomerSurveys($customerId: ID!) { surveys(filter: { customerId: $customerId }) { edges { node { ...FeedbackSurveyFields } } } }`),
    { customerId },
  );
  return data.surveys.edges.map((edge) => edge.node);
}

const runSchedule = () => runSurveySchedule(graph);

const ANSWER = graphql(`mutation FeedbackAnswerSurvey($input: AnswerSurveyInput!) {
  answerSurvey(input: $input) { survey { ...FeedbackSurveyFields } errors { code field message } } }`);
const answer = (client: Client, input: AnswerSurveyInput) => client.query(ANSWER, { input });

const tokenOf = (survey: Survey) => surveyToken(survey.link!);

/** The names of this file's dealer and product, as the API has them. */
async function namesOf(): Promise<{ dealer: string; product: string }> {
  const data = await graph.query(
    graphql(`query FeedbackNames($dealerId: ID!, $productId: ID!) { dealer(id: $dealerId) { name } product(id: $productId) { name } }`),
    { dealerId, productId },
  );
  return { dealer: data.dealer!.name, product: data.product!.name };
}

// --- post-sale (first: units are sold on the real date, which the catalog checks) ---

describe("post-sale surveys", () => {
  it("asks about first impressions a week after delivery", async () => {
    const customerId = await newCustomer();
    await soldUnit(graph, { productId, dealerId, customerId, soldOn: realToday(), deliveredOn: realToday() });
    await graph.settle();
    const [scheduled] = await surveysOf(customerId);
    expect(scheduled).toMatchObject({
      kind: "POST_SALE",
      status: "SCHEDULED",
      dueAt: new Date(Date.parse(`${realToday()}T00:00:00Z`) + 7 * DAY * 60_000).toISOString(),
    });

    advance(8 * DAY);
    await runSchedule();
    expect((await surveysOf(customerId))[0]!.status).toBe("OPEN");
  });
});

// --- feedback outside surveys ------------------------------------------------------

const CUSTOMER_FEEDBACK = graphql(`query FeedbackOnCustomer($id: ID!) { customer(id: $id) { feedback { edges { node { kind } } } } }`);

describe("feedback outside surveys", () => {
  graphql(
    `fragment FeedbackFields on Feedback { kind comment customer { id } dealer { id } unit { id } product { id } reading { language themes sentiment } }`,
  );
  const RECORD = graphql(`mutation FeedbackRecord($input: RecordFeedbackInput!) {
    recordFeedback(input: $input) { feedback { ...FeedbackFields } errors { code field message } } }`);
  const record = (client: Client, input: RecordFeedbackInput) => client.query(RECORD, { input });

  it("reads a complaint about a unit for themes and sentiment, and shows it on the customer and the dealer", async () => {
    const customerId = await newCustomer();
    const unit = await soldUnit(graph, { productId, dealerId, customerId, soldOn: realToday() });
    await graph.settle();
    const dealer = graph.as({ role: "DEALER", dealerId });
    const { recordFeedback } = await record(dealer, {
      kind: "COMPLAINT",
      unitId: unit.id,
      comment: "Die Maschine ist undicht und sehr laut. Bitte rufen Sie mich an: +49 30 1234567 oder anna@example.com",
    });
    expect(recordFeedback.errors).toEqual([]);
    expect(recordFeedback.feedback).toMatchObject({
      kind: "COMPLAINT",
      customer: { id: customerId },
      dealer: { id: dealerId },
      unit: { id: unit.id },
      product: { id: productId },
      reading: { language: "de", sentiment: "NEGATIVE", themes: expect.arrayContaining(["LEAK", "NOISE"]) },
    });

    const onCustomer = await dealer.query(CUSTOMER_FEEDBACK, { id: customerId });
    expect(onCustomer.customer!.feedback.edges.map((e) => e.node.kind)).toEqual(["COMPLAINT"]);
    const onDealer = await graph.query(
      graphql(`query FeedbackOnDealer($id: ID!) { dealer(id: $id) { feedback(first: 50) { edges { node { kind unit { id } } } } } }`),
      { id: dealerId },
    );
    expect(onDealer.dealer!.feedback.edges.map((e) => e.node.unit?.id)).toContain(unit.id);

    // an ANALYST reads the comment without whom it came from
    const analyst = await graph
      .as({ role: "ANALYST" })
      .query(
        graphql(
          `query FeedbackLeaks($productId: ID!) { feedback(filter: { productId: $productId, themes: [LEAK] }) { edges { node { ...FeedbackFields } } } }`,
        ),
        {
          productId,
        },
      );
    const seen = analyst.feedback.edges[0]!.node;
    expect(seen.customer).toBeNull();
    expect(seen.comment).toBe("Die Maschine ist undicht und sehr laut. Bitte rufen Sie mich an: [phone] oder [email]");
  });

  it("records feedback sent twice with one idempotency key once, and refuses the key with another input", async () => {
    const customerId = await newCustomer();
    const unit = await soldUnit(graph, { productId, dealerId, customerId, soldOn: realToday() });
    await graph.settle();
    const dealer = graph.as({ role: "DEALER", dealerId });
    const input: RecordFeedbackInput = { idempotencyKey: `crm-${tag()}`, kind: "SUGGESTION", unitId: unit.id, comment: "A bigger water tank would help." };
    const save = (given: RecordFeedbackInput) =>
      dealer.query(graphql(`mutation FeedbackSave($input: RecordFeedbackInput!) { recordFeedback(input: $input) { feedback { id } errors { code } } }`), {
        input: given,
      });

    const first = await save(input);
    const retry = await save(input);
    const reused = await save({ ...input, comment: "Something else entirely." });

    expect(retry.recordFeedback.feedback!.id).toBe(first.recordFeedback.feedback!.id);
    expect(reused.recordFeedback.errors.map((e) => e.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    const onCustomer = await dealer.query(CUSTOMER_FEEDBACK, { id: customerId });
    expect(onCustomer.customer!.feedback.edges).toHaveLength(1);
  });

  it("refuses feedback without exactly one subject, about what the caller may not see, or from the wrong customer", async () => {
    const customerId = await newCustomer();
    const stranger = graph.as({ role: "DEALER", dealerId: (await createDealer(graph)).id });
    const unit = await soldUnit(graph, { productId, dealerId, customerId, soldOn: realToday() });
    const otherCustomer = await newCustomer();
    const codes = async (client: Client, input: RecordFeedbackInput) => (await record(client, input)).recordFeedback.errors.map((e) => e.code);

    expect(await codes(graph, { kind: "PRAISE", comment: "Great", customerId })).toEqual(["SUBJECT_REQUIRED"]);
    expect(await codes(graph, { kind: "PRAISE", comment: "Great", unitId: unit.id, productId })).toEqual(["SUBJECT_REQUIRED"]);
    expect(await codes(graph, { kind: "PRAISE", comment: "  ", unitId: unit.id })).toEqual(["REQUIRED"]);
    expect(await codes(graph, { kind: "PRAISE", comment: "Great", unitId: unit.id, language: "xx" })).toEqual(["UNKNOWN_LANGUAGE"]);
    expect(await codes(stranger, { kind: "COMPLAINT", comment: "Broken", unitId: unit.id })).toEqual(["UNIT_NOT_FOUND"]);
    expect(await codes(graph, { kind: "COMPLAINT", comment: "Broken", unitId: unit.id, customerId: otherCustomer })).toEqual(["CUSTOMER_MISMATCH"]);
    expect(await codes(graph, { kind: "SUGGESTION", comment: "A bigger tank", productId })).toEqual(["DEALER_REQUIRED"]);
    const refused = await graph.query(CUSTOMER_FEEDBACK, { id: customerId });
    expect(refused).toEqual({ customer: { feedback: { edges: [] } } });
  });
});

// --- CSAT ----------------------------------------------------------------------

describe("CSAT surveys after a resolution", () => {
  it("opens only once the delay after the resolution has passed, and takes one answer within its scale", async () => {
    // given a ticket resolved now
    const customerId = await newCustomer();
    const ticket = await resolvedTicket(customerId);
    await graph.settle();
    const scheduled = await surveyOf(ticket.id);
    expect(scheduled).toMatchObject({ kind: "CSAT", status: "SCHEDULED", link: null, answer: null });

    // when the scheduler runs an hour before the delay is up, then nothing opens
    advance(23 * HOUR);
    await runSchedule();
    expect((await surveyOf(ticket.id))!.status).toBe("SCHEDULED");

    // when it runs after the delay, then the survey opens with a link, for 14 days
    advance(2 * HOUR);
    await runSchedule();
    const open = (await surveyOf(ticket.id))!;
    expect(open).toMatchObject({ status: "OPEN", scale: { min: 1, max: 5 } });
    // an absolute link on the gateway's public address, to be e-mailed as it is
    expect(tokenOf(open)).toMatch(/^[\w-]{43}$/);
    expect(open.link).toBe(`${new URL(graph.url).origin}/surveys/${tokenOf(open)}`);
    expect(Date.parse(open.expiresAt!) - Date.parse(open.openedAt!)).toBe(14 * DAY * 60_000);

    // a score outside 1–5 is refused and changes nothing
    const tooHigh = await answer(graph, { token: tokenOf(open), score: 6 });
    expect(tooHigh.answerSurvey.errors).toEqual([expect.objectContaining({ code: "SCORE_OUT_OF_RANGE", field: ["score"] })]);
    expect((await surveyOf(ticket.id))!.status).toBe("OPEN");

    // the customer's answer is taken, its comment read
    const answered = await answer(graph, { token: tokenOf(open), score: 5, comment: "Quick repair and a very friendly technician." });
    expect(answered.answerSurvey.errors).toEqual([]);
    expect(answered.answerSurvey.survey).toMatchObject({
      status: "ANSWERED",
      link: null,
      answer: { score: 5, reading: { language: "en", sentiment: "POSITIVE", themes: expect.arrayContaining(["REPAIR_SPEED", "STAFF"]) } },
    });

    // and a second answer is refused, the first kept
    const again = await answer(graph, { token: tokenOf(open), score: 1, comment: "Changed my mind" });
    expect(again.answerSurvey.errors.map((e) => e.code)).toEqual(["ALREADY_ANSWERED"]);
    expect((await surveyOf(ticket.id))!.answer!.score).toBe(5);
  });

  it("never surveys a ticket reopened before its survey opened, not even after its next resolution", async () => {
    // given a resolved ticket whose fix did not hold
    const customerId = await newCustomer();
    const resolved = await resolvedTicket(customerId);
    await graph.settle();
    advance(2 * HOUR);
    const reopened = await moveTicket(graph, resolved, "IN_PROGRESS");
    await graph.settle();

    // when its survey comes due, then it is cancelled
    advance(DAY);
    await runSchedule();
    expect((await surveyOf(resolved.id))!.status).toBe("CANCELLED");

    // and a second resolution asks nothing either
    await moveTicket(graph, reopened, "RESOLVED", { resolution: "Replaced the valve too." });
    await graph.settle();
    advance(2 * DAY);
    await runSchedule();
    const surveys = await surveysOf(customerId);
    expect(surveys.map((s) => [s.kind, s.status])).toEqual([["CSAT", "CANCELLED"]]);
  });

  it("keeps one open survey per customer: the next opens once the first is answered", async () => {
    // given two tickets of one customer resolved at the same time
    const customerId = await newCustomer();
    const first = await resolvedTicket(customerId);
    const second = await resolvedTicket(customerId);
    await graph.settle();

    // when both come due, then only one opens
    advance(DAY + HOUR);
    await runSchedule();
    const statuses = async () => [(await surveyOf(first.id))!.status, (await surveyOf(second.id))!.status].sort();
    expect(await statuses()).toEqual(["OPEN", "SCHEDULED"]);

    // when the open one is answered, then the next run opens the other
    const open = (await surveysOf(customerId)).find((s) => s.status === "OPEN")!;
    expect((await answer(graph, { token: tokenOf(open), score: 3 })).answerSurvey.errors).toEqual([]);
    await runSchedule();
    expect(await statuses()).toEqual(["ANSWERED", "OPEN"]);
  });

  it("expires a survey left unanswered, which then refuses an answer", async () => {
    const customerId = await newCustomer();
    const ticket = await resolvedTicket(customerId);
    await graph.settle();
    advance(DAY + HOUR);
    await runSchedule();
    const open = (await surveyOf(ticket.id))!;

    advance(14 * DAY + HOUR);
    const run = await runSchedule();
    expect(run.expired).toBeGreaterThanOrEqual(1);
    expect((await surveyOf(ticket.id))!.status).toBe("EXPIRED");
    const late = await answer(graph, { token: tokenOf(open), score: 4 });
    expect(late.answerSurvey.errors.map((e) => e.code)).toEqual(["SURVEY_NOT_OPEN"]);
  });

  it("refuses an unknown token, and lets only the survey's own dealer record an answer", async () => {
    const customerId = await newCustomer();
    const ticket = await resolvedTicket(customerId);
    await graph.settle();
    advance(DAY + HOUR);
    await runSchedule();
    const token = tokenOf((await surveyOf(ticket.id))!);

    expect((await answer(graph, { token: `x${tag()}`, score: 3 })).answerSurvey.errors.map((e) => e.code)).toEqual(["SURVEY_NOT_FOUND"]);
    const otherDealer = graph.as({ role: "DEALER", dealerId: (await createDealer(graph)).id });
    expect((await answer(otherDealer, { token, score: 3 })).answerSurvey.errors.map((e) => e.code)).toEqual(["SURVEY_NOT_FOUND"]);
    const analyst = await graph.as({ role: "ANALYST" }).request(ANSWER, { input: { token, score: 3 } });
    expect(analyst.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const own = graph.as({ role: "DEALER", dealerId });
    expect((await answer(own, { token, score: 4, comment: "Told us on the phone: fine." })).answerSurvey.errors).toEqual([]);
  });
});

// --- the survey page ------------------------------------------------------------

describe("the page a survey's link opens", () => {
  it("shows the question without an account, takes one answer within the scale, and then says it was answered", async () => {
    // given an open CSAT survey
    const customerId = await newCustomer();
    const ticket = await resolvedTicket(customerId);
    await graph.settle();
    advance(DAY + HOUR);
    await runSchedule();
    const { link } = (await surveyOf(ticket.id))!;
    const pageUrl = link!;
    const post = (form: Record<string, string>) =>
      fetch(pageUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });

    // when the customer opens the link, with no credential
    const opened = await fetch(pageUrl);
    const html = await opened.text();
    // then the question and the five scores are shown, under the name of the dealer who asks
    expect(opened.status).toBe(200);
    expect(html).toContain(`<h1>${(await namesOf()).dealer}</h1>`);
    expect(html).toContain("How satisfied are you");
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(5);

    // a score outside the scale shows the form again, with the reason and the comment kept
    const wrong = await post({ score: "9", comment: "Fast and friendly" });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain("takes a whole score from 1 to 5");
    expect(wrongHtml).toContain("Fast and friendly</textarea>");

    // the answer is taken once, a pasted control character as the space it looks like
    const sent = await post({ score: "4", comment: "Fast\u000band friendly" });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("Thank you");
    expect((await surveyOf(ticket.id))!.answer).toMatchObject({ score: 4, comment: "Fast and friendly" });
    const again = await post({ score: "1" });
    expect(again.status).toBe(409);
    expect(await (await fetch(pageUrl)).text()).toContain("This survey has been answered");

    // and a link that opens no survey says so
    const unknown = await fetch(new URL(`/surveys/${"A".repeat(43)}`, graph.url));
    expect(unknown.status).toBe(404);
    expect((await fetch(new URL("/surveys/not-a-token", graph.url))).status).toBe(404);
  });

  it("names the dealer who asks as its heading, and the product the survey is about", async () => {
    // given an open post-sale survey about a unit the dealer sold and delivered
    const customerId = await newCustomer();
    await soldUnit(graph, { productId, dealerId, customerId, soldOn: realToday(), deliveredOn: realToday() });
    await graph.settle();
    advance(8 * DAY);
    await runSchedule();
    const [survey] = (await surveysOf(customerId)).filter((s) => s.kind === "POST_SALE" && s.status === "OPEN");
    const { dealer, product } = await namesOf();
    // when the customer opens its link
    const opened = await fetch(survey!.link!);
    const html = await opened.text();
    // then the page is headed by the dealer's name and says which product it asks about
    expect(opened.status).toBe(200);
    expect(html).toContain(`<title>${dealer}</title>`);
    expect(html).toContain(`<h1>${dealer}</h1>`);
    expect(html).toContain(`<p class="about">About your ${product}</p>`);
    expect(html).toContain("How are your first days");
    // and the API gives the same names to whoever may read the survey
    const { survey: read } = await graph.query(graphql(`query FeedbackSurveyNames($id: ID!) { survey(id: $id) { dealerName productName dealer { name } } }`), {
      id: survey!.id,
    });
    expect(read).toEqual({ dealerName: dealer, productName: product, dealer: { name: dealer } });
  });
});

// --- the event catalog ----------------------------------------------------------------

describe("the events about feedback", () => {
  it("take every theme the API can give a comment, and no other", () => {
    // The lexicon's themes are typed as the API's FeedbackTheme; the catalog lists them again for partners.
    const api = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();
    const themes = (api.getType("FeedbackTheme") as GraphQLEnumType).getValues().map((value) => value.name);
    expect(themes.length).toBeGreaterThan(0);
    for (const type of ["survey.answered", "feedback.received"]) {
      const definition = eventDefinition(type, 1)!;
      const example = definition.example as Record<string, unknown>;
      for (const theme of themes) expect(definition.inspect({ ...example, themes: [theme] }), `${type} ${theme}`).not.toHaveProperty("issues");
      expect(definition.inspect({ ...example, themes: ["NOT_A_THEME"] })).toHaveProperty("issues");
    }
  });
});

// --- NPS (last: it moves the clock half a year on) ---------------------------------

describe("NPS surveys", () => {
  it("sends each customer an NPS survey on schedule, scored 0 to 10", async () => {
    // NPS surveys start the given days after a customer became known: 0 here, so at once.
    await setTimings({ npsFirstAfterDays: 0, npsIntervalDays: 180 });
    const customerId = await newCustomer();
    advance(HOUR);
    await runSchedule();
    await runSchedule();
    const nps = (await surveysOf(customerId)).filter((s) => s.kind === "NPS");
    expect(nps.map((s) => s.status)).toEqual(["OPEN"]);
    expect(nps[0]!.scale).toEqual({ min: 0, max: 10 });
    const answered = await answer(graph, { token: tokenOf(nps[0]!), score: 0, comment: "Nie wieder, der Service war unfreundlich." });
    expect(answered.answerSurvey.survey!.answer).toMatchObject({ score: 0, reading: { language: "de", sentiment: "NEGATIVE" } });

    // the next one comes an interval after the first opened, not before
    advance(179 * DAY);
    await runSchedule();
    expect((await surveysOf(customerId)).filter((s) => s.kind === "NPS")).toHaveLength(1);
    advance(2 * DAY);
    await runSchedule();
    expect((await surveysOf(customerId)).filter((s) => s.kind === "NPS").map((s) => s.status)).toEqual(["OPEN", "ANSWERED"]);
    await setTimings({ npsFirstAfterDays: 365 });
  });
});
