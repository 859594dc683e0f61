import { coverageOf } from "../db/coverage.js";
import { knownUnitFacts } from "../db/units.js";
import type { RepairedUnitResolvers } from "../generated/graphql.js";

/** A claimed unit from this subgraph's copy, whoever sold it: coverage like `coverageQuote` decides it. */
export const RepairedUnit: RepairedUnitResolvers = {
  product: (unit) => ({ id: unit.productId }),
  coverage: async (unit, { at }, { loaders }) => {
    const seller = await loaders.knownDealerById.load(unit.dealerId);
    const facts = knownUnitFacts(unit, seller?.timeZone ?? null);
    return coverageOf(loaders, { id: unit.id, productId: unit.productId, facts }, at ?? new Date());
  },
};
