import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { emitVisitEvent, lockOpenVisit, saveVisit } from "../../db/visits.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const cancelMaintenanceVisit: MutationResolvers["cancelMaintenanceVisit"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "cancel maintenance visits");
  return mutationPayload("visit", db, async (tx) => {
    const visit = await lockOpenVisit(tx, identity, input, "cancelled");
    const checks = new InputChecks<WarrantyErrorCode>();
    const note = checks.text(input.note, ["note"], 2000);
    checks.refuseIfAny();
    const cancelled = await saveVisit(tx, visit.id, { status: "CANCELLED", note });
    await emitVisitEvent(tx, "visit.cancelled", cancelled);
    return cancelled;
  });
};
