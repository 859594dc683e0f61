import type { PayloadIn } from "@aftersales/events";
import { emitEvent, type Database } from "@aftersales/kit";
import { isComplaint } from "../domain/complaint.js";
import { openComplaintCase } from "./complaints.js";
import type { Loaders } from "./loaders.js";
import { outbox, type SurveyRow } from "./schema.js";

/**
 * What an answer to a survey (not a complaint's follow-up) leads to, the one
 * way answering and importing do: a low score with a comment opens a
 * complaint case at the time of the answer, and `survey.answered` tells
 * the other subgraphs.
 */
export async function announceAnswer(tx: Database, loaders: Loaders, answered: SurveyRow, at: Date): Promise<void> {
  const score = answered.score ?? 0;
  if (isComplaint(answered.kind, score, answered.comment)) {
    const dealer = await loaders.dealerFactsById.load(answered.dealerId);
    await openComplaintCase(
      tx,
      {
        source: "SURVEY",
        feedbackId: null,
        surveyId: answered.id,
        dealerId: answered.dealerId,
        customerId: answered.customerId,
        productId: answered.productId,
        unitId: answered.unitId,
        ticketId: answered.ticketId,
      },
      dealer?.calendar ?? null,
      at,
    );
  }
  await emitEvent<PayloadIn<"surveyAnswered">>(tx, outbox, {
    type: "survey.answered",
    aggregate: "survey",
    aggregateId: answered.id,
    dealerId: answered.dealerId,
    payload: {
      id: answered.id,
      kind: answered.kind as PayloadIn<"surveyAnswered">["kind"],
      dealerId: answered.dealerId,
      customerId: answered.customerId,
      ticketId: answered.ticketId,
      unitId: answered.unitId,
      productId: answered.productId,
      score,
      language: answered.language,
      themes: answered.themes,
      sentiment: answered.sentiment,
      answeredAt: at.toISOString(),
    },
  });
}
