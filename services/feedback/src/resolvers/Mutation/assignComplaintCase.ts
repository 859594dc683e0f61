import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveCase } from "../../db/complaints.js";
import { ASSIGNS_CASES } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { lockCaseAt } from "./complaintCase.js";

export const assignComplaintCase: MutationResolvers["assignComplaintCase"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, ASSIGNS_CASES, "assign complaint cases");
  return mutationPayload("complaintCase", db, async (tx) => {
    const checks = new InputChecks<FeedbackErrorCode>();
    const ownerName = checks.text(input.ownerName, ["ownerName"], 200);
    const ownerEmail = checks.email(input.ownerEmail, ["ownerEmail"]);
    checks.refuseIfAny();
    const row = await lockCaseAt(tx, input);
    if (row.status === "RESOLVED") checks.add("CASE_RESOLVED", "The case is resolved; its owner stays who resolved it.", ["id"]);
    checks.refuseIfAny();
    return saveCase(tx, row.id, { ownerName, ownerEmail, assignedAt: now() });
  });
};
