import { mutationPayload, requireRole } from "@aftersales/kit";
import { surveyTimings } from "../../db/settings.js";
import { runSurveySchedule, type SurveyRun } from "../../db/surveys.js";
import { STAFF } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const openDueSurveys: MutationResolvers["openDueSurveys"] = async (_, __, { db, identity, now }) => {
  requireRole(identity, STAFF, "run the survey schedule");
  const { run, errors } = await mutationPayload<"run", SurveyRun, FeedbackErrorCode>("run", db, async (tx) =>
    runSurveySchedule(tx, now(), await surveyTimings(tx)),
  );
  return { opened: run?.opened ?? 0, cancelled: run?.cancelled ?? 0, expired: run?.expired ?? 0, errors };
};
