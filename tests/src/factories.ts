import { randomBytes } from "node:crypto";
import type { TestGraph } from "./graph.js";

/** A short random tag that keeps one test's rows apart from another's in a shared database. */
export const tag = () => randomBytes(3).toString("hex");

export const WEEKDAYS_9_TO_5 = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((day) => ({
  day,
  opens: "09:00",
  closes: "17:00",
}));

export const dealerInput = (overrides: Record<string, unknown> = {}) => ({
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

export const customerInput = (homeDealerId: string, overrides: Record<string, unknown> = {}) => ({
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
const inputTypeOf = (mutation: string) => `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;

export const createDealer = (graph: TestGraph, overrides: Record<string, unknown> = {}) =>
  create(graph, "createDealer", "dealer", dealerInput(overrides));

export const createCustomer = (graph: TestGraph, homeDealerId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "createCustomer", "customer", customerInput(homeDealerId, overrides));

/** A unique SKU: upper-case, as the catalog stores it. */
export const sku = (prefix = "PRD") => `${prefix}-${tag().toUpperCase()}`;

/** A product of the catalog; equipment unless `kind` says otherwise, consumables with a 30-day cycle. */
export const productInput = (overrides: Record<string, unknown> = {}) => ({
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
  create(graph, "createProduct", "product", productInput(overrides));

/** A unit in `dealerId`'s stock, registered on a fixed past day so that later events can be dated freely. */
export const registerUnit = (graph: TestGraph, productId: string, dealerId: string, overrides: Record<string, unknown> = {}) =>
  create(graph, "registerUnit", "unit", { serialNumber: `SN-${tag()}`, productId, dealerId, registeredOn: "2025-01-10", ...overrides });
