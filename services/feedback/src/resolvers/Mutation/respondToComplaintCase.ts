import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveCase } from "../../db/complaints.js";
import { RECORDS_FEEDBACK } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import { COMMENT_MAX_LENGTH } from "../../domain/survey.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { checkWorkable, lockCaseAt } from "./complaintCase.js";

export const respondToComplaintCase: MutationResolvers["respondToComplaintCase"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, RECORDS_FEEDBACK, "respond to complaint cases");
  return mutationPayload("complaintCase", db, async (tx) => {
    const checks = new InputChecks<FeedbackErrorCode>();
    const response = checks.text(input.response, ["response"], COMMENT_MAX_LENGTH);
    checks.refuseIfAny();
    const row = await lockCaseAt(tx, input);
    checkWorkable(checks, row);
    if (checks.ok && row.respondedAt) checks.add("ALREADY_RESPONDED", "The customer was answered already; resolve the case when it is done.", ["id"]);
    checks.refuseIfAny();
    return saveCase(tx, row.id, { status: "RESPONDED", respondedAt: now(), response });
  });
};
