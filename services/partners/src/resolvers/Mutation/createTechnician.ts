import { createdOnce, dealerScopeOf, InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { findDealersByIds } from "../../db/dealers.js";
import { technicians } from "../../db/schema.js";
import { insertTechnician } from "../../db/technicians.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import { checkTechnician } from "../../domain/technician.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createTechnician: MutationResolvers["createTechnician"] = (_, { input }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "add technicians");
  return mutationPayload("technician", db, async (tx) => {
    const checks = new InputChecks<PartnerErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const { idempotencyKey: _, ...fields } = input;
    const [serviceCenter] = await findDealersByIds(tx, [input.serviceCenterId]);
    const draft = {
      ...fields,
      email: input.email ?? null,
      phone: input.phone ?? null,
      skills: input.skills ?? [],
      active: input.active ?? true,
    };
    const technician = checkTechnician(draft, serviceCenter ?? null, dealerScopeOf(identity), checks);
    return createdOnce(tx, technicians, { dealerId: technician.serviceCenterId, dealerColumn: technicians.serviceCenterId }, { key, input }, (keyed) =>
      insertTechnician(tx, { ...technician, ...keyed }),
    );
  });
};
