import { amountColumn, inboxTables, outboxTable, versionColumns } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import type { LineReason } from "../domain/adjudication.js";
import { boolean, check, date, doublePrecision, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `warranty` Postgres schema. */
export const warranty = pgSchema("warranty");

export const startBasis = warranty.enum("start_basis", ["PURCHASE", "DELIVERY", "INSTALLATION"]);
export const serviceMode = warranty.enum("service_mode", ["ON_SITE", "CARRY_IN"]);
export const contractStatus = warranty.enum("contract_status", ["DRAFT", "ACTIVE", "EXPIRED", "CANCELLED"]);
export const visitStatus = warranty.enum("visit_status", ["PLANNED", "SCHEDULED", "DONE", "MISSED", "CANCELLED"]);
export const claimStatus = warranty.enum("claim_status", ["SUBMITTED", "IN_REVIEW", "SENT_BACK", "APPROVED", "PARTIALLY_APPROVED", "REJECTED", "PAID"]);
/** Numbers for contracts and claims: readable, never reused. */
export const contractNumbers = warranty.sequence("contract_numbers");
export const claimNumbers = warranty.sequence("claim_numbers");

export const claimLineKind = warranty.enum("claim_line_kind", ["PART", "LABOR", "TRAVEL"]);
export const lineStatus = warranty.enum("claim_line_status", ["APPROVED", "REDUCED", "REJECTED", "PENDING"]);

// ---------------------------------------------------------------------------
// Copies of other subgraphs' facts, kept from their events (never read from
// their tables): what claims, contracts and lists need without a call.
// ---------------------------------------------------------------------------

/** Products as the catalog last announced them: price, parts and repair standards. */
export const knownProducts = warranty.table("known_products", {
  id: text().primaryKey(),
  /** The catalog's version of the product; an older event never overwrites a newer one. */
  sourceVersion: integer().notNull(),
  sku: text().notNull(),
  name: text().notNull(),
  kind: text().notNull(),
  listPrice: amountColumn().notNull(),
  currency: text().notNull(),
  /** Part ids of the bill of materials. */
  billOfMaterials: jsonb().$type<{ partId: string; quantity: number }[]>().notNull(),
  repairStandards: jsonb().$type<{ failureCode: string; hours: number }[]>().notNull(),
});

/** Dealers' terms as partners last announced them. */
export const knownDealers = warranty.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  name: text().notNull(),
  laborRate: amountColumn().notNull(),
  currency: text().notNull(),
  workshopAuthorizedFrom: date(),
  workshopAuthorizedUntil: date(),
  timeZone: text().notNull(),
});

/** Units as the catalog last announced them: owner, price and the dates coverage runs from. */
export const knownUnits = warranty.table(
  "known_units",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    serialNumber: text().notNull(),
    productId: text().notNull(),
    /** The dealer that stocks the unit, then the one that sold it. */
    dealerId: text().notNull(),
    customerId: text(),
    status: text().notNull(),
    purchasePrice: amountColumn(),
    currency: text(),
    soldOn: date(),
    deliveredOn: date(),
    installedOn: date(),
    retiredOn: date(),
    /** The first change of owner after the sale. */
    transferredOn: date(),
    /** Last covered day of the warranty, kept for `Dealer.warrantyExpiring`; null without one. */
    warrantyEndsOn: date(),
    /** The warranty end last announced as ending soon (`warranty.ending`), so each end is announced once. */
    warrantyEndingAnnouncedFor: date(),
  },
  (t) => [uniqueIndex("known_units_serial_number_key").on(t.serialNumber), index("known_units_warranty_end_idx").on(t.dealerId, t.warrantyEndsOn)],
);

/** Customers as partners last announced them: whose they are, nothing personal. A contract is made only for one that exists. */
export const knownCustomers = warranty.table("known_customers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  homeDealerId: text().notNull(),
});

/** Tickets as their subgraph last announced them: whose, at which service center, about which unit; a claim names the repair's ticket. */
export const knownTickets = warranty.table("known_tickets", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  number: text().notNull(),
  dealerId: text().notNull(),
  serviceCenterId: text(),
  unitId: text(),
});

// ---------------------------------------------------------------------------
// Warranty policies
// ---------------------------------------------------------------------------

/**
 * One version of a product's warranty terms. A unit gets the version in
 * force on the day it was sold and keeps it: a new version never changes a
 * unit already sold.
 */
export const warrantyPolicies = warranty.table(
  "warranty_policies",
  {
    id: text().primaryKey(),
    productId: text().notNull(),
    version: integer().notNull(),
    effectiveFrom: date().notNull(),
    months: integer().notNull(),
    startBasis: startBasis().notNull(),
    partsShare: integer().notNull(),
    laborShare: integer().notNull(),
    serviceMode: serviceMode().notNull(),
    transferable: boolean().notNull(),
    exclusions: jsonb().$type<{ failureCode: string; description: string }[]>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text().notNull(),
  },
  (t) => [
    uniqueIndex("warranty_policies_version_key").on(t.productId, t.version),
    uniqueIndex("warranty_policies_effective_key").on(t.productId, t.effectiveFrom),
    check("warranty_policies_shares", sql`${t.partsShare} between 0 and 100 and ${t.laborShare} between 0 and 100`),
    check("warranty_policies_months", sql`${t.months} between 1 and 240`),
  ],
);

// ---------------------------------------------------------------------------
// Service contracts
// ---------------------------------------------------------------------------

/** What a service contract offers, and at what price. */
export const contractPlans = warranty.table("contract_plans", {
  id: text().primaryKey(),
  name: text().notNull(),
  description: text(),
  /** Yearly price as a percentage of the unit's purchase price, e.g. 5.50. */
  priceSharePercent: numeric({ precision: 5, scale: 2, mode: "number" }).notNull(),
  termMonths: integer().notNull(),
  responseHours: integer().notNull(),
  resolutionHours: integer().notNull(),
  visitsPerYear: integer().notNull(),
  /** The next visit is due a whole interval after the last one was actually done. */
  floatingVisits: boolean().notNull(),
  partsCovered: boolean().notNull(),
  laborCovered: boolean().notNull(),
  loanerIncluded: boolean().notNull(),
  maxCases: integer(),
  maxLaborHours: doublePrecision(),
  /** Retired plans are no longer offered; their contracts run on. */
  offered: boolean().notNull().default(true),
  ...versionColumns(),
});

export const serviceContracts = warranty.table(
  "service_contracts",
  {
    id: text().primaryKey(),
    /** Readable, e.g. `SC-2026-000042`. */
    number: text().notNull(),
    planId: text()
      .notNull()
      .references(() => contractPlans.id),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    status: contractStatus().notNull(),
    startsOn: date().notNull(),
    endsOn: date().notNull(),
    price: amountColumn().notNull(),
    currency: text().notNull(),
    activatedAt: timestamp({ withTimezone: true }),
    /** First day no longer covered after a cancellation. */
    cancelledFrom: date(),
    cancellationReason: text(),
    refund: amountColumn(),
    idempotencyKey: text(),
    /** SHA-256 of the input the key was first used with. */
    inputHash: text(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("service_contracts_number_key").on(t.number),
    uniqueIndex("service_contracts_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("service_contracts_dealer_idx").on(t.dealerId, t.id),
    index("service_contracts_customer_idx").on(t.customerId),
  ],
);

/**
 * The units a contract covers, each at its own price, with the contract's
 * terms as they bear on coverage and what the unit has used of the plan's
 * caps (caps are per unit and term, as the price is). Coverage is a fact
 * about a unit: a service center repairing a unit must learn that a contract
 * covers it even when another dealer sold the contract, so these rows are
 * readable by every caller; the contract itself stays its dealer's.
 */
export const contractUnits = warranty.table(
  "contract_units",
  {
    contractId: text()
      .notNull()
      .references(() => serviceContracts.id),
    contractNumber: text().notNull(),
    unitId: text().notNull(),
    dealerId: text().notNull(),
    price: amountColumn().notNull(),
    status: contractStatus().notNull(),
    startsOn: date().notNull(),
    endsOn: date().notNull(),
    cancelledFrom: date(),
    partsCovered: boolean().notNull(),
    laborCovered: boolean().notNull(),
    maxCases: integer(),
    maxLaborHours: doublePrecision(),
    casesUsed: integer().notNull().default(0),
    laborHoursUsed: doublePrecision().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.unitId] }), index("contract_units_unit_idx").on(t.unitId, t.startsOn)],
);

// ---------------------------------------------------------------------------
// Preventive maintenance
// ---------------------------------------------------------------------------

export const maintenanceVisits = warranty.table(
  "maintenance_visits",
  {
    id: text().primaryKey(),
    contractId: text()
      .notNull()
      .references(() => serviceContracts.id),
    unitId: text().notNull(),
    dealerId: text().notNull(),
    /** 1 for the contract's first visit to the unit, 2 for the next, ...: each is created once. */
    sequence: integer().notNull(),
    dueOn: date().notNull(),
    status: visitStatus().notNull().default("PLANNED"),
    scheduledFor: timestamp({ withTimezone: true }),
    completedOn: date(),
    note: text(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("maintenance_visits_sequence_key").on(t.contractId, t.unitId, t.sequence),
    index("maintenance_visits_unit_idx").on(t.unitId, t.dueOn),
    index("maintenance_visits_dealer_due_idx").on(t.dealerId, t.dueOn),
  ],
);

// ---------------------------------------------------------------------------
// Warranty claims
// ---------------------------------------------------------------------------

export const warrantyClaims = warranty.table(
  "warranty_claims",
  {
    id: text().primaryKey(),
    /** Readable, e.g. `WC-2026-000042`. */
    number: text().notNull(),
    dealerId: text().notNull(),
    unitId: text().notNull(),
    productId: text().notNull(),
    ticketId: text(),
    failureOn: date().notNull(),
    repairOn: date().notNull(),
    failureCode: text().notNull(),
    status: claimStatus().notNull(),
    currency: text().notNull(),
    claimedTotal: amountColumn().notNull(),
    approvedTotal: amountColumn().notNull(),
    /** How the unit was covered on the failure date, as adjudication saw it. */
    coverageKind: text().$type<"WARRANTY" | "CONTRACT" | "NONE">().notNull(),
    contractId: text(),
    policyId: text(),
    /** The number of the earlier claim for the same unit and failure date, when this one repeats it. */
    duplicateOf: text(),
    idempotencyKey: text(),
    inputHash: text().notNull(),
    decidedAt: timestamp({ withTimezone: true }),
    paidAt: timestamp({ withTimezone: true }),
    paymentReference: text(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("warranty_claims_number_key").on(t.number),
    uniqueIndex("warranty_claims_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("warranty_claims_dealer_idx").on(t.dealerId, t.id),
    index("warranty_claims_unit_failure_idx").on(t.unitId, t.failureOn),
    index("warranty_claims_product_idx").on(t.productId, t.failureCode),
  ],
);

/**
 * Every unit and failure date claimed, with the first claim for it, by
 * whichever dealer: a second claim for the same failure is a duplicate even
 * when another dealer filed the first, which that dealer's claims (its own)
 * would not show. Holds no amounts or dealer, so every caller may read it.
 */
export const claimedFailures = warranty.table(
  "claimed_failures",
  {
    unitId: text().notNull(),
    failureOn: date().notNull(),
    claimNumber: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.failureOn] })],
);

export const claimLines = warranty.table(
  "claim_lines",
  {
    claimId: text()
      .notNull()
      .references(() => warrantyClaims.id),
    lineNumber: integer().notNull(),
    dealerId: text().notNull(),
    kind: claimLineKind().notNull(),
    partId: text(),
    quantity: integer(),
    hours: doublePrecision(),
    km: doublePrecision(),
    currency: text().notNull(),
    claimedAmount: amountColumn().notNull(),
    status: lineStatus().notNull(),
    approvedAmount: amountColumn(),
    /** A `ClaimLineReason`: the rules' reasons, or AGENT_DECISION. */
    reason: text().$type<LineReason | "AGENT_DECISION">(),
    explanation: text().notNull(),
    /** Who decided the line: `rules`, or the agent's subject. */
    decidedBy: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.lineNumber] })],
);

/** What happened to a claim after it was filed: reviews, send-backs, answers, payment. Kept CLAIM_HISTORY_KEEP_MONTHS (server.ts). */
export const claimHistory = warranty.table(
  "claim_history",
  {
    claimId: text()
      .notNull()
      .references(() => warrantyClaims.id),
    sequence: integer().notNull(),
    dealerId: text().notNull(),
    action: text().notNull(),
    statusAfter: claimStatus().notNull(),
    comment: text(),
    actor: text().notNull(),
    actorRole: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Partitioned by month of `at` (migration 0007), so `at` is part of the key; the claim row's lock keeps
  // `sequence` unique per claim (appendHistory).
  (t) => [primaryKey({ columns: [t.claimId, t.sequence, t.at] })],
);

export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(warranty);
export const outbox = outboxTable(warranty);

export type KnownUnitRow = typeof knownUnits.$inferSelect;
export type KnownProductRow = typeof knownProducts.$inferSelect;
export type KnownDealerRow = typeof knownDealers.$inferSelect;
export type KnownCustomerRow = typeof knownCustomers.$inferSelect;
export type KnownTicketRow = typeof knownTickets.$inferSelect;
export type PolicyRow = typeof warrantyPolicies.$inferSelect;
export type PlanRow = typeof contractPlans.$inferSelect;
export type ContractRow = typeof serviceContracts.$inferSelect;
export type ContractUnitRow = typeof contractUnits.$inferSelect;
export type VisitRow = typeof maintenanceVisits.$inferSelect;
export type ClaimRow = typeof warrantyClaims.$inferSelect;
export type ClaimLineRow = typeof claimLines.$inferSelect;
export type ClaimHistoryRow = typeof claimHistory.$inferSelect;

/** Customers, dealers, products and units are owned by other subgraphs; here they are references by id. */
export interface EntityRef {
  id: string;
}
