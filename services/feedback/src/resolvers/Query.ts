import { badUserInput, dealerScopeOf, pageOf, requireRole } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { listFeedback, FEEDBACK_NEWEST_FIRST } from "../db/feedback.js";
import { surveyTimings } from "../db/settings.js";
import { findSurveyByToken, listSurveys, SURVEYS_NEWEST_FIRST } from "../db/surveys.js";
import type { InsightsScope } from "../db/insights.js";
import { STAFF } from "../domain/access.js";
import type { InsightsFilter, QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  survey: (_, { id }, { loaders }) => loaders.surveyById.load(id),
  surveyByToken: (_, { token }, { db, identity }) => {
    requireRole(identity, STAFF, "open surveys by their link's token");
    return findSurveyByToken(db, token);
  },
  surveys: (_, { filter, first, after }, { db }) => listSurveys(db, filter ?? {}, pageOf({ first, after }, SURVEYS_NEWEST_FIRST)),
  feedback: (_, { filter, first, after }, { db }) => listFeedback(db, filter ?? {}, pageOf({ first, after }, FEEDBACK_NEWEST_FIRST)),
  insights: async (_, { filter }, { db, identity }) => {
    const scope = insightsScope(filter ?? {}, dealerScopeOf(identity));
    // Medians and percentiles sort up to a million rows: in memory rather than on disk, for this request only.
    await db.execute(sql`set local work_mem = '64MB'`);
    return { scope };
  },
  surveyTimings: (_, __, { db }) => surveyTimings(db),
};

/** The filter as applied: a period in order, empty lists as none, a DEALER's own dealer in place of any it named. */
function insightsScope(filter: InsightsFilter, ownDealer: string | null): InsightsScope {
  if (filter.from && filter.to && filter.from > filter.to) throw badUserInput("`filter.from` must not be after `filter.to`.", "filter");
  const ids = (list: readonly string[] | null | undefined) => (list?.length ? [...new Set(list)] : null);
  return {
    from: filter.from ?? null,
    to: filter.to ?? null,
    productIds: ids(filter.productIds),
    dealerIds: ownDealer ? [ownDealer] : ids(filter.dealerIds),
    serviceCenterIds: ids(filter.serviceCenterIds),
  };
}
