import { badUserInput, pageOf, toConnection } from "@aftersales/kit";
import { listTickets, ticketOrder } from "../db/tickets.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  ticket: (_, { id, number }, { loaders }) => {
    if (id && !number) return loaders.ticketById.load(id);
    if (number && !id) return loaders.ticketByNumber.load(number.trim().toUpperCase());
    throw badUserInput("Give exactly one of `id` and `number`.");
  },
  tickets: async (_, { filter, ...args }, { db, identity }) => {
    const page = pageOf(args, ticketOrder);
    return toConnection(await listTickets(db, identity, filter ?? {}, page), page, ticketOrder);
  },
};
