import type { PayloadIn } from "@aftersales/events";
import { emitEvents, type Database } from "@aftersales/kit";
import { isComplaint } from "../domain/complaint.js";
import { openComplaintCase } from "./complaints.js";
import type { Loaders } from "./loaders.js";
import { outbox, type SurveyRow } from "./schema.js";

/**
 * What answers to surveys (not a complaint's follow-up) lead to, the one way
 * answering and importing do: a low score with a comment opens a complaint
 * case at the time of the answer, and `survey.answered` tells the other
 * subgraphs, in one statement for all of them.
 */
export async function announceAnswers(tx: Database, loaders: Loaders, answers: readonly { answered: SurveyRow; at: Date }[]): Promise<void> {
  for (const { answered, at } of answers) {
    if (!isComplaint(answered.kind, answered.score ?? 0, answered.comment)) continue;
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
  await emitEvents<PayloadIn<"surveyAnswered">>(
    tx,
    outbox,
    answers.map(({ answered, at }) => ({
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
        score: answered.score ?? 0,
        language: answered.language,
        themes: answered.themes,
        sentiment: answered.sentiment,
        answeredAt: at.toISOString(),
      },
    })),
  );
}
