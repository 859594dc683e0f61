import { anyOf, keepNewest, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { z } from "zod";
import { knownCustomers, knownDealers, knownUnits } from "./schema.js";

/**
 * The copies of other subgraphs' facts this subgraph keeps, applied from
 * their events: a copy is only ever replaced by a newer version, so a
 * redelivered or late event changes nothing. Payloads are read leniently.
 */

const customerPayload = z.object({ id: z.string(), version: z.number().int(), homeDealerId: z.string() });
const dealerPayload = z.object({ id: z.string(), version: z.number().int(), kind: z.string() });
const unitPayload = z.object({
  id: z.string(),
  version: z.number().int(),
  serialNumber: z.string(),
  productId: z.string(),
  dealerId: z.string(),
  customerId: z.string().nullable(),
  status: z.string(),
});

async function applyCustomer(tx: Database, event: DomainEvent): Promise<void> {
  const customer = customerPayload.parse(event.payload);
  const row = { id: customer.id, sourceVersion: customer.version, homeDealerId: customer.homeDealerId };
  await keepNewest(tx, knownCustomers, row);
}

async function applyDealer(tx: Database, event: DomainEvent): Promise<void> {
  const dealer = dealerPayload.parse(event.payload);
  const row = { id: dealer.id, sourceVersion: dealer.version, kind: dealer.kind };
  await keepNewest(tx, knownDealers, row);
}

async function applyUnit(tx: Database, event: DomainEvent): Promise<void> {
  const unit = unitPayload.parse(event.payload);
  const row = {
    id: unit.id,
    sourceVersion: unit.version,
    serialNumber: unit.serialNumber,
    productId: unit.productId,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    status: unit.status,
  };
  await keepNewest(tx, knownUnits, row);
}

export const subscriptions: EventSubscriptions = {
  catalog: { "unit.*": applyUnit },
  partners: {
    "customer.created": applyCustomer,
    "customer.updated": applyCustomer,
    "dealer.created": applyDealer,
    "dealer.updated": applyDealer,
  },
};

export const findKnownCustomersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownCustomers).where(anyOf(knownCustomers.id, ids));
export const findKnownDealersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownDealers).where(anyOf(knownDealers.id, ids));
export const findKnownUnitsByIds = (db: Database, ids: readonly string[]) => db.select().from(knownUnits).where(anyOf(knownUnits.id, ids));
export const findKnownUnitsBySerialNumbers = (db: Database, serials: readonly string[]) =>
  db.select().from(knownUnits).where(anyOf(knownUnits.serialNumber, serials));
