import { seesPersonalData } from "@aftersales/kit";
import { masked } from "../domain/access.js";
import { QUESTIONS, SCALES } from "../domain/survey.js";
import type { FeedbackResolvers, SurveyAnswerResolvers, SurveyResolvers } from "../generated/graphql.js";
import type { FeedbackRow, SurveyRow } from "../db/schema.js";

/**
 * A survey's answer page on the gateway, which the customer opens without an
 * account: an absolute URL, since dealers paste it into e-mails as it is.
 */
export const surveyLink = (publicUrl: string, token: string) => `${publicUrl}/surveys/${token}`;

const readingOf = (row: SurveyRow | FeedbackRow) => ({ language: row.language ?? "en", themes: row.themes, sentiment: row.sentiment ?? "NEUTRAL" });

export const Survey: SurveyResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.surveyById.load(id),
  question: (row) => QUESTIONS[row.kind],
  scale: (row) => SCALES[row.kind],
  customer: (row, _, { identity }) => (seesPersonalData(identity) ? { id: row.customerId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  dealerName: async (row, _, { loaders }) => (await loaders.dealerFactsById.load(row.dealerId))?.name ?? null,
  productName: async (row, _, { loaders }) => {
    // A survey opened before its ticket's facts came may not have copied the product yet; its unit knows it.
    const productId = row.productId ?? (row.unitId ? ((await loaders.unitFactsById.load(row.unitId))?.productId ?? null) : null);
    return productId ? ((await loaders.productFactsById.load(productId))?.name ?? null) : null;
  },
  ticket: (row) => (row.ticketId ? { id: row.ticketId } : null),
  unit: (row) => (row.unitId ? { id: row.unitId } : null),
  link: (row, _, { identity, publicUrl }) => (row.status === "OPEN" && seesPersonalData(identity) ? surveyLink(publicUrl(), row.token) : null),
  answer: (row) => (row.status === "ANSWERED" ? row : null),
};

export const SurveyAnswer: SurveyAnswerResolvers = {
  score: (row) => row.score ?? 0,
  comment: (row, _, { identity }) => (row.comment === null ? null : seesPersonalData(identity) ? row.comment : masked(row.comment)),
  reading: readingOf,
  answeredAt: (row) => row.answeredAt ?? row.createdAt,
};

export const Feedback: FeedbackResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.feedbackById.load(id),
  customer: (row, _, { identity }) => (row.customerId && seesPersonalData(identity) ? { id: row.customerId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  product: (row) => (row.productId ? { id: row.productId } : null),
  unit: (row) => (row.unitId ? { id: row.unitId } : null),
  ticket: (row) => (row.ticketId ? { id: row.ticketId } : null),
  aboutDealer: (row) => (row.aboutDealerId ? { id: row.aboutDealerId } : null),
  comment: (row, _, { identity }) => (seesPersonalData(identity) ? row.comment : masked(row.comment)),
  reading: readingOf,
};
