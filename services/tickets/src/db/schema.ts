import { inboxTables, outboxTable, SLA_CLOCKS, SLA_EVENT_KINDS, versionColumns, type BusinessCalendar } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { boolean, date, doublePrecision, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { DispatchDecision } from "../domain/dispatch.js";
import { STATUSES } from "../domain/lifecycle.js";
import type { SlaTargets } from "../domain/slaPolicy.js";
import { SLA_SOURCES } from "../domain/slaPolicy.js";
import { CHANNELS, KINDS, PRIORITIES, type TimelineChange } from "../domain/ticket.js";

/** Every table of this subgraph lives in the `tickets` Postgres schema. */
export const tickets = pgSchema("tickets");

// The database's enums are the domain's lists, so the two cannot drift apart.
export const ticketKind = tickets.enum("ticket_kind", KINDS);
export const ticketChannel = tickets.enum("ticket_channel", CHANNELS);
export const priority = tickets.enum("priority", PRIORITIES);
export const ticketStatus = tickets.enum("ticket_status", STATUSES);
export const slaSource = tickets.enum("sla_source", SLA_SOURCES);
export const slaClock = tickets.enum("sla_clock", SLA_CLOCKS);
export const slaEventKind = tickets.enum("sla_event_kind", SLA_EVENT_KINDS);

/** Readable ticket numbers, never reused. */
export const ticketNumbers = tickets.sequence("ticket_numbers");

// Copies of other subgraphs' facts, kept from their events (never read from their tables).

/** Customers as partners last announced them: whose they are and their area (rounded to about 1 km), nothing personal. */
export const knownCustomers = tickets.table("known_customers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  homeDealerId: text().notNull(),
  areaLatitude: doublePrecision(),
  areaLongitude: doublePrecision(),
});

/** Dealers as partners last announced them: which are service centers, where, how far they go, and their business hours. */
export const knownDealers = tickets.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  name: text().notNull(),
  kind: text().notNull(),
  latitude: doublePrecision().notNull(),
  longitude: doublePrecision().notNull(),
  serviceRadiusKm: integer().notNull(),
  workshopAuthorizedFrom: date({ mode: "string" }),
  workshopAuthorizedUntil: date({ mode: "string" }),
  calendar: jsonb().$type<BusinessCalendar>().notNull(),
});

/** Technicians as partners last announced them: whose, trained on what, active or not; no names. */
export const knownTechnicians = tickets.table(
  "known_technicians",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    serviceCenterId: text().notNull(),
    skills: text().array().notNull(),
    active: boolean().notNull(),
  },
  (t) => [index("known_technicians_service_center_idx").on(t.serviceCenterId)],
);

/** Products as the catalog last announced them: kind (spare parts are products of kind SPARE_PART) and category (technicians' skills name categories). */
export const knownProducts = tickets.table("known_products", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  kind: text().notNull(),
  category: text().notNull(),
  name: text().notNull(),
});

/** Service contracts as warranty last announced them: their term, units and SLA targets. */
export const knownContracts = tickets.table(
  "known_contracts",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    number: text().notNull(),
    status: text().notNull(),
    startsOn: date({ mode: "string" }).notNull(),
    endsOn: date({ mode: "string" }).notNull(),
    /** Cancelled contracts cover up to the day before. */
    cancelledFrom: date({ mode: "string" }),
    unitIds: text().array().notNull(),
    responseHours: integer(),
    resolutionHours: integer(),
  },
  (t) => [index("known_contracts_units_idx").using("gin", t.unitIds)],
);

/** Units as the catalog last announced them: which product, whose, and with which owner. */
export const knownUnits = tickets.table(
  "known_units",
  {
    id: text().primaryKey(),
    sourceVersion: integer().notNull(),
    serialNumber: text().notNull(),
    productId: text().notNull(),
    dealerId: text().notNull(),
    customerId: text(),
    status: text().notNull(),
  },
  (t) => [uniqueIndex("known_units_serial_number_key").on(t.serialNumber)],
);

export const serviceTickets = tickets.table(
  "tickets",
  {
    id: text().primaryKey(),
    /** Readable, e.g. `T-2026-000042`. */
    number: text().notNull(),
    /** The dealer whose customer opened it; it sees and works the ticket. */
    dealerId: text().notNull(),
    customerId: text().notNull(),
    unitId: text(),
    productId: text(),
    kind: ticketKind().notNull(),
    channel: ticketChannel().notNull(),
    priority: priority().notNull(),
    status: ticketStatus().notNull(),
    subject: text().notNull(),
    description: text(),
    failureCode: text(),
    /** The service center working it, and its technician, once assigned. */
    serviceCenterId: text(),
    technicianId: text(),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    resolution: text(),
    idempotencyKey: text(),
    inputHash: text(),
    // The SLA as fixed when the ticket was opened (targets) and assigned (calendar); the clocks' events are in ticket_sla_events.
    slaSource: slaSource().notNull(),
    slaContractId: text(),
    slaContractNumber: text(),
    slaPausesOnWaitingParts: boolean().notNull(),
    slaCalendarDealerId: text().notNull(),
    slaCalendar: jsonb().$type<BusinessCalendar>().notNull(),
    responseTargetSeconds: integer().notNull(),
    resolutionTargetSeconds: integer().notNull(),
    /** Each clock's deadline while it runs (past once breached); null while paused or met. Kept for lists and the breach run. */
    responseDueAt: timestamp({ withTimezone: true }),
    resolutionDueAt: timestamp({ withTimezone: true }),
    /** A breach recorded on either clock; one not yet recorded shows as a due time in the past. */
    slaBreached: boolean().notNull().default(false),
    dispatch: jsonb().$type<DispatchDecision>(),
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("tickets_number_key").on(t.number),
    uniqueIndex("tickets_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("tickets_dealer_idx").on(t.dealerId, t.id),
    index("tickets_customer_idx").on(t.customerId, t.id),
    index("tickets_unit_idx").on(t.unitId, t.id),
    index("tickets_status_idx").on(t.status, t.id),
    index("tickets_technician_idx").on(t.technicianId, t.id),
    index("tickets_service_center_idx").on(t.serviceCenterId, t.id),
    index("tickets_response_due_idx").on(t.responseDueAt).where(sql`response_due_at is not null`),
    index("tickets_resolution_due_idx").on(t.resolutionDueAt, t.id).where(sql`resolution_due_at is not null`),
    index("tickets_priority_idx").on(t.priority, t.id),
  ],
);

/** Every event of a ticket's SLA clocks; a breach is recorded once per clock. */
export const ticketSlaEvents = tickets.table(
  "ticket_sla_events",
  {
    ticketId: text()
      .notNull()
      .references(() => serviceTickets.id),
    sequence: integer().notNull(),
    dealerId: text().notNull(),
    clock: slaClock().notNull(),
    kind: slaEventKind().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.sequence] }), uniqueIndex("ticket_sla_events_one_breach").on(t.ticketId, t.clock).where(sql`kind = 'BREACHED'`)],
);

/** A dealer's default SLA targets by priority. */
export const slaPolicies = tickets.table("sla_policies", {
  dealerId: text().primaryKey(),
  targets: jsonb().$type<SlaTargets>().notNull(),
  pausesOnWaitingParts: boolean().notNull(),
  ...versionColumns(),
});

/** Parts used on tickets; the catalog lowers its stock from the `ticket.parts_used` event. */
export const ticketParts = tickets.table(
  "ticket_parts",
  {
    id: text().primaryKey(),
    ticketId: text()
      .notNull()
      .references(() => serviceTickets.id),
    dealerId: text().notNull(),
    partId: text().notNull(),
    quantity: integer().notNull(),
    serviceCenterId: text().notNull(),
    usedAt: timestamp({ withTimezone: true }).notNull(),
    actor: text().notNull(),
  },
  (t) => [index("ticket_parts_ticket_idx").on(t.ticketId, t.id)],
);

/** Units lent to customers on tickets; a unit is out on one ticket at a time. */
export const ticketLoaners = tickets.table(
  "ticket_loaners",
  {
    id: text().primaryKey(),
    ticketId: text()
      .notNull()
      .references(() => serviceTickets.id),
    dealerId: text().notNull(),
    unitId: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    issuedBy: text().notNull(),
    returnedAt: timestamp({ withTimezone: true }),
    returnedBy: text(),
  },
  (t) => [
    index("ticket_loaners_ticket_idx").on(t.ticketId, t.id),
    // Across every dealer, so a unit cannot be lent twice even by two dealers who cannot see each other's tickets.
    uniqueIndex("ticket_loaners_unit_out").on(t.unitId).where(sql`returned_at is null`),
  ],
);

/**
 * Who works which ticket, and whether it is still open: the load dispatch
 * weighs. Shared, because a service center's load counts every dealer's
 * tickets while a dealer's transaction sees only its own; it holds ids only.
 */
export const ticketAssignments = tickets.table(
  "ticket_assignments",
  {
    ticketId: text().primaryKey(),
    serviceCenterId: text().notNull(),
    technicianId: text(),
    open: boolean().notNull(),
  },
  (t) => [
    index("ticket_assignments_service_center_idx").on(t.serviceCenterId).where(sql`open`),
    index("ticket_assignments_technician_idx").on(t.technicianId).where(sql`open`),
  ],
);

/** Every change of a ticket, who made it and when. Kept TIMELINE_KEEP_MONTHS (server.ts). */
export const ticketTimeline = tickets.table(
  "ticket_timeline",
  {
    ticketId: text()
      .notNull()
      .references(() => serviceTickets.id),
    sequence: integer().notNull(),
    dealerId: text().notNull(),
    change: jsonb().$type<TimelineChange>().notNull(),
    note: text(),
    actor: text().notNull(),
    actorRole: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Partitioned by month of `at` (migration 0005), so `at` is part of the key; the ticket row's lock keeps
  // `sequence` unique per ticket (appendTimeline).
  (t) => [primaryKey({ columns: [t.ticketId, t.sequence, t.at] })],
);

export const { eventInbox, eventCursors, eventDeadLetters } = inboxTables(tickets);
export const outbox = outboxTable(tickets);

export type TicketRow = typeof serviceTickets.$inferSelect;
export type TimelineRow = typeof ticketTimeline.$inferSelect;
export type KnownUnitRow = typeof knownUnits.$inferSelect;
export type KnownCustomerRow = typeof knownCustomers.$inferSelect;
export type KnownProductRow = typeof knownProducts.$inferSelect;
export type KnownDealerRow = typeof knownDealers.$inferSelect;
export type KnownTechnicianRow = typeof knownTechnicians.$inferSelect;
export type KnownContractRow = typeof knownContracts.$inferSelect;
export type SlaEventRow = typeof ticketSlaEvents.$inferSelect;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type TicketPartRow = typeof ticketParts.$inferSelect;
export type LoanerRow = typeof ticketLoaners.$inferSelect;

/** Customers, dealers, units and products are owned by other subgraphs; here they are references by id. */
export interface EntityRef {
  id: string;
}
