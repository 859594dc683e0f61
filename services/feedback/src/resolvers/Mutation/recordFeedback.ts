import type { PayloadIn } from "@aftersales/events";
import {
  dealerScopeOf,
  emitEvent,
  findByIdempotencyKey,
  inputHash,
  InputChecks,
  mayActFor,
  mutationPayload,
  newId,
  replayOf,
  requireRole,
  type Identity,
} from "@aftersales/kit";
import { openComplaintCase } from "../../db/complaints.js";
import { insertFeedback } from "../../db/feedback.js";
import type { Loaders } from "../../db/loaders.js";
import { feedbackEntries, outbox } from "../../db/schema.js";
import { RECORDS_FEEDBACK } from "../../domain/access.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import type { MutationResolvers, RecordFeedbackInput } from "../../generated/graphql.js";
import { checkComment } from "./comment.js";

/** What the feedback is about, and whose it is: the dealer it concerns and, unless anonymous, the customer. */
interface Subject {
  dealerId: string | null;
  customerId: string | null;
  productId: string | null;
  unitId: string | null;
  ticketId: string | null;
  aboutDealerId: string | null;
}

const SUBJECT_FIELDS = ["productId", "unitId", "ticketId", "dealerId"] as const;

export const recordFeedback: MutationResolvers["recordFeedback"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, RECORDS_FEEDBACK, "record feedback");
  return mutationPayload("feedback", db, async (tx) => {
    const checks = new InputChecks<FeedbackErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const { comment, reading } = checkComment(checks, input, true);
    const given = SUBJECT_FIELDS.filter((field) => input[field] != null);
    if (given.length !== 1) {
      checks.add(
        "SUBJECT_REQUIRED",
        "Name what the feedback is about: exactly one of productId, unitId, ticketId, dealerId.",
        given.length ? [given[1]!] : null,
      );
    }
    checks.refuseIfAny();
    const customer = input.customerId ? await loaders.customerFactsById.load(input.customerId) : null;
    if (input.customerId && !customer) checks.add("CUSTOMER_NOT_FOUND", `No customer \`${input.customerId}\` is known to you.`, ["customerId"]);
    const subject = await subjectOf(loaders, identity, checks, input, customer?.homeDealerId ?? null);
    // Feedback about a ticket or unit comes from its customer unless someone else is named.
    const customerId = input.customerId ?? subject.customerId;
    if (input.customerId && subject.customerId && input.customerId !== subject.customerId) {
      checks.add("CUSTOMER_MISMATCH", `The ${input.ticketId ? "ticket" : "unit"} belongs to another customer.`, ["customerId"]);
    }
    const dealerId = subject.dealerId ?? customer?.homeDealerId ?? dealerScopeOf(identity);
    if (!dealerId)
      checks.add("DEALER_REQUIRED", "Feedback about a product alone needs a customer (or a DEALER recording it) to tell whose it is.", ["customerId"]);
    const own = dealerScopeOf(identity);
    if (own && dealerId && dealerId !== own) checks.add("NOT_YOUR_DEALER", `You act for \`${own}\`; this feedback concerns \`${dealerId}\`.`, ["dealerId"]);
    checks.refuseIfAny();
    if (key) {
      const replay = replayOf(await findByIdempotencyKey(tx, feedbackEntries, dealerId!, key), input);
      if (replay) return replay;
    }
    const saved = await insertFeedback(tx, {
      id: newId("fbk"),
      kind: input.kind,
      dealerId: dealerId!,
      customerId,
      productId: subject.productId,
      unitId: subject.unitId,
      ticketId: subject.ticketId,
      aboutDealerId: subject.aboutDealerId,
      comment: comment!,
      language: reading!.language,
      themes: reading!.themes,
      sentiment: reading!.sentiment,
      receivedAt: now(),
      recordedBy: identity.subject,
      idempotencyKey: key,
      inputHash: key ? inputHash(input) : null,
    });
    await emitEvent<PayloadIn<"feedbackReceived">>(tx, outbox, {
      type: "feedback.received",
      aggregate: "feedback",
      aggregateId: saved.id,
      dealerId: saved.dealerId,
      payload: {
        id: saved.id,
        kind: saved.kind,
        dealerId: saved.dealerId,
        customerId: saved.customerId,
        productId: saved.productId,
        unitId: saved.unitId,
        ticketId: saved.ticketId,
        aboutDealerId: saved.aboutDealerId,
        language: saved.language,
        themes: saved.themes,
        sentiment: saved.sentiment,
        receivedAt: saved.receivedAt.toISOString(),
      },
    });
    if (saved.kind === "COMPLAINT") {
      const dealer = await loaders.dealerFactsById.load(saved.dealerId);
      await openComplaintCase(
        tx,
        { source: "FEEDBACK", feedbackId: saved.id, surveyId: null, ...subjectOfCase(saved) },
        dealer?.calendar ?? null,
        saved.receivedAt,
      );
    }
    return saved;
  });
};

/** Reads the one subject named, as the caller may see it. */
async function subjectOf(
  loaders: Loaders,
  identity: Identity,
  checks: InputChecks<FeedbackErrorCode>,
  input: RecordFeedbackInput,
  customersDealer: string | null,
): Promise<Subject> {
  const none: Subject = { dealerId: null, customerId: null, productId: null, unitId: null, ticketId: null, aboutDealerId: null };
  // A ticket or unit the copy has with another customer is asked of its owner before the customer is called wrong.
  const ofTheCustomer = (subject: { customerId: string | null }) => !input.customerId || subject.customerId === input.customerId;
  if (input.ticketId) {
    const ticket = await loaders.ticketFactsById.confirmed(input.ticketId, ofTheCustomer);
    if (!ticket) checks.add("TICKET_NOT_FOUND", `No ticket \`${input.ticketId}\` is known to you.`, ["ticketId"]);
    return ticket
      ? { ...none, dealerId: ticket.dealerId, customerId: ticket.customerId, productId: ticket.productId, unitId: ticket.unitId, ticketId: ticket.id }
      : none;
  }
  if (input.unitId) {
    const unit = await loaders.unitFactsById.confirmed(input.unitId, ofTheCustomer);
    if (!unit) checks.add("UNIT_NOT_FOUND", `No unit \`${input.unitId}\` is known to you.`, ["unitId"]);
    return unit ? { ...none, dealerId: unit.dealerId, customerId: unit.customerId, productId: unit.productId, unitId: unit.id } : none;
  }
  if (input.dealerId) {
    // Another dealer than a DEALER's own is refused as such below, whether it exists or not (the directory is public).
    const dealer = mayActFor(identity, input.dealerId) ? await loaders.dealerFactsById.load(input.dealerId) : { id: input.dealerId };
    if (!dealer) checks.add("DEALER_NOT_FOUND", `No dealer \`${input.dealerId}\` is known.`, ["dealerId"]);
    return { ...none, dealerId: input.dealerId, aboutDealerId: input.dealerId };
  }
  const product = input.productId ? await loaders.productFactsById.load(input.productId) : null;
  if (!product) checks.add("PRODUCT_NOT_FOUND", `No product \`${input.productId}\` is known.`, ["productId"]);
  return { ...none, dealerId: customersDealer, productId: input.productId ?? null };
}

/** What a complaint's case is about, as the feedback names it. */
const subjectOfCase = (row: { dealerId: string; customerId: string | null; productId: string | null; unitId: string | null; ticketId: string | null }) => ({
  dealerId: row.dealerId,
  customerId: row.customerId,
  productId: row.productId,
  unitId: row.unitId,
  ticketId: row.ticketId,
});
