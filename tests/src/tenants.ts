import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { createCustomer, createDealer, createProduct, createTechnician, recordUnitEvent, registerUnit, sellUnit, tag } from "./factories.js";
import { graphql } from "./generated/index.js";
import type { Client, TestGraph } from "./graph.js";

/**
 * A network of dealers with rows in every tenant table, for tests that check
 * what one dealer can see and change of another's. Every personal value and
 * id is unique across the network, so a value found in an answer says whose
 * it is.
 */

export interface SeededCustomer {
  id: string;
  name: string;
  companyName: string;
  email: string;
  phone: string;
  street: string;
}

export interface SeededTechnician {
  id: string;
  name: string;
  email: string;
  phone: string;
}

export interface SeededUnit {
  id: string;
  serialNumber: string;
  /** The customer it was sold to; null while in stock. */
  customerId: string | null;
}

export interface SeededDealer {
  id: string;
  /** Two customers with this dealer as their home dealer. */
  customers: [SeededCustomer, SeededCustomer];
  technician: SeededTechnician;
  /** Sold to its own first customer (then delivered and installed), in stock, and one sold to each other dealer's first customer. */
  units: SeededUnit[];
  /** Its consumable purchases: one per own customer, one for each other dealer's second customer. */
  purchaseIds: string[];
  operation: { hash: string; name: string; document: string };
  apiKey: { id: string; prefix: string; name: string };
  /**
   * Other dealers' customers it sold a unit or a consumable to: their ids are
   * on its own sales, so it knows them (and nothing else of them).
   */
  served: string[];
}

export interface Network {
  tag: string;
  products: { equipment: string; consumable: string; part: string };
  dealers: SeededDealer[];
  /** An operation registered by staff: every caller may call it. */
  sharedOperationHash: string;
}

/** The date seeded purchases are forecast from (`replenishmentDue(asOf: ...)`), so forecasts do not depend on today. */
export const SEED_AS_OF = "2025-03-01";

/** What every mutation's payload carries: its refusals. */
interface Refusable {
  errors: readonly unknown[];
}

/**
 * Runs a mutation as `client` that must succeed, and returns its payload: a
 * typed document of one mutation with its variables, or (for files that
 * still send plain strings) the mutation's name, a selection of its payload
 * and its input, from which the document is built.
 */
export function succeed<TResult extends Record<string, Refusable>, TVariables>(
  client: Client,
  mutation: DocumentTypeDecoration<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult[keyof TResult]>;
export function succeed<T>(client: Client, mutation: string, selection: string, input: Record<string, unknown>): Promise<T>;
export async function succeed(
  client: Client,
  mutation: string | DocumentTypeDecoration<Record<string, Refusable>, unknown>,
  selectionOrVariables: string | Record<string, unknown>,
  input: Record<string, unknown> = {},
): Promise<Refusable> {
  const [document, variables] =
    typeof mutation === "string"
      ? [
          `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selectionOrVariables} errors { code field message } } }`,
          { input },
        ]
      : [mutation.toString(), selectionOrVariables];
  const data = await client.query<Record<string, Refusable>>(document, typeof variables === "string" ? {} : variables);
  const [name, payload] = Object.entries(data)[0]!;
  if (payload.errors.length) throw new Error(`${name} refused: ${JSON.stringify(payload.errors)}`);
  return payload;
}

const REGISTER_OPERATION = graphql(`mutation TenantsRegisterOperation($input: RegisterOperationInput!) {
  registerOperation(input: $input) { operation { hash } errors { code field message } } }`);
const CREATE_API_KEY = graphql(`mutation TenantsCreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id prefix name } errors { code field message } } }`);
const SET_PART_STOCK = graphql(`mutation TenantsSetPartStock($input: SetPartStockInput!) {
  setPartStock(input: $input) { stock { onHand } errors { code field message } } }`);
const RECORD_PURCHASE = graphql(`mutation TenantsRecordPurchase($input: RecordConsumablePurchaseInput!) {
  recordConsumablePurchase(input: $input) { purchase { id } errors { code field message } } }`);
const UNIT_SERIAL = graphql(`query TenantsUnitSerial($id: ID!) { unit(id: $id) { serialNumber } }`);
const OPERATION_NAMES = graphql(`query TenantsOperationNames { persistedOperations(first: 100) { edges { node { hash name } } } }`);

/** A unit's serial number, as an ADMIN reads it. */
const serialOf = async (graph: TestGraph, unitId: string) => {
  const { unit } = await graph.query(UNIT_SERIAL, { id: unitId });
  if (!unit) throw new Error(`No unit ${unitId}.`);
  return unit.serialNumber;
};

/**
 * Seeds `size` dealers (kind BOTH) as an ADMIN, each with customers, a
 * technician, units with histories, consumable purchases and forecasts,
 * parts stock, an API key and an operation registered as that DEALER; and
 * cross-dealer business: every dealer sold a unit to, and once sold a
 * consumable to, a customer of every other dealer. Requests run in parallel.
 */
export async function seedNetwork(graph: TestGraph, size: number): Promise<Network> {
  const t = tag();
  const [equipment, consumable, part, ...dealerIds] = await Promise.all([
    createProduct(graph, { name: `Machine ${t}` }),
    createProduct(graph, { kind: "CONSUMABLE", name: `Beans ${t}`, category: "coffee", replenishmentCycleDays: 30 }),
    createProduct(graph, { kind: "SPARE_PART", name: `Pump ${t}`, category: "parts" }),
    ...Array.from({ length: size }, (_, i) => createDealer(graph, { name: `Tenant ${t} ${i}` })),
  ]);
  const products = { equipment: equipment!.id, consumable: consumable!.id, part: part!.id };

  // Each dealer's own records, all dealers at once.
  const dealers = await Promise.all(
    dealerIds.map(async ({ id }, i): Promise<SeededDealer> => {
      const customer = async (n: number): Promise<SeededCustomer> => {
        const values = {
          name: `Person ${tag()}`,
          companyName: `Company ${tag()}`,
          email: `${tag()}@customer.example`,
          phone: `+49 30 ${1000 + i * 10 + n}${tag().replace(/\D/g, "1")}`,
          street: `Weg ${tag()} ${n + 1}`,
        };
        const created = await createCustomer(graph, id, {
          kind: "BUSINESS",
          name: values.name,
          companyName: values.companyName,
          email: values.email,
          phone: values.phone,
          address: { street: values.street, postalCode: "10117", city: "Berlin", country: "DE" },
          location: { latitude: 52.5 + i / 100, longitude: 13.4 + n / 100 },
        });
        return { id: created.id, ...values };
      };
      const technicianValues = { name: `Tech ${tag()}`, email: `${tag()}@tech.example`, phone: `+49 40 ${2000 + i}${tag().replace(/\D/g, "2")}` };
      const operationDocument = `query Own${t}${i} { dealers(first: 1) { edges { cursor } } }`;
      const [first, second, technician, sold, inStock, operation, apiKey] = await Promise.all([
        customer(0),
        customer(1),
        createTechnician(graph, id, technicianValues),
        registerUnit(graph, products.equipment, id),
        registerUnit(graph, products.equipment, id),
        succeed(graph.as({ role: "DEALER", dealerId: id }), REGISTER_OPERATION, {
          input: { name: `Own operation ${tag()}`, document: operationDocument },
        }),
        succeed(graph, CREATE_API_KEY, { input: { name: `ERP ${tag()}`, role: "DEALER", dealerId: id } }),
        succeed(graph, SET_PART_STOCK, { input: { serviceCenterId: id, partId: products.part, onHand: 5, reorderPoint: 1, maxLevel: 10 } }),
      ]);
      return {
        id,
        customers: [first, second],
        technician: { id: technician.id, ...technicianValues },
        units: [
          { id: sold.id, serialNumber: await serialOf(graph, sold.id), customerId: first.id },
          { id: inStock.id, serialNumber: await serialOf(graph, inStock.id), customerId: null },
        ],
        purchaseIds: [],
        operation: { hash: operation.operation!.hash, name: "", document: operationDocument },
        apiKey: apiKey.apiKey!,
        served: [],
      };
    }),
  );

  // Histories and the business between dealers, which needs every dealer's customers.
  // Sold at 1299.00 EUR, the factories' price.
  const sell = (unit: { id: string }, customerId: string, soldOn: string) => sellUnit(graph, unit.id, customerId, soldOn);
  const buy = async (dealer: SeededDealer, customerId: string, purchasedOn: string) => {
    const { purchase } = await succeed(graph, RECORD_PURCHASE, {
      input: { customerId, productId: products.consumable, dealerId: dealer.id, quantity: 2, purchasedOn },
    });
    dealer.purchaseIds.push(purchase!.id);
    if (!dealer.customers.some((c) => c.id === customerId)) dealer.served.push(customerId);
  };
  await Promise.all(
    dealers.map(async (dealer, i) => {
      const [sold] = dealer.units;
      await sell(sold!, dealer.customers[0].id, "2025-02-01");
      await recordUnitEvent(graph, sold!.id, "DELIVERED", "2025-02-05");
      await recordUnitEvent(graph, sold!.id, "INSTALLED", "2025-02-10", `Installed ${tag()}`);
      // Each dealer's own purchases for its own customers.
      for (const customer of dealer.customers) await buy(dealer, customer.id, SEED_AS_OF);
      for (const [j, other] of dealers.entries()) {
        if (j === i) continue;
        const unit = await registerUnit(graph, products.equipment, dealer.id);
        await sell(unit, other.customers[0].id, "2025-02-15");
        dealer.units.push({ id: unit.id, serialNumber: await serialOf(graph, unit.id), customerId: other.customers[0].id });
        dealer.served.push(other.customers[0].id);
      }
    }),
  );
  // One after the other: each purchase recomputes its dealer's forecast for the customer.
  for (const [i, dealer] of dealers.entries()) {
    for (const [j, other] of dealers.entries()) if (j !== i) await buy(dealer, other.customers[1].id, "2025-01-15");
  }

  // Names of registered operations, read back as staff.
  const { persistedOperations } = await graph.query(OPERATION_NAMES);
  for (const dealer of dealers) {
    dealer.operation.name = persistedOperations.edges.find((e) => e.node.hash === dealer.operation.hash)?.node.name ?? "";
  }
  const shared = await succeed(graph, REGISTER_OPERATION, {
    input: { name: `Shared ${t}`, document: `query Shared${t} { products(first: 1) { edges { cursor } } }` },
  });
  return { tag: t, products, dealers, sharedOperationHash: shared.operation!.hash };
}

/**
 * Everything that belongs to a dealer, as an ADMIN reads it: to compare
 * before and after another dealer tried to change it.
 */
const DEALER_RECORDS = graphql(`query TenantsDealerRecords($dealerId: ID!, $asOf: Date!) {
  customers(first: 100, filter: { homeDealerId: $dealerId }) { edges { node {
    id kind name companyName email phone address { street postalCode city country } location { latitude longitude }
    homeDealer { id } relationshipLevel version createdAt updatedAt
    units(first: 100) { edges { node { id dealer { id } } } }
    consumablePurchases(first: 100) { edges { node { id dealer { id } quantity purchasedOn } } }
    replenishmentDue(within: 3650, asOf: $asOf) { dealer { id } lastPurchasedOn purchaseCount daysPerUnit runsOutOn } } } }
  units(first: 100, filter: { dealerId: $dealerId }) { edges { node {
    id serialNumber status version customer { id } dealer { id } soldBy { id } purchasePrice { amount currency }
    soldOn deliveredOn installedOn retiredOn product { id }
    events { kind occurredOn statusAfter customer { id } note recordedAt } } } }
  dealer(id: $dealerId) {
    id version email phone updatedAt calendar { timeZone }
    technicians { id name email phone skills active version serviceCenter { id } }
    unitsSold(first: 100) { edges { node { id } } }
    partsStock(first: 100) { edges { node { part { id } onHand reserved reorderPoint maxLevel version updatedAt } } }
    replenishmentDue(within: 3650, asOf: $asOf, first: 100) { edges { node { customer { id } lastPurchasedOn purchaseCount runsOutOn } } } }
  apiKeys(first: 100, filter: { dealerId: $dealerId, includeRevoked: true }) { edges { node { id name prefix role revokedAt expiresAt } } }
  persistedOperations(first: 100) { edges { node { hash name document registeredAt dealer { id } } } }
}`);

/**
 * A dealer's records as an ADMIN reads them: under its customers and among
 * registered operations only the dealer's own (other dealers may sell to its
 * customers).
 */
export async function recordsOf(graph: TestGraph, dealerId: string): Promise<unknown> {
  const data = await graph.query(DEALER_RECORDS, { dealerId, asOf: SEED_AS_OF });
  const own = <Edge extends { node: { dealer: { id: string } | null } }>(connection: { edges: Edge[] }) =>
    connection.edges.filter((e) => e.node.dealer?.id === dealerId);
  return {
    ...data,
    customers: data.customers.edges.map(({ node }) => ({ ...node, units: own(node.units), consumablePurchases: own(node.consumablePurchases) })),
    persistedOperations: own(data.persistedOperations),
  };
}

/** A dealer's customers' and technician's personal data: what an ANALYST never receives. */
export const personalValuesOf = (dealer: SeededDealer): string[] => [
  ...dealer.customers.flatMap((c) => [c.name, c.companyName, c.email, c.phone, c.street]),
  dealer.technician.name,
  dealer.technician.email,
  dealer.technician.phone,
];

/**
 * The values that belong to a dealer and must never reach another: ids,
 * serial numbers, names, emails, phones, streets, hashes and key names. Its
 * dealer id is left out: the dealer directory is public. Seen by `other`,
 * the ids of the dealer's customers it sold to are left out too: they are on
 * its own sales.
 */
export function privateValuesOf(dealer: SeededDealer, other?: SeededDealer): string[] {
  const known = new Set(other?.served ?? []);
  return [
    ...dealer.customers.flatMap((c) => [...(known.has(c.id) ? [] : [c.id]), c.name, c.companyName, c.email, c.phone, c.street]),
    dealer.technician.id,
    dealer.technician.name,
    dealer.technician.email,
    dealer.technician.phone,
    ...dealer.units.flatMap((u) => [u.id, u.serialNumber]),
    ...dealer.purchaseIds,
    dealer.operation.hash,
    dealer.operation.name,
    dealer.operation.document,
    dealer.apiKey.id,
    dealer.apiKey.prefix,
    dealer.apiKey.name,
  ];
}

/**
 * An answer as text, with every cursor in it decoded too: a cursor holds the
 * sort key of a row (a name, a serial number), so it could carry what the
 * fields leave out.
 */
export function textOf(response: unknown): string {
  const cursors: string[] = [];
  JSON.stringify(response, (key, value: unknown) => {
    if (typeof value === "string" && /cursor$/i.test(key)) cursors.push(Buffer.from(value, "base64url").toString("utf8"));
    return value;
  });
  return [JSON.stringify(response), ...cursors].join("\n");
}

/** The `values` found in `response` (fields and cursors). */
export function foundIn(response: unknown, values: readonly string[]): string[] {
  const text = textOf(response);
  return values.filter((value) => value && text.includes(value));
}

/** A response as text with each id replaced by its placeholder, to compare answers about different ids. */
export const withPlaceholders = (response: unknown, ids: Record<string, string>) =>
  Object.entries(ids).reduce((json, [placeholder, id]) => json.replaceAll(id, placeholder), JSON.stringify(response));
