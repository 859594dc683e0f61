import { applyPatch, currentVersion, dealerScopeOf, InputChecks, mutationPayload, requireRole, userError } from "@aftersales/kit";
import { findDealersByIds } from "../../db/dealers.js";
import { lockTechnician, saveTechnician } from "../../db/technicians.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import { checkTechnician } from "../../domain/technician.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateTechnician: MutationResolvers["updateTechnician"] = (_, { input: { id, version, ...patch } }, { db, identity }) => {
  requireRole(identity, ["ADMIN", "AGENT", "DEALER"], "change technicians");
  return mutationPayload("technician", db, async (tx) => {
    // Another service center's technician is, for a DEALER, no technician at all.
    const current = currentVersion(
      await lockTechnician(tx, id, identity),
      version,
      userError("TECHNICIAN_NOT_FOUND", `No technician has the id \`${id}\`.`, ["id"]),
    );
    const checks = new InputChecks<PartnerErrorCode>();
    const draft = applyPatch(checks, current, patch, ["email", "phone"]);
    const [serviceCenter] = await findDealersByIds(tx, [draft.serviceCenterId]);
    return saveTechnician(tx, id, checkTechnician(draft, serviceCenter ?? null, dealerScopeOf(identity), checks), current);
  });
};
