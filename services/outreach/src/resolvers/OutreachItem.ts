import { todayUtc } from "@aftersales/kit";
import { leadingFirst, priorityOf } from "../domain/reasons.js";
import type { OutreachItemResolvers, OutreachOfferResolvers, OutreachReasonResolvers } from "../generated/graphql.js";

export const OutreachItem: OutreachItemResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.itemById.load(id),
  dealer: (item) => ({ id: item.dealerId }),
  customer: (item) => ({ id: item.customerId }),
  priority: (item) => priorityOf(item.reason),
  overdue: (item, _, { now }) => item.status === "OPEN" && item.dueOn < todayUtc(now()),
  // An open item shows the reasons that still hold; a closed one every reason it was closed with.
  reasons: async (item, _, { loaders }) => {
    const all = await loaders.reasonsByItemId.load(item.id);
    return leadingFirst(item.status === "OPEN" ? all.filter((reason) => !reason.mootAt) : all);
  },
  outcome: (item) =>
    item.outcome && item.outcomeAt && item.recordedBy
      ? {
          outcome: item.outcome,
          channel: item.outcomeChannel,
          note: item.outcomeNote,
          recordedAt: item.outcomeAt,
          recordedBy: item.recordedBy,
          conversion: item.conversionKind && item.conversionId ? { kind: item.conversionKind, id: item.conversionId } : null,
        }
      : null,
};

export const OutreachReason: OutreachReasonResolvers = {
  priority: (reason) => priorityOf(reason.kind),
  unit: (reason) => (reason.unitId ? { id: reason.unitId } : null),
  product: (reason) => (reason.productId ? { id: reason.productId } : null),
  survey: (reason) => (reason.surveyId ? { id: reason.surveyId } : null),
  feedback: (reason) => (reason.feedbackId ? { id: reason.feedbackId } : null),
  offers: (reason) => reason.offers ?? (reason.offer ? [reason.offer] : []),
};

export const OutreachOffer: OutreachOfferResolvers = {
  product: (offer) => (offer.productId ? { id: offer.productId } : null),
  plan: (offer) => (offer.planId ? { id: offer.planId } : null),
};
