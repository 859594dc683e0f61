import { randomBytes } from "node:crypto";
import { addDays, addMonthsClamped, anniversary, zonedInstant } from "@aftersales/kit";
import type { TestGraph } from "./graph.js";
import type {
  BusinessHoursWindowInput,
  CreateCustomerInput,
  CreateDealerInput,
  CreateProductInput,
  OpenTicketInput,
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

interface Payload {
  errors: { code: string; field: string[] | null; message: string }[];
}

/** Runs a create mutation that must succeed and returns the created object's id and version. */
export async function create(graph: TestGraph, mutation: string, key: string, input: unknown): Promise<Created> {
  const data = await graph.query<Record<string, Payload & Record<string, Created | null>>>(
    `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { ${key} { id version } errors { code field message } } }`,
    { input },
  );
  const payload = data[mutation]!;
  const created = payload[key];
  if (!created || payload.errors.length) throw new Error(`${mutation} refused: ${JSON.stringify(payload.errors)}`);
  return created;
}

/** `createDealer` → `CreateDealerInput`. */
export const inputTypeOf = (mutation: string) => `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;

export const createDealer = (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  create(graph, "createDealer", "dealer", { ...dealerInput(), ...overrides });

export const createCustomer = (graph: TestGraph, homeDealerId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "createCustomer", "customer", customerInput(homeDealerId, overrides));

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

export const createProduct = (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  create(graph, "createProduct", "product", { ...productInput(overrides.kind === "CONSUMABLE" ? { kind: "CONSUMABLE" } : {}), ...overrides });

/** A unit in `dealerId`'s stock, registered on a fixed past day so that later events can be dated freely. */
export const registerUnit = (graph: TestGraph, productId: string, dealerId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "registerUnit", "unit", { serialNumber: `SN-${tag()}`, productId, dealerId, registeredOn: "2025-01-10", ...overrides });

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

/** Sets a warranty policy as an ADMIN; the product must have reached the warranty subgraph (`graph.settle()` after creating it). */
export const setWarrantyPolicy = (graph: TestGraph, productId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "setWarrantyPolicy", "policy", { ...warrantyPolicyInput(productId), ...overrides });

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

export const createContractPlan = (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  create(graph, "createContractPlan", "plan", contractPlanInput(overrides));

export const sellUnit = (graph: TestGraph, unitId: string, customerId: string, soldOn: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "sellUnit", "unit", { unitId, customerId, price: UNIT_PRICE, soldOn, ...overrides });

export const recordUnitEvent = (graph: TestGraph, unitId: string, kind: string, occurredOn: string) =>
  create(graph, "recordUnitEvent", "unit", { unitId, kind, occurredOn });

export const transferUnit = (graph: TestGraph, unitId: string, newCustomerId: string, occurredOn: string) =>
  create(graph, "transferUnit", "unit", { unitId, newCustomerId, occurredOn });

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

/** Opens a ticket as an ADMIN; the customer (and unit) must have reached the tickets subgraph (`graph.settle()` after creating them). */
export const openTicket = (graph: TestGraph, customerId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "openTicket", "ticket", { ...ticketInput(customerId), ...overrides });
