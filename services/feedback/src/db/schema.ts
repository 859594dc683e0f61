import { amountColumn, inboxTables, outboxTable, versionColumns, type BusinessCalendar } from "@aftersales/kit";
import { sql, type SQLWrapper } from "drizzle-orm";
import { boolean, check, date, doublePrecision, index, integer, jsonb, numeric, pgSchema, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { CASE_SOURCES, CASE_STATUSES } from "../domain/complaint.js";
import type { Language, Sentiment, Theme } from "../domain/lexicon.js";
import { FEEDBACK_KINDS, SURVEY_KINDS, SURVEY_STATUSES } from "../domain/survey.js";

/** Every table of this subgraph lives in the `feedback` Postgres schema. */
export const feedback = pgSchema("feedback");

/**
 * A text column held to the domain's list by a check, not a Postgres enum:
 * under row-level security only leakproof comparisons can use an index, and
 * text equality is leakproof where enum equality is not, so `kind = 'CSAT'`
 * on a million surveys stays an index condition.
 */
const oneOf = (name: string, column: SQLWrapper, values: readonly string[]) =>
  check(name, sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(", "))})`);

// ---------------------------------------------------------------------------
// Copies of other subgraphs' facts, kept from their events. Insights read only
// these, so they never wait on another subgraph; none holds personal data.
// ---------------------------------------------------------------------------

/** Products' names and kinds, for insights' labels (shared: the catalog is public to every dealer). */
export const knownProducts = feedback.table("known_products", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  name: text().notNull(),
  kind: text().notNull(),
  category: text().notNull(),
});

/** Dealers' and service centers' names (businesses, not people), for insights' labels, and business hours, for complaints' deadlines. */
export const knownDealers = feedback.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  name: text().notNull(),
  kind: text().notNull(),
  /** Null for a dealer last announced before this copy kept calendars, until its next announcement. */
  calendar: jsonb().$type<BusinessCalendar>(),
});

/** Customers: whose they are, since when, and when their next NPS survey is due. Ids only. */
export const knownCustomers = feedback.table(
  "known_customers",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    homeDealerId: text().notNull(),
    /** When the customer was created: the first NPS survey counts from it. */
    knownSince: timestamp({ withTimezone: true }).notNull(),
    /**
     * When the next NPS survey is due: null while one is scheduled, set again
     * when it opens. Kept here so the run every minute finds the few due
     * customers by index instead of reading every customer's surveys.
     */
    npsDueAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("known_customers_dealer_idx").on(t.homeDealerId), index("known_customers_nps_due_idx").on(t.npsDueAt)],
);

/** Units: what they are, whose, and when sold, delivered, installed (claim rates count units sold). */
export const knownUnits = feedback.table(
  "known_units",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    productId: text().notNull(),
    dealerId: text().notNull(),
    customerId: text(),
    status: text().notNull(),
    soldOn: date({ mode: "string" }),
    deliveredOn: date({ mode: "string" }),
    installedOn: date({ mode: "string" }),
  },
  (t) => [
    // With the dealer, which row-level security reads, units sold are counted from the index alone.
    index("known_units_sold_idx").on(t.productId, t.soldOn, t.dealerId).where(sql`${t.soldOn} is not null`),
    index("known_units_dealer_sold_idx").on(t.dealerId, t.soldOn).where(sql`${t.soldOn} is not null`),
  ],
);

/**
 * One row per ticket, as its latest event tells it, plus what only its
 * history tells: how often it was reopened, whether it ever waited for
 * parts, whether an SLA clock was breached, what covered it.
 */
export const ticketFacts = feedback.table(
  "ticket_facts",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    number: text().notNull(),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    unitId: text(),
    productId: text(),
    serviceCenterId: text(),
    technicianId: text(),
    kind: text().notNull(),
    priority: text().notNull(),
    status: text().notNull(),
    failureCode: text(),
    slaSource: text(),
    slaBreached: boolean().notNull().default(false),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    /** The latest resolution: a reopen clears it and the next resolution sets it again. */
    resolvedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    reopenCount: integer().notNull().default(0),
    /**
     * A repair's next repair on the same unit: when the first repair ticket
     * opened after this one's resolution was opened. Kept as tickets arrive,
     * so repeat repairs within N days are one comparison per row, not a
     * search of the unit's tickets per repair.
     */
    nextRepairOpenedAt: timestamp({ withTimezone: true }),
    waitedForParts: boolean().notNull().default(false),
    /** CONTRACT (its SLA came from a service contract), WARRANTY (a warranty claim covers its repair) or NONE. */
    coverage: text().notNull().default("NONE"),
  },
  (t) => [
    index("ticket_facts_resolved_idx").on(t.resolvedAt).where(sql`${t.resolvedAt} is not null`),
    index("ticket_facts_dealer_resolved_idx").on(t.dealerId, t.resolvedAt),
    index("ticket_facts_product_opened_idx").on(t.productId, t.openedAt).where(sql`${t.kind} = 'REPAIR'`),
    index("ticket_facts_unit_opened_idx").on(t.unitId, t.openedAt).where(sql`${t.kind} = 'REPAIR'`),
  ],
);

/** Warranty claims as their latest event tells them. */
export const claimFacts = feedback.table(
  "claim_facts",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    dealerId: text().notNull(),
    unitId: text().notNull(),
    productId: text().notNull(),
    failureCode: text().notNull(),
    failureOn: date({ mode: "string" }).notNull(),
    repairOn: date({ mode: "string" }).notNull(),
    status: text().notNull(),
    claimedTotal: amountColumn().notNull(),
    approvedTotal: amountColumn().notNull(),
    currency: text().notNull(),
    coverageKind: text().notNull(),
  },
  (t) => [index("claim_facts_product_repair_idx").on(t.productId, t.repairOn), index("claim_facts_unit_idx").on(t.unitId)],
);

/** The survey timings in force: one row, `network`, absent until an ADMIN changes the defaults. */
export const surveySettings = feedback.table("survey_settings", {
  id: text().primaryKey(),
  csatDelayHours: integer().notNull(),
  postSaleDelayDays: integer().notNull(),
  npsFirstAfterDays: integer().notNull(),
  npsIntervalDays: integer().notNull(),
  answerWithinDays: integer().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});

// ---------------------------------------------------------------------------
// What customers say
// ---------------------------------------------------------------------------

/**
 * Surveys, from scheduled to answered. A CSAT survey copies its ticket's
 * dimensions when it opens (the ticket is resolved then), so satisfaction
 * figures read one table.
 */
export const surveys = feedback.table(
  "surveys",
  {
    id: text().primaryKey(),
    kind: text({ enum: SURVEY_KINDS }).notNull(),
    status: text({ enum: SURVEY_STATUSES }).notNull(),
    dealerId: text().notNull(),
    customerId: text().notNull(),
    ticketId: text(),
    unitId: text(),
    productId: text(),
    serviceCenterId: text(),
    technicianId: text(),
    slaBreached: boolean(),
    firstTimeFix: boolean(),
    coverage: text(),
    /** The secret in the survey's link: whoever has it may answer, once. */
    token: text().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    openedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    score: smallint(),
    comment: text(),
    language: text().$type<Language>(),
    themes: text().array().$type<Theme[]>().notNull().default(sql`'{}'`),
    sentiment: text().$type<Sentiment>(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    oneOf("surveys_kind_check", t.kind, SURVEY_KINDS),
    oneOf("surveys_status_check", t.status, SURVEY_STATUSES),
    uniqueIndex("surveys_token_key").on(t.token),
    // At most one CSAT survey per ticket, ever: a cancelled one stays, so a reopened ticket is not asked again.
    uniqueIndex("surveys_one_csat_per_ticket").on(t.ticketId).where(sql`${t.kind} = 'CSAT'`),
    uniqueIndex("surveys_one_post_sale_per_unit_owner").on(t.unitId, t.customerId).where(sql`${t.kind} = 'POST_SALE'`),
    // Never two open surveys for one customer: the database holds the rule even against two racing runs. A complaint's follow-up stands apart.
    uniqueIndex("surveys_one_open_per_customer").on(t.customerId).where(sql`${t.status} = 'OPEN' and ${t.kind} <> 'COMPLAINT_FOLLOW_UP'`),
    index("surveys_due_idx").on(t.dueAt).where(sql`${t.status} = 'SCHEDULED'`),
    index("surveys_expiring_idx").on(t.expiresAt).where(sql`${t.status} = 'OPEN'`),
    index("surveys_customer_idx").on(t.customerId, t.createdAt),
    // What satisfaction figures read: answers of a kind by day, every dealer's or one dealer's.
    index("surveys_answered_idx").on(t.kind, t.answeredAt).where(sql`${t.status} = 'ANSWERED'`),
    index("surveys_dealer_answered_idx").on(t.dealerId, t.kind, t.answeredAt).where(sql`${t.status} = 'ANSWERED'`),
    // A product's answers, for the slices no rollup keeps (a product's technicians): a few thousand rows, not every answer of the kind.
    index("surveys_product_answered_idx").on(t.productId, t.kind, t.answeredAt).where(sql`${t.status} = 'ANSWERED'`),
    index("surveys_dealer_idx").on(t.dealerId, t.createdAt),
  ],
);

/** Feedback given outside surveys. */
export const feedbackEntries = feedback.table(
  "feedback_entries",
  {
    id: text().primaryKey(),
    kind: text({ enum: FEEDBACK_KINDS }).notNull(),
    dealerId: text().notNull(),
    customerId: text(),
    productId: text(),
    unitId: text(),
    ticketId: text(),
    aboutDealerId: text(),
    comment: text().notNull(),
    language: text().$type<Language>().notNull(),
    themes: text().array().$type<Theme[]>().notNull(),
    sentiment: text().$type<Sentiment>().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** Who recorded it (the credential's subject). */
    recordedBy: text().notNull(),
    /** A dealer's system sends one, so a retry after a lost answer records nothing twice. */
    idempotencyKey: text(),
    inputHash: text(),
  },
  (t) => [
    uniqueIndex("feedback_entries_idempotency_key").on(t.dealerId, t.idempotencyKey),
    oneOf("feedback_entries_kind_check", t.kind, FEEDBACK_KINDS),
    index("feedback_entries_dealer_idx").on(t.dealerId, t.receivedAt),
    index("feedback_entries_customer_idx").on(t.customerId, t.receivedAt),
    index("feedback_entries_product_idx").on(t.productId, t.receivedAt),
  ],
);

/**
 * A complaint being recovered: from a complaint recorded outside a survey, or
 * a low survey answer with a comment. Its response deadline is fixed when it
 * opens (target and the dealer's calendar then), so it reads the same later.
 */
export const complaintCases = feedback.table(
  "complaint_cases",
  {
    id: text().primaryKey(),
    dealerId: text().notNull(),
    customerId: text(),
    source: text({ enum: CASE_SOURCES }).notNull(),
    feedbackId: text(),
    surveyId: text(),
    productId: text(),
    unitId: text(),
    ticketId: text(),
    status: text({ enum: CASE_STATUSES }).notNull(),
    /** The person at the dealer who works it: a name and an e-mail address, as the dealer gives them (no directory holds dealers' staff). */
    ownerName: text(),
    ownerEmail: text(),
    assignedAt: timestamp({ withTimezone: true }),
    openedAt: timestamp({ withTimezone: true }).notNull(),
    responseTargetSeconds: integer().notNull(),
    calendar: jsonb().$type<BusinessCalendar>().notNull(),
    /** When the response deadline runs out: what the breach job and the at-risk list look up by index. */
    responseDueAt: timestamp({ withTimezone: true }),
    respondedAt: timestamp({ withTimezone: true }),
    response: text(),
    breachedAt: timestamp({ withTimezone: true }),
    resolution: text(),
    resolvedAt: timestamp({ withTimezone: true }),
    /** The question to the customer after the resolution: a survey, answered through its link. */
    followUpSurveyId: text(),
    ...versionColumns(),
  },
  (t) => [
    oneOf("complaint_cases_source_check", t.source, CASE_SOURCES),
    oneOf("complaint_cases_status_check", t.status, CASE_STATUSES),
    // One case per complaint, whatever retries or redeliveries do.
    uniqueIndex("complaint_cases_feedback_key").on(t.feedbackId),
    uniqueIndex("complaint_cases_survey_key").on(t.surveyId),
    uniqueIndex("complaint_cases_follow_up_key").on(t.followUpSurveyId),
    index("complaint_cases_dealer_opened_idx").on(t.dealerId, t.openedAt),
    // Deadlines still waiting on a first response: the breach job's and the at-risk list's.
    index("complaint_cases_due_idx").on(t.responseDueAt).where(sql`${t.respondedAt} is null`),
  ],
);

export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(feedback);
export const outbox = outboxTable(feedback);

export type SurveyRow = typeof surveys.$inferSelect;
export type FeedbackRow = typeof feedbackEntries.$inferSelect;
export type TicketFactRow = typeof ticketFacts.$inferSelect;
export type ComplaintCaseRow = typeof complaintCases.$inferSelect;
/** Another subgraph's entity, by id only. */
export interface EntityRef {
  id: string;
}

// ---------------------------------------------------------------------------
// Insight rollups: what the insights read instead of the facts. Each fact
// row adds to one cell per grain (a UTC day, its month, its year and all
// time: migration 0008) and per cuboid
// (the set of dimensions a cell keeps: `D` dealer, `P` product, `C` service
// center, `T` technician, `S` the CSAT splits); a dimension the cuboid leaves
// out is '' (so is a fact's missing one), and a cell across all dealers has
// the dealer '*', which no DEALER's row-level security lets through. Kept by
// triggers on the facts in the same transaction (migration 0004, which also
// holds `feedback.rebuild_insight_rollups()`), so they never lag. Counts are
// exact; hours to resolve are a mergeable log histogram (see domain/sketch).
// ---------------------------------------------------------------------------

/** The columns every rollup cell is keyed by. */
const cellKey = () => ({
  cuboid: text().notNull(),
  /** `day`, `month`, `year` or `all`; `period` is the day, the month's or the year's first day, or 0001-01-01 for all time. */
  grain: text().notNull(),
  period: date({ mode: "string" }).notNull(),
  dealerId: text().notNull(),
  productId: text().notNull(),
  serviceCenterId: text().notNull(),
});

/** Answered surveys, by kind: sums of scores and bands. */
export const satisfactionRollups = feedback.table(
  "satisfaction_rollups",
  {
    ...cellKey(),
    kind: text().notNull(),
    technicianId: text().notNull(),
    slaOutcome: text().notNull(),
    coverage: text().notNull(),
    firstTimeFix: text().notNull(),
    responses: integer().notNull(),
    scoreSum: integer().notNull(),
    satisfied: integer().notNull(),
    promoters: integer().notNull(),
    passives: integer().notNull(),
    detractors: integer().notNull(),
  },
  (t) => [
    uniqueIndex("satisfaction_rollups_cell").on(
      t.cuboid,
      t.kind,
      t.dealerId,
      t.grain,
      t.period,
      t.productId,
      t.serviceCenterId,
      t.technicianId,
      t.slaOutcome,
      t.coverage,
      t.firstTimeFix,
    ),
    index("satisfaction_rollups_product_idx").on(t.cuboid, t.kind, t.productId, t.grain, t.period).where(sql`${t.productId} <> ''`),
  ],
);

/** Resolved tickets: SLA, first-time fixes, a histogram of hours to resolve, and how soon a repair's next repair came. */
export const resolutionRollups = feedback.table(
  "resolution_rollups",
  {
    ...cellKey(),
    technicianId: text().notNull(),
    resolved: integer().notNull(),
    slaMet: integer().notNull(),
    repairs: integer().notNull(),
    firstTimeFixes: integer().notNull(),
    /** Hours to resolve as `{bucket: count}` (domain/sketch). */
    hours: jsonb().$type<Record<string, number>>().notNull(),
    /** The hours themselves while the cell holds few: small slices get exact percentiles. Null once it held more. */
    hoursExact: doublePrecision().array(),
    /** Repairs of a unit (those a repeat can follow). */
    unitRepairs: integer().notNull(),
    /** Of those, by the whole days (1 to 365, rounded up) until the unit's next repair opened: `{days: count}`. */
    repeatGaps: jsonb().$type<Record<string, number>>().notNull(),
  },
  (t) => [
    uniqueIndex("resolution_rollups_cell").on(t.cuboid, t.dealerId, t.grain, t.period, t.productId, t.serviceCenterId, t.technicianId),
    index("resolution_rollups_product_idx").on(t.cuboid, t.productId, t.grain, t.period).where(sql`${t.productId} <> ''`),
  ],
);

/** Repair tickets by the day they opened and their failure code: the Pareto's counts. */
export const failureRollups = feedback.table(
  "failure_rollups",
  {
    ...cellKey(),
    failureCode: text().notNull(),
    tickets: integer().notNull(),
  },
  (t) => [uniqueIndex("failure_rollups_cell").on(t.cuboid, t.productId, t.dealerId, t.grain, t.period, t.serviceCenterId, t.failureCode)],
);

/** Warranty claims by repair day, workshop, product and currency; the cost of the approved ones. */
export const claimRollups = feedback.table(
  "claim_rollups",
  {
    ...cellKey(),
    currency: text().notNull(),
    claims: integer().notNull(),
    approvedClaims: integer().notNull(),
    approvedCost: numeric().notNull(),
  },
  (t) => [uniqueIndex("claim_rollups_cell").on(t.cuboid, t.dealerId, t.grain, t.period, t.productId, t.serviceCenterId, t.currency)],
);

/** Units sold by day, selling dealer and product. */
export const unitSaleRollups = feedback.table(
  "unit_sale_rollups",
  {
    ...cellKey(),
    units: integer().notNull(),
  },
  (t) => [uniqueIndex("unit_sale_rollups_cell").on(t.cuboid, t.dealerId, t.grain, t.period, t.productId, t.serviceCenterId)],
);
