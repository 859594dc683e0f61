import { dealerScopeOf } from "@aftersales/kit";
import { policyView } from "../db/sla.js";
import type { DealerResolvers } from "../generated/graphql.js";

export const Dealer: DealerResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  slaPolicy: async ({ id }, _, { identity, loaders }) => {
    const own = dealerScopeOf(identity);
    if (own !== null && own !== id) return null;
    return policyView(id, await loaders.slaPolicyByDealerId.load(id));
  },
};
