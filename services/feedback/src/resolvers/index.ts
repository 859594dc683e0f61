import type { Resolvers } from "../generated/graphql.js";
import { answerSurvey } from "./Mutation/answerSurvey.js";
import { importSurveyAnswers } from "./Mutation/importSurveyAnswers.js";
import { assignComplaintCase } from "./Mutation/assignComplaintCase.js";
import { recordComplaintBreaches } from "./Mutation/recordComplaintBreaches.js";
import { resolveComplaintCase } from "./Mutation/resolveComplaintCase.js";
import { respondToComplaintCase } from "./Mutation/respondToComplaintCase.js";
import { openDueSurveys } from "./Mutation/openDueSurveys.js";
import { recordFeedback } from "./Mutation/recordFeedback.js";
import { setSurveyTimings } from "./Mutation/setSurveyTimings.js";
import { ComplaintCase, ComplaintDeadline } from "./ComplaintCase.js";
import { Customer, Dealer, Ticket } from "./Entities.js";
import { ComplaintRecoveryFigures, Insights, InsightsGroup, WarrantyClaimRate } from "./Insights.js";
import { Query } from "./Query.js";
import { Feedback, Survey, SurveyAnswer } from "./Survey.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: {
    answerSurvey,
    importSurveyAnswers,
    recordFeedback,
    openDueSurveys,
    setSurveyTimings,
    assignComplaintCase,
    respondToComplaintCase,
    resolveComplaintCase,
    recordComplaintBreaches,
  },
  ComplaintCase,
  ComplaintDeadline,
  Survey,
  SurveyAnswer,
  Feedback,
  Insights,
  ComplaintRecoveryFigures,
  InsightsGroup,
  WarrantyClaimRate,
  Ticket,
  Customer,
  Dealer,
};
