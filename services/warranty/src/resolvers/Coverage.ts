import { present } from "@aftersales/kit";
import type { PolicyTerms } from "../domain/coverage.js";
import type { Loaders } from "../db/loaders.js";
import type { CoverageResolvers, UnitWarrantyResolvers } from "../generated/graphql.js";

/** The policy's row among its product's versions, which deciding the coverage already read in this request. */
const policyRowOf = async (loaders: Loaders, policy: PolicyTerms) =>
  present(
    (await loaders.policiesByProductId.load(policy.productId)).find((row) => row.id === policy.id),
    "coverage's policy",
  );

export const Coverage: CoverageResolvers = {
  policy: (decision, _, { loaders }) => (decision.kind === "WARRANTY" && decision.policy ? policyRowOf(loaders, decision.policy) : null),
  // Null for a caller who may not see the contract (another dealer's): the coverage itself is still told.
  contract: (decision, _, { loaders }) => (decision.kind === "CONTRACT" && decision.contract ? loaders.contractById.load(decision.contract.id) : null),
};

export const UnitWarranty: UnitWarrantyResolvers = {
  policy: (period, _, { loaders }) => policyRowOf(loaders, period.policy),
};
