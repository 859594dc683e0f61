import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { emitCase, saveCase } from "../../db/complaints.js";
import { surveyTimings } from "../../db/settings.js";
import { openFollowUp } from "../../db/surveys.js";
import { RECORDS_FEEDBACK } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import { COMMENT_MAX_LENGTH } from "../../domain/survey.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { checkWorkable, lockCaseAt } from "./complaintCase.js";

export const resolveComplaintCase: MutationResolvers["resolveComplaintCase"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, RECORDS_FEEDBACK, "resolve complaint cases");
  return mutationPayload("complaintCase", db, async (tx) => {
    const checks = new InputChecks<FeedbackErrorCode>();
    const resolution = checks.text(input.resolution, ["resolution"], COMMENT_MAX_LENGTH);
    checks.refuseIfAny();
    const row = await lockCaseAt(tx, input);
    checkWorkable(checks, row);
    checks.refuseIfAny();
    const at = now();
    // An anonymous complaint has nobody to ask.
    const followUp = row.customerId ? await openFollowUp(tx, { ...row, customerId: row.customerId }, at, await surveyTimings(tx)) : null;
    const resolved = await saveCase(tx, row.id, {
      status: "RESOLVED",
      resolution,
      resolvedAt: at,
      // Resolving is an answer to the customer too.
      respondedAt: row.respondedAt ?? at,
      followUpSurveyId: followUp?.id ?? null,
    });
    await emitCase(tx, "complaint.resolved", resolved, {
      respondedAt: resolved.respondedAt!.toISOString(),
      resolvedAt: at.toISOString(),
      followUpSurveyId: followUp?.id ?? null,
    });
    return resolved;
  });
};
