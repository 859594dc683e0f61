import { applyPatch, currentVersion, InputChecks, mutationPayload, requireRole, todayUtc, userError } from "@aftersales/kit";
import { lockPlan, savePlan } from "../../db/contracts.js";
import { announceWarrantyEndings } from "../../db/endings.js";
import { MANAGES_TERMS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { checkPlan, type PlanDraft } from "../../domain/plan.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateContractPlan: MutationResolvers["updateContractPlan"] = (_, { input: { id, version, ...patch } }, { db, identity }) => {
  requireRole(identity, MANAGES_TERMS, "change contract plans");
  return mutationPayload("plan", db, async (tx) => {
    const current = currentVersion(await lockPlan(tx, id), version, userError("PLAN_NOT_FOUND", `No contract plan has the id \`${id}\`.`, ["id"]));
    const checks = new InputChecks<WarrantyErrorCode>();
    const draft = applyPatch<PlanDraft, WarrantyErrorCode>(checks, current, patch, ["description", "maxCases", "maxLaborHours"]);
    const plan = checkPlan(checks, draft);
    checks.refuseIfAny();
    const saved = await savePlan(tx, id, plan);
    // A new price or a plan retired changes what warranties ending soon are offered.
    await announceWarrantyEndings(tx, null, todayUtc(), true);
    return saved;
  });
};
