// The documents of the checks stay raw strings: they send what the API must refuse (malformed ids, dates, text; inline or from tables), which typed
// documents would not let through. The setup's, which the API takes, are typed.
import { openDatabase, todayUtc, addDays, type DatabaseHandle } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Kind, parse, type ObjectTypeDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  createContractPlan,
  createCustomer,
  createDealer,
  createProduct,
  inputTypeOf,
  openTicket,
  setWarrantyPolicy,
  soldUnit,
  registerUnit,
  tag,
} from "./src/factories.js";
import { surveyToken } from "./src/feedback.js";
import { databaseFingerprint } from "./src/fingerprint.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type Client, type TestGraph } from "./src/graph.js";

/**
 * A refused mutation names every problem of its input at once, so a client
 * fixes them in one go instead of one round trip each. For every mutation of
 * the graph (read from the composed supergraph: a new mutation without a row
 * here fails the first test), an input with two independent invalid fields
 * (formats, ranges, lengths, dates; never the ids that name other records)
 * is refused with both problems in one answer, and nothing is written.
 */

let graph: TestGraph;
let handle: DatabaseHandle;
let world: World;

beforeAll(async () => {
  graph = await startGraph();
  handle = openDatabase(graph.database);
  world = await seedWorld(graph);
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await graph?.stop();
});

/** The records the rows' inputs name, all valid: only the two fields each row spoils are wrong. */
interface World {
  dealer: string;
  dealerVersion: number;
  customer: string;
  customerVersion: number;
  otherCustomer: string;
  technician: { id: string; version: number };
  product: { id: string; version: number };
  part: string;
  consumable: string;
  unitInStock: string;
  installedUnit: string;
  endpoint: { id: string; version: number };
  ticket: { id: string; version: number };
  plan: { id: string; version: number };
  contract: { id: string; version: number };
  visit: { id: string; version: number };
  claim: { id: string; version: number };
  surveyToken: string;
}

const eur = (amount: string) => ({ amount, currency: "EUR" });
// In the future, yet within the years every date input takes (1900-2200), so it reaches the mutation.
const FUTURE = "2199-12-31";
const TOO_LONG = "x".repeat(5001);

async function seedWorld(graph: TestGraph): Promise<World> {
  const { id: dealer, version: dealerVersion } = await createDealer(graph, { warrantyWorkshop: { authorizedFrom: "2024-01-01" } });
  const { id: customer, version: customerVersion } = await createCustomer(graph, dealer);
  const otherCustomer = (await createCustomer(graph, dealer)).id;
  const technician = await create(graph, "createTechnician", "technician", { serviceCenterId: dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"] });
  const part = (await createProduct(graph, { kind: "SPARE_PART", category: "pumps", listPrice: eur("120.00") })).id;
  const consumable = (await createProduct(graph, { kind: "CONSUMABLE", category: "coffee" })).id;
  const product = await createProduct(graph, { billOfMaterials: [{ partId: part, quantity: 1 }], repairStandards: [{ failureCode: "E04-PUMP", hours: 2 }] });
  await graph.query(graphql(`mutation InputChecksSetPartStock($input: SetPartStockInput!) { setPartStock(input: $input) { errors { code } } }`), {
    input: { serviceCenterId: dealer, partId: part, onHand: 5, reorderPoint: 1, maxLevel: 10 },
  });
  const unitInStock = (await registerUnit(graph, product.id, dealer)).id;
  const soldOn = addDays(todayUtc(), -200);
  const installed = await soldUnit(graph, { productId: product.id, dealerId: dealer, customerId: customer, soldOn, installedOn: addDays(soldOn, 3) });
  const endpoint = await create(graph, "registerWebhookEndpoint", "endpoint", {
    dealerId: dealer,
    url: `http://127.0.0.1:9/${tag()}`,
    eventTypes: ["ticket.*"],
  });
  await graph.settle();
  await setWarrantyPolicy(graph, product.id, { months: 12 });
  const ticket = await openTicket(graph, customer, { unitId: installed.id });
  const plan = await createContractPlan(graph, { visitsPerYear: 12 });
  const draft = await create(graph, "createServiceContract", "contract", {
    dealerId: dealer,
    planId: plan.id,
    customerId: customer,
    unitIds: [installed.id],
    startsOn: addDays(todayUtc(), -40),
  });
  const active = await graph.query(
    graphql(`mutation InputChecksActivateContract($input: ActivateServiceContractInput!) {
      activateServiceContract(input: $input) { contract { id version maintenanceVisits { id version } } } }`),
    { input: { id: draft.id, version: draft.version } },
  );
  const contract = active.activateServiceContract.contract;
  if (!contract) throw new Error("the contract was not activated");
  const visit = contract.maintenanceVisits[0];
  if (!visit) throw new Error("activating the contract made no visit");
  // A travel line waits for an agent: the claim stays IN_REVIEW, open to a review.
  const claim = await create(graph, "fileWarrantyClaim", "claim", {
    dealerId: dealer,
    unitId: installed.id,
    failureOn: addDays(todayUtc(), -10),
    repairOn: addDays(todayUtc(), -9),
    failureCode: "E04-PUMP",
    lines: [
      { kind: "PART", partId: part, quantity: 1, claimed: eur("120.00") },
      { kind: "TRAVEL", km: 20, claimed: eur("30.00") },
    ],
  });
  // NPS surveys come due at once: one is open, with its link, for the customer.
  await graph.query(graphql(`mutation InputChecksSetSurveyTimings { setSurveyTimings(input: { npsFirstAfterDays: 0 }) { errors { code } } }`));
  await graph.settle();
  await graph.query(graphql(`mutation InputChecksOpenDueSurveys { openDueSurveys { opened errors { code } } }`));
  const surveys = await graph.query(
    graphql(`query InputChecksSurveys($customer: ID!) { surveys(first: 10, filter: { customerId: $customer }) { edges { node { link status } } } }`),
    { customer },
  );
  const link = surveys.surveys.edges.find((e) => e.node.status === "OPEN" && e.node.link)?.node.link;
  if (!link) throw new Error(`no open survey for the customer: ${JSON.stringify(surveys)}`);
  await graph.settle();
  return {
    dealer,
    dealerVersion,
    customer,
    customerVersion,
    otherCustomer,
    technician,
    product,
    part,
    consumable,
    unitInStock,
    installedUnit: installed.id,
    endpoint,
    ticket,
    plan,
    contract: { id: contract.id, version: contract.version },
    visit,
    claim,
    surveyToken: surveyToken(link),
  };
}

/** A problem an answer must name: its code and the field it is about (list positions as the API gives them, e.g. "0"). */
type Problem = [code: string, field: string[]];

type Row =
  | { input: (w: World) => Record<string, unknown>; problems: [Problem, Problem]; as?: (w: World) => Client }
  /** Why the mutation has no two independent fields to spoil. */
  | { none: string };

const ROWS: Record<string, Row> = {
  // --- partners ---
  createDealer: {
    input: () => ({ ...dealerFields(), email: "not-an-email", serviceRadiusKm: -1 }),
    problems: [
      ["INVALID_EMAIL", ["email"]],
      ["OUT_OF_RANGE", ["serviceRadiusKm"]],
    ],
  },
  updateDealer: {
    input: (w) => ({ id: w.dealer, version: w.dealerVersion, email: "not-an-email", serviceRadiusKm: -1 }),
    problems: [
      ["INVALID_EMAIL", ["email"]],
      ["OUT_OF_RANGE", ["serviceRadiusKm"]],
    ],
  },
  createTechnician: {
    input: (w) => ({ serviceCenterId: w.dealer, name: " ", email: "not-an-email" }),
    problems: [
      ["REQUIRED", ["name"]],
      ["INVALID_EMAIL", ["email"]],
    ],
  },
  updateTechnician: {
    input: (w) => ({ ...w.technician, name: " ", email: "not-an-email" }),
    problems: [
      ["REQUIRED", ["name"]],
      ["INVALID_EMAIL", ["email"]],
    ],
  },
  createCustomer: {
    input: (w) => ({
      kind: "CONSUMER",
      name: "Erika Muster",
      email: "not-an-email",
      address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "XX" },
      homeDealerId: w.dealer,
    }),
    problems: [
      ["INVALID_EMAIL", ["email"]],
      ["INVALID_COUNTRY", ["address", "country"]],
    ],
  },
  updateCustomer: {
    input: (w) => ({
      id: w.customer,
      version: w.customerVersion,
      email: "not-an-email",
      address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "XX" },
    }),
    problems: [
      ["INVALID_EMAIL", ["email"]],
      ["INVALID_COUNTRY", ["address", "country"]],
    ],
  },
  createApiKey: {
    input: (w) => ({ name: " ", role: "DEALER", dealerId: w.dealer, expiresAt: "2000-01-01T00:00:00Z" }),
    problems: [
      ["REQUIRED", ["name"]],
      ["EXPIRY_IN_PAST", ["expiresAt"]],
    ],
  },
  revokeApiKey: { none: "it takes only the key's id" },
  registerOperation: {
    input: () => ({ name: " ", document: "x".repeat(20_001) }),
    problems: [
      ["REQUIRED", ["name"]],
      ["TOO_LONG", ["document"]],
    ],
  },
  registerWebhookEndpoint: {
    input: (w) => ({ dealerId: w.dealer, url: "not a url", eventTypes: ["not a type"] }),
    problems: [
      ["INVALID_URL", ["url"]],
      ["INVALID_EVENT_TYPE", ["eventTypes", "0"]],
    ],
  },
  updateWebhookEndpoint: {
    input: (w) => ({ ...w.endpoint, url: "not a url", eventTypes: ["not a type"] }),
    problems: [
      ["INVALID_URL", ["url"]],
      ["INVALID_EVENT_TYPE", ["eventTypes", "0"]],
    ],
  },
  rotateWebhookSecret: { none: "it takes only the id of the endpoint" },
  removeWebhookEndpoint: { none: "it takes only the id of the endpoint" },
  replayWebhookDelivery: { none: "it takes only the id of the delivery" },

  // --- catalog ---
  createProduct: {
    input: () => ({ sku: `SKU-${tag()}`, name: "Machine", kind: "EQUIPMENT", category: "Not A Slug", listPrice: eur("-1") }),
    problems: [
      ["INVALID_FORMAT", ["category"]],
      ["INVALID_AMOUNT", ["listPrice", "amount"]],
    ],
  },
  updateProduct: {
    input: (w) => ({ ...w.product, category: "Not A Slug", listPrice: eur("-1") }),
    problems: [
      ["INVALID_FORMAT", ["category"]],
      ["INVALID_AMOUNT", ["listPrice", "amount"]],
    ],
  },
  changeProductLifecycle: {
    input: (w) => ({ productId: w.product.id, version: w.product.version, stage: "DISCONTINUED", effectiveOn: FUTURE, note: TOO_LONG }),
    problems: [
      ["DATE_IN_FUTURE", ["effectiveOn"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  registerUnit: {
    input: (w) => ({ serialNumber: "not a serial!", productId: w.product.id, dealerId: w.dealer, registeredOn: FUTURE }),
    problems: [
      ["INVALID_FORMAT", ["serialNumber"]],
      ["DATE_IN_FUTURE", ["registeredOn"]],
    ],
  },
  importUnits: {
    // One unit with a bad serial number, another registered in the future.
    input: (w) => ({
      units: [
        { serialNumber: "not a serial!", productId: w.product.id, dealerId: w.dealer, registeredOn: "2025-01-10" },
        { serialNumber: `SN-${tag()}`, productId: w.product.id, dealerId: w.dealer, registeredOn: FUTURE },
      ],
    }),
    problems: [
      ["INVALID_FORMAT", ["units", "0", "serialNumber"]],
      ["DATE_IN_FUTURE", ["units", "1", "registeredOn"]],
    ],
  },
  sellUnit: {
    input: (w) => ({ unitId: w.unitInStock, customerId: w.customer, price: eur("-1"), soldOn: FUTURE }),
    problems: [
      ["INVALID_AMOUNT", ["price", "amount"]],
      ["DATE_IN_FUTURE", ["soldOn"]],
    ],
  },
  recordUnitEvent: {
    // An installed unit was never taken in for repair, and the date has not come.
    input: (w) => ({ unitId: w.installedUnit, kind: "REPAIRED", occurredOn: FUTURE }),
    problems: [
      ["INVALID_TRANSITION", ["kind"]],
      ["DATE_IN_FUTURE", ["occurredOn"]],
    ],
  },
  transferUnit: {
    input: (w) => ({ unitId: w.installedUnit, newCustomerId: w.otherCustomer, occurredOn: FUTURE, note: TOO_LONG }),
    problems: [
      ["DATE_IN_FUTURE", ["occurredOn"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  recordConsumablePurchase: {
    input: (w) => ({ customerId: w.customer, productId: w.consumable, dealerId: w.dealer, quantity: 0, purchasedOn: FUTURE }),
    problems: [
      ["OUT_OF_RANGE", ["quantity"]],
      ["DATE_IN_FUTURE", ["purchasedOn"]],
    ],
  },
  setPartStock: {
    input: (w) => ({ serviceCenterId: w.dealer, partId: w.part, onHand: -1, reorderPoint: -1 }),
    problems: [
      ["OUT_OF_RANGE", ["onHand"]],
      ["OUT_OF_RANGE", ["reorderPoint"]],
    ],
  },
  adjustPartStock: {
    // 5 are on hand: taking 1000 away would leave less than none.
    input: (w) => ({ serviceCenterId: w.dealer, partId: w.part, change: -1000, reason: "SCRAPPED", note: TOO_LONG }),
    problems: [
      ["INSUFFICIENT_STOCK", ["change"]],
      ["TOO_LONG", ["note"]],
    ],
  },

  // --- warranty ---
  setWarrantyPolicy: {
    input: (w) => ({
      productId: w.product.id,
      effectiveFrom: addDays(todayUtc(), 30),
      months: 0,
      startBasis: "PURCHASE",
      partsShare: 101,
      laborShare: 100,
      serviceMode: "ON_SITE",
      transferable: true,
    }),
    problems: [
      ["OUT_OF_RANGE", ["months"]],
      ["OUT_OF_RANGE", ["partsShare"]],
    ],
  },
  createContractPlan: {
    input: () => ({ name: " ", priceSharePercent: 101, responseHours: 8, resolutionHours: 48, partsCovered: true, laborCovered: true }),
    problems: [
      ["REQUIRED", ["name"]],
      ["OUT_OF_RANGE", ["priceSharePercent"]],
    ],
  },
  updateContractPlan: {
    input: (w) => ({ ...w.plan, name: " ", priceSharePercent: 101 }),
    problems: [
      ["REQUIRED", ["name"]],
      ["OUT_OF_RANGE", ["priceSharePercent"]],
    ],
  },
  createServiceContract: {
    input: (w) => ({
      dealerId: w.dealer,
      planId: w.plan.id,
      customerId: w.customer,
      unitIds: [w.installedUnit],
      startsOn: "2000-01-01",
      idempotencyKey: TOO_LONG,
    }),
    problems: [
      ["TOO_LONG", ["idempotencyKey"]],
      ["DATE_IN_PAST", ["startsOn"]],
    ],
  },
  activateServiceContract: { none: "it takes only the contract and the version read" },
  cancelServiceContract: {
    input: (w) => ({ ...w.contract, reason: " ", cancelledFrom: "2000-01-01" }),
    problems: [
      ["REQUIRED", ["reason"]],
      ["OUT_OF_RANGE", ["cancelledFrom"]],
    ],
  },
  planMaintenance: {
    input: () => ({ leadDays: -1, graceDays: -1 }),
    problems: [
      ["OUT_OF_RANGE", ["leadDays"]],
      ["OUT_OF_RANGE", ["graceDays"]],
    ],
  },
  scheduleMaintenanceVisit: { none: "it takes only the visit, the version read and one instant" },
  completeMaintenanceVisit: {
    input: (w) => ({ ...w.visit, completedOn: FUTURE, note: TOO_LONG }),
    problems: [
      ["DATE_IN_FUTURE", ["completedOn"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  cancelMaintenanceVisit: { none: "it takes only the visit, the version read and a note" },
  fileWarrantyClaim: {
    input: (w) => ({
      dealerId: w.dealer,
      unitId: w.installedUnit,
      failureOn: addDays(todayUtc(), -3),
      repairOn: FUTURE,
      failureCode: "not a code",
      lines: [{ kind: "PART", partId: w.part, quantity: 1, claimed: eur("120.00") }],
    }),
    problems: [
      ["DATE_IN_FUTURE", ["repairOn"]],
      ["INVALID_FORMAT", ["failureCode"]],
    ],
  },
  reviewWarrantyClaim: {
    input: (w) => ({ ...w.claim, lines: [{ lineNumber: 2, decision: "REDUCE", approvedAmount: "12.345", comment: "Shorter route" }], comment: TOO_LONG }),
    problems: [
      ["INVALID_AMOUNT", ["lines", "0", "approvedAmount"]],
      ["TOO_LONG", ["comment"]],
    ],
  },
  sendBackWarrantyClaim: { none: "it takes only the claim, the version read and a comment" },
  answerWarrantyClaim: { none: "it takes only the claim, the version read and a comment" },
  markWarrantyClaimPaid: { none: "it takes only the claim, the version read and a payment reference" },

  // --- tickets ---
  openTicket: {
    input: (w) => ({ customerId: w.customer, kind: "REPAIR", channel: "PHONE", subject: " ", failureCode: "not a code" }),
    problems: [
      ["REQUIRED", ["subject"]],
      ["INVALID_FORMAT", ["failureCode"]],
    ],
  },
  importTickets: {
    // A past ticket with no subject and a failure code of the wrong shape.
    input: (w) => ({
      tickets: [{ customerId: w.customer, kind: "REPAIR", channel: "PHONE", subject: " ", failureCode: "not a code", openedAt: "2026-01-05T09:00:00.000Z" }],
    }),
    problems: [
      ["REQUIRED", ["tickets", "0", "subject"]],
      ["INVALID_FORMAT", ["tickets", "0", "failureCode"]],
    ],
  },
  changeTicketStatus: {
    input: (w) => ({ ...w.ticket, status: "IN_PROGRESS", resolution: TOO_LONG, note: TOO_LONG }),
    problems: [
      ["TOO_LONG", ["resolution"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  assignTicket: {
    input: (w) => ({ ...w.ticket, serviceCenterId: w.dealer, reason: TOO_LONG, note: TOO_LONG }),
    problems: [
      ["TOO_LONG", ["reason"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  changeTicketPriority: { none: "it takes only the ticket, the version read, a priority and a reason" },
  addTicketNote: { none: "it takes only the ticket, the version read and a note" },
  dispatchTicket: { none: "it takes only the ticket and the version read" },
  recordTicketParts: {
    input: (w) => ({ ...w.ticket, serviceCenterId: w.dealer, parts: [{ partId: w.part, quantity: 0 }], note: TOO_LONG }),
    problems: [
      ["OUT_OF_RANGE", ["parts", "0", "quantity"]],
      ["TOO_LONG", ["note"]],
    ],
  },
  issueLoaner: { none: "it takes only the ticket, the version read, the loaner and a note" },
  returnLoaner: { none: "it takes only the ticket, the version read and a note" },
  setSlaPolicy: {
    input: (w) => ({
      dealerId: w.dealer,
      version: 0,
      pausesOnWaitingParts: true,
      targets: [
        { priority: "P1", responseMinutes: 0, resolutionMinutes: 60 },
        { priority: "P2", responseMinutes: 60, resolutionMinutes: 100_000 },
        { priority: "P3", responseMinutes: 60, resolutionMinutes: 480 },
        { priority: "P4", responseMinutes: 60, resolutionMinutes: 480 },
      ],
    }),
    problems: [
      ["OUT_OF_RANGE", ["targets", "0", "responseMinutes"]],
      ["OUT_OF_RANGE", ["targets", "1", "resolutionMinutes"]],
    ],
  },
  recordSlaBreaches: { none: "it takes no input" },

  // --- feedback ---
  answerSurvey: {
    input: (w) => ({ token: w.surveyToken, score: 11, comment: TOO_LONG }),
    problems: [
      ["SCORE_OUT_OF_RANGE", ["score"]],
      ["TOO_LONG", ["comment"]],
    ],
  },
  importSurveyAnswers: {
    // The score's scale is the survey's, so it is checked once the survey is found: a comment too long and an answer from the future.
    input: (w) => ({ answers: [{ ticketId: w.ticket.id, score: 4, comment: TOO_LONG, answeredAt: `${FUTURE}T09:00:00.000Z` }] }),
    problems: [
      ["TOO_LONG", ["answers", "0", "comment"]],
      ["DATE_IN_FUTURE", ["answers", "0", "answeredAt"]],
    ],
  },
  recordFeedback: {
    input: (w) => ({ kind: "COMPLAINT", customerId: w.customer, productId: w.product.id, comment: TOO_LONG, language: "xx" }),
    problems: [
      ["TOO_LONG", ["comment"]],
      ["UNKNOWN_LANGUAGE", ["language"]],
    ],
  },
  openDueSurveys: { none: "it takes no input" },
  setSurveyTimings: {
    input: () => ({ csatDelayHours: -1, answerWithinDays: 0 }),
    problems: [
      ["OUT_OF_RANGE", ["csatDelayHours"]],
      ["OUT_OF_RANGE", ["answerWithinDays"]],
    ],
  },
  assignComplaintCase: {
    // The input is checked before the case is looked up, so any case id shows it.
    input: () => ({ id: "cpl_01JD3QP7S9V1X3Z5B7D9F1H3K5", version: 1, ownerName: " ", ownerEmail: "not-an-address" }),
    problems: [
      ["REQUIRED", ["ownerName"]],
      ["INVALID_EMAIL", ["ownerEmail"]],
    ],
  },
  respondToComplaintCase: { none: "it takes only the case, the version read and the response" },
  resolveComplaintCase: { none: "it takes only the case, the version read and the resolution" },
  recordComplaintBreaches: { none: "it takes no input" },

  // --- outreach ---
  // What the input alone gets wrong is refused before the item is read, so no item is needed.
  recordOutreachOutcome: {
    input: () => ({ itemId: "otr_01JD3QR2T4W6Y8A0C2E4G6J8M0", version: 1, outcome: "CONVERTED", channel: "PHONE", note: TOO_LONG }),
    problems: [
      ["TOO_LONG", ["note"]],
      ["CONVERSION_REQUIRED", ["conversion"]],
    ],
  },
  importOutreachItems: {
    // A past contact with its note too long, closed in the future: refused before any reason is read.
    input: (w) => ({
      items: [
        {
          customerId: w.customer,
          reason: "DETRACTOR",
          subjectId: "svy_01JD3QR2T4W6Y8A0C2E4G6J8M0",
          openedAt: "2026-01-05T09:00:00.000Z",
          outcome: "CONTACTED",
          channel: "PHONE",
          outcomeAt: `${FUTURE}T09:00:00.000Z`,
          note: TOO_LONG,
        },
      ],
    }),
    problems: [
      ["TOO_LONG", ["items", "0", "note"]],
      ["DATE_IN_FUTURE", ["items", "0", "outcomeAt"]],
    ],
  },
};

function dealerFields() {
  return {
    name: `Dealer ${tag()}`,
    kind: "BOTH",
    region: "DACH",
    address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE" },
    location: { latitude: 52.52, longitude: 13.405 },
    laborRate: eur("85.00"),
    calendar: { timeZone: "Europe/Berlin", weeklyWindows: [{ day: "MONDAY", opens: "09:00", closes: "17:00" }] },
  };
}

/** The mutations the composed supergraph offers: the list this file must cover. */
function mutationsOfTheGraph(): string[] {
  const mutation = parse(readSupergraph()).definitions.find(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Mutation",
  );
  return (mutation?.fields ?? []).map((field) => field.name.value);
}

describe("every problem at once", () => {
  it("has a row, or a stated reason for none, for every mutation of the graph", () => {
    expect(Object.keys(ROWS).sort()).toEqual(mutationsOfTheGraph().sort());
  });

  it("sees in its fingerprint of the database what a mutation that succeeds writes", async () => {
    // so that "writes nothing" below cannot pass by looking at nothing (e.g. through row-level security)
    await graph.settle();
    const before = await databaseFingerprint(handle.db);
    await createCustomer(graph, world.dealer);
    await graph.settle();
    const after = await databaseFingerprint(handle.db);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after["partners.customers"]).not.toEqual(before["partners.customers"]);
  });

  const rows = Object.entries(ROWS).flatMap(([mutation, row]) => ("input" in row ? [{ mutation, ...row }] : []));
  it.each(rows)("$mutation reports both of two invalid fields in one answer, and writes nothing", async ({ mutation, input, problems, as }) => {
    // given
    await graph.settle();
    const before = await databaseFingerprint(handle.db);
    // when
    const client = as ? as(world) : graph;
    const answer = await client.request<{ m: { errors: { code: string; field: string[] | null }[] } }>(
      `mutation($input: ${inputTypeOf(mutation)}!) { m: ${mutation}(input: $input) { errors { code field } } }`,
      { input: input(world) },
    );
    await graph.settle();
    // then
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const reported = answer.data?.m.errors ?? [];
    for (const [code, field] of problems) expect(reported, JSON.stringify(reported)).toContainEqual({ code, field });
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });
});
