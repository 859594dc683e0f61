import type { Resolvers } from "../generated/graphql.js";
import { recordOutreachOutcome } from "./Mutation/recordOutreachOutcome.js";
import { OutreachItem, OutreachOffer, OutreachReason } from "./OutreachItem.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = {
  Query,
  Mutation: { recordOutreachOutcome },
  OutreachItem,
  OutreachReason,
  OutreachOffer,
};
