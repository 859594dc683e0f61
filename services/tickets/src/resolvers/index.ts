import type { Resolvers } from "../generated/graphql.js";
import { addTicketNote } from "./Mutation/addTicketNote.js";
import { assignTicket } from "./Mutation/assignTicket.js";
import { changeTicketPriority } from "./Mutation/changeTicketPriority.js";
import { changeTicketStatus } from "./Mutation/changeTicketStatus.js";
import { dispatchTicket } from "./Mutation/dispatchTicket.js";
import { importTickets } from "./Mutation/importTickets.js";
import { issueLoaner } from "./Mutation/issueLoaner.js";
import { openTicket } from "./Mutation/openTicket.js";
import { recordSlaBreaches } from "./Mutation/recordSlaBreaches.js";
import { recordTicketParts } from "./Mutation/recordTicketParts.js";
import { returnLoaner } from "./Mutation/returnLoaner.js";
import { setSlaPolicy } from "./Mutation/setSlaPolicy.js";
import { Query } from "./Query.js";
import { Dealer } from "./Dealer.js";
import { DispatchCandidate, DispatchOverride, TicketDispatch } from "./TicketDispatch.js";
import { SlaClock, SlaPolicy, TicketSla } from "./TicketSla.js";
import { Customer, Loaner, Ticket, TicketPartUse, TicketTimelineEntry, Unit } from "./Ticket.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: {
    openTicket,
    importTickets,
    changeTicketStatus,
    assignTicket,
    changeTicketPriority,
    addTicketNote,
    dispatchTicket,
    recordTicketParts,
    issueLoaner,
    returnLoaner,
    setSlaPolicy,
    recordSlaBreaches,
  },
  Ticket,
  TicketTimelineEntry,
  TicketSla,
  SlaClock,
  SlaPolicy,
  TicketDispatch,
  DispatchCandidate,
  DispatchOverride,
  TicketPartUse,
  Loaner,
  Customer,
  Unit,
  Dealer,
  // Products and technicians are owned elsewhere; tickets only refers to them.
  Product: { __resolveReference: ({ id }) => ({ id }) },
  Technician: { __resolveReference: ({ id }) => ({ id }) },
};
