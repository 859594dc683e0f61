import { pageOf, toConnection } from "@aftersales/kit";
import { customerOrder, listCustomers } from "../db/customers.js";
import { dealerOrder, listDealers } from "../db/dealers.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  dealer: (_, { id }, { loaders }) => loaders.dealerById.load(id),
  dealers: async (_, { filter, ...args }, { db }) => {
    const page = pageOf(args, dealerOrder);
    return toConnection(await listDealers(db, filter ?? {}, page), page, dealerOrder);
  },
  technician: (_, { id }, { loaders }) => loaders.technicianById.load(id),
  customer: (_, { id }, { loaders }) => loaders.customerById.load(id),
  customers: async (_, { filter, ...args }, { db }) => {
    const page = pageOf(args, customerOrder);
    return toConnection(await listCustomers(db, filter ?? {}, page), page, customerOrder);
  },
};
