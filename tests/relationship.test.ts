import { openDatabase, type DatabaseHandle } from "@aftersales/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createDealer, customerInput } from "./src/factories.js";
import { outboxEvents } from "./src/events.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type TestGraph } from "./src/graph.js";

/**
 * How a dealer follows up with its customers: the relationship level a new
 * customer starts at, how often a customer may be contacted, and on which
 * channels each customer may be, through the gateway, and in the events
 * other subgraphs (and outreach) learn them from.
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

const DEALER = graphql(`query DealerOutreach($id: ID!) { dealer(id: $id) { version outreach { defaultRelationshipLevel contactIntervalDays } } }`);
const UPDATE_DEALER = graphql(`mutation UpdateDealerOutreach($input: UpdateDealerInput!) {
  updateDealer(input: $input) { dealer { version outreach { defaultRelationshipLevel contactIntervalDays } } errors { code field } }
}`);
const CREATE_CUSTOMER = graphql(`mutation CreateCustomerWithLevel($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id version relationshipLevel contactConsent { phone email changedAt } } errors { code field } }
}`);
const UPDATE_CUSTOMER = graphql(`mutation UpdateCustomerConsent($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { version relationshipLevel contactConsent { phone email changedAt } } errors { code field } }
}`);
const CONSENT = graphql(`query CustomerConsent($id: ID!) { customer(id: $id) { contactConsent { phone email changedAt } } }`);

async function outreachOf(dealerId: string) {
  const { dealer } = await graph.query(DEALER, { id: dealerId });
  return dealer?.outreach;
}

async function dealerVersion(dealerId: string): Promise<number> {
  const { dealer } = await graph.query(DEALER, { id: dealerId });
  if (!dealer) throw new Error(`No dealer ${dealerId}.`);
  return dealer.version;
}

describe("a dealer's outreach settings", () => {
  it("start as BASIC customers contacted at most every 30 days, unless the dealer is created with others", async () => {
    const plain = await createDealer(graph);
    const active = await createDealer(graph, { outreach: { defaultRelationshipLevel: "ACTIVE", contactIntervalDays: 14 } });
    expect(await outreachOf(plain.id)).toEqual({ defaultRelationshipLevel: "BASIC", contactIntervalDays: 30 });
    expect(await outreachOf(active.id)).toEqual({ defaultRelationshipLevel: "ACTIVE", contactIntervalDays: 14 });
  });

  it("are the dealer's own to change, not another dealer's", async () => {
    const dealer = await createDealer(graph);
    const other = await createDealer(graph);
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer.id });
    const outreach = { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 45 } as const;

    const own = await asDealer.query(UPDATE_DEALER, {
      input: { id: dealer.id, version: await dealerVersion(dealer.id), outreach },
    });
    expect(own.updateDealer.errors).toEqual([]);
    expect(own.updateDealer.dealer?.outreach).toEqual(outreach);

    const foreign = await asDealer.query(UPDATE_DEALER, {
      input: { id: other.id, version: await dealerVersion(other.id), outreach },
    });
    expect(foreign.updateDealer).toEqual({ dealer: null, errors: [{ code: "NOT_YOUR_DEALER", field: ["id"] }] });
    expect(await outreachOf(other.id)).toEqual({ defaultRelationshipLevel: "BASIC", contactIntervalDays: 30 });
  });

  it("refuse an interval outside 1 to 365 days, saying which field, and change nothing", async () => {
    const dealer = await createDealer(graph);
    const version = await dealerVersion(dealer.id);
    for (const contactIntervalDays of [0, 366, -5]) {
      const { updateDealer } = await graph.query(UPDATE_DEALER, {
        input: { id: dealer.id, version, outreach: { defaultRelationshipLevel: "ACTIVE", contactIntervalDays } },
      });
      expect(updateDealer).toEqual({ dealer: null, errors: [{ code: "OUT_OF_RANGE", field: ["outreach", "contactIntervalDays"] }] });
    }
    expect(await outreachOf(dealer.id)).toEqual({ defaultRelationshipLevel: "BASIC", contactIntervalDays: 30 });
    expect(await dealerVersion(dealer.id)).toBe(version);
  });

  it("travel in the dealer's events", async () => {
    const dealer = await createDealer(graph, { outreach: { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 60 } });
    const events = await outboxEvents(handle.db, "partners", [dealer.id]);
    expect(events.map((e) => [e.type, (e.payload as { outreach?: unknown }).outreach])).toEqual([
      ["dealer.created", { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 60 }],
    ]);
  });
});

describe("a new customer's relationship level", () => {
  it("is the home dealer's default when left out, and what was given otherwise", async () => {
    const dealer = await createDealer(graph, { outreach: { defaultRelationshipLevel: "RESPONSIBLE", contactIntervalDays: 30 } });
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer.id });
    const withoutLevel = customerInput(dealer.id);

    const defaulted = await asDealer.query(CREATE_CUSTOMER, { input: withoutLevel });
    const chosen = await asDealer.query(CREATE_CUSTOMER, {
      input: { ...withoutLevel, relationshipLevel: "ACTIVE" },
    });
    expect(defaulted.createCustomer.customer?.relationshipLevel).toBe("RESPONSIBLE");
    expect(chosen.createCustomer.customer?.relationshipLevel).toBe("ACTIVE");
  });
});

describe("a customer's contact consent", () => {
  it("allows both channels until the customer opts out, records when, and travels in the customer's events", async () => {
    const dealer = await createDealer(graph);
    const asDealer = graph.as({ role: "DEALER", dealerId: dealer.id });
    const customer = await create(graph, "createCustomer", "customer", customerInput(dealer.id));
    const fresh = await asDealer.query(CONSENT, { id: customer.id });
    expect(fresh.customer?.contactConsent).toEqual({ phone: true, email: true, changedAt: null });

    const before = Date.now();
    const optedOut = await asDealer.query(UPDATE_CUSTOMER, {
      input: { id: customer.id, version: customer.version, contactConsent: { phone: false, email: true } },
    });
    expect(optedOut.updateCustomer.errors).toEqual([]);
    const consent = optedOut.updateCustomer.customer!.contactConsent;
    expect([consent.phone, consent.email]).toEqual([false, true]);
    expect(Date.parse(consent.changedAt!)).toBeGreaterThanOrEqual(before - 1_000);

    // Another change leaves when the consent changed as it was.
    const renamed = await asDealer.query(UPDATE_CUSTOMER, {
      input: { id: customer.id, version: optedOut.updateCustomer.customer!.version, name: "Renamed Customer" },
    });
    expect(renamed.updateCustomer.customer?.contactConsent).toEqual(consent);

    const events = await outboxEvents(handle.db, "partners", [customer.id]);
    expect(events.map((e) => [e.type, (e.payload as { contactConsent?: unknown }).contactConsent])).toEqual([
      ["customer.created", { phone: true, email: true }],
      ["customer.updated", { phone: false, email: true }],
      ["customer.updated", { phone: false, email: true }],
    ]);
  });

  it("is given at registration when the customer declines a channel from the start", async () => {
    const dealer = await createDealer(graph);
    const { createCustomer } = await graph.query(CREATE_CUSTOMER, {
      input: customerInput(dealer.id, { contactConsent: { phone: false, email: false } }),
    });
    expect(createCustomer.errors).toEqual([]);
    expect(createCustomer.customer?.contactConsent).toEqual({ phone: false, email: false, changedAt: null });
  });
});
