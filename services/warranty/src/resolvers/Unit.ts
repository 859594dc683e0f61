import type { UnitResolvers } from "../generated/graphql.js";
import { coverageOf } from "../db/coverage.js";
import { unitFactsOf } from "../db/units.js";
import { policyTermsOf } from "../db/policies.js";
import { warrantyPeriod } from "../domain/coverage.js";

export const Unit: UnitResolvers = {
  // The catalog owns units; the gateway hands over the fields coverage needs.
  __resolveReference: (reference) => reference,
  warranty: async (unit, _, { loaders }) => {
    const facts = unitFactsOf(unit);
    const policies = await loaders.policiesByProductId.load(facts.productId);
    const period = warrantyPeriod(facts, policies.map(policyTermsOf));
    return "reason" in period ? null : period;
  },
  coverage: (unit, { at }, { loaders }) => {
    const facts = unitFactsOf(unit);
    return coverageOf(loaders, { id: unit.id, productId: facts.productId, facts }, at ?? new Date());
  },
  serviceContracts: async ({ id }, _, { loaders }) => (await loaders.contractsByUnitId.load(id)).map((row) => row.contract),
  maintenanceVisits: ({ id }, _, { loaders }) => loaders.visitsByUnitId.load(id),
  warrantyClaims: ({ id }, _, { loaders }) => loaders.claimsByUnitId.load(id),
};
