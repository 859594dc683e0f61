import { dealerScopeOf, mutationPayload, requireRole } from "@aftersales/kit";
import { findDealersByIds } from "../../db/dealers.js";
import { insertTechnician } from "../../db/technicians.js";
import { checkTechnician } from "../../domain/technician.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createTechnician: MutationResolvers["createTechnician"] = (_, { input }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "add technicians");
  return mutationPayload("technician", db, async (tx) => {
    const [serviceCenter] = await findDealersByIds(tx, [input.serviceCenterId]);
    const draft = {
      ...input,
      email: input.email ?? null,
      phone: input.phone ?? null,
      skills: input.skills ?? [],
      active: input.active ?? true,
    };
    return insertTechnician(tx, checkTechnician(draft, serviceCenter ?? null, dealerScopeOf(identity)));
  });
};
