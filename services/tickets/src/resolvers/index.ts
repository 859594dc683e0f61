import type { Resolvers } from "../generated/graphql.js";
import { addTicketNote } from "./Mutation/addTicketNote.js";
import { assignTicket } from "./Mutation/assignTicket.js";
import { changeTicketPriority } from "./Mutation/changeTicketPriority.js";
import { changeTicketStatus } from "./Mutation/changeTicketStatus.js";
import { openTicket } from "./Mutation/openTicket.js";
import { Query } from "./Query.js";
import { Customer, Ticket, TicketTimelineEntry, Unit } from "./Ticket.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: { openTicket, changeTicketStatus, assignTicket, changeTicketPriority, addTicketNote },
  Ticket,
  TicketTimelineEntry,
  Customer,
  Unit,
  // Dealers and products are owned elsewhere; tickets only refers to them.
  Dealer: { __resolveReference: ({ id }) => ({ id }) },
  Product: { __resolveReference: ({ id }) => ({ id }) },
};
