import { mutationPayload, requireRole } from "@aftersales/kit";
import { lockOpenVisit, saveVisit } from "../../db/visits.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const scheduleMaintenanceVisit: MutationResolvers["scheduleMaintenanceVisit"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "schedule maintenance visits");
  return mutationPayload("visit", db, async (tx) => {
    const visit = await lockOpenVisit(tx, identity, input, "scheduled");
    return saveVisit(tx, visit.id, { status: "SCHEDULED", scheduledFor: input.scheduledFor });
  });
};
