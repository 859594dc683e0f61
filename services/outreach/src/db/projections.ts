import { addDays, keepNewest, moneyOf, multiplyAmount, todayUtc, type Database, type DomainEvent, type EventSubscriptions } from "@aftersales/kit";
import { and, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { asConsumer, payloads } from "@aftersales/events";
import type { z } from "zod";
import {
  CHECK_IN_AFTER_DAYS,
  COMPLAINT_CALL_BACK_DAYS,
  DETRACTOR_CALL_BACK_DAYS,
  isDetractor,
  maintenanceDueOn,
  partsGuaranteeDueOn,
  partsGuaranteeEndingSoon,
  refillDueOn,
  warrantyEndingDueOn,
} from "../domain/reasons.js";
import { keepSurveyAnswer, keepUnitSale } from "./levelFacts.js";
import {
  coveredUnits,
  knownCustomers,
  knownDealers,
  knownProducts,
  knownPurchases,
  knownUnits,
  knownVisits,
  reasons,
  warrantyEndings,
  type ReasonOffer,
} from "./schema.js";
import { mootReasons, raiseReason, refreshCustomer } from "./worklist.js";

/**
 * What this subgraph keeps of the other subgraphs' events, and the reasons to
 * contact a customer those facts raise or make moot. A copy is only ever
 * replaced by a newer version of it; reasons are raised once per subject, so
 * a redelivered event changes nothing. Payloads are read with the event
 * catalog's schemas, leniently (`asConsumer`): fields this subgraph does not
 * pick may come and go.
 */

const customerPayload = asConsumer(payloads.customer).pick({ id: true, version: true, homeDealerId: true, relationshipLevel: true, contactConsent: true });
const dealerPayload = asConsumer(payloads.dealer).pick({ id: true, version: true, outreach: true });
const productPayload = asConsumer(payloads.product).pick({
  id: true,
  version: true,
  name: true,
  kind: true,
  lifecycleStage: true,
  listPrice: true,
  successorId: true,
  discontinuedOn: true,
  partsGuaranteedUntil: true,
});
const unitPayload = asConsumer(payloads.unit).pick({
  id: true,
  version: true,
  serialNumber: true,
  productId: true,
  dealerId: true,
  customerId: true,
  status: true,
  deliveredOn: true,
  installedOn: true,
  event: true,
});
const purchasePayload = asConsumer(payloads.consumablePurchase);
const contractPayload = asConsumer(payloads.contract).pick({
  id: true,
  number: true,
  version: true,
  dealerId: true,
  customerId: true,
  status: true,
  unitIds: true,
});
const warrantyEndingPayload = asConsumer(payloads.warrantyEnding);
const visitPayload = asConsumer(payloads.visit).pick({
  id: true,
  version: true,
  contractId: true,
  unitId: true,
  dealerId: true,
  sequence: true,
  dueOn: true,
  status: true,
});
const surveyPayload = asConsumer(payloads.surveyAnswered);
const feedbackPayload = asConsumer(payloads.feedbackReceived);

const dayOf = (event: DomainEvent) => todayUtc(new Date(event.occurredAt));

// --- partners -----------------------------------------------------------------

async function applyCustomer(tx: Database, event: DomainEvent): Promise<void> {
  const customer = customerPayload.parse(event.payload);
  // Events written before consent was recorded carry none: the customer had not opted out.
  const consent = customer.contactConsent ?? { phone: true, email: true };
  await keepNewest(tx, knownCustomers, {
    id: customer.id,
    sourceVersion: customer.version,
    homeDealerId: customer.homeDealerId,
    relationshipLevel: customer.relationshipLevel,
    phoneConsent: consent.phone,
    emailConsent: consent.email,
  });
  // A change of level, consent or dealer may open, reshape or close the customer's item.
  await refreshCustomer(tx, customer.id, new Date(event.occurredAt));
}

async function applyDealer(tx: Database, event: DomainEvent): Promise<void> {
  const dealer = dealerPayload.parse(event.payload);
  await keepNewest(tx, knownDealers, { id: dealer.id, sourceVersion: dealer.version, contactIntervalDays: dealer.outreach?.contactIntervalDays ?? 30 });
}

// --- catalog ------------------------------------------------------------------

async function applyProduct(tx: Database, event: DomainEvent): Promise<void> {
  const product = productPayload.parse(event.payload);
  await keepNewest(tx, knownProducts, {
    id: product.id,
    sourceVersion: product.version,
    name: product.name,
    kind: product.kind,
    lifecycleStage: product.lifecycleStage,
    listPrice: product.listPrice.amount,
    currency: product.listPrice.currency,
    successorId: product.successorId ?? null,
    discontinuedOn: product.discontinuedOn ?? null,
    partsGuaranteedUntil: product.partsGuaranteedUntil ?? null,
  });
  // Only a discontinued product or an ending parts guarantee concerns its owners.
  if (product.lifecycleStage !== "DISCONTINUED" && !partsGuaranteeEndingSoon(product.partsGuaranteedUntil ?? null, dayOf(event))) return;
  const owned = await tx
    .select({ id: knownUnits.id })
    .from(knownUnits)
    .where(and(eq(knownUnits.productId, product.id), isNotNull(knownUnits.customerId), ne(knownUnits.status, "RETIRED")));
  for (const unit of owned) await raiseProductReasons(tx, unit.id, event);
}

async function applyUnit(tx: Database, event: DomainEvent): Promise<void> {
  await keepUnitSale(tx, event);
  const unit = unitPayload.parse(event.payload);
  const [before] = await tx.select({ customerId: knownUnits.customerId }).from(knownUnits).where(eq(knownUnits.id, unit.id));
  await keepNewest(tx, knownUnits, {
    id: unit.id,
    sourceVersion: unit.version,
    serialNumber: unit.serialNumber,
    productId: unit.productId,
    dealerId: unit.dealerId,
    customerId: unit.customerId,
    status: unit.status,
    deliveredOn: unit.deliveredOn,
    installedOn: unit.installedOn,
  });
  const at = new Date(event.occurredAt);
  const { kind, occurredOn } = unit.event;
  if (kind === "RETIRED") return mootReasons(tx, eq(reasons.unitId, unit.id), "The unit was retired.", at);
  if (kind === "TRANSFERRED" && before?.customerId && before.customerId !== unit.customerId) {
    await mootReasons(tx, and(eq(reasons.unitId, unit.id), eq(reasons.customerId, before.customerId))!, "The unit changed hands.", at);
  }
  if (!unit.customerId) return;
  if (kind === "DELIVERED" || kind === "INSTALLED") {
    const product = await productOf(tx, unit.productId);
    await raiseReason(tx, {
      customerId: unit.customerId,
      eventDealerId: unit.dealerId,
      kind: "POST_SALE_CHECK_IN",
      subjectId: unit.id,
      unitId: unit.id,
      productId: unit.productId,
      explanation: `${product?.name ?? "The unit"} (${unit.serialNumber}) was ${kind === "DELIVERED" ? "delivered" : "installed"} on ${occurredOn}: ask how it goes, and about anything that bothers the customer.`,
      facts: [
        { name: "serialNumber", value: unit.serialNumber },
        { name: kind === "DELIVERED" ? "deliveredOn" : "installedOn", value: occurredOn },
      ],
      dueOn: addDays(occurredOn, CHECK_IN_AFTER_DAYS),
      raisedAt: at,
    });
  }
  if (kind === "SOLD" || kind === "TRANSFERRED") await raiseProductReasons(tx, unit.id, event);
}

/**
 * A unit's product was discontinued (its successor offered), or the maker
 * stops supplying its parts within a year: reasons for the unit's owner,
 * unless a service contract covers the unit (nothing is offered for it).
 */
async function raiseProductReasons(tx: Database, unitId: string, event: DomainEvent): Promise<void> {
  const [unit] = await tx.select().from(knownUnits).where(eq(knownUnits.id, unitId));
  if (!unit?.customerId) return;
  const product = await productOf(tx, unit.productId);
  if (!product) return;
  const today = dayOf(event);
  const discontinued = product.lifecycleStage === "DISCONTINUED";
  const partsEnding = partsGuaranteeEndingSoon(product.partsGuaranteedUntil, today);
  if (!discontinued && !partsEnding) return;
  if (await isCovered(tx, unit.id)) return;
  const successor = product.successorId ? await productOf(tx, product.successorId) : null;
  const offer = successor
    ? {
        kind: "SUCCESSOR" as const,
        productId: successor.id,
        description: `${successor.name}, the successor of ${product.name}`,
        price: moneyOf(successor.listPrice, successor.currency),
      }
    : null;
  const common = {
    customerId: unit.customerId,
    eventDealerId: unit.dealerId,
    subjectId: unit.id,
    unitId: unit.id,
    productId: product.id,
    offer,
    raisedAt: new Date(event.occurredAt),
  };
  const facts = [
    { name: "serialNumber", value: unit.serialNumber },
    { name: "product", value: product.name },
    ...(product.discontinuedOn ? [{ name: "discontinuedOn", value: product.discontinuedOn }] : []),
    ...(product.partsGuaranteedUntil ? [{ name: "partsGuaranteedUntil", value: product.partsGuaranteedUntil }] : []),
    ...(successor ? [{ name: "successor", value: successor.name }] : []),
  ];
  if (discontinued) {
    await raiseReason(tx, {
      ...common,
      kind: "PRODUCT_DISCONTINUED",
      explanation: `${product.name} (${unit.serialNumber}) is no longer made${successor ? `; offer its successor, ${successor.name}` : ""}.`,
      facts,
      dueOn: product.discontinuedOn && product.discontinuedOn > today ? product.discontinuedOn : today,
    });
  }
  if (partsEnding) {
    await raiseReason(tx, {
      ...common,
      kind: "PARTS_GUARANTEE_ENDING",
      explanation: `Spare parts for ${product.name} (${unit.serialNumber}) are guaranteed only until ${product.partsGuaranteedUntil}${successor ? `; offer its successor, ${successor.name}` : ""}.`,
      facts,
      dueOn: partsGuaranteeDueOn(product.partsGuaranteedUntil!, today),
    });
  }
}

/** A purchase of a consumable: the refill forecast before it is moot, and the next one is due a week before the customer runs out. */
async function applyPurchase(tx: Database, event: DomainEvent): Promise<void> {
  const purchase = purchasePayload.parse(event.payload);
  await tx
    .insert(knownPurchases)
    .values({ id: purchase.id, dealerId: purchase.dealerId, customerId: purchase.customerId, productId: purchase.productId, purchasedOn: purchase.purchasedOn })
    .onConflictDoNothing();
  const at = new Date(event.occurredAt);
  const product = await productOf(tx, purchase.productId);
  const runsOutOn = purchase.forecast.runsOutOn;
  await raiseReason(tx, {
    customerId: purchase.customerId,
    eventDealerId: purchase.dealerId,
    kind: "REFILL_DUE",
    subjectId: purchase.id,
    productId: purchase.productId,
    explanation: `${product?.name ?? "A consumable"} bought on ${purchase.purchasedOn} runs out around ${runsOutOn}: offer the refill before it does.`,
    facts: [
      { name: "lastPurchasedOn", value: purchase.purchasedOn },
      { name: "quantity", value: String(purchase.quantity) },
      { name: "runsOutOn", value: runsOutOn },
      { name: "forecastMethod", value: purchase.forecast.method },
    ],
    offer: {
      kind: "REFILL",
      productId: purchase.productId,
      description: `${purchase.quantity} × ${product?.name ?? purchase.productId}, as last bought`,
      price: product ? moneyOf(multiplyAmount(product.currency, product.listPrice, purchase.quantity), product.currency) : null,
    },
    dueOn: refillDueOn(runsOutOn),
    raisedAt: at,
  });
  // After the next refill is raised, so an item that carried the last one carries the next instead of closing.
  await mootReasons(
    tx,
    and(
      eq(reasons.customerId, purchase.customerId),
      eq(reasons.kind, "REFILL_DUE"),
      eq(reasons.productId, purchase.productId),
      ne(reasons.subjectId, purchase.id),
    )!,
    `The refill was bought on ${purchase.purchasedOn}.`,
    at,
  );
}

// --- warranty -----------------------------------------------------------------

/** A contract sold for units makes any offer for them moot; one ended leaves them uncovered again. */
async function applyContract(tx: Database, event: DomainEvent): Promise<void> {
  const contract = contractPayload.parse(event.payload);
  const unitIds = contract.unitIds ?? [];
  const active = contract.status === "ACTIVE";
  for (const unitId of unitIds) {
    await tx
      .insert(coveredUnits)
      .values({ contractId: contract.id, unitId, dealerId: contract.dealerId, customerId: contract.customerId, sourceVersion: contract.version, active })
      .onConflictDoUpdate({
        target: [coveredUnits.contractId, coveredUnits.unitId],
        set: { active, sourceVersion: contract.version },
        setWhere: sql`${coveredUnits.sourceVersion} < ${contract.version}`,
      });
  }
  if (active && unitIds.length) {
    await mootReasons(
      tx,
      and(inArray(reasons.unitId, unitIds), or(sql`${reasons.offer} is not null`, eq(reasons.kind, "WARRANTY_ENDING")))!,
      `Service contract ${contract.number} now covers the unit.`,
      new Date(event.occurredAt),
    );
  }
  // An ended contract cancels its open visits: nobody is to book them.
  if (!active) {
    await mootReasons(
      tx,
      and(
        eq(reasons.kind, "MAINTENANCE_DUE"),
        inArray(reasons.subjectId, tx.select({ id: knownVisits.id }).from(knownVisits).where(eq(knownVisits.contractId, contract.id))),
      )!,
      `Service contract ${contract.number} ended; its visits are cancelled.`,
      new Date(event.occurredAt),
    );
  }
}

/**
 * A warranty ends soon with no contract to follow: offer the plans that fit,
 * priced for the unit, the cheapest first. Nothing for a unit a contract
 * covers (its event may have crossed the contract's).
 */
async function applyWarrantyEnding(tx: Database, event: DomainEvent): Promise<void> {
  const ending = warrantyEndingPayload.parse(event.payload);
  const [known] = await tx.select({ unitVersion: warrantyEndings.unitVersion }).from(warrantyEndings).where(eq(warrantyEndings.unitId, ending.unitId));
  // Warranty tells each end once; a later event about an older state of the unit changes nothing.
  if (known && known.unitVersion > ending.unitVersion) return;
  const copy = {
    unitVersion: ending.unitVersion,
    dealerId: ending.dealerId,
    customerId: ending.customerId,
    warrantyEndsOn: ending.warrantyEndsOn,
    offers: ending.offers,
  };
  await tx
    .insert(warrantyEndings)
    .values({ unitId: ending.unitId, ...copy })
    .onConflictDoUpdate({ target: warrantyEndings.unitId, set: copy });
  if (await isCovered(tx, ending.unitId)) return;
  const product = await productOf(tx, ending.productId);
  const offers: ReasonOffer[] = ending.offers.map((offer) => ({
    kind: "CONTRACT",
    productId: null,
    planId: offer.planId,
    description: `Service contract ${offer.planName}, ${offer.termMonths} months, for ${product?.name ?? "the unit"} (${ending.serialNumber})`,
    price: offer.price,
  }));
  const cheapest = ending.offers[0];
  await raiseReason(tx, {
    customerId: ending.customerId,
    eventDealerId: ending.dealerId,
    kind: "WARRANTY_ENDING",
    subjectId: ending.unitId,
    unitId: ending.unitId,
    productId: ending.productId,
    explanation: `The warranty of ${product?.name ?? "the unit"} (${ending.serialNumber}) ends on ${ending.warrantyEndsOn} and no contract follows it: ${
      cheapest ? `offer a service contract, from ${cheapest.planName} at ${cheapest.price.amount} ${cheapest.price.currency}` : "offer a service contract"
    }.`,
    facts: [
      { name: "serialNumber", value: ending.serialNumber },
      ...(product ? [{ name: "product", value: product.name }] : []),
      { name: "warrantyEndsOn", value: ending.warrantyEndsOn },
      ...(ending.offers.length ? [{ name: "plansOffered", value: ending.offers.map((offer) => offer.planName).join(", ") }] : []),
    ],
    offer: offers[0] ?? null,
    offers: offers.length > 1 ? offers : null,
    dueOn: warrantyEndingDueOn(ending.warrantyEndsOn, dayOf(event)),
    raisedAt: at(event),
  });
}

/**
 * A maintenance visit the customer's contract calls for falls due: ask the
 * customer to book it. Booked, done, missed or cancelled, there is nothing
 * left to ask.
 */
async function applyVisit(tx: Database, event: DomainEvent): Promise<void> {
  const visit = visitPayload.parse(event.payload);
  const { version, ...columns } = visit;
  await keepNewest(tx, knownVisits, { ...columns, sourceVersion: version });
  const [known] = await tx.select({ status: knownVisits.status }).from(knownVisits).where(eq(knownVisits.id, visit.id));
  if (known?.status !== "PLANNED") {
    const because = {
      SCHEDULED: "The visit was booked.",
      DONE: "The visit was done.",
      MISSED: "The visit was missed: its due date and grace days passed.",
      CANCELLED: "The visit was cancelled.",
    }[known?.status as "SCHEDULED" | "DONE" | "MISSED" | "CANCELLED"];
    await mootReasons(tx, and(eq(reasons.kind, "MAINTENANCE_DUE"), eq(reasons.subjectId, visit.id))!, because ?? "The visit is no longer open.", at(event));
    return;
  }
  const [contract] = await tx
    .select({ customerId: coveredUnits.customerId })
    .from(coveredUnits)
    .where(and(eq(coveredUnits.contractId, visit.contractId), eq(coveredUnits.unitId, visit.unitId)));
  const [unit] = await tx.select().from(knownUnits).where(eq(knownUnits.id, visit.unitId));
  const customerId = contract?.customerId ?? unit?.customerId;
  // A visit of a contract not yet known about a unit not yet known: nobody to ask.
  if (!customerId) return;
  const product = unit ? await productOf(tx, unit.productId) : null;
  await raiseReason(tx, {
    customerId,
    eventDealerId: visit.dealerId,
    kind: "MAINTENANCE_DUE",
    subjectId: visit.id,
    unitId: visit.unitId,
    productId: unit?.productId ?? null,
    explanation: `Maintenance visit ${visit.sequence} of ${product?.name ?? "the unit"}${unit ? ` (${unit.serialNumber})` : ""} is due on ${visit.dueOn} and not booked yet: ask the customer for a date.`,
    facts: [
      ...(unit ? [{ name: "serialNumber", value: unit.serialNumber }] : []),
      { name: "visitDueOn", value: visit.dueOn },
      { name: "visitSequence", value: String(visit.sequence) },
    ],
    dueOn: maintenanceDueOn(visit.dueOn, dayOf(event)),
    raisedAt: at(event),
  });
}

// --- feedback -----------------------------------------------------------------

/** A detractor is called back; an answered post-sale survey covers the check-in. */
async function applySurvey(tx: Database, event: DomainEvent): Promise<void> {
  await keepSurveyAnswer(tx, event);
  const survey = surveyPayload.parse(event.payload);
  const at = new Date(event.occurredAt);
  // The call back is raised first, so an item that carried the check-in carries it instead of closing.
  if (isDetractor(survey.kind, survey.score)) await raiseDetractor(tx, survey, at);
  if (survey.kind === "POST_SALE" && survey.unitId) {
    await mootReasons(
      tx,
      and(eq(reasons.customerId, survey.customerId), eq(reasons.kind, "POST_SALE_CHECK_IN"), eq(reasons.unitId, survey.unitId))!,
      "The customer answered the post-sale survey.",
      at,
    );
  }
}

async function raiseDetractor(tx: Database, survey: z.output<typeof surveyPayload>, at: Date): Promise<void> {
  const answeredOn = todayUtc(new Date(survey.answeredAt));
  const scale = survey.kind === "NPS" ? "0–10" : "1–5";
  await raiseReason(tx, {
    customerId: survey.customerId,
    eventDealerId: survey.dealerId,
    kind: "DETRACTOR",
    subjectId: survey.id,
    unitId: survey.unitId,
    productId: survey.productId,
    surveyId: survey.id,
    explanation: `The customer gave ${survey.score} (${scale}) in a ${survey.kind} survey on ${answeredOn}: call back, hear them out and put it right.`,
    facts: [
      { name: "surveyKind", value: survey.kind },
      { name: "score", value: String(survey.score) },
      ...(survey.themes.length ? [{ name: "themes", value: survey.themes.join(", ") }] : []),
      ...(survey.ticketId ? [{ name: "ticketId", value: survey.ticketId }] : []),
    ],
    dueOn: addDays(answeredOn, DETRACTOR_CALL_BACK_DAYS),
    raisedAt: at,
  });
}

/** A complaint from a known customer is called back; an anonymous one has nobody to call. */
async function applyFeedback(tx: Database, event: DomainEvent): Promise<void> {
  const feedback = feedbackPayload.parse(event.payload);
  if (feedback.kind !== "COMPLAINT" || !feedback.customerId) return;
  const receivedOn = todayUtc(new Date(feedback.receivedAt));
  await raiseReason(tx, {
    customerId: feedback.customerId,
    eventDealerId: feedback.dealerId,
    kind: "COMPLAINT",
    subjectId: feedback.id,
    unitId: feedback.unitId,
    productId: feedback.productId,
    feedbackId: feedback.id,
    explanation: `The customer complained on ${receivedOn}${feedback.themes.length ? ` about ${feedback.themes.join(", ").toLowerCase()}` : ""}: call back within a day.`,
    facts: [
      { name: "receivedOn", value: receivedOn },
      { name: "sentiment", value: feedback.sentiment },
      ...(feedback.themes.length ? [{ name: "themes", value: feedback.themes.join(", ") }] : []),
      ...(feedback.ticketId ? [{ name: "ticketId", value: feedback.ticketId }] : []),
    ],
    dueOn: addDays(receivedOn, COMPLAINT_CALL_BACK_DAYS),
    raisedAt: at(event),
  });
}

const at = (event: DomainEvent) => new Date(event.occurredAt);

async function productOf(tx: Database, id: string) {
  const [product] = await tx.select().from(knownProducts).where(eq(knownProducts.id, id));
  return product ?? null;
}

async function isCovered(tx: Database, unitId: string): Promise<boolean> {
  const [covered] = await tx
    .select({ unitId: coveredUnits.unitId })
    .from(coveredUnits)
    .where(and(eq(coveredUnits.unitId, unitId), eq(coveredUnits.active, true)))
    .limit(1);
  return Boolean(covered);
}

export const subscriptions: EventSubscriptions = {
  partners: {
    "customer.created": applyCustomer,
    "customer.updated": applyCustomer,
    "dealer.created": applyDealer,
    "dealer.updated": applyDealer,
  },
  catalog: { "unit.*": applyUnit, "product.*": applyProduct, "consumable.purchased": applyPurchase },
  warranty: { "contract.activated": applyContract, "contract.ended": applyContract, "warranty.ending": applyWarrantyEnding, "visit.*": applyVisit },
  feedback: { "survey.answered": applySurvey, "feedback.received": applyFeedback },
};
