import { inboxTables, outboxTable, versionColumns } from "@aftersales/kit";
import { index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { STATUSES } from "../domain/lifecycle.js";
import { CHANNELS, KINDS, PRIORITIES, type TimelineChange } from "../domain/ticket.js";

/** Every table of this subgraph lives in the `tickets` Postgres schema. */
export const tickets = pgSchema("tickets");

// The database's enums are the domain's lists, so the two cannot drift apart.
export const ticketKind = tickets.enum("ticket_kind", KINDS);
export const ticketChannel = tickets.enum("ticket_channel", CHANNELS);
export const priority = tickets.enum("priority", PRIORITIES);
export const ticketStatus = tickets.enum("ticket_status", STATUSES);

/** Readable ticket numbers, never reused. */
export const ticketNumbers = tickets.sequence("ticket_numbers");

// Copies of other subgraphs' facts, kept from their events (never read from their tables).

/** Customers as partners last announced them: only whose they are, nothing personal. */
export const knownCustomers = tickets.table("known_customers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  homeDealerId: text().notNull(),
});

/** Dealers as partners last announced them: which of them are service centers. */
export const knownDealers = tickets.table("known_dealers", {
  id: text().primaryKey(),
  sourceVersion: integer().notNull(),
  kind: text().notNull(),
});

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
    ...versionColumns(),
  },
  (t) => [
    uniqueIndex("tickets_number_key").on(t.number),
    uniqueIndex("tickets_idempotency_key").on(t.dealerId, t.idempotencyKey),
    index("tickets_dealer_idx").on(t.dealerId, t.id),
    index("tickets_customer_idx").on(t.customerId, t.id),
    index("tickets_unit_idx").on(t.unitId, t.id),
    index("tickets_status_idx").on(t.status, t.id),
  ],
);

/** Every change of a ticket, who made it and when. */
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
  (t) => [primaryKey({ columns: [t.ticketId, t.sequence] })],
);

export const { eventInbox, eventCursors } = inboxTables(tickets);
export const outbox = outboxTable(tickets);

export type TicketRow = typeof serviceTickets.$inferSelect;
export type TimelineRow = typeof ticketTimeline.$inferSelect;
export type KnownUnitRow = typeof knownUnits.$inferSelect;

/** Customers, dealers, units and products are owned by other subgraphs; here they are references by id. */
export interface EntityRef {
  id: string;
}

