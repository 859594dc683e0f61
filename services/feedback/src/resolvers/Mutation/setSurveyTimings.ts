import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveSurveyTimings, surveyTimings } from "../../db/settings.js";
import { rescheduleNps } from "../../db/surveys.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import type { SurveyTimings } from "../../domain/survey.js";
import type { MutationResolvers } from "../../generated/graphql.js";

/** Each timing's allowed range: wide enough for any business, narrow enough to catch a unit mistaken (hours for days). */
const RANGES: Record<keyof SurveyTimings, [number, number]> = {
  csatDelayHours: [0, 720],
  postSaleDelayDays: [0, 90],
  npsFirstAfterDays: [0, 365],
  npsIntervalDays: [30, 730],
  answerWithinDays: [1, 90],
};

export const setSurveyTimings: MutationResolvers["setSurveyTimings"] = (_, { input }, { db, identity, now }) => {
  requireRole(identity, ["ADMIN"], "change survey timings");
  return mutationPayload("timings", db, async (tx) => {
    const timings = { ...(await surveyTimings(tx)) };
    const checks = new InputChecks<FeedbackErrorCode>();
    for (const [name, [min, max]] of Object.entries(RANGES) as [keyof SurveyTimings, [number, number]][]) {
      const given = input[name];
      if (given != null) timings[name] = checks.range(given, [name], min, max);
    }
    checks.refuseIfAny();
    const npsMoved = input.npsFirstAfterDays != null || input.npsIntervalDays != null;
    await saveSurveyTimings(tx, timings, now());
    if (npsMoved) await rescheduleNps(tx, timings);
    return timings;
  });
};
