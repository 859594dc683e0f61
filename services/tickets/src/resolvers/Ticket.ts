import { pageOf, toConnection } from "@aftersales/kit";
import { ticketOrder } from "../db/tickets.js";
import { describeChange } from "../domain/ticket.js";
import type { CustomerResolvers, TicketResolvers, TicketTimelineEntryResolvers, UnitResolvers } from "../generated/graphql.js";

export const Ticket: TicketResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.ticketById.load(id),
  customer: (row) => ({ id: row.customerId }),
  unit: (row) => (row.unitId ? { id: row.unitId } : null),
  product: (row) => (row.productId ? { id: row.productId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  serviceCenter: (row) => (row.serviceCenterId ? { id: row.serviceCenterId } : null),
  timeline: (row, _, { loaders }) => loaders.timelineByTicketId.load(row.id),
};

export const TicketTimelineEntry: TicketTimelineEntryResolvers = {
  kind: (row) => row.change.kind,
  description: (row) => describeChange(row.change),
};

// Customers and units are owned elsewhere; here they are the key to their tickets, in the caller's scope.
export const Customer: CustomerResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  tickets: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, ticketOrder);
    return toConnection(await loaders.ticketPageByCustomerId.load({ parentId: id, args: page }), page, ticketOrder);
  },
};

export const Unit: UnitResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  tickets: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, ticketOrder);
    return toConnection(await loaders.ticketPageByUnitId.load({ parentId: id, args: page }), page, ticketOrder);
  },
};
