import { randomBytes } from "node:crypto";
import { addDays, addMonthsClamped, anniversary, zonedInstant } from "@aftersales/kit";
import { graphql } from "./generated/index.js";
import type { TestGraph } from "./graph.js";
import type {
  BusinessHoursWindowInput,
  CreateCustomerInput,
  CreateDealerInput,
  CreateProductInput,
  OpenTicketInput,
  RecordableUnitEvent,
  SetWarrantyPolicyInput,
  Weekday,
} from "./generated/graphql.js";

/** A short random tag that keeps one test's rows apart from another's in a shared database. */
export const tag = () => randomBytes(3).toString("hex");

export const WEEKDAYS_9_TO_5: BusinessHoursWindowInput[] = (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as Weekday[]).map((day) => ({
  day,
  opens: "09:00",
  closes: "17:00",
}));

export const dealerInput = (overrides: Partial<CreateDealerInput> = {}): CreateDealerInput => ({
  name: `Dealer ${tag()}`,
  kind: "BOTH",
  region: "DACH",
  email: "service@dealer.example",
  address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE" },
  location: { latitude: 52.52, longitude: 13.405 },
  serviceRadiusKm: 50,
  laborRate: { amount: "85.00", currency: "EUR" },
  calendar: { timeZone: "Europe/Berlin", weeklyWindows: WEEKDAYS_9_TO_5, holidays: [] },
  ...overrides,
});

export const customerInput = (homeDealerId: string, overrides: Partial<CreateCustomerInput> = {}): CreateCustomerInput => ({
  kind: "CONSUMER",
  name: `Customer ${tag()}`,
  email: `${tag()}@customer.example`,
  address: { street: "Gartenweg 2", postalCode: "10117", city: "Berlin", country: "DE" },
  homeDealerId,
  ...overrides,
});

export interface Created {
  id: string;
  version: number;
}

/** A create mutation's payload: the object made, or the refusals. */
type Payload<K extends string> = { [key in K]: Created | null } & { errors: { code: string; field: string[] | null; message: string }[] };

/** The created object of a payload; a refusal fails the test. */
function created<K extends string>(payload: Payload<K>, mutation: string, key: K): Created {
  const made = payload[key];
  if (!made || payload.errors.length) throw new Error(`${mutation} refused: ${JSON.stringify(payload.errors)}`);
  return made;
}

/**
 * Runs a create mutation, named by its payload field, that must succeed and
 * returns the created object's id and version. The document is built from
 * the names, so that one helper serves any create mutation a test needs
 * once; the factories below send typed documents.
 */
export async function create(graph: TestGraph, mutation: string, key: string, input: unknown): Promise<Created> {
  const data = await graph.query<Record<string, Payload<string>>>(
    `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { ${key} { id version } errors { code field message } } }`,
    { input },
  );
  return created(data[mutation]!, mutation, key);
}

/** `createDealer` → `CreateDealerInput`. */
export const inputTypeOf = (mutation: string) => `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;

const CREATE_DEALER = graphql(`mutation FactoriesCreateDealer($input: CreateDealerInput!) {
  createDealer(input: $input) { dealer { id version } errors { code field message } } }`);
const CREATE_CUSTOMER = graphql(`mutation FactoriesCreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id version } errors { code field message } } }`);

export const createDealer = async (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  created((await graph.query(CREATE_DEALER, { input: { ...dealerInput(), ...overrides } })).createDealer, "createDealer", "dealer");

export const createCustomer = async (graph: TestGraph, homeDealerId: string, overrides: Record<string, unknown> = {}) =>
  created((await graph.query(CREATE_CUSTOMER, { input: customerInput(homeDealerId, overrides) })).createCustomer, "createCustomer", "customer");

const CREATE_TECHNICIAN = graphql(`mutation FactoriesCreateTechnician($input: CreateTechnicianInput!) {
  createTechnician(input: $input) { technician { id version } errors { code field message } } }`);

/** A technician of `serviceCenterId`, skilled in espresso machines unless `overrides` say otherwise. */
export const createTechnician = async (graph: TestGraph, serviceCenterId: string, overrides: Record<string, unknown> = {}) => {
  const input = { serviceCenterId, name: `Tech ${tag()}`, skills: ["espresso-machines"], ...overrides };
  return created((await graph.query(CREATE_TECHNICIAN, { input })).createTechnician, "createTechnician", "technician");
};

/** A unique SKU: upper-case, as the catalog stores it. */
export const sku = (prefix = "PRD") => `${prefix}-${tag().toUpperCase()}`;

/** A product of the catalog; equipment unless `kind` says otherwise, consumables with a 30-day cycle. */
export const productInput = (overrides: Partial<CreateProductInput> = {}): CreateProductInput => ({
  sku: sku(),
  name: `Product ${tag()}`,
  kind: "EQUIPMENT",
  category: "espresso-machines",
  listPrice: { amount: "999.00", currency: "EUR" },
  // A fixed past launch, so that lifecycle changes can be dated freely after it.
  introducedOn: "2024-01-15",
  ...(overrides.kind === "CONSUMABLE" ? { replenishmentCycleDays: 30 } : {}),
  ...overrides,
});

const CREATE_PRODUCT = graphql(`mutation FactoriesCreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) { product { id version } errors { code field message } } }`);
const REGISTER_UNIT = graphql(`mutation FactoriesRegisterUnit($input: RegisterUnitInput!) {
  registerUnit(input: $input) { unit { id version } errors { code field message } } }`);

export const createProduct = async (graph: TestGraph, overrides: Record<string, unknown> = {}) => {
  const input = { ...productInput(overrides.kind === "CONSUMABLE" ? { kind: "CONSUMABLE" } : {}), ...overrides };
  return created((await graph.query(CREATE_PRODUCT, { input })).createProduct, "createProduct", "product");
};

/** A unit in `dealerId`'s stock, registered on a fixed past day so that later events can be dated freely. */
export const registerUnit = async (graph: TestGraph, productId: string, dealerId: string, overrides: Record<string, unknown> = {}) => {
  const input = { serialNumber: `SN-${tag()}`, productId, dealerId, registeredOn: "2025-01-10", ...overrides };
  return created((await graph.query(REGISTER_UNIT, { input })).registerUnit, "registerUnit", "unit");
};

// --- warranty ---------------------------------------------------------------

/** A price units are sold at unless a test says otherwise. */
export const UNIT_PRICE = { amount: "1299.00", currency: "EUR" };

/** A product's warranty terms: 24 months from the sale, everything covered on site, transferable; first version effective long ago. */
export const warrantyPolicyInput = (productId: string, overrides: Partial<SetWarrantyPolicyInput> = {}): SetWarrantyPolicyInput => ({
  productId,
  effectiveFrom: "2023-01-01",
  months: 24,
  startBasis: "PURCHASE",
  partsShare: 100,
  laborShare: 100,
  serviceMode: "ON_SITE",
  transferable: true,
  exclusions: [],
  ...overrides,
});

const SET_WARRANTY_POLICY = graphql(`mutation FactoriesSetWarrantyPolicy($input: SetWarrantyPolicyInput!) {
  setWarrantyPolicy(input: $input) { policy { id version } errors { code field message } } }`);

/** Sets a warranty policy as an ADMIN; the product must have reached the warranty subgraph (`graph.settle()` after creating it). */
export const setWarrantyPolicy = async (graph: TestGraph, productId: string, overrides: Record<string, unknown> = {}) => {
  const input = { ...warrantyPolicyInput(productId), ...overrides };
  return created((await graph.query(SET_WARRANTY_POLICY, { input })).setWarrantyPolicy, "setWarrantyPolicy", "policy");
};

/** A service contract plan: 5.5 % a year, 12 months, parts and labor, no visits. */
export const contractPlanInput = (overrides: Record<string, unknown> = {}) => ({
  name: `Plan ${tag()}`,
  priceSharePercent: 5.5,
  termMonths: 12,
  responseHours: 8,
  resolutionHours: 48,
  visitsPerYear: 0,
  partsCovered: true,
  laborCovered: true,
  ...overrides,
});

const CREATE_CONTRACT_PLAN = graphql(`mutation FactoriesCreateContractPlan($input: CreateContractPlanInput!) {
  createContractPlan(input: $input) { plan { id version } errors { code field message } } }`);
const SELL_UNIT = graphql(`mutation FactoriesSellUnit($input: SellUnitInput!) {
  sellUnit(input: $input) { unit { id version } errors { code field message } } }`);
const RECORD_UNIT_EVENT = graphql(`mutation FactoriesRecordUnitEvent($input: RecordUnitEventInput!) {
  recordUnitEvent(input: $input) { unit { id version } errors { code field message } } }`);
const TRANSFER_UNIT = graphql(`mutation FactoriesTransferUnit($input: TransferUnitInput!) {
  transferUnit(input: $input) { unit { id version } errors { code field message } } }`);

export const createContractPlan = async (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  created((await graph.query(CREATE_CONTRACT_PLAN, { input: contractPlanInput(overrides) })).createContractPlan, "createContractPlan", "plan");

export const sellUnit = async (graph: TestGraph, unitId: string, customerId: string, soldOn: string, overrides: Record<string, unknown> = {}) => {
  const input = { unitId, customerId, price: UNIT_PRICE, soldOn, ...overrides };
  return created((await graph.query(SELL_UNIT, { input })).sellUnit, "sellUnit", "unit");
};

export const recordUnitEvent = async (graph: TestGraph, unitId: string, kind: RecordableUnitEvent, occurredOn: string, note?: string) => {
  const input = { unitId, kind, occurredOn, ...(note ? { note } : {}) };
  return created((await graph.query(RECORD_UNIT_EVENT, { input })).recordUnitEvent, "recordUnitEvent", "unit");
};

export const transferUnit = async (graph: TestGraph, unitId: string, newCustomerId: string, occurredOn: string) =>
  created((await graph.query(TRANSFER_UNIT, { input: { unitId, newCustomerId, occurredOn } })).transferUnit, "transferUnit", "unit");

export interface SoldUnit {
  id: string;
  serialNumber: string;
}

/**
 * A unit of `productId` registered at `dealerId` and sold by it to
 * `customerId` on `soldOn`, then delivered and installed when those dates are
 * given. Registered a few days before the sale, so any past sale date works.
 */
export async function soldUnit(
  graph: TestGraph,
  unit: {
    productId: string;
    dealerId: string;
    customerId: string;
    soldOn: string;
    price?: { amount: string; currency: string };
    deliveredOn?: string;
    installedOn?: string;
  },
): Promise<SoldUnit> {
  const serialNumber = `SN-${tag()}-${tag()}`;
  const registeredOn = addDays(unit.soldOn, -5);
  const { id } = await registerUnit(graph, unit.productId, unit.dealerId, { serialNumber, registeredOn });
  await sellUnit(graph, id, unit.customerId, unit.soldOn, unit.price ? { price: unit.price } : {});
  if (unit.deliveredOn) await recordUnitEvent(graph, id, "DELIVERED", unit.deliveredOn);
  if (unit.installedOn) await recordUnitEvent(graph, id, "INSTALLED", unit.installedOn);
  return { id, serialNumber };
}

/** The instant (ISO, UTC) at which the clocks in `timeZone` read `date` `time` (`HH:MM`), e.g. 00:30 in Auckland. */
export const localInstant = (date: string, time: string, timeZone: string): string => zonedInstant(date, time, timeZone).toISOString();

/**
 * The last day of a term of `months` from `start`: the day before the same day
 * `months` later, or before the 1st of the month after when that month has
 * no such day (2024-02-29 + 12 months: through 2025-02-28).
 */
export const lastDayOfTerm = (start: string, months: number): string => addDays(anniversary(start, months), -1);

export { addMonthsClamped };

// --- tickets ----------------------------------------------------------------

/** A repair ticket reported by phone; name the unit with `unitId` or `serialNumber` in `overrides`. */
export const ticketInput = (customerId: string, overrides: Partial<OpenTicketInput> = {}): OpenTicketInput => ({
  customerId,
  kind: "REPAIR",
  channel: "PHONE",
  subject: `Pump noisy ${tag()}`,
  description: "The pump rattles when it starts.",
  failureCode: "E04-PUMP",
  ...overrides,
});

const OPEN_TICKET = graphql(`mutation FactoriesOpenTicket($input: OpenTicketInput!) {
  openTicket(input: $input) { ticket { id version } errors { code field message } } }`);

/** Opens a ticket as an ADMIN; the customer (and unit) must have reached the tickets subgraph (`graph.settle()` after creating them). */
export const openTicket = async (graph: TestGraph, customerId: string, overrides: Record<string, unknown> = {}) =>
  created((await graph.query(OPEN_TICKET, { input: { ...ticketInput(customerId), ...overrides } })).openTicket, "openTicket", "ticket");
