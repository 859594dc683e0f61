import { badUserInput, dealerScopeOf, pageOf, requireRole } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { CASES_BY_DEADLINE, CASES_NEWEST_FIRST, listCases, listCasesAtRisk } from "../db/complaints.js";
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
  complaintCase: (_, { id }, { loaders }) => loaders.complaintCaseById.load(id),
  complaintCases: (_, { filter, first, after }, { db }) => listCases(db, filter ?? {}, pageOf({ first, after }, CASES_NEWEST_FIRST)),
  complaintCasesAtRisk: (_, { within, first, after }, { db, now }) => {
    if (!Number.isInteger(within) || within < 1 || within > MAX_RISK_MINUTES)
      throw badUserInput(`\`within\` must be between 1 and ${MAX_RISK_MINUTES} minutes.`, "within");
    return listCasesAtRisk(db, new Date(now().getTime() + within * 60_000), pageOf({ first, after }, CASES_BY_DEADLINE));
  },
};

/** A week, as for tickets at risk: further ahead is planning, not risk. */
const MAX_RISK_MINUTES = 7 * 24 * 60;

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
