import { pageOf, toConnection } from "@aftersales/kit";
import { FEEDBACK_NEWEST_FIRST } from "../db/feedback.js";
import { SURVEYS_NEWEST_FIRST } from "../db/surveys.js";
import type { CustomerResolvers, DealerResolvers, TicketResolvers } from "../generated/graphql.js";

// Other subgraphs' entities, with what this subgraph knows about them.

export const Ticket: TicketResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  survey: ({ id }, _, { loaders }) => loaders.csatSurveyByTicketId.load(id),
};

export const Customer: CustomerResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  feedback: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, FEEDBACK_NEWEST_FIRST);
    return toConnection(await loaders.feedbackPageByCustomerId.load({ parentId: id, args: page }), page, FEEDBACK_NEWEST_FIRST, () =>
      loaders.feedbackCountByCustomerId.load({ parentId: id, args: null }),
    );
  },
  surveys: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, SURVEYS_NEWEST_FIRST);
    return toConnection(await loaders.surveyPageByCustomerId.load({ parentId: id, args: page }), page, SURVEYS_NEWEST_FIRST, () =>
      loaders.surveyCountByCustomerId.load({ parentId: id, args: null }),
    );
  },
};

export const Dealer: DealerResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  feedback: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, FEEDBACK_NEWEST_FIRST);
    return toConnection(await loaders.feedbackPageByDealerId.load({ parentId: id, args: page }), page, FEEDBACK_NEWEST_FIRST, () =>
      loaders.feedbackCountByDealerId.load({ parentId: id, args: null }),
    );
  },
};
