import { InputChecks, latestPastDate, mutationPayload, requireRole, todayUtc } from "@aftersales/kit";
import { findContractsByIds } from "../../db/contracts.js";
import { createDueVisits } from "../../db/planning.js";
import { emitVisitEvent, lockOpenVisit, saveVisit } from "../../db/visits.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const completeMaintenanceVisit: MutationResolvers["completeMaintenanceVisit"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "complete maintenance visits");
  return mutationPayload("visit", db, async (tx) => {
    const visit = await lockOpenVisit(tx, identity, input, "completed");
    const checks = new InputChecks<WarrantyErrorCode>();
    const completedOn = input.completedOn ?? todayUtc();
    if (completedOn > latestPastDate()) checks.add("DATE_IN_FUTURE", "A visit is completed on a day that has come.", ["completedOn"]);
    const note = checks.optionalText(input.note, ["note"], 2000);
    checks.refuseIfAny();
    const done = await saveVisit(tx, visit.id, { status: "DONE", completedOn, note });
    await emitVisitEvent(tx, "visit.done", done);
    // On a floating plan the next visit's due date was waiting for this one.
    const contracts = await findContractsByIds(tx, identity, [visit.contractId]);
    await createDueVisits(tx, contracts, { asOf: todayUtc(), leadDays: 30, graceDays: 14 });
    return done;
  });
};
