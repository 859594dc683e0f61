import { addDays } from "@aftersales/kit";

/**
 * Why a dealer should contact a customer, from the facts the other
 * subgraphs' events tell. Pure rules: which reasons a relationship level
 * gets, how urgent each is, when it comes due, and how the reasons of one
 * customer become one contact.
 */

export const REASON_KINDS = [
  "COMPLAINT",
  "DETRACTOR",
  "POST_SALE_CHECK_IN",
  "MAINTENANCE_DUE",
  "REFILL_DUE",
  "WARRANTY_ENDING",
  "PRODUCT_DISCONTINUED",
  "PARTS_GUARANTEE_ENDING",
] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

export const RELATIONSHIP_LEVELS = ["BASIC", "REACTIVE", "RESPONSIBLE", "ACTIVE"] as const;
export type RelationshipLevel = (typeof RELATIONSHIP_LEVELS)[number];

export type Priority = "HIGH" | "MEDIUM" | "LOW";

/**
 * The order reasons win in when merged into one contact: a customer who
 * complained is called back about that first, an offer comes last. Lower
 * ranks first.
 */
const RANK: Record<ReasonKind, number> = {
  COMPLAINT: 1,
  DETRACTOR: 2,
  POST_SALE_CHECK_IN: 3,
  // A visit the customer has paid for comes before anything new is sold.
  MAINTENANCE_DUE: 4,
  REFILL_DUE: 5,
  // The contract can be sold only before the warranty ends: a deadline the product offers do not have.
  WARRANTY_ENDING: 6,
  PARTS_GUARANTEE_ENDING: 7,
  PRODUCT_DISCONTINUED: 8,
};

export const rankOf = (kind: ReasonKind): number => RANK[kind];

export function priorityOf(kind: ReasonKind): Priority {
  if (kind === "COMPLAINT" || kind === "DETRACTOR") return "HIGH";
  if (kind === "POST_SALE_CHECK_IN" || kind === "REFILL_DUE" || kind === "MAINTENANCE_DUE") return "MEDIUM";
  return "LOW";
}

/**
 * What each level gets: BASIC and REACTIVE nothing (the customer calls);
 * RESPONSIBLE the call soon after the sale, the recovery of an unhappy
 * customer and the reminder to book a maintenance visit the customer's
 * contract already pays for; ACTIVE every reason, offers included.
 */
const RESPONSIBLE_REASONS: readonly ReasonKind[] = ["POST_SALE_CHECK_IN", "DETRACTOR", "COMPLAINT", "MAINTENANCE_DUE"];

export function levelAllows(level: RelationshipLevel, kind: ReasonKind): boolean {
  if (level === "ACTIVE") return true;
  if (level === "RESPONSIBLE") return RESPONSIBLE_REASONS.includes(kind);
  return false;
}

/** Days after a delivery or installation the seller calls to ask how it goes. */
export const CHECK_IN_AFTER_DAYS = 7;
/** Days before a customer runs out of a consumable the refill is offered. */
export const REFILL_LEAD_DAYS = 7;
/** A parts guarantee ending within this many days is worth a call. */
export const PARTS_GUARANTEE_HORIZON_DAYS = 365;
/** Days before the parts guarantee ends the successor is offered at the latest. */
export const PARTS_GUARANTEE_LEAD_DAYS = 90;
/** Days before a warranty ends a contract is offered at the latest (warranty announces endings 60 days ahead). */
export const WARRANTY_ENDING_LEAD_DAYS = 45;
/** Days before a maintenance visit is due the customer is asked to book it. */
export const MAINTENANCE_LEAD_DAYS = 21;
/** An unhappy customer is called back within a day; a detractor's score within two. */
export const COMPLAINT_CALL_BACK_DAYS = 1;
export const DETRACTOR_CALL_BACK_DAYS = 2;

/** NPS 0–6 and CSAT 1–2 are detractors; a post-sale answer of 1–2 is an unhappy first impression, called back alike. */
export function isDetractor(kind: string, score: number): boolean {
  if (kind === "NPS") return score <= 6;
  return score <= 2;
}

/** The channels a customer may be contacted on; none: the customer opted out and gets nothing. */
export type Channel = "PHONE" | "EMAIL";

export function channelsOf(consent: { phone: boolean; email: boolean }): Channel[] {
  return [...(consent.phone ? (["PHONE"] as const) : []), ...(consent.email ? (["EMAIL"] as const) : [])];
}

export interface CandidateReason {
  id: string;
  kind: ReasonKind;
  dueOn: string;
}

/**
 * The reasons one contact carries, the leading one first: by rank, then the
 * soonest due, then by id so the order is stable.
 */
export function leadingFirst<R extends CandidateReason>(reasons: readonly R[]): R[] {
  return [...reasons].sort((a, b) => rankOf(a.kind) - rankOf(b.kind) || a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
}

/**
 * When the contact comes due: the soonest of its reasons, but not before the
 * dealer's interval has passed since the customer was last reached (at most
 * one contact per customer per `contactIntervalDays`).
 */
export function contactDueOn(reasons: readonly CandidateReason[], lastContactOn: string | null, contactIntervalDays: number): string {
  const soonest = reasons.map((reason) => reason.dueOn).reduce((a, b) => (a < b ? a : b));
  if (!lastContactOn) return soonest;
  const allowed = addDays(lastContactOn, contactIntervalDays);
  return allowed > soonest ? allowed : soonest;
}

/** The day a refill is offered: a week before the customer runs out. */
export const refillDueOn = (runsOutOn: string): string => addDays(runsOutOn, -REFILL_LEAD_DAYS);

/** Whether a parts guarantee ending on `until` is within the horizon of `today` (not already past). */
export function partsGuaranteeEndingSoon(until: string | null, today: string): boolean {
  return until !== null && until >= today && until <= addDays(today, PARTS_GUARANTEE_HORIZON_DAYS);
}

/** The successor is offered a quarter before the parts guarantee ends, or at once when that is already past. */
export const partsGuaranteeDueOn = (until: string, today: string): string => aheadOf(until, PARTS_GUARANTEE_LEAD_DAYS, today);

/** The day `leadDays` before `on`, or `today` when that has passed: when an offer or reminder with a deadline is made. */
export function aheadOf(on: string, leadDays: number, today: string): string {
  const due = addDays(on, -leadDays);
  return due < today ? today : due;
}

/** A contract is offered 45 days before the warranty ends, or at once when that is closer. */
export const warrantyEndingDueOn = (warrantyEndsOn: string, today: string): string => aheadOf(warrantyEndsOn, WARRANTY_ENDING_LEAD_DAYS, today);

/** The customer is asked to book a visit three weeks before it is due, or at once when that is closer. */
export const maintenanceDueOn = (visitDueOn: string, today: string): string => aheadOf(visitDueOn, MAINTENANCE_LEAD_DAYS, today);
