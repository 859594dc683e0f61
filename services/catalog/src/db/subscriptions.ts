import { asConsumer, payloads } from "@aftersales/events";
import { anyOf, copyKept, type CopySource, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { knownCustomers, knownDealers, type KnownCustomerRow, type KnownDealerRow } from "./schema.js";
import { lockStock, takeUsedParts } from "./stock.js";

/**
 * The other subgraphs' events the catalog applies. Each is applied once (the
 * kit's inbox keeps the ids of those applied), and payloads are read with
 * the event catalog's schemas, leniently (`asConsumer`): only the fields used
 * here are picked, so a producer may add fields without breaking this consumer.
 */

const partsUsedPayload = asConsumer(payloads.partsUsed).pick({ ticketNumber: true, serviceCenterId: true, parts: true });

/** `ticket.parts_used`: parts a repair took off the service center's shelf. */
async function applyPartsUsed(tx: Database, event: DomainEvent): Promise<void> {
  const usage = partsUsedPayload.parse(event.payload);
  for (const part of usage.parts) {
    // A part the service center never stocked gets its stock row here, at nothing on hand.
    const stock = await lockStock(tx, usage.serviceCenterId, part.partId);
    await takeUsedParts(tx, stock, part.quantity, `Ticket ${usage.ticketNumber}`);
  }
}

const customerState = asConsumer(payloads.customer).pick({ id: true, version: true, homeDealerId: true });
const dealerState = asConsumer(payloads.dealer).pick({ id: true, version: true, kind: true });

/** Customers, from partners' events or, before those arrive, from partners itself: who may sell to whom. */
export const CUSTOMERS: CopySource<KnownCustomerRow> = {
  owner: "partners",
  typename: "Customer",
  keeper: copyKept(knownCustomers, async (_tx, state) => {
    const customer = customerState.parse(state);
    return { id: customer.id, sourceVersion: customer.version, homeDealerId: customer.homeDealerId };
  }),
};

/** Dealers and service centers, kept the same way: what a unit, a purchase or stock may be booked to. */
export const DEALERS: CopySource<KnownDealerRow> = {
  owner: "partners",
  typename: "Dealer",
  keeper: copyKept(knownDealers, async (_tx, state) => {
    const dealer = dealerState.parse(state);
    return { id: dealer.id, sourceVersion: dealer.version, kind: dealer.kind };
  }),
};

export const findKnownCustomersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownCustomers).where(anyOf(knownCustomers.id, ids));
export const findKnownDealersByIds = (db: Database, ids: readonly string[]) => db.select().from(knownDealers).where(anyOf(knownDealers.id, ids));

export const subscriptions: EventSubscriptions = {
  tickets: { "ticket.parts_used": applyPartsUsed },
  partners: {
    "customer.created": CUSTOMERS.keeper.apply,
    "customer.updated": CUSTOMERS.keeper.apply,
    "dealer.created": DEALERS.keeper.apply,
    "dealer.updated": DEALERS.keeper.apply,
  },
};
