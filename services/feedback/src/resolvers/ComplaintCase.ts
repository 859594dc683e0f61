import { seesPersonalData } from "@aftersales/kit";
import { masked } from "../domain/access.js";
import { readDeadline, SATISFIED } from "../domain/complaint.js";
import type { ComplaintCaseResolvers, ComplaintDeadlineResolvers } from "../generated/graphql.js";

export const ComplaintCase: ComplaintCaseResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.complaintCaseById.load(id),
  feedback: (row, _, { loaders }) => (row.feedbackId ? loaders.feedbackById.load(row.feedbackId) : null),
  survey: (row, _, { loaders }) => (row.surveyId ? loaders.surveyById.load(row.surveyId) : null),
  comment: async (row, _, { identity, loaders }) => {
    const source = row.feedbackId ? await loaders.feedbackById.load(row.feedbackId) : row.surveyId ? await loaders.surveyById.load(row.surveyId) : null;
    const comment = source?.comment ?? null;
    return comment === null ? null : seesPersonalData(identity) ? comment : masked(comment);
  },
  customer: (row, _, { identity }) => (row.customerId && seesPersonalData(identity) ? { id: row.customerId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  product: (row) => (row.productId ? { id: row.productId } : null),
  unit: (row) => (row.unitId ? { id: row.unitId } : null),
  ticket: (row) => (row.ticketId ? { id: row.ticketId } : null),
  owner: (row, _, { identity }) => (row.ownerName && seesPersonalData(identity) ? { name: row.ownerName, email: row.ownerEmail } : null),
  responseDeadline: (row, _, { now }) => ({ reading: readDeadline(row, now()), timeZone: row.calendar.timeZone }),
  atRisk: (row, _, { now }) => row.status !== "RESOLVED" && readDeadline(row, now()).state === "BREACHED",
  response: (row, _, { identity }) => (row.response === null ? null : seesPersonalData(identity) ? row.response : masked(row.response)),
  resolution: (row, _, { identity }) =>
    row.resolution && row.resolvedAt ? { text: seesPersonalData(identity) ? row.resolution : masked(row.resolution), resolvedAt: row.resolvedAt } : null,
  followUp: (row, _, { loaders }) => (row.followUpSurveyId ? loaders.surveyById.load(row.followUpSurveyId) : null),
  resolvedToSatisfaction: async (row, _, { loaders }) => {
    const survey = row.followUpSurveyId ? await loaders.surveyById.load(row.followUpSurveyId) : null;
    return survey?.status === "ANSWERED" && survey.score !== null ? survey.score === SATISFIED : null;
  },
};

export const ComplaintDeadline: ComplaintDeadlineResolvers = {
  targetMinutes: ({ reading }) => Math.round(reading.targetSeconds / 60),
  timeZone: ({ timeZone }) => timeZone,
  dueAt: ({ reading }) => reading.dueAt,
  state: ({ reading }) => (reading.state === "BREACHED" ? "BREACHED" : reading.state === "MET" ? "MET" : "RUNNING"),
  elapsedBusinessSeconds: ({ reading }) => reading.elapsedSeconds,
  metAt: ({ reading }) => reading.metAt,
  breachedAt: ({ reading }) => reading.breachedAt,
};
