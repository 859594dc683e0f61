import { anyOf, copyOrOwnerLoader, type Database, type Peers } from "@aftersales/kit";
import { knownCustomers, knownDealers, knownProducts, knownUnits, ticketFacts } from "./schema.js";
import { customerPayload, dealerPayload, productPayload, ticketPayload, unitPayload } from "./projections.js";

/**
 * Whose the records are that feedback may be about: read from this
 * subgraph's copies, in the caller's scope (row-level security), or, when
 * their events have not arrived yet, from their owner, asked as the caller.
 * What the owner says is used, never kept: these copies count history
 * (reopens, survey schedules), which only their events can tell.
 */
export function subjectLoaders(db: Database, peers: Peers | null) {
  const loader = <Row extends { id: string }>(
    owner: string,
    typename: string,
    fromCopy: (ids: readonly string[]) => Promise<readonly Row[]>,
    fromState: (state: unknown) => Row,
  ) => copyOrOwnerLoader({ peers, owner, typename, fromCopy, fromOwner: async (states) => states.map(fromState), keyOf: (row) => row.id });
  return {
    customerFactsById: loader(
      "partners",
      "Customer",
      (ids) => db.select({ id: knownCustomers.id, homeDealerId: knownCustomers.homeDealerId }).from(knownCustomers).where(anyOf(knownCustomers.id, ids)),
      (state) => {
        const { id, homeDealerId } = customerPayload.parse(state);
        return { id, homeDealerId };
      },
    ),
    unitFactsById: loader(
      "catalog",
      "Unit",
      (ids) =>
        db
          .select({ id: knownUnits.id, dealerId: knownUnits.dealerId, customerId: knownUnits.customerId, productId: knownUnits.productId })
          .from(knownUnits)
          .where(anyOf(knownUnits.id, ids)),
      (state) => {
        const { id, dealerId, customerId, productId } = unitPayload.parse(state);
        return { id, dealerId, customerId, productId };
      },
    ),
    ticketFactsById: loader(
      "tickets",
      "Ticket",
      (ids) =>
        db
          .select({
            id: ticketFacts.id,
            dealerId: ticketFacts.dealerId,
            customerId: ticketFacts.customerId,
            productId: ticketFacts.productId,
            unitId: ticketFacts.unitId,
          })
          .from(ticketFacts)
          .where(anyOf(ticketFacts.id, ids)),
      (state) => {
        const { id, dealerId, customerId, productId, unitId } = ticketPayload.parse(state);
        return { id, dealerId, customerId, productId, unitId };
      },
    ),
    productFactsById: loader(
      "catalog",
      "Product",
      (ids) => db.select({ id: knownProducts.id, name: knownProducts.name }).from(knownProducts).where(anyOf(knownProducts.id, ids)),
      (state) => {
        const { id, name } = productPayload.parse(state);
        return { id, name };
      },
    ),
    dealerFactsById: loader(
      "partners",
      "Dealer",
      (ids) =>
        db.select({ id: knownDealers.id, name: knownDealers.name, calendar: knownDealers.calendar }).from(knownDealers).where(anyOf(knownDealers.id, ids)),
      (state) => {
        const { id, name, calendar } = dealerPayload.parse(state);
        return { id, name, calendar: calendar ?? null };
      },
    ),
  };
}
