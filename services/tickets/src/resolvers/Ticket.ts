import { pageOf, toConnection } from "@aftersales/kit";
import { readSla, toSlaEvent } from "../db/sla.js";
import { ticketOrder, ticketState } from "../db/tickets.js";
import { describeChange } from "../domain/ticket.js";
import type {
  CustomerResolvers,
  LoanerResolvers,
  TicketPartUseResolvers,
  TicketResolvers,
  TicketTimelineEntryResolvers,
  UnitResolvers,
} from "../generated/graphql.js";

export const Ticket: TicketResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.ticketById.load(id),
  eventState: (row) => JSON.stringify(ticketState(row)),
  customer: (row) => ({ id: row.customerId }),
  unit: (row) => (row.unitId ? { id: row.unitId } : null),
  product: (row) => (row.productId ? { id: row.productId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  serviceCenter: (row) => (row.serviceCenterId ? { id: row.serviceCenterId } : null),
  technician: (row) => (row.technicianId ? { id: row.technicianId } : null),
  timeline: (row, _, { loaders }) => loaders.timelineByTicketId.load(row.id),
  // Read now, from the recorded events: a breach shows as soon as the deadline passes, before the breach run records it.
  sla: async (row, _, { loaders, now }) => {
    const events = (await loaders.slaEventsByTicketId.load(row.id)).map(toSlaEvent);
    return { ticket: row, events, readings: readSla(row, events, now()) };
  },
  partsUsed: (row, _, { loaders }) => loaders.partsByTicketId.load(row.id),
  loaner: async (row, _, { loaders }) => (await loaders.loanersByTicketId.load(row.id)).find((loaner) => loaner.returnedAt === null) ?? null,
  loaners: (row, _, { loaders }) => loaders.loanersByTicketId.load(row.id),
};

export const TicketPartUse: TicketPartUseResolvers = {
  part: (row) => ({ id: row.partId }),
  serviceCenter: (row) => ({ id: row.serviceCenterId }),
};

export const Loaner: LoanerResolvers = {
  unit: (row) => ({ id: row.unitId }),
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
    return toConnection(await loaders.ticketPageByCustomerId.load({ parentId: id, args: page }), page, ticketOrder, () =>
      loaders.ticketCountByCustomerId.load({ parentId: id, args: null }),
    );
  },
};

export const Unit: UnitResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  tickets: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, ticketOrder);
    return toConnection(await loaders.ticketPageByUnitId.load({ parentId: id, args: page }), page, ticketOrder, () =>
      loaders.ticketCountByUnitId.load({ parentId: id, args: null }),
    );
  },
};
