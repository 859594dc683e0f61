import { coverageOf } from "../db/coverage.js";
import { unitFactsOf } from "../db/units.js";
import type { TicketResolvers } from "../generated/graphql.js";

export const Ticket: TicketResolvers = {
  // The tickets subgraph owns tickets; the gateway hands over when one was opened and its unit's facts.
  __resolveReference: (reference) => reference,
  // No unit, or one the caller may not see: nothing to decide on.
  coverage: (ticket, _, { loaders }) => {
    if (!ticket.unit || !ticket.openedAt) return null;
    const facts = unitFactsOf(ticket.unit);
    return coverageOf(loaders, { id: ticket.unit.id, productId: facts.productId, facts }, new Date(ticket.openedAt));
  },
};
