import { countLoaderByParent, loaderByKey, loaderByParent, type Database, type Identity, type Page, type Peers, type SubgraphContext } from "@aftersales/kit";
import { findCasesByIds } from "./complaints.js";
import { countFeedbackByParent, feedbackPagesByParent, findFeedbackByIds } from "./feedback.js";
import { subjectLoaders } from "./subjects.js";
import { countSurveysByCustomerIds, findCsatSurveysByTicketIds, findSurveysByIds, surveyPagesByCustomer } from "./surveys.js";

/** Per-request loaders, one statement per batch, in the caller's scope (row-level security). */
export function createLoaders(db: Database, _identity: Identity, peers: Peers | null) {
  return {
    ...subjectLoaders(db, peers),
    surveyById: loaderByKey(
      (ids) => findSurveysByIds(db, ids),
      (row) => row.id,
    ),
    csatSurveyByTicketId: loaderByKey(
      (ids) => findCsatSurveysByTicketIds(db, ids),
      (row) => row.ticketId ?? "",
    ),
    surveyPageByCustomerId: loaderByParent(
      (ids, page: Page) => surveyPagesByCustomer(db, ids, page),
      (row) => row.customerId,
    ),
    feedbackById: loaderByKey(
      (ids) => findFeedbackByIds(db, ids),
      (row) => row.id,
    ),
    complaintCaseById: loaderByKey(
      (ids) => findCasesByIds(db, ids),
      (row) => row.id,
    ),
    feedbackPageByCustomerId: loaderByParent(
      (ids, page: Page) => feedbackPagesByParent(db, "customerId", ids, page),
      (row) => row.customerId ?? "",
    ),
    feedbackPageByDealerId: loaderByParent(
      (ids, page: Page) => feedbackPagesByParent(db, "dealerId", ids, page),
      (row) => row.dealerId,
    ),
    // How many rows each parent's whole list holds (its totalCount).
    surveyCountByCustomerId: countLoaderByParent((ids) => countSurveysByCustomerIds(db, ids)),
    feedbackCountByCustomerId: countLoaderByParent((ids) => countFeedbackByParent(db, "customerId", ids)),
    feedbackCountByDealerId: countLoaderByParent((ids) => countFeedbackByParent(db, "dealerId", ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
