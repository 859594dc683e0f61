import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxEvents } from "./src/events.js";
import { create, createContractPlan, createCustomer, createDealer, createProduct, setWarrantyPolicy, soldUnit } from "./src/factories.js";
import { graphql } from "./src/generated/index.js";
import type { OutreachStatus } from "./src/generated/graphql.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * The outreach reasons warranty's facts raise, through the gateway: a
 * warranty ending with no contract to follow (the plans on offer, priced for
 * the unit) and a maintenance visit due and not booked; which relationship
 * levels get them, what suppresses them, and the facts that close them.
 */

let graph: TestGraph;
let handle: DatabaseHandle;
beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
});
afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

const today = () => todayUtc();

const ITEMS = graphql(`query WarrantyOutreachItems($dealerId: ID, $filter: OutreachFilter) {
  outreachWorklist(dealerId: $dealerId, filter: $filter, first: 5) {
    edges {
      node {
        id version status reason priority dueOn closedBecause
        reasons {
          kind priority dueOn explanation mootBecause
          facts { name value }
          unit { id }
          offer { kind product { id } plan { id name } description price { amount currency } }
          offers { kind plan { id } price { amount currency } }
        }
      }
    }
  }
}`);
const PLAN_MAINTENANCE = graphql(`mutation PlanMaintenanceFrom($input: PlanMaintenanceInput) {
  planMaintenance(input: $input) { visitsCreated errors { code } }
}`);
const CONTRACT_VISITS = graphql(`query ContractVisits($id: ID) { serviceContract(id: $id) { version maintenanceVisits { id version dueOn status } } }`);
const CANCEL_CONTRACT = graphql(`mutation CancelContractForOutreach($input: CancelServiceContractInput!) {
  cancelServiceContract(input: $input) { contract { status } errors { code field } }
}`);
const SCHEDULE_VISIT = graphql(`mutation ScheduleVisitForOutreach($input: ScheduleMaintenanceVisitInput!) {
  scheduleMaintenanceVisit(input: $input) { visit { status } errors { code } }
}`);
const ACTIVATE = graphql(`mutation ActivateContractForOutreach($input: ActivateServiceContractInput!) {
  activateServiceContract(input: $input) { contract { id } errors { code field } }
}`);
const RAISE_LEVEL = graphql(`mutation RaiseLevelForOutreach($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { relationshipLevel } errors { code field } }
}`);

/** A customer's items on the home dealer's worklist, in the given statuses. */
async function itemsOf(dealerId: string, customerId: string, statuses: OutreachStatus[] = ["OPEN"]) {
  const { outreachWorklist } = await graph.query(ITEMS, { dealerId, filter: { customerId, statuses } });
  return outreachWorklist.edges.map((edge) => edge.node);
}

async function dealerAt(level: string) {
  return createDealer(graph, { outreach: { defaultRelationshipLevel: level, contactIntervalDays: 30 } });
}

/** A product under the factories' policy: 24 months from the sale. */
async function productUnderWarranty() {
  const product = await createProduct(graph);
  await graph.settle();
  await setWarrantyPolicy(graph, product.id);
  return product;
}

/** Sold this many days ago, a unit under a 24-month warranty has that much less of it left (about 730 days in all). */
const soldDaysAgo = (days: number) => addDays(today(), -days);

async function activeContract(dealerId: string, planId: string, customerId: string, unitId: string): Promise<string> {
  const made = await create(graph, "createServiceContract", "contract", { dealerId, planId, customerId, unitIds: [unitId], startsOn: today() });
  const { activateServiceContract } = await graph.query(ACTIVATE, { input: made });
  expect(activateServiceContract.errors).toEqual([]);
  return made.id;
}

describe("a warranty ending with no contract to follow", () => {
  it("offers an ACTIVE customer every plan on offer, priced for the unit, cheapest first, and closes when a contract is sold", async () => {
    // given two plans on offer and an ACTIVE customer whose unit (1299.00 EUR) is in the last month of its warranty
    const dealer = await dealerAt("ACTIVE");
    const customer = await createCustomer(graph, dealer.id);
    const product = await productUnderWarranty();
    const care = await createContractPlan(graph, { priceSharePercent: 5.5, termMonths: 12 });
    const basic = await createContractPlan(graph, { priceSharePercent: 3, termMonths: 12 });
    // when the unit's sale is told (its warranty ends within 60 days)
    const unit = await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: customer.id, soldOn: soldDaysAgo(700) });
    await graph.settle();

    // then the dealer is to offer a contract at once
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item).toMatchObject({ status: "OPEN", reason: "WARRANTY_ENDING", priority: "LOW", dueOn: today() });
    const reason = item!.reasons[0]!;
    expect(reason).toMatchObject({ kind: "WARRANTY_ENDING", unit: { id: unit.id } });
    const endsOn = reason.facts.find((fact) => fact.name === "warrantyEndsOn")?.value;
    expect(endsOn! > today() && endsOn! <= addDays(today(), 60)).toBe(true);
    // 3 % and 5.5 % of 1299.00 for 12 months, half-up to the cent; other tests' plans may be on offer too
    const priced = reason.offers.map((offer) => [offer.plan?.id, offer.price?.amount, offer.price?.currency]);
    expect(priced).toEqual(
      expect.arrayContaining([
        [basic.id, "38.97", "EUR"],
        [care.id, "71.45", "EUR"],
      ]),
    );
    const amounts = reason.offers.map((offer) => Number(offer.price!.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    expect(reason.offer).toMatchObject({ kind: "CONTRACT", product: null, plan: { id: reason.offers[0]!.plan!.id } });
    expect(reason.offer!.description).toContain(unit.serialNumber);

    // and the dealer's systems hear of it in version 2 only: version 1 cannot name the reason
    const events = await outboxEvents(handle.db, "outreach", [item!.id]);
    expect(events.map((event) => event.type)).toEqual(["outreach.opened"]);
    expect(events[0]!.payload).toMatchObject({ reason: "WARRANTY_ENDING", reasons: [{ offer: { kind: "CONTRACT", productId: null } }] });

    // when a contract is sold for the unit, then the offer closes itself
    await activeContract(dealer.id, basic.id, customer.id, unit.id);
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, customer.id, ["MOOT"]);
    expect(closed!.closedBecause).toMatch(/^Service contract SC-.* now covers the unit\.$/);
  });

  it("is offered to ACTIVE customers only: a RESPONSIBLE customer gets it when raised to ACTIVE", async () => {
    const dealer = await dealerAt("RESPONSIBLE");
    const customer = await createCustomer(graph, dealer.id);
    const product = await productUnderWarranty();
    await createContractPlan(graph);
    await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: customer.id, soldOn: soldDaysAgo(700) });
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);

    const { updateCustomer } = await graph.query(RAISE_LEVEL, { input: { id: customer.id, version: customer.version, relationshipLevel: "ACTIVE" } });
    expect(updateCustomer.errors).toEqual([]);
    await graph.settle();
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item?.reason).toBe("WARRANTY_ENDING");
  });

  it("offers nothing for a unit a contract covers, nor for a warranty further off, until the daily run finds it within 60 days", async () => {
    const dealer = await dealerAt("ACTIVE");
    const covered = await createCustomer(graph, dealer.id);
    const later = await createCustomer(graph, dealer.id);
    const product = await productUnderWarranty();
    const plan = await createContractPlan(graph);
    // a unit covered by a contract before its warranty comes near its end, and one whose warranty has about 130 days left
    const coveredUnit = await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: covered.id, soldOn: soldDaysAgo(600) });
    await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: later.id, soldOn: soldDaysAgo(600) });
    await graph.settle();
    await activeContract(dealer.id, plan.id, covered.id, coveredUnit.id);
    await graph.settle();
    expect(await itemsOf(dealer.id, later.id)).toEqual([]);

    // when the daily run looks 80 days on, both warranties end within 60 days of it
    const { planMaintenance } = await graph.query(PLAN_MAINTENANCE, { input: { asOf: addDays(today(), 80) } });
    expect(planMaintenance.errors).toEqual([]);
    await graph.settle();
    // then only the uncovered unit's owner is offered a contract, 45 days before the warranty ends
    expect(await itemsOf(dealer.id, covered.id)).toEqual([]);
    const [item] = await itemsOf(dealer.id, later.id);
    expect(item?.reason).toBe("WARRANTY_ENDING");
    const endsOn = item!.reasons[0]!.facts.find((fact) => fact.name === "warrantyEndsOn")!.value;
    expect(item!.dueOn).toBe(addDays(endsOn, -45));

    // and another run tells nothing twice
    await graph.query(PLAN_MAINTENANCE, { input: { asOf: addDays(today(), 81) } });
    await graph.settle();
    expect(await itemsOf(dealer.id, later.id)).toEqual([expect.objectContaining({ id: item!.id, version: item!.version })]);
  });
});

describe("a maintenance visit due and not booked", () => {
  /** A customer at `level` with a contract whose plan calls for a visit a month, and the first visit planned. */
  async function plannedVisit(level: string) {
    const dealer = await dealerAt(level);
    const customer = await createCustomer(graph, dealer.id);
    const product = await productUnderWarranty();
    const plan = await createContractPlan(graph, { visitsPerYear: 12 });
    const unit = await soldUnit(graph, { productId: product.id, dealerId: dealer.id, customerId: customer.id, soldOn: soldDaysAgo(30) });
    await graph.settle();
    const contractId = await activeContract(dealer.id, plan.id, customer.id, unit.id);
    // The first visit falls due a month on: a run ten days on plans it, whatever the month's length.
    await graph.query(PLAN_MAINTENANCE, { input: { asOf: addDays(today(), 10) } });
    await graph.settle();
    const { serviceContract } = await graph.query(CONTRACT_VISITS, { id: contractId });
    const [visit] = serviceContract!.maintenanceVisits;
    expect(visit).toMatchObject({ status: "PLANNED" });
    return { dealer, customer, unit, visit: visit!, contract: { id: contractId, version: serviceContract!.version } };
  }

  it("asks a RESPONSIBLE customer to book it three weeks before it is due, and closes when it is booked", async () => {
    const { dealer, customer, unit, visit } = await plannedVisit("RESPONSIBLE");
    const [item] = await itemsOf(dealer.id, customer.id);
    expect(item).toMatchObject({ reason: "MAINTENANCE_DUE", priority: "MEDIUM", dueOn: addDays(visit.dueOn, -21) });
    expect(item!.reasons[0]).toMatchObject({
      kind: "MAINTENANCE_DUE",
      unit: { id: unit.id },
      offer: null,
      offers: [],
      facts: expect.arrayContaining([{ name: "visitDueOn", value: visit.dueOn }]),
    });

    const { scheduleMaintenanceVisit } = await graph.query(SCHEDULE_VISIT, {
      input: { id: visit.id, version: visit.version, scheduledFor: `${addDays(visit.dueOn, -2)}T09:00:00.000Z` },
    });
    expect(scheduleMaintenanceVisit.errors).toEqual([]);
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, customer.id, ["MOOT"]);
    expect(closed).toMatchObject({ reason: "MAINTENANCE_DUE", closedBecause: "The visit was booked." });
  });

  it("closes when the contract ends before the visit, which cancels it", async () => {
    const { dealer, customer, contract } = await plannedVisit("ACTIVE");
    expect((await itemsOf(dealer.id, customer.id)).map((item) => item.reason)).toEqual(["MAINTENANCE_DUE"]);

    const { cancelServiceContract } = await graph.query(CANCEL_CONTRACT, { input: { ...contract, reason: "The customer moved away." } });
    expect(cancelServiceContract.errors).toEqual([]);
    await graph.settle();
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
    const [closed] = await itemsOf(dealer.id, customer.id, ["MOOT"]);
    expect(closed!.closedBecause).toMatch(/^Service contract SC-.* ended; its visits are cancelled\.$/);
  });

  it("is nobody's to ask of a BASIC customer", async () => {
    const { dealer, customer } = await plannedVisit("BASIC");
    expect(await itemsOf(dealer.id, customer.id)).toEqual([]);
  });
});
