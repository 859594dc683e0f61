import { addDays, openDatabase, todayUtc, type DatabaseHandle } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import fc from "fast-check";
import { getNamedType, isInputObjectType, type GraphQLInputType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContractPlan, createDealer, createProduct, customerInput, inputTypeOf, setWarrantyPolicy, tag, ticketInput } from "./src/factories.js";
import { databaseFingerprint } from "./src/fingerprint.js";
import { graphql } from "./src/generated/index.js";
import { startGraph, type Client, type GraphQLResponse, type TestGraph } from "./src/graph.js";
import { succeed, withPlaceholders } from "./src/tenants.js";

/**
 * Every argument of a mutation that names another record (a customer, unit,
 * ticket, technician, dealer or service center) is checked: the record
 * exists and the caller may act on it. A DEALER naming another dealer's
 * record gets exactly the answer it gets for an id that names nothing, and
 * neither writes anything. The property runs on two graphs: one whose
 * subgraphs have every record in their copies (the relay has handed on every
 * event), and one whose copies are empty (no relay), so every check has to
 * ask the record's owner.
 */

/** One dealer's records, each usable by its dealer in a valid input. */
interface Side {
  dealer: string;
  customer: string;
  otherCustomer: string;
  technician: string;
  unitInStock: string;
  soldUnit: string;
  ticket: { id: string; version: number };
}

interface World {
  attacker: Side;
  victim: Side;
  equipment: string;
  part: string;
  consumable: string;
  plan: string;
}

const today = todayUtc();
const PRICE = { amount: "10.00", currency: "EUR" };

/**
 * A mutation argument naming another record: a valid input of the attacker's
 * with `ref` in that argument, and the code a DEALER's foreign or made-up id
 * is refused with.
 */
interface Reference {
  mutation: string;
  field: string;
  /** The id prefix of the record named (a made-up id has the same shape). */
  prefix: string;
  /** The victim's record of that kind. */
  foreign: (w: World) => string;
  code: string;
  input: (w: World, ref: string) => Record<string, unknown>;
  /** Where the refusal points, when not at `field`. */
  at?: string[];
  /**
   * Who sends it, when not the attacking DEALER: an ADMIN-only import,
   * whose `foreign` is a real record that may not stand there (another
   * customer's unit, another service center's technician, a record of
   * another kind), refused exactly like an id that names nothing.
   */
  caller?: "ADMIN";
}

const serial = () => `SN-${tag()}-${tag()}`;
const sale = { price: PRICE, soldOn: addDays(today, -1) };
const claim = (w: World) => ({
  unitId: w.attacker.soldUnit,
  failureOn: addDays(today, -2),
  repairOn: addDays(today, -1),
  failureCode: "E04-PUMP",
  lines: [{ kind: "LABOR", hours: 1, claimed: { amount: "85.00", currency: "EUR" } }],
});
/** A ticket of the attacker's, imported opened a week ago and resolved since, whose fields `given` replaces. */
const importedTicket = (w: World, given: Record<string, unknown>) => ({
  ...ticketInput(w.attacker.customer, { unitId: w.attacker.soldUnit }),
  openedAt: `${addDays(today, -7)}T09:00:00Z`,
  serviceCenterId: w.attacker.dealer,
  technicianId: w.attacker.technician,
  steps: [
    { status: "IN_PROGRESS", at: `${addDays(today, -7)}T11:00:00Z` },
    { status: "RESOLVED", at: `${addDays(today, -6)}T15:00:00Z`, resolution: "Pump replaced." },
  ],
  ...given,
});
/** A check-in after a unit's delivery, made two days ago. */
const pastCheckIn = (customerId: string, unitId: string) => ({
  customerId,
  reason: "POST_SALE_CHECK_IN",
  subjectId: unitId,
  openedAt: `${addDays(today, -3)}T09:00:00Z`,
  outcome: "CONTACTED",
  channel: "PHONE",
  outcomeAt: `${addDays(today, -2)}T10:00:00Z`,
});
/** A unit imported with its sale, whose event names `sold`'s references. */
const importedSale = (w: World, sold: Record<string, unknown>) => ({
  serialNumber: serial(),
  productId: w.equipment,
  registeredOn: addDays(today, -2),
  events: [{ kind: "SOLD", occurredOn: addDays(today, -1), price: PRICE, ...sold }],
});
const ticketChange = (w: World) => ({ id: w.attacker.ticket.id, version: w.attacker.ticket.version });
const slaTargets = ["P1", "P2", "P3", "P4"].map((priority) => ({ priority, responseMinutes: 60, resolutionMinutes: 600 }));

const REFERENCES: Reference[] = [
  // catalog
  {
    mutation: "registerUnit",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ serialNumber: serial(), productId: w.equipment, dealerId: ref, registeredOn: today }),
  },
  {
    mutation: "sellUnit",
    field: "customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (w, ref) => ({ unitId: w.attacker.unitInStock, customerId: ref, ...sale }),
  },
  {
    mutation: "sellUnit",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ unitId: w.attacker.unitInStock, customerId: w.attacker.customer, dealerId: ref, ...sale }),
  },
  {
    mutation: "sellUnit",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.unitInStock,
    code: "UNIT_NOT_FOUND",
    input: (w, ref) => ({ unitId: ref, customerId: w.attacker.customer, ...sale }),
  },
  {
    mutation: "recordUnitEvent",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    input: (_w, ref) => ({ unitId: ref, kind: "REPAIR_STARTED", occurredOn: today }),
  },
  {
    mutation: "transferUnit",
    field: "newCustomerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (w, ref) => ({ unitId: w.attacker.soldUnit, newCustomerId: ref, occurredOn: today }),
  },
  {
    mutation: "transferUnit",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    input: (w, ref) => ({ unitId: ref, newCustomerId: w.attacker.otherCustomer, occurredOn: today }),
  },
  {
    mutation: "recordConsumablePurchase",
    field: "customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (w, ref) => ({ customerId: ref, productId: w.consumable, quantity: 1, purchasedOn: today }),
  },
  {
    mutation: "recordConsumablePurchase",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ customerId: w.attacker.customer, productId: w.consumable, dealerId: ref, quantity: 1, purchasedOn: today }),
  },
  {
    mutation: "setPartStock",
    field: "serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ serviceCenterId: ref, partId: w.part, onHand: 3 }),
  },
  {
    mutation: "adjustPartStock",
    field: "serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ serviceCenterId: ref, partId: w.part, change: 1, reason: "RECEIVED" }),
  },
  {
    mutation: "importUnits",
    field: "units.dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    at: ["units", "0", "dealerId"],
    input: (w, ref) => ({ units: [{ serialNumber: serial(), productId: w.equipment, dealerId: ref, registeredOn: today }] }),
  },
  {
    mutation: "importUnits",
    field: "units.events.customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    at: ["units", "0", "events", "0", "customerId"],
    input: (w, ref) => ({ units: [importedSale(w, { customerId: ref })] }),
  },
  {
    mutation: "importUnits",
    field: "units.events.dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    at: ["units", "0", "events", "0", "dealerId"],
    input: (w, ref) => ({ units: [importedSale(w, { customerId: w.attacker.customer, dealerId: ref })] }),
  },
  // warranty
  {
    mutation: "createServiceContract",
    field: "customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (w, ref) => ({ planId: w.plan, customerId: ref, unitIds: [w.attacker.soldUnit], startsOn: today }),
  },
  {
    mutation: "createServiceContract",
    field: "unitIds",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    at: ["unitIds", "0"],
    input: (w, ref) => ({ planId: w.plan, customerId: w.attacker.customer, unitIds: [ref], startsOn: today }),
  },
  {
    mutation: "createServiceContract",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ planId: w.plan, customerId: w.attacker.customer, unitIds: [w.attacker.soldUnit], dealerId: ref, startsOn: today }),
  },
  {
    mutation: "fileWarrantyClaim",
    field: "ticketId",
    prefix: "tkt",
    foreign: (w) => w.victim.ticket.id,
    code: "TICKET_NOT_FOUND",
    input: (w, ref) => ({ ...claim(w), ticketId: ref }),
  },
  {
    mutation: "fileWarrantyClaim",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ ...claim(w), dealerId: ref }),
  },
  // tickets
  {
    mutation: "openTicket",
    field: "customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (_w, ref) => ticketInput(ref),
  },
  {
    mutation: "openTicket",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    input: (w, ref) => ticketInput(w.attacker.customer, { unitId: ref }),
  },
  {
    mutation: "importTickets",
    field: "tickets.customerId",
    prefix: "cus",
    foreign: (w) => w.victim.dealer,
    code: "CUSTOMER_NOT_FOUND",
    at: ["tickets", "0", "customerId"],
    caller: "ADMIN",
    input: (w, ref) => ({ tickets: [importedTicket(w, { customerId: ref })] }),
  },
  {
    mutation: "importTickets",
    field: "tickets.unitId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    at: ["tickets", "0", "unitId"],
    caller: "ADMIN",
    input: (w, ref) => ({ tickets: [importedTicket(w, { unitId: ref })] }),
  },
  {
    mutation: "importTickets",
    field: "tickets.serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.customer,
    code: "SERVICE_CENTER_NOT_FOUND",
    at: ["tickets", "0", "serviceCenterId"],
    caller: "ADMIN",
    input: (w, ref) => ({ tickets: [importedTicket(w, { serviceCenterId: ref, technicianId: null })] }),
  },
  {
    mutation: "importTickets",
    field: "tickets.technicianId",
    prefix: "tec",
    foreign: (w) => w.victim.technician,
    code: "TECHNICIAN_NOT_FOUND",
    at: ["tickets", "0", "technicianId"],
    caller: "ADMIN",
    input: (w, ref) => ({ tickets: [importedTicket(w, { technicianId: ref })] }),
  },
  {
    mutation: "importSurveyAnswers",
    field: "answers.ticketId",
    prefix: "tkt",
    foreign: (w) => w.victim.ticket.id,
    code: "SURVEY_NOT_FOUND",
    at: ["answers", "0", "ticketId"],
    caller: "ADMIN",
    input: (_w, ref) => ({ answers: [{ ticketId: ref, score: 4, answeredAt: `${addDays(today, -1)}T10:00:00Z` }] }),
  },
  {
    mutation: "importSurveyAnswers",
    field: "answers.unitId",
    prefix: "unt",
    foreign: (w) => w.victim.unitInStock,
    code: "SURVEY_NOT_FOUND",
    at: ["answers", "0", "unitId"],
    caller: "ADMIN",
    input: (_w, ref) => ({ answers: [{ unitId: ref, score: 4, answeredAt: `${addDays(today, -1)}T10:00:00Z` }] }),
  },
  {
    mutation: "importSurveyAnswers",
    field: "answers.customerId",
    prefix: "cus",
    foreign: (w) => w.victim.dealer,
    code: "CUSTOMER_NOT_FOUND",
    at: ["answers", "0", "customerId"],
    caller: "ADMIN",
    input: (_w, ref) => ({
      answers: [{ customerId: ref, askedAt: `${addDays(today, -3)}T09:00:00Z`, score: 8, answeredAt: `${addDays(today, -2)}T10:00:00Z` }],
    }),
  },
  // A past contact works a reason outreach keeps per customer and subject: one named by another's ids is none.
  {
    mutation: "importOutreachItems",
    field: "items.customerId",
    prefix: "cus",
    foreign: (w) => w.victim.dealer,
    code: "REASON_NOT_FOUND",
    at: ["items", "0", "subjectId"],
    caller: "ADMIN",
    input: (w, ref) => ({ items: [pastCheckIn(ref, w.attacker.soldUnit)] }),
  },
  {
    mutation: "importOutreachItems",
    field: "items.subjectId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "REASON_NOT_FOUND",
    at: ["items", "0", "subjectId"],
    caller: "ADMIN",
    input: (w, ref) => ({ items: [pastCheckIn(w.attacker.customer, ref)] }),
  },
  {
    mutation: "assignTicket",
    field: "serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ ...ticketChange(w), serviceCenterId: ref, reason: "Closer" }),
  },
  {
    mutation: "assignTicket",
    field: "technicianId",
    prefix: "tec",
    foreign: (w) => w.victim.technician,
    code: "TECHNICIAN_NOT_FOUND",
    input: (w, ref) => ({ ...ticketChange(w), serviceCenterId: w.attacker.dealer, technicianId: ref }),
  },
  {
    mutation: "recordTicketParts",
    field: "serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (w, ref) => ({ ...ticketChange(w), serviceCenterId: ref, parts: [{ partId: w.part, quantity: 1 }] }),
  },
  {
    mutation: "issueLoaner",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.unitInStock,
    code: "LOANER_NOT_FOUND",
    input: (w, ref) => ({ ...ticketChange(w), unitId: ref }),
  },
  {
    mutation: "setSlaPolicy",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (_w, ref) => ({ dealerId: ref, version: 0, targets: slaTargets, pausesOnWaitingParts: false }),
  },
  // feedback
  {
    mutation: "recordFeedback",
    field: "customerId",
    prefix: "cus",
    foreign: (w) => w.victim.customer,
    code: "CUSTOMER_NOT_FOUND",
    input: (w, ref) => ({ kind: "PRAISE", customerId: ref, productId: w.equipment, comment: "Works well." }),
  },
  {
    mutation: "recordFeedback",
    field: "unitId",
    prefix: "unt",
    foreign: (w) => w.victim.soldUnit,
    code: "UNIT_NOT_FOUND",
    input: (_w, ref) => ({ kind: "PRAISE", unitId: ref, comment: "Works well." }),
  },
  {
    mutation: "recordFeedback",
    field: "ticketId",
    prefix: "tkt",
    foreign: (w) => w.victim.ticket.id,
    code: "TICKET_NOT_FOUND",
    input: (_w, ref) => ({ kind: "COMPLAINT", ticketId: ref, comment: "Too slow." }),
  },
  {
    mutation: "recordFeedback",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (_w, ref) => ({ kind: "SUGGESTION", dealerId: ref, comment: "Open on Saturdays." }),
  },
  // partners
  {
    mutation: "createCustomer",
    field: "homeDealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (_w, ref) => customerInput(ref),
  },
  {
    mutation: "createTechnician",
    field: "serviceCenterId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (_w, ref) => ({ serviceCenterId: ref, name: `Tech ${tag()}`, skills: ["espresso-machines"] }),
  },
  {
    mutation: "registerWebhookEndpoint",
    field: "dealerId",
    prefix: "dlr",
    foreign: (w) => w.victim.dealer,
    code: "NOT_YOUR_DEALER",
    input: (_w, ref) => ({ dealerId: ref, url: `https://hooks.example.com/${tag()}`, eventTypes: ["unit.*"] }),
  },
];

/**
 * Mutation arguments that name records but are not in the table, and why.
 * Every other argument of a mutation input named `…Id`, `…Ids` or
 * `serialNumber` must be a row above, so a new one cannot be forgotten.
 */
const NOT_IN_THE_TABLE: Record<string, string> = {
  "createProduct.successorId": "products are one catalog for everyone, managed by ADMINs",
  "createProduct.billOfMaterials.partId": "products are one catalog for everyone",
  "createProduct.fittingIds": "products are one catalog for everyone",
  "updateProduct.successorId": "products are one catalog for everyone",
  "updateProduct.billOfMaterials.partId": "products are one catalog for everyone",
  "updateProduct.fittingIds": "products are one catalog for everyone",
  "changeProductLifecycle.productId": "products are one catalog for everyone",
  "changeProductLifecycle.successorId": "products are one catalog for everyone",
  "registerUnit.productId": "products are one catalog for everyone",
  "registerUnit.serialNumber": "a new unit's serial number, not a reference",
  "importUnits.units.productId": "products are one catalog for everyone",
  "importUnits.units.serialNumber": "a new unit's serial number, not a reference",
  "recordConsumablePurchase.productId": "products are one catalog for everyone",
  "setPartStock.partId": "products are one catalog for everyone",
  "adjustPartStock.partId": "products are one catalog for everyone",
  "recordFeedback.productId": "products are one catalog for everyone",
  "recordTicketParts.parts.partId": "products are one catalog for everyone",
  "setWarrantyPolicy.productId": "products are one catalog for everyone",
  "createServiceContract.planId": "contract plans are the same for every dealer",
  "createApiKey.dealerId": "only ADMINs manage keys (cross-tenant.test.ts refuses DEALERs)",
  "fileWarrantyClaim.unitId": "any dealer may claim for a unit it repaired, whoever sold it (SECURITY.md)",
  "fileWarrantyClaim.serialNumber": "any dealer may claim for a unit it repaired, whoever sold it (SECURITY.md)",
  "fileWarrantyClaim.lines.partId": "products are one catalog for everyone",
  "sellUnit.serialNumber": "the same lookup as by unitId (catalog-access.test.ts compares the two)",
  "recordUnitEvent.serialNumber": "the same lookup as by unitId (catalog-access.test.ts compares the two)",
  "transferUnit.serialNumber": "the same lookup as by unitId (catalog-access.test.ts compares the two)",
  "openTicket.serialNumber": "the same lookup as by unitId",
  "issueLoaner.serialNumber": "the same lookup as by unitId",
  "updateTechnician.serviceCenterId": "the technician's own record (partners-access.test.ts)",
  "updateCustomer.homeDealerId": "the customer's own record (cross-tenant.test.ts hands one to another dealer)",
  "recordOutreachOutcome.itemId": "the item's own record (cross-tenant.test.ts: another dealer's is refused like an unknown one)",
};

/** Every mutation input field (nested ones too) that names a record other than the one the mutation changes (`id`). */
function referenceArguments(): string[] {
  const api = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();
  const found: string[] = [];
  const walk = (path: string, type: GraphQLInputType, seen: readonly string[]) => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.includes(named.name)) return;
    for (const field of Object.values(named.getFields())) {
      const at = `${path}.${field.name}`;
      if (/Ids?$/.test(field.name) || field.name === "serialNumber") found.push(at);
      walk(at, field.type, [...seen, named.name]);
    }
  };
  for (const [name, field] of Object.entries(api.getMutationType()?.getFields() ?? {})) {
    for (const argument of field.args) walk(name, argument.type, []);
  }
  return found;
}

it("covers every mutation argument that names a record, or says why not", () => {
  const covered = new Set([...REFERENCES.map((r) => `${r.mutation}.${r.field}`), ...Object.keys(NOT_IN_THE_TABLE)]);
  expect(referenceArguments().filter((path) => !covered.has(path))).toEqual([]);
});

const CREATE_CUSTOMER = graphql(`mutation ReferenceArgumentsCreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } errors { code field message } } }`);
const CREATE_TECHNICIAN = graphql(`mutation ReferenceArgumentsCreateTechnician($input: CreateTechnicianInput!) {
  createTechnician(input: $input) { technician { id } errors { code field message } } }`);
const REGISTER_UNIT = graphql(`mutation ReferenceArgumentsRegisterUnit($input: RegisterUnitInput!) {
  registerUnit(input: $input) { unit { id } errors { code field message } } }`);
const SELL_UNIT = graphql(
  `mutation ReferenceArgumentsSellUnit($input: SellUnitInput!) { sellUnit(input: $input) { unit { id } errors { code field message } } }`,
);
const OPEN_TICKET = graphql(`mutation ReferenceArgumentsOpenTicket($input: OpenTicketInput!) {
  openTicket(input: $input) { ticket { id version } errors { code field message } } }`);
const ASSIGN_TICKET = graphql(`mutation ReferenceArgumentsAssignTicket($input: AssignTicketInput!) {
  assignTicket(input: $input) { ticket { id version } errors { code field message } } }`);

/** A dealer's records, made as that DEALER. */
async function seedSide(graph: TestGraph, w: Pick<World, "equipment">): Promise<Side> {
  const { id: dealer } = await createDealer(graph);
  const asDealer = graph.as({ role: "DEALER", dealerId: dealer });
  const customer = (await succeed(asDealer, CREATE_CUSTOMER, { input: customerInput(dealer) })).customer!.id;
  const otherCustomer = (await succeed(asDealer, CREATE_CUSTOMER, { input: customerInput(dealer) })).customer!.id;
  const technician = (await succeed(asDealer, CREATE_TECHNICIAN, { input: { serviceCenterId: dealer, name: `Tech ${tag()}`, skills: ["espresso-machines"] } }))
    .technician!.id;
  const register = async () =>
    (await succeed(asDealer, REGISTER_UNIT, { input: { serialNumber: serial(), productId: w.equipment, registeredOn: addDays(today, -10) } })).unit!.id;
  const unitInStock = await register();
  const soldUnit = await register();
  await succeed(asDealer, SELL_UNIT, {
    input: { unitId: soldUnit, customerId: customer, price: { amount: "1299.00", currency: "EUR" }, soldOn: addDays(today, -9) },
  });
  const opened = (await succeed(asDealer, OPEN_TICKET, { input: ticketInput(customer, { unitId: soldUnit }) })).ticket!;
  const { ticket } = await succeed(asDealer, ASSIGN_TICKET, {
    input: { id: opened.id, version: opened.version, serviceCenterId: dealer, reason: "Our own workshop" },
  });
  return { dealer, customer, otherCustomer, technician, unitInStock, soldUnit, ticket: ticket! };
}

async function seedWorld(graph: TestGraph): Promise<World> {
  const { id: equipment } = await createProduct(graph);
  const { id: part } = await createProduct(graph, { kind: "SPARE_PART" });
  const { id: consumable } = await createProduct(graph, { kind: "CONSUMABLE" });
  await setWarrantyPolicy(graph, equipment);
  const { id: plan } = await createContractPlan(graph);
  const attacker = await seedSide(graph, { equipment });
  const victim = await seedSide(graph, { equipment });
  return { attacker, victim, equipment, part, consumable, plan };
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const madeUpId = (prefix: string) => fc.stringMatching(ULID).map((ulid) => `${prefix}_${ulid}`);

/**
 * Sends a row's mutation. The table names its mutations and fields, so that
 * the test above can check it against the schema's every reference argument;
 * its documents are built from those names and stay plain strings.
 */
const send = (client: Client, mutation: string, input: Record<string, unknown>) =>
  client.request<Record<string, { errors: unknown[] }>>(
    `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { __typename errors { code field message } } }`,
    { input },
  );

describe.each([
  { copies: "every record in the subgraphs' copies", relay: true },
  { copies: "copies that lack every record, so their owners are asked", relay: false },
])("with $copies", ({ relay }) => {
  let graph: TestGraph;
  let world: World;
  let database: DatabaseHandle;
  let attacker: Client;

  beforeAll(async () => {
    graph = await startGraph({ relay });
    world = await seedWorld(graph);
    await graph.settle();
    database = openDatabase(graph.database);
    attacker = graph.as({ role: "DEALER", dealerId: world.attacker.dealer });
  }, 600_000);
  afterAll(async () => {
    await database?.close();
    await graph?.stop();
  });

  it.each(REFERENCES.map((reference) => ({ ...reference, name: `${reference.mutation}.${reference.field}` })))(
    "refuses another dealer's record in $name exactly like an id that names nothing, and writes nothing",
    async (reference) => {
      await fc.assert(
        fc.asyncProperty(madeUpId(reference.prefix), async (madeUp) => {
          // given: the victim's record of that kind, and an id of the same shape that names nothing
          const foreign = reference.foreign(world);
          const before = await databaseFingerprint(database.db);
          // when: the attacker names each in an otherwise valid input
          const caller = reference.caller === "ADMIN" ? graph : attacker;
          const forForeign = await send(caller, reference.mutation, reference.input(world, foreign));
          const forMadeUp = await send(caller, reference.mutation, reference.input(world, madeUp));
          await graph.settle();
          // then: the same refusal, but for the id, and nothing written
          expect(withPlaceholders(forForeign, { "<id>": foreign })).toEqual(withPlaceholders(forMadeUp, { "<id>": madeUp }));
          const payload = (forForeign as GraphQLResponse<Record<string, { errors: { code: string; field: string[] }[] }>>).data?.[reference.mutation];
          expect(payload?.errors).toContainEqual(expect.objectContaining({ code: reference.code, field: reference.at ?? [reference.field] }));
          expect(await databaseFingerprint(database.db)).toEqual(before);
        }),
        { numRuns: 2 },
      );
    },
  );
});
