import type { Resolvers } from "../generated/graphql.js";
import { importOutreachItems } from "./Mutation/importOutreachItems.js";
import { recordOutreachOutcome } from "./Mutation/recordOutreachOutcome.js";
import { OutreachInsights, OutreachInsightsGroup, outreachInsights } from "./OutreachInsights.js";
import { OutreachItem, OutreachOffer, OutreachReason } from "./OutreachItem.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = {
  Query: { ...Query, outreachInsights },
  Mutation: { recordOutreachOutcome, importOutreachItems },
  OutreachItem,
  OutreachReason,
  OutreachOffer,
  OutreachInsights,
  OutreachInsightsGroup,
};
