import { OUTREACH_V1_REASON_KINDS, type outreachItemPayloads } from "@aftersales/events";
import { emitEvents, newId, todayUtc, type Database, type NewEvent } from "@aftersales/kit";
import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { REACHED } from "../domain/outcome.js";
import { channelsOf, contactDueOn, leadingFirst, levelAllows, priorityOf, rankOf, type ReasonKind } from "../domain/reasons.js";
import { items, knownCustomers, knownDealers, outbox, reasons, type ItemRow, type ReasonFact, type ReasonOffer, type ReasonRow } from "./schema.js";

/** When a dealer's settings have not arrived yet: partners' default. */
const DEFAULT_CONTACT_INTERVAL_DAYS = 30;

export interface ReasonDraft {
  customerId: string;
  /** The dealer of the event that raised it, until the customer's home dealer is known. */
  eventDealerId: string;
  kind: ReasonKind;
  subjectId: string;
  unitId?: string | null;
  productId?: string | null;
  surveyId?: string | null;
  feedbackId?: string | null;
  explanation: string;
  facts: ReasonFact[];
  offer?: ReasonOffer | null;
  offers?: ReasonOffer[] | null;
  dueOn: string;
  raisedAt: Date;
}

/**
 * Records a reason to contact a customer (once per subject and kind: a
 * redelivered event changes nothing), then works out the customer's
 * worklist item again. A reason not yet worked moves with newer facts (an
 * installation after the delivery moves the check-in later).
 */
export async function raiseReason(tx: Database, draft: ReasonDraft): Promise<void> {
  const [customer] = await tx.select({ homeDealerId: knownCustomers.homeDealerId }).from(knownCustomers).where(eq(knownCustomers.id, draft.customerId));
  const values = {
    id: newId("orr"),
    dealerId: customer?.homeDealerId ?? draft.eventDealerId,
    customerId: draft.customerId,
    kind: draft.kind,
    subjectId: draft.subjectId,
    unitId: draft.unitId ?? null,
    productId: draft.productId ?? null,
    surveyId: draft.surveyId ?? null,
    feedbackId: draft.feedbackId ?? null,
    explanation: draft.explanation,
    facts: draft.facts,
    offer: draft.offer ?? null,
    offers: draft.offers ?? null,
    dueOn: draft.dueOn,
    raisedAt: draft.raisedAt,
  };
  await tx
    .insert(reasons)
    .values(values)
    .onConflictDoUpdate({
      target: [reasons.customerId, reasons.kind, reasons.subjectId],
      set: { explanation: values.explanation, facts: values.facts, offer: values.offer, offers: values.offers, dueOn: values.dueOn },
      setWhere: and(isNull(reasons.mootAt), or(isNull(reasons.itemId), sql`${reasons.itemId} in (select id from outreach.items where status = 'OPEN')`)),
    });
  await refreshCustomer(tx, draft.customerId, draft.raisedAt);
}

/**
 * Marks reasons moot because the facts answered them (the survey was
 * answered, the refill bought, a contract covers the unit), then works out
 * each affected customer's item again: one left with no reason closes itself.
 */
export async function mootReasons(tx: Database, where: SQL, because: string, at: Date): Promise<void> {
  const mooted = await tx
    .update(reasons)
    .set({ mootAt: at, mootBecause: because })
    .where(and(where, isNull(reasons.mootAt), or(isNull(reasons.itemId), sql`${reasons.itemId} in (select id from outreach.items where status = 'OPEN')`)))
    .returning({ customerId: reasons.customerId });
  for (const customerId of new Set(mooted.map((row) => row.customerId))) await refreshCustomer(tx, customerId, at, because);
}

/**
 * Works out a customer's open worklist item from the reasons not yet worked:
 * the ones the customer's level allows, none when the customer opted out of
 * every channel. One item per customer: the leading reason (most urgent)
 * names it and the others are merged into it; it comes due no earlier than
 * the dealer's contact interval after the customer was last reached. An item
 * left with no reason closes itself as MOOT.
 */
export async function refreshCustomer(tx: Database, customerId: string, at: Date, mootBecause?: string): Promise<void> {
  const [customer] = await tx.select().from(knownCustomers).where(eq(knownCustomers.id, customerId));
  // Reasons about a customer not known yet wait for the customer's event.
  if (!customer) return;
  const dealerId = customer.homeDealerId;
  await tx
    .update(reasons)
    .set({ dealerId })
    .where(and(eq(reasons.customerId, customerId), isNull(reasons.itemId), ne(reasons.dealerId, dealerId)));
  const open = await tx
    .select()
    .from(items)
    .where(and(eq(items.customerId, customerId), eq(items.status, "OPEN")));
  // A customer who moved to another dealer is that dealer's to contact.
  for (const moved of open.filter((item) => item.dealerId !== dealerId)) {
    await closeAsMoot(tx, moved, "The customer moved to another dealer.", at);
  }
  const current = open.find((item) => item.dealerId === dealerId) ?? null;
  const pending = await tx
    .select()
    .from(reasons)
    .where(
      and(
        eq(reasons.customerId, customerId),
        isNull(reasons.mootAt),
        current ? or(isNull(reasons.itemId), eq(reasons.itemId, current.id)) : isNull(reasons.itemId),
      ),
    );
  const channels = channelsOf({ phone: customer.phoneConsent, email: customer.emailConsent });
  const eligible = channels.length ? leadingFirst(pending.filter((reason) => levelAllows(customer.relationshipLevel, reason.kind))) : [];
  const ineligible = pending.filter((reason) => !eligible.includes(reason) && reason.itemId);
  if (ineligible.length) {
    await tx
      .update(reasons)
      .set({ itemId: null })
      .where(
        inArray(
          reasons.id,
          ineligible.map((reason) => reason.id),
        ),
      );
  }
  if (!eligible.length) {
    if (current) {
      const because = !channels.length
        ? "The customer opted out of every channel."
        : pending.length
          ? `The customer's relationship level (${customer.relationshipLevel}) calls for none of its reasons.`
          : (mootBecause ?? "Its reasons no longer hold.");
      await closeAsMoot(tx, current, because, at);
    }
    return;
  }
  const [dealer] = await tx.select().from(knownDealers).where(eq(knownDealers.id, dealerId));
  const dueOn = contactDueOn(eligible, await lastReachedOn(tx, customerId), dealer?.contactIntervalDays ?? DEFAULT_CONTACT_INTERVAL_DAYS);
  const leading = eligible[0]!;
  const shape = { reason: leading.kind, rank: rankOf(leading.kind), dueOn, channels };
  let item: ItemRow;
  if (current) {
    const unchanged =
      current.reason === shape.reason &&
      current.dueOn === shape.dueOn &&
      current.channels.join() === channels.join() &&
      eligible.every((r) => r.itemId === current.id);
    if (unchanged) return;
    [item] = (await tx
      .update(items)
      .set({ ...shape, version: sql`${items.version} + 1` })
      .where(eq(items.id, current.id))
      .returning()) as [ItemRow];
  } else {
    [item] = (await tx
      .insert(items)
      .values({ id: newId("otr"), dealerId, customerId, status: "OPEN", ...shape, openedAt: at })
      .returning()) as [ItemRow];
  }
  await tx
    .update(reasons)
    .set({ itemId: item.id })
    .where(
      inArray(
        reasons.id,
        eligible.map((reason) => reason.id),
      ),
    );
  if (!current) await emitItemEvent(tx, "outreach.opened", item, eligible);
}

/** The day the customer was last reached (contacted, declined or converted), by any item. */
async function lastReachedOn(tx: Database, customerId: string): Promise<string | null> {
  const [last] = await tx
    .select({ closedAt: items.closedAt })
    .from(items)
    .where(and(eq(items.customerId, customerId), inArray(items.status, [...REACHED])))
    .orderBy(desc(items.closedAt))
    .limit(1);
  return last?.closedAt ? todayUtc(last.closedAt) : null;
}

async function closeAsMoot(tx: Database, item: ItemRow, because: string, at: Date): Promise<void> {
  // Reasons that still hold go back to wait: a later change (a level raised again) finds them.
  await tx
    .update(reasons)
    .set({ itemId: null })
    .where(and(eq(reasons.itemId, item.id), isNull(reasons.mootAt)));
  const [closed] = await tx
    .update(items)
    .set({ status: "MOOT", closedAt: at, closedBecause: because, version: sql`${items.version} + 1` })
    .where(eq(items.id, item.id))
    .returning();
  await emitItemEvent(tx, "outreach.closed", closed!, await reasonsOfItem(tx, item.id));
}

export const reasonsOfItem = async (tx: Database, itemId: string): Promise<ReasonRow[]> =>
  leadingFirst(await tx.select().from(reasons).where(eq(reasons.itemId, itemId)));

type ItemPayloadV2 = z.input<typeof outreachItemPayloads.v2>;
type ItemPayloadV1 = z.input<typeof outreachItemPayloads.v1>;

/**
 * `outreach.opened` and `outreach.closed`: the item as it is after the
 * change, so a dealer's CRM can take it over. Version 2 always; version 1
 * beside it, while its consumers move, for an item whose every reason it
 * can name.
 */
export async function emitItemEvent(
  tx: Database,
  type: "outreach.opened" | "outreach.closed",
  item: ItemRow,
  itemReasons: readonly ReasonRow[],
): Promise<void> {
  await emitEvents(tx, outbox, itemEvents(type, item, itemReasons));
}

/** The events `emitItemEvent` writes, for writers of many items at once (an import). */
export function itemEvents(
  type: "outreach.opened" | "outreach.closed",
  item: ItemRow,
  itemReasons: readonly ReasonRow[],
): NewEvent<ItemPayloadV1 | ItemPayloadV2>[] {
  const payload: ItemPayloadV2 = {
    id: item.id,
    version: item.version,
    dealerId: item.dealerId,
    customerId: item.customerId,
    status: item.status,
    reason: item.reason,
    priority: priorityOf(item.reason),
    dueOn: item.dueOn,
    channels: item.channels,
    reasons: itemReasons.map((reason) => ({
      kind: reason.kind,
      unitId: reason.unitId,
      productId: reason.productId,
      dueOn: reason.dueOn,
      offer: reason.offer
        ? { kind: reason.offer.kind, productId: reason.offer.productId, planId: reason.offer.planId ?? null, price: reason.offer.price }
        : null,
    })),
    openedAt: item.openedAt.toISOString(),
    closedAt: item.closedAt?.toISOString() ?? null,
    closedBecause: item.closedBecause,
    outcome: item.outcome,
    conversion: item.conversionKind && item.conversionId ? { kind: item.conversionKind, id: item.conversionId } : null,
  };
  const envelope = { type, aggregate: "outreach", aggregateId: item.id, dealerId: item.dealerId };
  const v1 = asVersion1(payload);
  return [...(v1 ? [{ ...envelope, version: 1, payload: v1 }] : []), { ...envelope, version: 2, payload }];
}

/** The payload as version 1 writes it, or null when a reason or an offer is one it cannot name. */
function asVersion1(payload: ItemPayloadV2): ItemPayloadV1 | null {
  const reasons: ItemPayloadV1["reasons"] = [];
  for (const reason of payload.reasons) {
    if (!isV1Kind(reason.kind)) return null;
    const { offer } = reason;
    if (!offer) {
      reasons.push({ ...reason, kind: reason.kind, offer: null });
      continue;
    }
    const { kind, productId, price } = offer;
    if (kind === "CONTRACT" || !productId) return null;
    reasons.push({ ...reason, kind: reason.kind, offer: { kind, productId, price } });
  }
  if (!isV1Kind(payload.reason)) return null;
  return { ...payload, reason: payload.reason, reasons };
}

const isV1Kind = (kind: ReasonKind): kind is ItemPayloadV1["reason"] => OUTREACH_V1_REASON_KINDS.includes(kind);
