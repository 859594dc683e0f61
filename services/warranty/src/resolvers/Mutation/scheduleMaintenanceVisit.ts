import { mutationPayload, requireRole } from "@aftersales/kit";
import { emitVisitEvent, lockOpenVisit, saveVisit } from "../../db/visits.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const scheduleMaintenanceVisit: MutationResolvers["scheduleMaintenanceVisit"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "schedule maintenance visits");
  return mutationPayload("visit", db, async (tx) => {
    const visit = await lockOpenVisit(tx, identity, input, "scheduled");
    const scheduled = await saveVisit(tx, visit.id, { status: "SCHEDULED", scheduledFor: input.scheduledFor });
    await emitVisitEvent(tx, "visit.scheduled", scheduled);
    return scheduled;
  });
};
