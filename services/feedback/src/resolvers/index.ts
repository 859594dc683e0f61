import type { Resolvers } from "../generated/graphql.js";
import { answerSurvey } from "./Mutation/answerSurvey.js";
import { openDueSurveys } from "./Mutation/openDueSurveys.js";
import { recordFeedback } from "./Mutation/recordFeedback.js";
import { setSurveyTimings } from "./Mutation/setSurveyTimings.js";
import { Customer, Dealer, Ticket } from "./Entities.js";
import { Insights, InsightsGroup, WarrantyClaimRate } from "./Insights.js";
import { Query } from "./Query.js";
import { Feedback, Survey, SurveyAnswer } from "./Survey.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: { answerSurvey, recordFeedback, openDueSurveys, setSurveyTimings },
  Survey,
  SurveyAnswer,
  Feedback,
  Insights,
  InsightsGroup,
  WarrantyClaimRate,
  Ticket,
  Customer,
  Dealer,
};
