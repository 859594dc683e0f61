import { asConsumer, payloads } from "@aftersales/events";
import { anyOf, copyKept, keepNewest, SERVICE_CENTER_KINDS, type CopySource, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  knownContracts,
  knownCustomers,
  knownDealers,
  knownProducts,
  knownTechnicians,
  knownUnits,
  type KnownCustomerRow,
  type KnownDealerRow,
  type KnownProductRow,
  type KnownTechnicianRow,
  type KnownUnitRow,
} from "./schema.js";

/**
 * The copies of other subgraphs' facts this subgraph keeps, applied from
 * their events, or from their owner when a change names a record whose
 * event has not arrived yet (`CopySource`): a copy is only ever replaced by
 * a newer version, so a redelivered or late event changes nothing. States
 * are read with the event catalog's schemas, leniently (`asConsumer`): only
 * the fields used here are picked.
 */

const customerPayload = asConsumer(payloads.customer).pick({ id: true, version: true, homeDealerId: true, area: true });
const dealerPayload = asConsumer(payloads.dealer).pick({
  id: true,
  version: true,
  name: true,
  kind: true,
  location: true,
  serviceRadiusKm: true,
  warrantyWorkshop: true,
  calendar: true,
});
const technicianPayload = asConsumer(payloads.technician);
const productPayload = asConsumer(payloads.product).pick({ id: true, version: true, kind: true, category: true, name: true });
const contractPayload = asConsumer(payloads.contract).pick({
  id: true,
  version: true,
  number: true,
  status: true,
  startsOn: true,
  endsOn: true,
  cancelledFrom: true,
  unitIds: true,
  plan: true,
});
const unitPayload = asConsumer(payloads.unit).pick({
  id: true,
  version: true,
  serialNumber: true,
  productId: true,
  dealerId: true,
  customerId: true,
  status: true,
});

async function customerRowOf(_tx: Database, state: unknown): Promise<KnownCustomerRow> {
  const customer = customerPayload.parse(state);
  return {
    id: customer.id,
    sourceVersion: customer.version,
    homeDealerId: customer.homeDealerId,
    areaLatitude: customer.area?.latitude ?? null,
    areaLongitude: customer.area?.longitude ?? null,
  };
}

async function dealerRowOf(_tx: Database, state: unknown): Promise<KnownDealerRow> {
  const dealer = dealerPayload.parse(state);
  return {
    id: dealer.id,
    sourceVersion: dealer.version,
    name: dealer.name,
    kind: dealer.kind,
    latitude: dealer.location.latitude,
    longitude: dealer.location.longitude,
    serviceRadiusKm: dealer.serviceRadiusKm,
    workshopAuthorizedFrom: dealer.warrantyWorkshop?.authorizedFrom ?? null,
    workshopAuthorizedUntil: dealer.warrantyWorkshop?.authorizedUntil ?? null,
    calendar: dealer.calendar,
  };
}

async function technicianRowOf(_tx: Database, state: unknown): Promise<KnownTechnicianRow> {
  const technician = technicianPayload.parse(state);
  return {
    id: technician.id,
    sourceVersion: technician.version,
    serviceCenterId: technician.serviceCenterId,
    skills: technician.skills,
    active: technician.active,
  };
}

async function productRowOf(_tx: Database, state: unknown): Promise<KnownProductRow> {
  const product = productPayload.parse(state);
  return { id: product.id, sourceVersion: product.version, kind: product.kind, category: product.category, name: product.name };
}

async function applyContract(tx: Database, event: DomainEvent): Promise<void> {
  // Contract events from before they carried units and targets say nothing
  // dispatch or SLAs can use; warranty announced those contracts again with them.
  const contract = contractPayload.parse(event.payload);
  if (contract.unitIds === undefined) return;
  await keepNewest(tx, knownContracts, {
    id: contract.id,
    sourceVersion: contract.version,
    number: contract.number,
    status: contract.status,
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
    cancelledFrom: contract.cancelledFrom,
    unitIds: contract.unitIds,
    responseHours: contract.plan?.responseHours ?? null,
    resolutionHours: contract.plan?.resolutionHours ?? null,
  });
}

async function unitRowOf(_tx: Database, state: unknown): Promise<KnownUnitRow> {
  const unit = unitPayload.parse(state);
  return {
    id: unit.id,
    sourceVersion: unit.version,
    serialNumber: unit.serialNumber,
    productId: unit.productId,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    status: unit.status,
  };
}

export const CUSTOMERS: CopySource<KnownCustomerRow> = { owner: "partners", typename: "Customer", keeper: copyKept(knownCustomers, customerRowOf) };
export const DEALERS: CopySource<KnownDealerRow> = { owner: "partners", typename: "Dealer", keeper: copyKept(knownDealers, dealerRowOf) };
export const TECHNICIANS: CopySource<KnownTechnicianRow> = { owner: "partners", typename: "Technician", keeper: copyKept(knownTechnicians, technicianRowOf) };
export const PRODUCTS: CopySource<KnownProductRow> = { owner: "catalog", typename: "Product", keeper: copyKept(knownProducts, productRowOf) };
export const UNITS: CopySource<KnownUnitRow> = { owner: "catalog", typename: "Unit", keeper: copyKept(knownUnits, unitRowOf) };

export const subscriptions: EventSubscriptions = {
  catalog: {
    "unit.*": UNITS.keeper.apply,
    "product.created": PRODUCTS.keeper.apply,
    "product.updated": PRODUCTS.keeper.apply,
    "product.lifecycle_changed": PRODUCTS.keeper.apply,
  },
  partners: {
    "customer.created": CUSTOMERS.keeper.apply,
    "customer.updated": CUSTOMERS.keeper.apply,
    "dealer.created": DEALERS.keeper.apply,
    "dealer.updated": DEALERS.keeper.apply,
    "technician.created": TECHNICIANS.keeper.apply,
    "technician.updated": TECHNICIANS.keeper.apply,
  },
  warranty: {
    "contract.activated": applyContract,
    "contract.ended": applyContract,
  },
};

export const findKnownCustomersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownCustomers).where(anyOf(knownCustomers.id, ids));
export const findKnownDealersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownDealers).where(anyOf(knownDealers.id, ids));
export const findKnownUnitsByIds = (db: Database, ids: readonly string[]) => db.select().from(knownUnits).where(anyOf(knownUnits.id, ids));
export const findKnownUnitsBySerialNumbers = (db: Database, serials: readonly string[]) =>
  db.select().from(knownUnits).where(anyOf(knownUnits.serialNumber, serials));
export const findKnownProductsByIds = (db: Database, ids: readonly string[]) => db.select().from(knownProducts).where(anyOf(knownProducts.id, ids));
export const findKnownTechniciansByIds = (db: Database, ids: readonly string[]) => db.select().from(knownTechnicians).where(anyOf(knownTechnicians.id, ids));

/**
 * The contract covering a unit on local date `on`: active then (a cancelled
 * one up to the day before its cancellation), the latest start first. Only
 * activated contracts are ever announced, so a draft never counts.
 */
export async function findContractCoveringUnit(db: Database, unitId: string, on: string) {
  const [row] = await db
    .select()
    .from(knownContracts)
    .where(
      and(
        sql`${knownContracts.unitIds} @> array[${unitId}]::text[]`,
        sql`${knownContracts.startsOn} <= ${on}`,
        sql`${knownContracts.endsOn} >= ${on}`,
        sql`(${knownContracts.cancelledFrom} is null or ${knownContracts.cancelledFrom} > ${on})`,
        sql`${knownContracts.responseHours} is not null`,
      ),
    )
    .orderBy(sql`${knownContracts.startsOn} desc`)
    .limit(1);
  return row ?? null;
}

/** Service centers authorized as warranty workshops on local date `on`: the field dispatch chooses from. */
export function findAuthorizedServiceCenters(db: Database, on: string) {
  return db
    .select()
    .from(knownDealers)
    .where(
      and(
        inArray(knownDealers.kind, [...SERVICE_CENTER_KINDS]),
        sql`${knownDealers.workshopAuthorizedFrom} <= ${on}`,
        sql`(${knownDealers.workshopAuthorizedUntil} is null or ${knownDealers.workshopAuthorizedUntil} >= ${on})`,
        sql`${knownDealers.serviceRadiusKm} > 0`,
      ),
    );
}

/** Active technicians of these service centers. */
export function findActiveTechnicians(db: Database, serviceCenterIds: readonly string[]) {
  return db
    .select()
    .from(knownTechnicians)
    .where(and(anyOf(knownTechnicians.serviceCenterId, serviceCenterIds), eq(knownTechnicians.active, true)));
}
