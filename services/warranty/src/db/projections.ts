import { asConsumer, payloads } from "@aftersales/events";
import { addDays, anyOf, copyKept, type CopySource, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { eq } from "drizzle-orm";
import { warrantyPeriod } from "../domain/coverage.js";
import { announceWarrantyEndings } from "./endings.js";
import { policyTermsOf } from "./policies.js";
import {
  knownCustomers,
  knownDealers,
  knownProducts,
  knownTickets,
  knownUnits,
  warrantyPolicies,
  type KnownCustomerRow,
  type KnownDealerRow,
  type KnownProductRow,
  type KnownTicketRow,
  type KnownUnitRow,
} from "./schema.js";

/**
 * The copies of other subgraphs' facts this subgraph keeps, applied from
 * their events, or from their owner when a change names a record whose
 * event has not arrived yet (`CopySource`). Each state carries its
 * aggregate's version, and a copy is only ever replaced by a newer one, so a
 * redelivered or late event changes nothing. States are read with the event
 * catalog's schemas, leniently (`asConsumer`): only the fields used here are
 * picked, so a producer may add fields without breaking this consumer.
 */

const unitPayload = asConsumer(payloads.unit);
const productPayload = asConsumer(payloads.product).pick({
  id: true,
  version: true,
  sku: true,
  name: true,
  kind: true,
  listPrice: true,
  billOfMaterials: true,
  repairStandards: true,
});
const dealerPayload = asConsumer(payloads.dealer).pick({ id: true, version: true, name: true, laborRate: true, warrantyWorkshop: true, timeZone: true });
const customerPayload = asConsumer(payloads.customer).pick({ id: true, version: true, homeDealerId: true });
const ticketPayload = asConsumer(payloads.ticket).pick({ id: true, version: true, number: true, dealerId: true, serviceCenterId: true, unitId: true });

async function unitRowOf(tx: Database, state: unknown): Promise<KnownUnitRow> {
  const unit = unitPayload.parse(state);
  const [known] = await tx.select().from(knownUnits).where(eq(knownUnits.id, unit.id));
  const firstTransfer = unit.event.kind === "TRANSFERRED" && unit.soldOn && !known?.transferredOn ? unit.event.occurredOn : null;
  const values = {
    id: unit.id,
    sourceVersion: unit.version,
    serialNumber: unit.serialNumber,
    productId: unit.productId,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    status: unit.status,
    purchasePrice: unit.purchasePrice?.amount ?? null,
    currency: unit.purchasePrice?.currency ?? null,
    soldOn: unit.soldOn,
    deliveredOn: unit.deliveredOn,
    installedOn: unit.installedOn,
    retiredOn: unit.retiredOn,
    transferredOn: known?.transferredOn ?? firstTransfer,
    // This subgraph's own note on the copy, which the catalog's state does not carry.
    warrantyEndingAnnouncedFor: known?.warrantyEndingAnnouncedFor ?? null,
  };
  const policies = await tx.select().from(warrantyPolicies).where(eq(warrantyPolicies.productId, unit.productId));
  return { ...values, warrantyEndsOn: lastCoveredDay(values, policies.map(policyTermsOf)) };
}

/**
 * The last day a unit's warranty covers it (the day before a transfer voids
 * it or the unit is retired), for lists of warranties about to end; null
 * without a warranty.
 */
export function lastCoveredDay(
  unit: Pick<KnownUnitRow, "soldOn" | "deliveredOn" | "installedOn" | "retiredOn" | "transferredOn">,
  policies: Parameters<typeof warrantyPeriod>[1],
): string | null {
  // The time zone does not move dates, only the instant a date is read at.
  const period = warrantyPeriod({ ...unit, timeZone: "UTC" }, policies);
  if ("reason" in period) return null;
  const ends = [period.endsOn, period.voidedFrom, unit.retiredOn].flatMap((day, i) => (day === null ? [] : [i === 0 ? day : addDays(day, -1)]));
  return ends.reduce((earliest, day) => (day < earliest ? day : earliest));
}

/** A product's first policy may reach back: its units' warranty ends are worked out again, and those ending soon announced. */
export async function refreshWarrantyEnds(tx: Database, productId: string): Promise<void> {
  const policies = (await tx.select().from(warrantyPolicies).where(eq(warrantyPolicies.productId, productId))).map(policyTermsOf);
  const units = await tx.select().from(knownUnits).where(eq(knownUnits.productId, productId));
  const changed: string[] = [];
  for (const unit of units) {
    const warrantyEndsOn = lastCoveredDay(unit, policies);
    if (warrantyEndsOn !== unit.warrantyEndsOn) {
      await tx.update(knownUnits).set({ warrantyEndsOn }).where(eq(knownUnits.id, unit.id));
      changed.push(unit.id);
    }
  }
  await announceWarrantyEndings(tx, changed);
}

/** A unit's event may set or move its warranty's end: the copy is kept, then an end coming soon announced. */
async function applyUnit(tx: Database, event: DomainEvent): Promise<void> {
  await UNITS.keeper.apply(tx, event);
  await announceWarrantyEndings(tx, [unitPayload.pick({ id: true }).parse(event.payload).id]);
}

async function productRowOf(_tx: Database, state: unknown): Promise<KnownProductRow> {
  const product = productPayload.parse(state);
  return {
    id: product.id,
    sourceVersion: product.version,
    sku: product.sku,
    name: product.name,
    kind: product.kind,
    listPrice: product.listPrice.amount,
    currency: product.listPrice.currency,
    billOfMaterials: product.billOfMaterials.map(({ partId, quantity }) => ({ partId, quantity })),
    repairStandards: product.repairStandards,
  };
}

async function dealerRowOf(_tx: Database, state: unknown): Promise<KnownDealerRow> {
  const dealer = dealerPayload.parse(state);
  return {
    id: dealer.id,
    sourceVersion: dealer.version,
    name: dealer.name,
    laborRate: dealer.laborRate.amount,
    currency: dealer.laborRate.currency,
    workshopAuthorizedFrom: dealer.warrantyWorkshop?.authorizedFrom ?? null,
    workshopAuthorizedUntil: dealer.warrantyWorkshop?.authorizedUntil ?? null,
    timeZone: dealer.timeZone,
  };
}

async function customerRowOf(_tx: Database, state: unknown): Promise<KnownCustomerRow> {
  const customer = customerPayload.parse(state);
  return { id: customer.id, sourceVersion: customer.version, homeDealerId: customer.homeDealerId };
}

async function ticketRowOf(_tx: Database, state: unknown): Promise<KnownTicketRow> {
  const { version, ...columns } = ticketPayload.parse(state);
  return { ...columns, sourceVersion: version };
}

export const UNITS: CopySource<KnownUnitRow> = { owner: "catalog", typename: "Unit", keeper: copyKept(knownUnits, unitRowOf) };
export const PRODUCTS: CopySource<KnownProductRow> = { owner: "catalog", typename: "Product", keeper: copyKept(knownProducts, productRowOf) };
export const DEALERS: CopySource<KnownDealerRow> = { owner: "partners", typename: "Dealer", keeper: copyKept(knownDealers, dealerRowOf) };
export const CUSTOMERS: CopySource<KnownCustomerRow> = { owner: "partners", typename: "Customer", keeper: copyKept(knownCustomers, customerRowOf) };
export const TICKETS: CopySource<KnownTicketRow> = { owner: "tickets", typename: "Ticket", keeper: copyKept(knownTickets, ticketRowOf) };

export const subscriptions: EventSubscriptions = {
  catalog: {
    "unit.*": applyUnit,
    "product.created": PRODUCTS.keeper.apply,
    "product.updated": PRODUCTS.keeper.apply,
    "product.lifecycle_changed": PRODUCTS.keeper.apply,
  },
  partners: {
    "dealer.created": DEALERS.keeper.apply,
    "dealer.updated": DEALERS.keeper.apply,
    "customer.created": CUSTOMERS.keeper.apply,
    "customer.updated": CUSTOMERS.keeper.apply,
  },
  tickets: {
    "ticket.opened": TICKETS.keeper.apply,
    "ticket.status_changed": TICKETS.keeper.apply,
    "ticket.resolved": TICKETS.keeper.apply,
    "ticket.reopened": TICKETS.keeper.apply,
    "ticket.closed": TICKETS.keeper.apply,
  },
};

export function findKnownProductsByIds(db: Database, ids: readonly string[]) {
  return db.select().from(knownProducts).where(anyOf(knownProducts.id, ids));
}

export function findKnownDealersByIds(db: Database, ids: readonly string[]) {
  return db.select().from(knownDealers).where(anyOf(knownDealers.id, ids));
}

export function findKnownCustomersByIds(db: Database, ids: readonly string[]) {
  return db.select().from(knownCustomers).where(anyOf(knownCustomers.id, ids));
}

export function findKnownTicketsByIds(db: Database, ids: readonly string[]) {
  return db.select().from(knownTickets).where(anyOf(knownTickets.id, ids));
}
