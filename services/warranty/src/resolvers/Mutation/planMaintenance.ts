import { InputChecks, mutationPayload, requireRole, todayUtc } from "@aftersales/kit";
import { planMaintenance as runPlanning } from "../../db/planning.js";
import { emitVisitEvent } from "../../db/visits.js";
import { RUNS_PLANNING } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const planMaintenance: MutationResolvers["planMaintenance"] = async (_, { input }, { db, identity }) => {
  requireRole(identity, RUNS_PLANNING, "run maintenance planning");
  const payload = await mutationPayload<"result", Awaited<ReturnType<typeof runPlanning>>, WarrantyErrorCode>("result", db, async (tx) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const leadDays = checks.range(input?.leadDays ?? 30, ["leadDays"], 0, 365);
    const graceDays = checks.range(input?.graceDays ?? 14, ["graceDays"], 0, 365);
    checks.refuseIfAny();
    const result = await runPlanning(tx, { asOf: input?.asOf ?? todayUtc(), leadDays, graceDays });
    for (const visit of result.missed) await emitVisitEvent(tx, "visit.missed", visit);
    return result;
  });
  const result = payload.result;
  return {
    visitsCreated: result?.visitsCreated ?? 0,
    visitsMissed: result?.visitsMissed ?? 0,
    contractsExpired: result?.contractsExpired ?? 0,
    errors: payload.errors,
  };
};
