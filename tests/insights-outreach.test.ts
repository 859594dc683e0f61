import { addDays, todayUtc } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createContractPlan, createCustomer, createDealer, createProduct, openTicket, setWarrantyPolicy, soldUnit } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import type { OutreachConversionKind, OutreachOutcome } from "./src/generated/graphql.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";
import { assignTicket, moveTicket } from "./src/tickets.js";

/**
 * Outreach insights through the gateway: what the dealers' worklists led to
 * (conversion by reason, dealer and month, revenue of converted offers, time
 * to first contact) and what each relationship level earns (satisfaction,
 * repeat purchases, contract uptake). Every expected figure is computed here
 * from the facts the test created, for an ANALYST and for a DEALER.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  graph?.clock.release();
  await graph?.stop();
});

const CONVERSION = graphql(`query OutreachConversion($filter: OutreachInsightsFilter, $groupBy: OutreachInsightsDimension!, $first: Int, $after: String) {
  outreachInsights(filter: $filter) {
    filter { from to dealerIds reasons }
    conversion(groupBy: $groupBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          group { dimension key label reason dealer { id } }
          figures {
            opened contacted converted contactRate conversionRate revenue { amount currency }
            firstContacts medianHoursToFirstContact p90HoursToFirstContact
          }
        }
      }
    }
  }
}`);

const LEVELS = graphql(`query OutreachLevels($filter: OutreachInsightsFilter) {
  outreachInsights(filter: $filter) {
    relationshipLevels {
      level
      customers
      satisfaction { csatResponses csatAverage csatSatisfiedShare npsResponses promoters passives detractors nps }
      repeatPurchases { buyers repeatBuyers repeatRate }
      contractUptake { owners ownersUnderContract customerShare units unitsUnderContract unitShare }
    }
  }
}`);

const WORKLIST = graphql(`query InsightWorklist($dealerId: ID, $filter: OutreachFilter) {
  outreachWorklist(dealerId: $dealerId, filter: $filter) { edges { node { id version customer { id } openedAt } } }
}`);

const RECORD = graphql(`mutation InsightOutcome($input: RecordOutreachOutcomeInput!) {
  recordOutreachOutcome(input: $input) { item { version } errors { code field } }
}`);

const COMPLAIN = graphql(`mutation InsightComplaint($input: RecordFeedbackInput!) { recordFeedback(input: $input) { errors { code } } }`);
const PURCHASE = graphql(`mutation InsightPurchase($input: RecordConsumablePurchaseInput!) {
  recordConsumablePurchase(input: $input) { purchase { id } errors { code } }
}`);
const TIMINGS = graphql(`mutation InsightTimings($input: SetSurveyTimingsInput!) { setSurveyTimings(input: $input) { errors { code } } }`);
const SURVEYS = graphql(`query InsightSurveys($filter: SurveyFilter) { surveys(filter: $filter) { edges { node { id link } } } }`);
const ANSWER = graphql(`mutation InsightAnswer($input: AnswerSurveyInput!) { answerSurvey(input: $input) { errors { code } } }`);
const ACTIVATE = graphql(`mutation InsightActivate($input: ActivateServiceContractInput!) { activateServiceContract(input: $input) { errors { code } } }`);

// ---------------------------------------------------------------------------
// Expected figures, computed from the facts
// ---------------------------------------------------------------------------

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: readonly number[], fraction: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

const share = (part: number, whole: number) => (whole ? part / whole : null);

/** Amounts in cents, summed per currency and written with two decimals. */
function revenueOf(prices: readonly { cents: number; currency: string }[]) {
  const byCurrency = new Map<string, number>();
  for (const price of prices) byCurrency.set(price.currency, (byCurrency.get(price.currency) ?? 0) + price.cents);
  return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ amount: (cents / 100).toFixed(2), currency }));
}

/** One item as the test worked it. */
interface ItemFact {
  dealerId: string;
  reason: string;
  reached: boolean;
  converted: boolean;
  /** The converted offer's price. */
  price: { cents: number; currency: string } | null;
  /** Hours from opening to the first outcome; null when none was recorded. */
  firstHours: number | null;
}

function conversionOf(facts: readonly ItemFact[]) {
  const hours = facts.flatMap((fact) => (fact.firstHours === null ? [] : [fact.firstHours]));
  const converted = facts.filter((fact) => fact.converted);
  return {
    opened: facts.length,
    contacted: facts.filter((fact) => fact.reached).length,
    converted: converted.length,
    contactRate: share(facts.filter((fact) => fact.reached).length, facts.length),
    conversionRate: share(converted.length, facts.length),
    revenue: revenueOf(converted.flatMap((fact) => (fact.price ? [fact.price] : []))),
    firstContacts: hours.length,
    medianHoursToFirstContact: percentile(hours, 0.5),
    p90HoursToFirstContact: percentile(hours, 0.9),
  };
}

type Figures = ReturnType<typeof conversionOf>;

/** Figures as read, floats compared to 9 places (SQL's epoch arithmetic). */
function close(figures: Figures): Figures {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1e9) / 1e9);
  return {
    ...figures,
    contactRate: round(figures.contactRate),
    conversionRate: round(figures.conversionRate),
    medianHoursToFirstContact: round(figures.medianHoursToFirstContact),
    p90HoursToFirstContact: round(figures.p90HoursToFirstContact),
  };
}

// ---------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------

describe("outreach conversion insights", () => {
  const facts: ItemFact[] = [];
  let north: { id: string; client: Client };
  let south: { id: string; client: Client };
  const month = todayUtc().slice(0, 7);

  async function activeDealer() {
    const dealer = await createDealer(graph, { outreach: { defaultRelationshipLevel: "ACTIVE", contactIntervalDays: 30 } });
    return { id: dealer.id, client: graph.as({ role: "DEALER", dealerId: dealer.id }) };
  }

  async function complaint(customerId: string, productId: string) {
    const { recordFeedback } = await graph.query(COMPLAIN, {
      input: { kind: "COMPLAINT", customerId, productId, comment: "It leaks and nobody called back.", language: "en" },
    });
    expect(recordFeedback.errors).toEqual([]);
  }

  async function purchase(customerId: string, productId: string, dealerId: string, quantity: number) {
    const { recordConsumablePurchase } = await graph.query(PURCHASE, {
      input: { customerId, productId, dealerId, quantity, purchasedOn: todayUtc() },
    });
    expect(recordConsumablePurchase.errors).toEqual([]);
    return recordConsumablePurchase.purchase!.id;
  }

  /** The customer's one open item on the dealer's worklist. */
  async function itemOf(dealer: { id: string; client: Client }, customerId: string) {
    const { outreachWorklist } = await dealer.client.query(WORKLIST, { filter: { customerId } });
    expect(outreachWorklist.edges).toHaveLength(1);
    return outreachWorklist.edges[0]!.node;
  }

  /**
   * Records `outcomes` on the customer's item, each `hours` after the item
   * was opened (the graph's clock set there), and keeps what they make of it.
   */
  async function work(
    dealer: { id: string; client: Client },
    customerId: string,
    reason: string,
    outcomes: { outcome: OutreachOutcome; hours: number; conversion?: { kind: OutreachConversionKind; id: string } }[],
    price: { cents: number; currency: string } | null = null,
  ) {
    const item = await itemOf(dealer, customerId);
    let version = item.version;
    for (const step of outcomes) {
      graph.clock.set(new Date(Date.parse(item.openedAt) + step.hours * 3_600_000));
      const { recordOutreachOutcome } = await dealer.client.query(RECORD, {
        input: { itemId: item.id, version, outcome: step.outcome, channel: "PHONE", ...(step.conversion ? { conversion: step.conversion } : {}) },
      });
      expect(recordOutreachOutcome.errors).toEqual([]);
      version = recordOutreachOutcome.item!.version;
    }
    graph.clock.release();
    const last = outcomes.at(-1)?.outcome ?? "OPEN";
    facts.push({
      dealerId: dealer.id,
      reason,
      reached: ["CONTACTED", "DECLINED", "CONVERTED"].includes(last),
      converted: last === "CONVERTED",
      price: last === "CONVERTED" ? price : null,
      firstHours: outcomes[0]?.hours ?? null,
    });
  }

  beforeAll(async () => {
    north = await activeDealer();
    south = await activeDealer();
    const machine = await createProduct(graph);
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee", listPrice: { amount: "12.35", currency: "EUR" } });
    const capsules = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee", listPrice: { amount: "7.10", currency: "EUR" } });
    const filters = await createProduct(graph, { kind: "CONSUMABLE", category: "filters", listPrice: { amount: "5.99", currency: "USD" } });
    const customers = await Promise.all(Array.from({ length: 7 }, (_, i) => createCustomer(graph, i < 6 ? north.id : south.id)));
    const [c1, c2, c3, c4, c5, c6, s1] = customers.map((customer) => customer.id) as [string, string, string, string, string, string, string];
    await graph.settle();

    // given complaints and refills on two dealers' worklists
    await complaint(c1, machine.id);
    await complaint(c2, machine.id);
    await complaint(c5, machine.id);
    await complaint(s1, machine.id);
    const beansBought = await purchase(c3, beans.id, north.id, 2);
    const capsulesBought = await purchase(c4, capsules.id, north.id, 3);
    const filtersBought = await purchase(c6, filters.id, north.id, 1);
    await graph.settle();

    // when the dealers work them
    await work(north, c1, "COMPLAINT", [{ outcome: "CONTACTED", hours: 2 }]);
    await work(north, c2, "COMPLAINT", [
      { outcome: "NO_ANSWER", hours: 0.5 },
      { outcome: "DECLINED", hours: 4 },
    ]);
    await work(north, c5, "COMPLAINT", []);
    await work(north, c3, "REFILL_DUE", [{ outcome: "CONVERTED", hours: 6, conversion: { kind: "PURCHASE", id: beansBought } }], {
      cents: 2 * 1235,
      currency: "EUR",
    });
    await work(north, c4, "REFILL_DUE", [{ outcome: "CONVERTED", hours: 1.25, conversion: { kind: "PURCHASE", id: capsulesBought } }], {
      cents: 3 * 710,
      currency: "EUR",
    });
    await work(north, c6, "REFILL_DUE", [{ outcome: "CONVERTED", hours: 30, conversion: { kind: "PURCHASE", id: filtersBought } }], {
      cents: 599,
      currency: "USD",
    });
    await work(south, s1, "COMPLAINT", [{ outcome: "NOT_APPLICABLE", hours: 9 }]);
  });

  const ofDealer = (dealerId: string) => facts.filter((fact) => fact.dealerId === dealerId);

  it("counts a dealer's items opened, reached and converted, the converted offers' revenue per currency, and the hours to a first outcome", async () => {
    const analyst = graph.as({ role: "ANALYST" });
    const { outreachInsights } = await analyst.query(CONVERSION, { filter: { dealerIds: [north.id] }, groupBy: "TOTAL" });
    expect(outreachInsights.conversion.totalCount).toBe(1);
    const [total] = outreachInsights.conversion.edges;
    expect(total!.node.group).toEqual({ dimension: "TOTAL", key: "total", label: "total", reason: null, dealer: null });
    expect(close(total!.node.figures)).toEqual(close(conversionOf(ofDealer(north.id))));
    // The decimals are exact: 24.70 + 21.30 EUR, and 5.99 USD apart.
    expect(total!.node.figures.revenue).toEqual([
      { amount: "46.00", currency: "EUR" },
      { amount: "5.99", currency: "USD" },
    ]);
  });

  it("groups by reason, largest first, a page at a time, with the same number of statements for any page size", async () => {
    const analyst = graph.as({ role: "ANALYST" });
    const filter = { dealerIds: [north.id] };
    const first = await analyst.query(CONVERSION, { filter, groupBy: "REASON", first: 1 });
    expect(first.outreachInsights.conversion.totalCount).toBe(2);
    expect(first.outreachInsights.conversion.pageInfo.hasNextPage).toBe(true);
    const next = await analyst.query(CONVERSION, { filter, groupBy: "REASON", first: 1, after: first.outreachInsights.conversion.pageInfo.endCursor });
    expect(next.outreachInsights.conversion.pageInfo.hasNextPage).toBe(false);
    const groups = [...first.outreachInsights.conversion.edges, ...next.outreachInsights.conversion.edges].map((edge) => edge.node);
    const reasons = ["COMPLAINT", "REFILL_DUE"]; // 3 items, then 3: equal sizes go by key
    expect(groups.map((group) => [group.group.key, group.group.reason])).toEqual(reasons.map((reason) => [reason, reason]));
    for (const group of groups) {
      expect(close(group.figures)).toEqual(close(conversionOf(ofDealer(north.id).filter((fact) => fact.reason === group.group.key))));
    }

    const one = await graph.countStatements(() => analyst.query(CONVERSION, { filter, groupBy: "REASON", first: 1 }));
    const two = await graph.countStatements(() => analyst.query(CONVERSION, { filter, groupBy: "REASON", first: 2 }));
    expect(two.statements.outreach).toBe(one.statements.outreach);
  });

  it("groups by dealer and by month, and leaves out items opened outside the period", async () => {
    const analyst = graph.as({ role: "ANALYST" });
    const both = { dealerIds: [north.id, south.id] };
    const byDealer = await analyst.query(CONVERSION, { filter: both, groupBy: "DEALER" });
    expect(byDealer.outreachInsights.conversion.edges.map((edge) => [edge.node.group.key, edge.node.group.dealer?.id])).toEqual([
      [north.id, north.id],
      [south.id, south.id],
    ]);
    for (const { node } of byDealer.outreachInsights.conversion.edges) {
      expect(close(node.figures)).toEqual(close(conversionOf(ofDealer(node.group.key))));
    }

    const byMonth = await analyst.query(CONVERSION, { filter: { ...both, from: todayUtc(), to: todayUtc() }, groupBy: "MONTH" });
    expect(byMonth.outreachInsights.conversion.edges.map((edge) => edge.node.group.key)).toEqual([month]);
    expect(close(byMonth.outreachInsights.conversion.edges[0]!.node.figures)).toEqual(close(conversionOf(facts)));

    const before = await analyst.query(CONVERSION, { filter: { ...both, to: addDays(todayUtc(), -1) }, groupBy: "MONTH" });
    expect(before.outreachInsights.conversion).toMatchObject({ totalCount: 0, edges: [] });
    const refills = await analyst.query(CONVERSION, { filter: { ...both, reasons: ["REFILL_DUE"] }, groupBy: "TOTAL" });
    expect(close(refills.outreachInsights.conversion.edges[0]!.node.figures)).toEqual(
      close(conversionOf(facts.filter((fact) => fact.reason === "REFILL_DUE"))),
    );
  });

  it("shows a DEALER its own figures only, whatever dealers it names", async () => {
    const { outreachInsights } = await south.client.query(CONVERSION, { filter: { dealerIds: [north.id] }, groupBy: "DEALER" });
    expect(outreachInsights.filter.dealerIds).toEqual([south.id]);
    expect(outreachInsights.conversion.edges.map((edge) => edge.node.group.key)).toEqual([south.id]);
    expect(close(outreachInsights.conversion.edges[0]!.node.figures)).toEqual(close(conversionOf(ofDealer(south.id))));

    const own = await north.client.query(CONVERSION, { groupBy: "TOTAL" });
    expect(close(own.outreachInsights.conversion.edges[0]!.node.figures)).toEqual(close(conversionOf(ofDealer(north.id))));
  });

  it("refuses a period that ends before it starts", async () => {
    const refused = await graph.as({ role: "ANALYST" }).request(CONVERSION, { filter: { from: "2026-03-02", to: "2026-03-01" }, groupBy: "TOTAL" });
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

// ---------------------------------------------------------------------------
// By relationship level
// ---------------------------------------------------------------------------

describe("insights by relationship level", () => {
  /** One customer as the test made them. */
  interface CustomerFact {
    level: string;
    csat: number[];
    nps: number[];
    /** Days of the units sold to them and the consumables they bought. */
    purchaseDays: string[];
    units: number;
    covered: number;
  }
  const customers: CustomerFact[] = [];
  let dealer: { id: string; client: Client };
  const today = todayUtc();

  function expectedLevels(facts: readonly CustomerFact[], options: { answers: boolean }) {
    return ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"].map((level) => {
      const at = facts.filter((fact) => fact.level === level);
      const csat = options.answers ? at.flatMap((fact) => fact.csat) : [];
      const nps = options.answers ? at.flatMap((fact) => fact.nps) : [];
      const promoters = nps.filter((score) => score >= 9).length;
      const detractors = nps.filter((score) => score <= 6).length;
      const buyers = at.filter((fact) => fact.purchaseDays.length > 0);
      const repeat = buyers.filter((fact) => new Set(fact.purchaseDays).size > 1);
      const owners = at.filter((fact) => fact.units > 0);
      const units = owners.reduce((sum, fact) => sum + fact.units, 0);
      const covered = owners.reduce((sum, fact) => sum + fact.covered, 0);
      return {
        level,
        customers: at.length,
        satisfaction: {
          csatResponses: csat.length,
          csatAverage: csat.length ? csat.reduce((a, b) => a + b, 0) / csat.length : null,
          csatSatisfiedShare: share(csat.filter((score) => score >= 4).length, csat.length),
          npsResponses: nps.length,
          promoters,
          passives: nps.length - promoters - detractors,
          detractors,
          nps: nps.length ? ((promoters - detractors) * 100) / nps.length : null,
        },
        repeatPurchases: { buyers: buyers.length, repeatBuyers: repeat.length, repeatRate: share(repeat.length, buyers.length) },
        contractUptake: {
          owners: owners.length,
          ownersUnderContract: owners.filter((fact) => fact.covered > 0).length,
          customerShare: share(owners.filter((fact) => fact.covered > 0).length, owners.length),
          units,
          unitsUnderContract: covered,
          unitShare: share(covered, units),
        },
      };
    });
  }

  async function answerOpen(customerId: string, kind: "CSAT" | "NPS", score: number) {
    const { surveys } = await graph.query(SURVEYS, { filter: { customerId, kinds: [kind], statuses: ["OPEN"] } });
    expect(surveys.edges).toHaveLength(1);
    const { answerSurvey } = await graph.query(ANSWER, { input: { token: surveyToken(surveys.edges[0]!.node.link!), score } });
    expect(answerSurvey.errors).toEqual([]);
  }

  beforeAll(async () => {
    const made = await createDealer(graph);
    dealer = { id: made.id, client: graph.as({ role: "DEALER", dealerId: made.id }) };
    const machine = await createProduct(graph);
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
    const customer = async (level: string) => (await createCustomer(graph, dealer.id, { relationshipLevel: level })).id;
    const a1 = await customer("ACTIVE");
    const a2 = await customer("ACTIVE");
    const r1 = await customer("RESPONSIBLE");
    const b1 = await customer("BASIC");
    const b2 = await customer("BASIC");
    await graph.settle();
    await setWarrantyPolicy(graph, machine.id);
    const plan = await createContractPlan(graph);

    // given purchases: a1 a unit and beans later, a2 one unit, r1 beans twice the same day, b2 two units on two days
    const unit = (customerId: string, soldOn: string) => soldUnit(graph, { productId: machine.id, dealerId: dealer.id, customerId, soldOn });
    const a1Unit = await unit(a1, addDays(today, -100));
    await unit(a2, addDays(today, -50));
    const b2First = await unit(b2, addDays(today, -30));
    await unit(b2, addDays(today, -20));
    const buy = async (customerId: string, purchasedOn: string) => {
      const { recordConsumablePurchase } = await graph.query(PURCHASE, {
        input: { customerId, productId: beans.id, dealerId: dealer.id, quantity: 1, purchasedOn },
      });
      expect(recordConsumablePurchase.errors).toEqual([]);
    };
    await buy(a1, addDays(today, -10));
    await buy(r1, addDays(today, -5));
    await buy(r1, addDays(today, -5));
    await graph.settle();

    // and a contract on a1's unit
    const contract = await create(graph, "createServiceContract", "contract", {
      dealerId: dealer.id,
      planId: plan.id,
      customerId: a1,
      unitIds: [a1Unit.id],
      startsOn: today,
    });
    const { activateServiceContract } = await graph.query(ACTIVATE, { input: contract });
    expect(activateServiceContract.errors).toEqual([]);

    // and CSAT answers about resolved repairs (a1: 5, b2: 2), then NPS answers
    await graph.query(TIMINGS, { input: { csatDelayHours: 0, npsFirstAfterDays: 0, answerWithinDays: 60 } });
    for (const [customerId, unitId] of [
      [a1, a1Unit.id],
      [b2, b2First.id],
    ] as const) {
      const ticket = await openTicket(graph, customerId, { unitId });
      const assigned = await assignTicket(graph, ticket, dealer.id);
      await moveTicket(graph, await moveTicket(graph, assigned, "IN_PROGRESS"), "RESOLVED");
    }
    await graph.settle();
    await runSurveySchedule(graph);
    await answerOpen(a1, "CSAT", 5);
    await answerOpen(b2, "CSAT", 2);
    await graph.settle();
    await runSurveySchedule(graph);
    await answerOpen(a1, "NPS", 9);
    await answerOpen(a2, "NPS", 8);
    await answerOpen(r1, "NPS", 3);
    await answerOpen(b1, "NPS", 10);
    await graph.settle();

    customers.push(
      { level: "ACTIVE", csat: [5], nps: [9], purchaseDays: [addDays(today, -100), addDays(today, -10)], units: 1, covered: 1 },
      { level: "ACTIVE", csat: [], nps: [8], purchaseDays: [addDays(today, -50)], units: 1, covered: 0 },
      { level: "RESPONSIBLE", csat: [], nps: [3], purchaseDays: [addDays(today, -5), addDays(today, -5)], units: 0, covered: 0 },
      { level: "BASIC", csat: [], nps: [10], purchaseDays: [], units: 0, covered: 0 },
      { level: "BASIC", csat: [2], nps: [], purchaseDays: [addDays(today, -30), addDays(today, -20)], units: 2, covered: 0 },
    );
  });

  it("compares satisfaction, repeat purchases and contract uptake per level, every level in order, for an ANALYST and the DEALER alike", async () => {
    const expected = expectedLevels(customers, { answers: true });
    const analyst = await graph.as({ role: "ANALYST" }).query(LEVELS, { filter: { dealerIds: [dealer.id] } });
    expect(analyst.outreachInsights.relationshipLevels).toEqual(expected);
    const own = await dealer.client.query(LEVELS, {});
    expect(own.outreachInsights.relationshipLevels).toEqual(expected);
  });

  it("counts survey answers in the period only, and shows another DEALER none of these customers", async () => {
    const before = await graph.as({ role: "ANALYST" }).query(LEVELS, { filter: { dealerIds: [dealer.id], to: addDays(today, -1) } });
    expect(before.outreachInsights.relationshipLevels).toEqual(expectedLevels(customers, { answers: false }));

    const other = await createDealer(graph);
    const foreign = await graph.as({ role: "DEALER", dealerId: other.id }).query(LEVELS, { filter: { dealerIds: [dealer.id] } });
    expect(foreign.outreachInsights.relationshipLevels).toEqual(expectedLevels([], { answers: true }));
  });
});
