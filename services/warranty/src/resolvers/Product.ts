import { todayUtc } from "@aftersales/kit";
import type { ProductResolvers } from "../generated/graphql.js";
import { policyTermsOf } from "../db/policies.js";
import { policyInForce } from "../domain/coverage.js";

export const Product: ProductResolvers = {
  // The catalog owns products; here they are the key to their warranty terms.
  __resolveReference: ({ id }) => ({ id }),
  warrantyPolicy: async ({ id }, { soldOn }, { loaders }) => {
    const rows = await loaders.policiesByProductId.load(id);
    const chosen = policyInForce(rows.map(policyTermsOf), soldOn ?? todayUtc());
    return rows.find((row) => row.id === chosen?.id) ?? null;
  },
  warrantyPolicies: ({ id }, _, { loaders }) => loaders.policiesByProductId.load(id),
};
