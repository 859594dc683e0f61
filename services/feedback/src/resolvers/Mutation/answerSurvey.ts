import { InputChecks, mutationPayload, Refusal, requireRole, userError } from "@aftersales/kit";
import { announceAnswers } from "../../db/answers.js";
import { emitCase, lockCaseByFollowUp } from "../../db/complaints.js";
import { findSurveyByToken, saveAnswer } from "../../db/surveys.js";
import { RECORDS_FEEDBACK } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import { SATISFIED } from "../../domain/complaint.js";
import { FOLLOW_UP, SCALES, scoreFits } from "../../domain/survey.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { checkComment } from "./comment.js";

export const answerSurvey: MutationResolvers["answerSurvey"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, RECORDS_FEEDBACK, "answer surveys");
  return mutationPayload("survey", db, async (tx) => {
    const at = now();
    // Locked, so two answers sent at once cannot both be taken.
    const survey = await findSurveyByToken(tx, input.token.trim(), { forUpdate: true });
    if (!survey) throw new Refusal([userError<FeedbackErrorCode>("SURVEY_NOT_FOUND", "No survey has this token; check the link.", ["token"])]);
    const checks = new InputChecks<FeedbackErrorCode>();
    if (survey.status === "ANSWERED") checks.add("ALREADY_ANSWERED", "This survey was answered already; an answer is never replaced.", ["token"]);
    else if (survey.status !== "OPEN" || (survey.expiresAt && survey.expiresAt <= at)) {
      const why = survey.status === "SCHEDULED" ? "is not open yet" : survey.status === "CANCELLED" ? "was cancelled" : "has expired";
      checks.add("SURVEY_NOT_OPEN", `This survey ${why}, so it cannot be answered.`, ["token"]);
    }
    if (!scoreFits(survey.kind, input.score)) {
      const { min, max } = SCALES[survey.kind];
      checks.add("SCORE_OUT_OF_RANGE", `A ${survey.kind} survey takes a whole score from ${min} to ${max}.`, ["score"]);
    }
    const { comment, reading } = checkComment(checks, input, false);
    checks.refuseIfAny();
    const answered = await saveAnswer(tx, survey.id, {
      score: input.score,
      comment,
      language: reading?.language ?? null,
      themes: reading?.themes ?? [],
      sentiment: reading?.sentiment ?? null,
      answeredAt: at,
    });
    const { kind } = answered;
    if (kind === FOLLOW_UP) {
      // The customer's word on a resolved complaint is the case's news; `survey.answered` keeps to the kinds its version lists.
      const recovered = await lockCaseByFollowUp(tx, answered.id);
      if (recovered) {
        await emitCase(tx, "complaint.followed_up", recovered, {
          followUpSurveyId: answered.id,
          resolvedToSatisfaction: input.score === SATISFIED,
          answeredAt: at.toISOString(),
        });
      }
      return answered;
    }
    await announceAnswers(tx, loaders, [{ answered, at }]);
    return answered;
  });
};
