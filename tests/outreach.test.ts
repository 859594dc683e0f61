import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxEvents } from "./src/events.js";
import { create, createContractPlan, createCustomer, createDealer, createProduct, setWarrantyPolicy, soldUnit, tag } from "./src/factories.js";
import { runSurveySchedule, surveyToken } from "./src/feedback.js";
import { graphql } from "./src/generated/index.js";
import type {
  OutreachItemFieldsFragment,
  OutreachStatus,
  OutreachWorklistQueryVariables,
  RecordOutreachOutcomeInput,
  UpdateCustomerInput,
} from "./src/generated/graphql.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";

/**
 * A dealer's outreach worklist, through the gateway: the reasons the other
 * subgraphs' facts raise, what the customer's relationship level lets
 * through, suppression (consent, one contact per interval, covered units),
 * the outcomes a dealer records, and items the facts close.
 */

let graph: TestGraph;
let handle: DatabaseHandle;
beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
  // Post-sale surveys open the day of the delivery, so a test can answer one at once; no NPS surveys get in the way.
  await graph.query(
    graphql(`mutation OutreachSurveyTimings { setSurveyTimings(input: { postSaleDelayDays: 0, npsFirstAfterDays: 365 }) { errors { code } } }`),
  );
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

const today = () => todayUtc();

graphql(`fragment OutreachItemFields on OutreachItem {
  id version dealer { id } customer { id } status reason priority dueOn overdue channels attempts closedBecause
  reasons { kind priority dueOn explanation facts { name value } offer { kind product { id } description price { amount currency } }
            unit { id } product { id } survey { id } feedback { id } }
  outcome { outcome channel note recordedBy conversion { kind id } } }`);
type Item = OutreachItemFieldsFragment;

const WORKLIST = graphql(`query OutreachWorklist($dealerId: ID, $filter: OutreachFilter, $first: Int, $after: String) {
  outreachWorklist(dealerId: $dealerId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { ...OutreachItemFields } } pageInfo { hasNextPage endCursor } totalCount
  }
}`);

async function worklist(client: Client, variables: OutreachWorklistQueryVariables = {}) {
  return (await client.query(WORKLIST, variables)).outreachWorklist;
}

/** A customer's items on the home dealer's worklist, in every status. */
async function itemsOf(dealerId: string, customerId: string, statuses: OutreachStatus[] = ["OPEN"]): Promise<Item[]> {
  const list = await worklist(graph, { dealerId, filter: { customerId, statuses } });
  return list.edges.map((edge) => edge.node);
}

const RECORD = graphql(`mutation OutreachRecordOutcome($input: RecordOutreachOutcomeInput!) {
  recordOutreachOutcome(input: $input) { item { ...OutreachItemFields } errors { code field message } } }`);

async function record(client: Client, input: RecordOutreachOutcomeInput) {
  return (await client.query(RECORD, { input })).recordOutreachOutcome;
}

/** A dealer whose customers start at `level`, contacted at most every `interval` days. */
async function dealerAt(level = "ACTIVE", interval = 30) {
  const dealer = await createDealer(graph, { outreach: { defaultRelationshipLevel: level, contactIntervalDays: interval } });
  return { id: dealer.id, client: graph.as({ role: "DEALER", dealerId: dealer.id }) };
}

async function complaint(customerId: string, productId: string, comment = "The machine leaks and nobody called back.") {
  const { recordFeedback } = await graph.query(
    graphql(`mutation OutreachComplaint($input: RecordFeedbackInput!) { recordFeedback(input: $input) { feedback { id } errors { code field } } }`),
    { input: { kind: "COMPLAINT", customerId, productId, comment, language: "en" } },
  );
  expect(recordFeedback.errors).toEqual([]);
  return recordFeedback.feedback!.id;
}

async function purchase(customerId: string, productId: string, dealerId: string, purchasedOn: string, quantity = 1) {
  const { recordConsumablePurchase } = await graph.query(
    graphql(`mutation OutreachPurchase($input: RecordConsumablePurchaseInput!) {
      recordConsumablePurchase(input: $input) { purchase { id } errors { code field } } }`),
    { input: { customerId, productId, dealerId, quantity, purchasedOn } },
  );
  expect(recordConsumablePurchase.errors).toEqual([]);
  return recordConsumablePurchase.purchase!;
}

/** Answers the customer's open post-sale survey with `score`. */
async function answerPostSaleSurvey(customerId: string, score: number) {
  await runSurveySchedule(graph);
  const { surveys } = await graph.query(
    graphql(`query OutreachSurveys($filter: SurveyFilter) { surveys(filter: $filter) { edges { node { id kind status link } } } }`),
    { filter: { customerId, kinds: ["POST_SALE"], statuses: ["OPEN"] } },
  );
  const open = surveys.edges[0]!.node;
  const { answerSurvey } = await graph.query(
    graphql(`mutation OutreachAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { errors { code field } } }`),
    { input: { token: surveyToken(open.link!), score, comment: score <= 2 ? "It arrived scratched and rattles." : "All good." } },
  );
  expect(answerSurvey.errors).toEqual([]);
  return open.id;
}

const CHANGE_LIFECYCLE = graphql(`mutation OutreachChangeLifecycle($input: ChangeProductLifecycleInput!) {
  changeProductLifecycle(input: $input) { errors { code field } } }`);

let equipment: { id: string } | null = null;
/** One piece of equipment for tests that only need something to complain about. */
async function someProduct() {
  equipment ??= await createProduct(graph);
  return equipment;
}

describe("reasons to contact a customer", () => {
  it("calls back a complaint within a day, on the home dealer's worklist", async () => {
    // given a RESPONSIBLE customer
    const dealer = await dealerAt("RESPONSIBLE");
    const customer = await createCustomer(graph, dealer.id);
    const product = await someProduct();
    // when the customer complains
    const feedbackId = await complaint(customer.id, product.id);
    await graph.settle();
    // then
    const { edges } = await worklist(dealer.client);
    expect(edges).toHaveLength(1);
    const item = edges[0]!.node;
    expect(item).toMatchObject({
      dealer: { id: dealer.id },
      customer: { id: customer.id },
      status: "OPEN",
      reason: "COMPLAINT",
      priority: "HIGH",
      dueOn: addDays(today(), 1),
      overdue: false,
      channels: ["PHONE", "EMAIL"],
      attempts: 0,
      outcome: null,
    });
    expect(item.reasons).toEqual([
      expect.objectContaining({
        kind: "COMPLAINT",
        feedback: { id: feedbackId },
        product: { id: product.id },
        offer: null,
        facts: expect.arrayContaining([{ name: "receivedOn", value: today() }]),
      }),
    ]);
  });

  it("checks in a week after a delivery, and closes the check-in itself when the post-sale survey was answered", async () => {
    // given a RESPONSIBLE customer whose unit was delivered today
    const dealer = await dealerAt("RESPONSIBLE");
    const customer = await createCustomer(graph, dealer.id);
    const product = await someProduct();
    const unit = await soldUnit(graph, {
      productId: product.id,
      dealerId: dealer.id,
      customerId: customer.id,
      soldOn: addDays(today(), -3),
      deliveredOn: today(),
    });
    await graph.settle();
    // then a check-in comes due in a week
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item).toMatchObject({ reason: "POST_SALE_CHECK_IN", priority: "MEDIUM", dueOn: addDays(today(), 7), status: "OPEN" });
    expect(item!.reasons[0]).toMatchObject({ unit: { id: unit.id }, facts: expect.arrayContaining([{ name: "deliveredOn", value: today() }]) });

    // when the customer answers the post-sale survey contentedly
    await answerPostSaleSurvey(customer.id, 4);
    await graph.settle();
    // then nobody needs to call: the item closed itself
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, customer.id, ["MOOT"]);
    expect(closed).toMatchObject({ id: item!.id, status: "MOOT", closedBecause: "The customer answered the post-sale survey." });
  });

  it("calls back a detractor, and merges the check-in the low answer made moot no more", async () => {
    // given a delivered unit and its check-in
    const dealer = await dealerAt("RESPONSIBLE");
    const customer = await createCustomer(graph, dealer.id);
    const product = await someProduct();
    await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: customer.id, soldOn: addDays(today(), -3), deliveredOn: today() });
    await graph.settle();
    const [checkIn] = await itemsOf(dealer.id, customer.id);
    // when the customer answers the post-sale survey with 1 of 5
    const surveyId = await answerPostSaleSurvey(customer.id, 1);
    await graph.settle();
    // then the same item now calls back a detractor, within two days
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item).toMatchObject({ id: checkIn!.id, reason: "DETRACTOR", priority: "HIGH", dueOn: addDays(today(), 2) });
    expect(item!.reasons.map((r) => r.kind)).toEqual(["DETRACTOR"]);
    expect(item!.reasons[0]).toMatchObject({
      survey: { id: surveyId },
      facts: expect.arrayContaining([
        { name: "score", value: "1" },
        { name: "surveyKind", value: "POST_SALE" },
      ]),
    });
  });

  it("offers the refill a week before a consumable runs out, priced as last bought, and moves on when it is bought", async () => {
    // given an ACTIVE customer buying 2 packs of a consumable that lasts 30 days a pack
    const dealer = await dealerAt("ACTIVE");
    const customer = await createCustomer(graph, dealer.id);
    const beans = await createProduct(graph, {
      kind: "CONSUMABLE",
      category: "coffee",
      listPrice: { amount: "14.90", currency: "EUR" },
      replenishmentCycleDays: 30,
    });
    const first = addDays(today(), -10);
    await purchase(customer.id, beans.id, dealer.id, first, 2);
    await graph.settle();
    // then
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item).toMatchObject({ reason: "REFILL_DUE", priority: "MEDIUM", dueOn: addDays(first, 60 - 7) });
    expect(item!.reasons[0]).toMatchObject({
      kind: "REFILL_DUE",
      product: { id: beans.id },
      offer: { kind: "REFILL", product: { id: beans.id }, price: { amount: "29.80", currency: "EUR" } },
      facts: expect.arrayContaining([
        { name: "runsOutOn", value: addDays(first, 60) },
        { name: "quantity", value: "2" },
      ]),
    });

    // when the customer buys again (one pack, today)
    const second = await purchase(customer.id, beans.id, dealer.id, today(), 1);
    await graph.settle();
    // then the first refill is moot and the next one is offered in its place
    const [after] = await itemsOf(dealer.id, customer.id);
    expect(after!.id).toBe(item!.id);
    expect(after!.reasons).toHaveLength(1);
    expect(after!.reasons[0]!.facts).toEqual(expect.arrayContaining([{ name: "lastPurchasedOn", value: today() }]));
    expect(second.id).toMatch(/^cpu_/);
  });

  it("offers a discontinued product's successor, and the successor again when its parts run out within a year, in one item", async () => {
    // given an ACTIVE customer owning a unit of a product about to be discontinued
    const dealer = await dealerAt("ACTIVE");
    const customer = await createCustomer(graph, dealer.id);
    const old = await createProduct(graph);
    const successor = await createProduct(graph, { listPrice: { amount: "1249.00", currency: "EUR" } });
    const unit = await soldUnit(graph, { productId: old.id, dealerId: dealer.id, customerId: customer.id, soldOn: "2025-03-01" });
    // when it is discontinued a month ago with a successor and parts for one year
    const discontinuedOn = addDays(today(), -30);
    const { changeProductLifecycle } = await graph.query(CHANGE_LIFECYCLE, {
      input: {
        productId: old.id,
        version: old.version,
        stage: "DISCONTINUED",
        effectiveOn: discontinuedOn,
        successorId: successor.id,
        partsGuaranteeYears: 1,
      },
    });
    expect(changeProductLifecycle.errors).toEqual([]);
    await graph.settle();
    // then one item carries both reasons, the ending parts guarantee leading
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item!.reason).toBe("PARTS_GUARANTEE_ENDING");
    expect(item!.priority).toBe("LOW");
    expect(item!.reasons.map((r) => r.kind)).toEqual(["PARTS_GUARANTEE_ENDING", "PRODUCT_DISCONTINUED"]);
    for (const reason of item!.reasons) {
      expect(reason).toMatchObject({
        unit: { id: unit.id },
        offer: { kind: "SUCCESSOR", product: { id: successor.id }, price: { amount: "1249.00", currency: "EUR" } },
      });
    }
    expect(item!.reasons[1]!.facts).toEqual(expect.arrayContaining([{ name: "discontinuedOn", value: discontinuedOn }]));
  });
});

describe("the customer's relationship level", () => {
  it("gives BASIC and REACTIVE customers nothing, RESPONSIBLE the recovery but no offers, ACTIVE everything", async () => {
    const dealer = await dealerAt("BASIC");
    const product = await someProduct();
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
    const levels = ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"] as const;
    const customers = Object.fromEntries(
      await Promise.all(levels.map(async (level) => [level, (await createCustomer(graph, dealer.id, { relationshipLevel: level })).id] as const)),
    );
    // when each complains and buys a consumable
    for (const level of levels) {
      await complaint(customers[level]!, product.id);
      await purchase(customers[level]!, beans.id, dealer.id, today());
    }
    await graph.settle();
    // then
    const reasonsOf = async (level: (typeof levels)[number]) =>
      (await itemsOf(dealer.id, customers[level]!)).flatMap((item) => item.reasons.map((r) => r.kind));
    expect(await reasonsOf("BASIC")).toEqual([]);
    expect(await reasonsOf("REACTIVE")).toEqual([]);
    expect(await reasonsOf("RESPONSIBLE")).toEqual(["COMPLAINT"]);
    expect(await reasonsOf("ACTIVE")).toEqual(["COMPLAINT", "REFILL_DUE"]);
  });

  it("finds the reasons waiting when a customer's level is raised, and closes the item when it is lowered", async () => {
    const dealer = await dealerAt("REACTIVE");
    const customer = await createCustomer(graph, dealer.id);
    await complaint(customer.id, (await someProduct()).id);
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);

    const raised = await updateCustomer(customer.id, { relationshipLevel: "RESPONSIBLE" });
    await graph.settle();
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item!.reason).toBe("COMPLAINT");

    await updateCustomer(customer.id, { relationshipLevel: "BASIC" }, raised);
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, customer.id, ["MOOT"]);
    expect(closed).toMatchObject({ id: item!.id, closedBecause: "The customer's relationship level (BASIC) calls for none of its reasons." });
  });
});

async function updateCustomer(id: string, changes: Omit<UpdateCustomerInput, "id" | "version">, version?: number): Promise<number> {
  const current =
    version ?? (await graph.query(graphql(`query OutreachCustomerVersion($id: ID!) { customer(id: $id) { version } }`), { id })).customer!.version;
  const { updateCustomer } = await graph.query(
    graphql(`mutation OutreachUpdateCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { version } errors { code field } } }`),
    { input: { id, version: current, ...changes } },
  );
  expect(updateCustomer.errors).toEqual([]);
  return updateCustomer.customer!.version;
}

describe("suppression", () => {
  it("gives a customer who opted out of every channel nothing, and closes an open item when they opt out", async () => {
    const dealer = await dealerAt("ACTIVE");
    const product = await someProduct();
    const optedOut = await createCustomer(graph, dealer.id, { contactConsent: { phone: false, email: false } });
    const phoneOnly = await createCustomer(graph, dealer.id, { contactConsent: { phone: true, email: false } });
    const later = await createCustomer(graph, dealer.id);
    for (const customer of [optedOut, phoneOnly, later]) await complaint(customer.id, product.id);
    await graph.settle();

    expect(await itemsOf(dealer.id, optedOut.id)).toEqual([]);
    expect((await itemsOf(dealer.id, phoneOnly.id))[0]!.channels).toEqual(["PHONE"]);
    const [open] = await itemsOf(dealer.id, later.id);

    await updateCustomer(later.id, { contactConsent: { phone: false, email: false } });
    await graph.settle();
    expect(await itemsOf(dealer.id, later.id)).toEqual([]);
    expect((await itemsOf(dealer.id, later.id, ["MOOT"]))[0]).toMatchObject({ id: open!.id, closedBecause: "The customer opted out of every channel." });
  });

  it("keeps one open item per customer: the most urgent reason leads and the others are merged into it", async () => {
    const dealer = await dealerAt("ACTIVE");
    const customer = await createCustomer(graph, dealer.id);
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
    await purchase(customer.id, beans.id, dealer.id, today());
    await graph.settle();
    const [refill] = await itemsOf(dealer.id, customer.id);
    expect(refill).toMatchObject({ reason: "REFILL_DUE", priority: "MEDIUM", dueOn: addDays(today(), 23) });

    await complaint(customer.id, (await someProduct()).id);
    await graph.settle();
    const items = await itemsOf(dealer.id, customer.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: refill!.id, reason: "COMPLAINT", priority: "HIGH", dueOn: addDays(today(), 1), version: refill!.version + 1 });
    expect(items[0]!.reasons.map((r) => r.kind)).toEqual(["COMPLAINT", "REFILL_DUE"]);
  });

  it("contacts a customer at most once per the dealer's interval: a reason after a contact comes due when the interval has passed", async () => {
    const dealer = await dealerAt("RESPONSIBLE", 45);
    const customer = await createCustomer(graph, dealer.id);
    const product = await someProduct();
    await complaint(customer.id, product.id);
    await graph.settle();
    const [first] = await itemsOf(dealer.id, customer.id);
    const contacted = await record(dealer.client, {
      itemId: first!.id,
      version: first!.version,
      outcome: "CONTACTED",
      channel: "PHONE",
      note: "Sent a technician.",
    });
    expect(contacted.errors).toEqual([]);

    // when the customer complains again the same day
    await complaint(customer.id, product.id, "Still leaking.");
    await graph.settle();
    // then the new item waits for the interval
    const [next] = await itemsOf(dealer.id, customer.id);
    expect(next).toMatchObject({ reason: "COMPLAINT", dueOn: addDays(today(), 45) });
    expect(next!.id).not.toBe(first!.id);
  });

  it("offers nothing for a unit a service contract covers, and closes the offer when a contract is sold", async () => {
    const dealer = await dealerAt("ACTIVE");
    const covered = await createCustomer(graph, dealer.id);
    const uncovered = await createCustomer(graph, dealer.id);
    const old = await createProduct(graph);
    const successor = await createProduct(graph);
    await graph.settle();
    await setWarrantyPolicy(graph, old.id);
    const plan = await createContractPlan(graph);
    const coveredUnit = await soldUnit(graph, { productId: old.id, dealerId: dealer.id, customerId: covered.id, soldOn: addDays(today(), -100) });
    const laterUnit = await soldUnit(graph, { productId: old.id, dealerId: dealer.id, customerId: uncovered.id, soldOn: addDays(today(), -100) });
    await graph.settle();
    await activeContract(dealer.id, plan.id, covered.id, coveredUnit.id);
    await graph.settle();

    // when the product is discontinued
    const { changeProductLifecycle } = await graph.query(CHANGE_LIFECYCLE, {
      input: { productId: old.id, version: old.version, stage: "DISCONTINUED", effectiveOn: today(), successorId: successor.id },
    });
    expect(changeProductLifecycle.errors).toEqual([]);
    await graph.settle();
    // then only the uncovered unit's owner is offered the successor
    expect(await itemsOf(dealer.id, covered.id)).toEqual([]);
    const [offer] = await itemsOf(dealer.id, uncovered.id);
    expect(offer!.reason).toBe("PRODUCT_DISCONTINUED");

    // when a contract is sold for that unit too, then the offer closes itself
    const contractId = await activeContract(dealer.id, plan.id, uncovered.id, laterUnit.id);
    await graph.settle();
    expect(await itemsOf(dealer.id, uncovered.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, uncovered.id, ["MOOT"]);
    expect(closed!.closedBecause).toMatch(/^Service contract SC-.* now covers the unit\.$/);
    expect(contractId).toMatch(/^sct_/);
  });
});

async function activeContract(dealerId: string, planId: string, customerId: string, unitId: string): Promise<string> {
  const made = await create(graph, "createServiceContract", "contract", { dealerId, planId, customerId, unitIds: [unitId], startsOn: today() });
  const { activateServiceContract } = await graph.query(
    graphql(`mutation OutreachActivateContract($input: ActivateServiceContractInput!) {
      activateServiceContract(input: $input) { contract { id } errors { code field } } }`),
    { input: made },
  );
  expect(activateServiceContract.errors).toEqual([]);
  return made.id;
}

describe("outcomes", () => {
  /** A RESPONSIBLE customer with an open complaint item. */
  async function openComplaint(consent?: { phone: boolean; email: boolean }) {
    const dealer = await dealerAt("ACTIVE");
    const customer = await createCustomer(graph, dealer.id, consent ? { contactConsent: consent } : {});
    await complaint(customer.id, (await someProduct()).id);
    await graph.settle();
    const [item] = await itemsOf(dealer.id, customer.id);
    return { dealer, customer, item: item! };
  }

  it("keeps an item open after no answer, counting the attempt, and closes it when the customer is reached", async () => {
    const { dealer, item } = await openComplaint();
    const unanswered = await record(dealer.client, { itemId: item.id, version: item.version, outcome: "NO_ANSWER", channel: "PHONE" });
    expect(unanswered.errors).toEqual([]);
    expect(unanswered.item).toMatchObject({ status: "OPEN", attempts: 1, version: item.version + 1, outcome: { outcome: "NO_ANSWER", channel: "PHONE" } });

    const reached = await record(dealer.client, {
      itemId: item.id,
      version: item.version + 1,
      outcome: "DECLINED",
      channel: "EMAIL",
      note: "Happy with the repair offer, declined.",
    });
    expect(reached.errors).toEqual([]);
    expect(reached.item).toMatchObject({
      status: "DECLINED",
      outcome: { outcome: "DECLINED", channel: "EMAIL", note: "Happy with the repair offer, declined.", recordedBy: expect.any(String) },
    });
    expect(await itemsOf(dealer.id, item.customer.id)).toEqual([]);
  });

  it("records a conversion linking the purchase it led to, and tells the dealer's systems in events", async () => {
    const { dealer, customer, item } = await openComplaint();
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
    const bought = await purchase(customer.id, beans.id, dealer.id, today());
    await graph.settle();
    const [current] = await itemsOf(dealer.id, customer.id);

    const converted = await record(dealer.client, {
      itemId: item.id,
      version: current!.version,
      outcome: "CONVERTED",
      channel: "PHONE",
      conversion: { kind: "PURCHASE", id: bought.id },
    });
    expect(converted.errors).toEqual([]);
    expect(converted.item).toMatchObject({ status: "CONVERTED", outcome: { conversion: { kind: "PURCHASE", id: bought.id } } });

    // Each in version 1 and version 2: version 1 names every reason of this item.
    const events = await outboxEvents(handle.db, "outreach", [item.id]);
    expect(events.map((e) => [e.type, e.dealerId])).toEqual([
      ["outreach.opened", dealer.id],
      ["outreach.opened", dealer.id],
      ["outreach.closed", dealer.id],
      ["outreach.closed", dealer.id],
    ]);
    // The same item in both; version 2's offers also name a plan (none for a refill).
    expect(events[2]!.payload).toMatchObject({ status: "CONVERTED", reasons: [{ offer: null }, { offer: { kind: "REFILL" } }] });
    expect(events[3]!.payload).toMatchObject({ reasons: [{ offer: null }, { offer: { kind: "REFILL", planId: null } }] });
    expect(events[3]!.payload).toMatchObject({
      status: "CONVERTED",
      conversion: { kind: "PURCHASE", id: bought.id },
      reasons: [{ kind: "COMPLAINT" }, { kind: "REFILL_DUE" }],
    });
  });

  it("refuses an outcome that does not add up, saying what to fix, and changes nothing", async () => {
    const { dealer, item } = await openComplaint({ phone: true, email: false });
    const base = { itemId: item.id, version: item.version };
    const refused = async (input: Omit<RecordOutreachOutcomeInput, "itemId" | "version"> & { version?: number }) =>
      (await record(dealer.client, { ...base, ...input })).errors;
    expect(await refused({ outcome: "CONVERTED", channel: "PHONE" })).toEqual([
      expect.objectContaining({ code: "CONVERSION_REQUIRED", field: ["conversion"] }),
    ]);
    expect(await refused({ outcome: "CONTACTED", channel: "PHONE", conversion: { kind: "UNIT", id: "unt_01JD3QS5V7X9Z1B3D5F7H9K1M3" } })).toEqual([
      expect.objectContaining({ code: "CONVERSION_NOT_ALLOWED", field: ["conversion"] }),
    ]);
    expect(await refused({ outcome: "CONVERTED", channel: "PHONE", conversion: { kind: "CONTRACT", id: "cpu_01JD3QS5V7X9Z1B3D5F7H9K1M3" } })).toEqual([
      expect.objectContaining({ code: "INVALID_CONVERSION_ID", field: ["conversion", "id"] }),
    ]);
    expect(await refused({ outcome: "CONVERTED", channel: "PHONE", conversion: { kind: "PURCHASE", id: "cpu_01JD3QS5V7X9Z1B3D5F7H9K1M3" } })).toEqual([
      expect.objectContaining({ code: "CONVERSION_NOT_FOUND", field: ["conversion", "id"] }),
    ]);
    expect(await refused({ outcome: "CONTACTED" })).toEqual([expect.objectContaining({ code: "CHANNEL_REQUIRED", field: ["channel"] })]);
    expect(await refused({ outcome: "CONTACTED", channel: "EMAIL" })).toEqual([expect.objectContaining({ code: "CHANNEL_NOT_ALLOWED", field: ["channel"] })]);
    expect(await refused({ outcome: "CONTACTED", channel: "PHONE", note: "x".repeat(2001) })).toEqual([
      expect.objectContaining({ code: "TOO_LONG", field: ["note"] }),
    ]);
    expect(await refused({ outcome: "CONTACTED", channel: "PHONE", version: item.version + 5 })).toEqual([
      expect.objectContaining({ code: "STALE_VERSION", field: ["version"] }),
    ]);
    // nothing changed
    const [still] = await itemsOf(dealer.id, item.customer.id);
    expect(still).toMatchObject({ status: "OPEN", version: item.version, attempts: 0, outcome: null });

    // a closed item takes no further outcome
    expect((await record(dealer.client, { ...base, outcome: "NOT_APPLICABLE" })).errors).toEqual([]);
    expect(await refused({ version: item.version + 1, outcome: "CONTACTED", channel: "PHONE" })).toEqual([
      expect.objectContaining({ code: "ITEM_CLOSED", field: ["itemId"] }),
    ]);
  });
});

describe("who sees a worklist", () => {
  it("shows a DEALER its own items only, through every path, and staff every dealer's", async () => {
    const mine = await dealerAt("RESPONSIBLE");
    const theirs = await dealerAt("RESPONSIBLE");
    const product = await someProduct();
    const myCustomer = await createCustomer(graph, mine.id);
    const theirCustomer = await createCustomer(graph, theirs.id);
    await complaint(myCustomer.id, product.id);
    await complaint(theirCustomer.id, product.id);
    await graph.settle();
    const [theirItem] = await itemsOf(theirs.id, theirCustomer.id);

    const own = await worklist(mine.client, { first: 20 });
    expect(own.edges.map((e) => e.node.dealer.id)).toEqual([mine.id]);
    const { outreachItem } = await mine.client.query(graphql(`query OutreachItemById($id: ID!) { outreachItem(id: $id) { id } }`), { id: theirItem!.id });
    expect(outreachItem).toBeNull();
    expect((await record(mine.client, { itemId: theirItem!.id, version: theirItem!.version, outcome: "CONTACTED", channel: "PHONE" })).errors).toEqual([
      expect.objectContaining({ code: "ITEM_NOT_FOUND", field: ["itemId"] }),
    ]);
    const named = await mine.client.request(WORKLIST, { dealerId: theirs.id });
    expect(named.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const asAnalyst = await graph.as({ role: "ANALYST" }).request(WORKLIST, {});
    expect(asAnalyst.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const all = await worklist(graph, { dealerId: theirs.id });
    expect(all.edges.map((e) => e.node.id)).toEqual([theirItem!.id]);
    const every = await worklist(graph, { first: 20, filter: { customerId: myCustomer.id } });
    expect(every.edges.map((e) => e.node.dealer.id)).toEqual([mine.id]);
  });

  it("pages a worklist soonest due first and filters it by reason and status", async () => {
    const dealer = await dealerAt("ACTIVE");
    const product = await someProduct();
    const beans = await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" });
    const complainer = await createCustomer(graph, dealer.id, { name: `Complainer ${tag()}` });
    const buyers = [await createCustomer(graph, dealer.id), await createCustomer(graph, dealer.id)];
    await complaint(complainer.id, product.id);
    for (const buyer of buyers) await purchase(buyer.id, beans.id, dealer.id, today());
    await graph.settle();

    const firstPage = await worklist(dealer.client, { first: 2 });
    expect(firstPage.totalCount).toBe(3);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(firstPage.edges.map((e) => e.node.reason)).toEqual(["COMPLAINT", "REFILL_DUE"]);
    const rest = await worklist(dealer.client, { first: 2, after: firstPage.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.reason)).toEqual(["REFILL_DUE"]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const refills = await worklist(dealer.client, { filter: { reasons: ["REFILL_DUE"] } });
    expect(refills.edges.map((e) => e.node.customer.id).sort()).toEqual(buyers.map((b) => b.id).sort());
    expect((await worklist(dealer.client, { filter: { dueBy: addDays(today(), 1) } })).edges.map((e) => e.node.customer.id)).toEqual([complainer.id]);
    expect((await worklist(dealer.client, { filter: { statuses: ["CONVERTED"] } })).edges).toEqual([]);
  });
});
