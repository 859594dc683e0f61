import type { CoverageResolvers, UnitWarrantyResolvers } from "../generated/graphql.js";
import { present } from "@aftersales/kit";

export const Coverage: CoverageResolvers = {
  policy: async (decision, _, { loaders }) =>
    decision.kind === "WARRANTY" && decision.policy ? present(await loaders.policyById.load(decision.policy.id), "coverage's policy") : null,
  // Null for a caller who may not see the contract (another dealer's): the coverage itself is still told.
  contract: (decision, _, { loaders }) => (decision.kind === "CONTRACT" && decision.contract ? loaders.contractById.load(decision.contract.id) : null),
};

export const UnitWarranty: UnitWarrantyResolvers = {
  policy: async (period, _, { loaders }) => present(await loaders.policyById.load(period.policy.id), "warranty's policy"),
};
