import { amountColumn, inboxTables, outboxTable } from "@aftersales/kit";
import { sql, type SQLWrapper } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { ITEM_STATUSES, type ConversionKind, type ItemStatus, type Outcome } from "../domain/outcome.js";
import type { SurveyKind } from "../domain/insights.js";
import { REASON_KINDS, type Channel, type ReasonKind, type RelationshipLevel } from "../domain/reasons.js";

/** Every table of this subgraph lives in the `outreach` Postgres schema. */
export const outreach = pgSchema("outreach");

/** A text column held to the domain's list by a check (text equality is leakproof under row-level security, enum equality is not). */
const oneOf = (name: string, column: SQLWrapper, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(", "))})`);

// ---------------------------------------------------------------------------
// Copies of other subgraphs' facts, kept from their events.
// ---------------------------------------------------------------------------

/** Dealers' outreach settings (businesses, not people: shared). */
export const knownDealers = outreach.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  contactIntervalDays: integer().notNull(),
});

/** Customers: whose, how closely looked after, and on which channels they may be contacted. Ids only, no contact details. */
export const knownCustomers = outreach.table(
  "known_customers",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    homeDealerId: text().notNull(),
    relationshipLevel: text().$type<RelationshipLevel>().notNull(),
    phoneConsent: boolean().notNull(),
    emailConsent: boolean().notNull(),
  },
  (t) => [index("known_customers_dealer_idx").on(t.homeDealerId)],
);

/** Products: what a reason names and what an offer costs (the catalog is public: shared). */
export const knownProducts = outreach.table("known_products", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  name: text().notNull(),
  kind: text().notNull(),
  lifecycleStage: text().notNull(),
  listPrice: amountColumn().notNull(),
  currency: text().notNull(),
  /** Absent from product events written before the catalog carried them. */
  successorId: text(),
  discontinuedOn: date({ mode: "string" }),
  partsGuaranteedUntil: date({ mode: "string" }),
});

/** Units: whose they are and when they arrived, for check-ins and product reasons. */
export const knownUnits = outreach.table(
  "known_units",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    serialNumber: text().notNull(),
    productId: text().notNull(),
    dealerId: text().notNull(),
    customerId: text(),
    status: text().notNull(),
    deliveredOn: date({ mode: "string" }),
    installedOn: date({ mode: "string" }),
  },
  (t) => [index("known_units_product_idx").on(t.productId), index("known_units_customer_idx").on(t.customerId)],
);

/** Units an active service contract covers: nothing is offered for them. */
export const coveredUnits = outreach.table(
  "covered_units",
  {
    contractId: text().notNull(),
    unitId: text().notNull(),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    sourceVersion: integer().notNull(),
    active: boolean().notNull(),
  },
  (t) => [uniqueIndex("covered_units_key").on(t.contractId, t.unitId), index("covered_units_unit_idx").on(t.unitId)],
);

/** Warranties ending soon with no contract to follow, as warranty announced them, with the plans it offered, priced. */
export const warrantyEndings = outreach.table("warranty_endings", {
  unitId: text().primaryKey(),
  /** The catalog's version of the unit the end was worked out from. */
  unitVersion: integer().notNull(),
  dealerId: text().notNull(),
  customerId: text().notNull(),
  warrantyEndsOn: date({ mode: "string" }).notNull(),
  offers: jsonb().$type<WarrantyOffer[]>().notNull(),
});

/** A contract plan priced for one unit. */
export interface WarrantyOffer {
  planId: string;
  planName: string;
  termMonths: number;
  price: { amount: string; currency: string };
}

/** Maintenance visits a contract calls for, as warranty last announced them: due, booked, done, missed or cancelled. */
export const knownVisits = outreach.table(
  "known_visits",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    contractId: text().notNull(),
    unitId: text().notNull(),
    dealerId: text().notNull(),
    sequence: integer().notNull(),
    dueOn: date({ mode: "string" }).notNull(),
    status: text().notNull(),
  },
  (t) => [index("known_visits_contract_idx").on(t.contractId)],
);

/** Consumable purchases, as conversions a dealer may link an outcome to. */
export const knownPurchases = outreach.table(
  "known_purchases",
  {
    id: text().primaryKey(),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    productId: text().notNull(),
    purchasedOn: date({ mode: "string" }).notNull(),
  },
  (t) => [index("known_purchases_customer_idx").on(t.customerId)],
);

// ---------------------------------------------------------------------------
// The worklist
// ---------------------------------------------------------------------------

/** A fact behind a reason, as a dealer reads it. */
export interface ReasonFact {
  name: string;
  value: string;
}

/** What a reason suggests offering: a product, or a contract plan for a unit. */
export interface ReasonOffer {
  kind: "SUCCESSOR" | "REFILL" | "CONTRACT";
  /** Null for a CONTRACT. */
  productId: string | null;
  /** Set for a CONTRACT only. */
  planId?: string | null;
  description: string;
  /** Null when no price is known. */
  price: { amount: string; currency: string } | null;
}

/**
 * Why a customer should be contacted, one row per reason and subject (a
 * unit, a survey, a complaint, a consumable), kept whether or not the
 * customer's level or consent lets it become work: a later change of level
 * finds it. `dealerId` is the customer's home dealer once known (whose
 * worklist it lands on), the event's dealer until then.
 */
export const reasons = outreach.table(
  "reasons",
  {
    id: text().primaryKey(),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    kind: text().$type<ReasonKind>().notNull(),
    /** The survey, feedback, unit or `<customer>:<product>` it is about: one reason per subject and kind. */
    subjectId: text().notNull(),
    unitId: text(),
    productId: text(),
    surveyId: text(),
    feedbackId: text(),
    explanation: text().notNull(),
    facts: jsonb().$type<ReasonFact[]>().notNull(),
    /** The offer to lead with: the first of `offers`. */
    offer: jsonb().$type<ReasonOffer>(),
    /** Every offer that fits, the one to lead with first; null when the reason has one offer or none. */
    offers: jsonb().$type<ReasonOffer[]>(),
    dueOn: date({ mode: "string" }).notNull(),
    raisedAt: timestamp({ withTimezone: true }).notNull(),
    /** The item it became work in; it stays with that item once the item is closed. */
    itemId: text(),
    /** When the facts made it moot (the survey answered, the refill bought), and why. */
    mootAt: timestamp({ withTimezone: true }),
    mootBecause: text(),
  },
  (t) => [
    oneOf("reasons_kind_check", t.kind, REASON_KINDS),
    uniqueIndex("reasons_subject_key").on(t.customerId, t.kind, t.subjectId),
    index("reasons_item_idx").on(t.itemId),
    index("reasons_unit_idx").on(t.unitId),
    index("reasons_dealer_idx").on(t.dealerId),
  ],
);

/**
 * One contact a dealer owes a customer: the leading reason and the others
 * merged into it. At most one is open per customer.
 */
export const items = outreach.table(
  "items",
  {
    id: text().primaryKey(),
    version: integer().notNull().default(1),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    status: text().$type<ItemStatus>().notNull(),
    reason: text().$type<ReasonKind>().notNull(),
    /** The leading reason's rank (1 most urgent), for ordering. */
    rank: integer().notNull(),
    dueOn: date({ mode: "string" }).notNull(),
    channels: text().array().$type<Channel[]>().notNull(),
    attempts: integer().notNull().default(0),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
    /** For MOOT: what the facts said. */
    closedBecause: text(),
    outcome: text().$type<Outcome>(),
    outcomeChannel: text().$type<Channel>(),
    outcomeNote: text(),
    outcomeAt: timestamp({ withTimezone: true }),
    recordedBy: text(),
    /** When the first outcome was recorded (an unanswered attempt included): the time to first contact counts to it. */
    firstOutcomeAt: timestamp({ withTimezone: true }),
    conversionKind: text().$type<ConversionKind>(),
    conversionId: text(),
  },
  (t) => [
    oneOf("items_status_check", t.status, ITEM_STATUSES),
    uniqueIndex("items_one_open_per_customer").on(t.dealerId, t.customerId).where(sql`${t.status} = 'OPEN'`),
    index("items_worklist_idx").on(t.dealerId, t.status, t.dueOn, t.rank, t.id),
    index("items_customer_idx").on(t.customerId, t.closedAt),
    index("items_opened_idx").on(t.dealerId, t.openedAt),
  ],
);

// ---------------------------------------------------------------------------
// Facts the insights count by relationship level, kept from events.
// ---------------------------------------------------------------------------

/** Survey answers (score and kind only, no comment): satisfaction by the customer's level. */
export const surveyAnswers = outreach.table(
  "survey_answers",
  {
    id: text().primaryKey(),
    /** The survey's dealer (the ticket's, the unit's or the customer's home dealer). */
    dealerId: text().notNull(),
    customerId: text().notNull(),
    kind: text().$type<SurveyKind>().notNull(),
    score: integer().notNull(),
    answeredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("survey_answers_customer_idx").on(t.customerId, t.answeredAt)],
);

/** Units sold, once each, to the customer who bought them (a transfer is not a purchase): repeat purchases by level. */
export const unitSales = outreach.table(
  "unit_sales",
  {
    unitId: text().primaryKey(),
    /** The dealer that sold it. */
    dealerId: text().notNull(),
    customerId: text().notNull(),
    soldOn: date({ mode: "string" }).notNull(),
  },
  (t) => [index("unit_sales_customer_idx").on(t.customerId)],
);

export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(outreach);
export const outbox = outboxTable(outreach);

export type ReasonRow = typeof reasons.$inferSelect;
export type ItemRow = typeof items.$inferSelect;
/** Another subgraph's entity, by id only. */
export interface EntityRef {
  id: string;
}
