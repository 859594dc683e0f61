import { InputChecks, mutationPayload, requireRole, todayUtc } from "@aftersales/kit";
import { insertPlan } from "../../db/contracts.js";
import { announceWarrantyEndings } from "../../db/endings.js";
import { MANAGES_TERMS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { checkPlan } from "../../domain/plan.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createContractPlan: MutationResolvers["createContractPlan"] = (_, { input }, { db, identity }) => {
  requireRole(identity, MANAGES_TERMS, "create contract plans");
  return mutationPayload("plan", db, async (tx) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const plan = checkPlan(checks, {
      ...input,
      description: input.description ?? null,
      termMonths: input.termMonths ?? 12,
      visitsPerYear: input.visitsPerYear ?? 0,
      floatingVisits: input.floatingVisits ?? false,
      loanerIncluded: input.loanerIncluded ?? false,
      maxCases: input.maxCases ?? null,
      maxLaborHours: input.maxLaborHours ?? null,
      offered: true,
    });
    checks.refuseIfAny();
    const created = await insertPlan(tx, plan);
    // Warranties ending soon are offered the plans on offer: told again with this one.
    await announceWarrantyEndings(tx, null, todayUtc(), true);
    return created;
  });
};
