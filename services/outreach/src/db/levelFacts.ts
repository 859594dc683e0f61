import type { Database, DomainEvent } from "@aftersales/kit";
import { asConsumer, payloads } from "@aftersales/events";
import { surveyAnswers, unitSales } from "./schema.js";

/**
 * The facts the insights by relationship level count, kept from events this
 * subgraph already receives: survey answers (score and kind) and units sold.
 * Kept once per survey and per unit, so a redelivery changes nothing.
 */

const answerPayload = asConsumer(payloads.surveyAnswered).pick({ id: true, dealerId: true, customerId: true, kind: true, score: true, answeredAt: true });
const salePayload = asConsumer(payloads.unit).pick({ id: true, dealerId: true, customerId: true, soldOn: true, event: true });

export async function keepSurveyAnswer(tx: Database, event: DomainEvent): Promise<void> {
  const answer = answerPayload.parse(event.payload);
  await tx
    .insert(surveyAnswers)
    .values({
      id: answer.id,
      dealerId: answer.dealerId,
      customerId: answer.customerId,
      kind: answer.kind,
      score: answer.score,
      answeredAt: new Date(answer.answeredAt),
    })
    .onConflictDoNothing();
}

/** A sale, to the customer who bought the unit; a later transfer hands it on but is nobody's purchase. */
export async function keepUnitSale(tx: Database, event: DomainEvent): Promise<void> {
  const unit = salePayload.parse(event.payload);
  if (unit.event.kind !== "SOLD" || !unit.customerId || !unit.soldOn) return;
  await tx.insert(unitSales).values({ unitId: unit.id, dealerId: unit.dealerId, customerId: unit.customerId, soldOn: unit.soldOn }).onConflictDoNothing();
}
