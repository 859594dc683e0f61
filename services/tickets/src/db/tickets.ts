import type { PayloadIn } from "@aftersales/events";
import {
  afterCursor,
  anyOf,
  countPerParent,
  countRows,
  currentVersion,
  dealerFilter,
  dealerScopeOf,
  emitEvent,
  executeRows,
  orderOf,
  pagePerParent,
  sortExpression,
  sortKey,
  versionedRows,
  type Database,
  type Identity,
  userError,
  type Page,
  type SlaEvent,
} from "@aftersales/kit";
import { and, asc, eq, gt, gte, inArray, isNotNull, lt, lte, not, or, sql, type SQL } from "drizzle-orm";
import type { TicketErrorCode } from "../domain/errors.js";
import type { TicketStatus } from "../domain/lifecycle.js";
import type { Priority, TimelineChange } from "../domain/ticket.js";
import { outbox, serviceTickets, ticketSlaEvents, ticketTimeline, type SlaEventRow, type TicketRow, type TimelineRow } from "./schema.js";

const ticketRows = versionedRows(serviceTickets, "tkt");

export const lockTicket = ticketRows.lock;
export const saveTicket = ticketRows.save;
export const insertTicket = ticketRows.insert;

// Ids begin with their creation time, so the newest come first.
export const ticketOrder = sortKey([serviceTickets.id], (row: TicketRow) => [row.id], "desc");

/** A work queue: the most urgent first, and within a priority the longest waiting. */
const byPriority = sortKey([sortExpression(sql`${serviceTickets.priority}::text`, "text"), serviceTickets.id], (row: TicketRow) => [row.priority, row.id]);

// Tickets whose resolution clock is not running sort after every deadline.
const resolutionDue = sql`coalesce(${serviceTickets.resolutionDueAt}, 'infinity'::timestamptz)`;
const byResolutionDue = sortKey([sortExpression(resolutionDue, "timestamp"), serviceTickets.id], (row: TicketRow) => [
  row.resolutionDueAt?.toISOString() ?? "infinity",
  row.id,
]);

/** The sooner of the two running deadlines. */
const nextDue = sql`least(${serviceTickets.responseDueAt}, ${serviceTickets.resolutionDueAt})`;
export const atRiskOrder = sortKey([sortExpression(nextDue, "timestamp"), serviceTickets.id], (row: TicketRow) => [
  nextDueOf(row)?.toISOString() ?? null,
  row.id,
]);

function nextDueOf(row: TicketRow): Date | null {
  const dues = [row.responseDueAt, row.resolutionDueAt].filter((due): due is Date => due !== null);
  return dues.length ? new Date(Math.min(...dues.map((due) => due.getTime()))) : null;
}

export const TICKET_ORDERS = {
  OPENED_NEWEST: ticketOrder,
  OPENED_OLDEST: sortKey([serviceTickets.id], (row: TicketRow) => [row.id], "asc"),
  PRIORITY: byPriority,
  RESOLUTION_DUE: byResolutionDue,
} as const;
export type TicketOrderName = keyof typeof TICKET_ORDERS;

export function findTicketsByIds(db: Database, identity: Identity, ids: readonly string[]) {
  return db
    .select()
    .from(serviceTickets)
    .where(and(anyOf(serviceTickets.id, ids), dealerFilter(serviceTickets.dealerId, identity)));
}

export function findTicketsByNumbers(db: Database, identity: Identity, numbers: readonly string[]) {
  return db
    .select()
    .from(serviceTickets)
    .where(and(anyOf(serviceTickets.number, numbers), dealerFilter(serviceTickets.dealerId, identity)));
}

export interface TicketFilter {
  statuses?: readonly TicketStatus[] | null;
  priorities?: readonly Priority[] | null;
  dealerId?: string | null;
  serviceCenterId?: string | null;
  customerId?: string | null;
  unitId?: string | null;
  openedFrom?: Date | null;
  openedBefore?: Date | null;
  technicianId?: string | null;
  breached?: boolean | null;
}

/** Breached: recorded, or a running deadline already passed (the breach run has not come by yet). */
// Never null (a clock not running has no due time), so `not` of it is exact.
const breachedBy = (now: Date) =>
  sql`(${serviceTickets.slaBreached} or coalesce(${lte(serviceTickets.responseDueAt, now)}, false) or coalesce(${lte(serviceTickets.resolutionDueAt, now)}, false))`;

/** The tickets a list holds at `now`: what the filter asks for, a DEALER's own only. */
function ticketsListed(identity: Identity, filter: TicketFilter, now: Date): SQL | undefined {
  const conditions: (SQL | undefined)[] = [dealerFilter(serviceTickets.dealerId, identity)];
  if (filter.statuses?.length) conditions.push(inArray(serviceTickets.status, [...filter.statuses]));
  if (filter.priorities?.length) conditions.push(inArray(serviceTickets.priority, [...filter.priorities]));
  if (filter.dealerId) conditions.push(eq(serviceTickets.dealerId, filter.dealerId));
  if (filter.serviceCenterId) conditions.push(eq(serviceTickets.serviceCenterId, filter.serviceCenterId));
  if (filter.customerId) conditions.push(eq(serviceTickets.customerId, filter.customerId));
  if (filter.unitId) conditions.push(eq(serviceTickets.unitId, filter.unitId));
  if (filter.openedFrom) conditions.push(gte(serviceTickets.openedAt, filter.openedFrom));
  if (filter.openedBefore) conditions.push(lt(serviceTickets.openedAt, filter.openedBefore));
  if (filter.technicianId) conditions.push(eq(serviceTickets.technicianId, filter.technicianId));
  if (filter.breached != null) conditions.push(filter.breached ? breachedBy(now) : not(breachedBy(now)));
  return and(...conditions);
}

/** How many tickets a list holds at `now`, whole. */
export const countTickets = (db: Database, identity: Identity, filter: TicketFilter, now: Date) =>
  countRows(db, serviceTickets, ticketsListed(identity, filter, now));

export function listTickets(db: Database, identity: Identity, filter: TicketFilter, orderName: TicketOrderName, page: Page, now: Date) {
  const order = TICKET_ORDERS[orderName];
  return db
    .select()
    .from(serviceTickets)
    .where(and(afterCursor(order, page), ticketsListed(identity, filter, now)))
    .orderBy(...orderOf(order))
    .limit(page.limit + 1);
}

/** A ticket's SLA events, oldest first, as one JSON array beside its row (times as JSON text). */
const slaEventsJson = sql<(Omit<SlaEventRow, "at"> & { at: string })[]>`(
  select coalesce(json_agg(json_build_object('ticketId', e.ticket_id, 'sequence', e.sequence, 'dealerId', e.dealer_id,
    'clock', e.clock, 'kind', e.kind, 'at', e.at) order by e.sequence), '[]')
  from ${ticketSlaEvents} e where e.ticket_id = ${serviceTickets.id})`;

/**
 * `listTickets` with each ticket's SLA events, in the same statement: a page
 * that shows its tickets' SLA then costs one statement, not a second one for
 * the events after it. The events are read under the same row-level
 * security as the tickets.
 */
export async function listTicketsWithSlaEvents(
  db: Database,
  identity: Identity,
  filter: TicketFilter,
  orderName: TicketOrderName,
  page: Page,
  now: Date,
): Promise<{ ticket: TicketRow; slaEvents: SlaEventRow[] }[]> {
  const order = TICKET_ORDERS[orderName];
  const rows = await db
    .select({ ticket: serviceTickets, slaEvents: slaEventsJson })
    .from(serviceTickets)
    .where(and(afterCursor(order, page), ticketsListed(identity, filter, now)))
    .orderBy(...orderOf(order))
    .limit(page.limit + 1);
  return rows.map(({ ticket, slaEvents }) => ({ ticket, slaEvents: slaEvents.map((event) => ({ ...event, at: new Date(event.at) })) }));
}

/** Tickets with a running deadline between now and `until`, soonest first. */
/** The tickets at risk from `now` to `until`, a DEALER's own only. */
const atRisk = (identity: Identity, now: Date, until: Date) =>
  and(
    dealerFilter(serviceTickets.dealerId, identity),
    or(
      and(gt(serviceTickets.responseDueAt, now), lte(serviceTickets.responseDueAt, until)),
      and(gt(serviceTickets.resolutionDueAt, now), lte(serviceTickets.resolutionDueAt, until)),
    ),
    not(breachedBy(now)),
    isNotNull(nextDue),
  );

/** How many tickets are at risk from `now` to `until`, whole. */
export const countTicketsAtRisk = (db: Database, identity: Identity, now: Date, until: Date) => countRows(db, serviceTickets, atRisk(identity, now, until));

export function listTicketsAtRisk(db: Database, identity: Identity, now: Date, until: Date, page: Page) {
  return db
    .select()
    .from(serviceTickets)
    .where(and(afterCursor(atRiskOrder, page), atRisk(identity, now, until)))
    .orderBy(...orderOf(atRiskOrder))
    .limit(page.limit + 1);
}

export const findTicketPagesByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[], page: Page) =>
  pagePerParent(db, serviceTickets, serviceTickets.customerId, customerIds, ticketOrder, page, dealerFilter(serviceTickets.dealerId, identity));

export const findTicketPagesByUnitIds = (db: Database, identity: Identity, unitIds: readonly string[], page: Page) =>
  pagePerParent(db, serviceTickets, serviceTickets.unitId, unitIds, ticketOrder, page, dealerFilter(serviceTickets.dealerId, identity));

export const countTicketsByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[]) =>
  countPerParent(db, serviceTickets, serviceTickets.customerId, customerIds, dealerFilter(serviceTickets.dealerId, identity));

export const countTicketsByUnitIds = (db: Database, identity: Identity, unitIds: readonly string[]) =>
  countPerParent(db, serviceTickets, serviceTickets.unitId, unitIds, dealerFilter(serviceTickets.dealerId, identity));

export function findTimelinesByTicketIds(db: Database, ticketIds: readonly string[]) {
  return db.select().from(ticketTimeline).where(anyOf(ticketTimeline.ticketId, ticketIds)).orderBy(asc(ticketTimeline.sequence));
}

/** `T-<year>-<6 digits>` from a sequence, so numbers never repeat. */
export async function nextTicketSequence(tx: Database): Promise<number> {
  const [row] = await executeRows<{ n: string | number }>(tx, sql`select nextval('tickets.ticket_numbers') as n`);
  return Number(row?.n);
}

/** Who made a change: a caller, or the system when time itself changed something (an SLA breach). */
export type Actor = Pick<Identity, "subject"> & { role: string };
export const SYSTEM: Actor = { subject: "system", role: "SYSTEM" };

/** Appends a change to a (locked or new) ticket's timeline. */
export async function appendTimeline(
  tx: Database,
  ticket: TicketRow,
  entry: { change: TimelineChange; note: string | null; actor: Actor; at: Date },
): Promise<void> {
  await tx.insert(ticketTimeline).values({
    ticketId: ticket.id,
    dealerId: ticket.dealerId,
    // The ticket row is locked (or new), so no other entry takes this number meanwhile.
    sequence: sql`(select coalesce(max(${ticketTimeline.sequence}), 0) + 1 from ${ticketTimeline} where ${ticketTimeline.ticketId} = ${ticket.id})`,
    change: entry.change,
    note: entry.note,
    actor: entry.actor.subject,
    actorRole: entry.actor.role,
    at: entry.at,
  });
}

export type TicketEventType = "ticket.opened" | "ticket.status_changed" | "ticket.resolved" | "ticket.reopened" | "ticket.closed";

/** What each event about a ticket carries, from the event catalog. */
export interface TicketEventPayloads extends Record<TicketEventType, PayloadIn<"ticket">> {
  "ticket.sla_breached": PayloadIn<"slaBreach">;
  "ticket.parts_used": PayloadIn<"partsUsed">;
  "ticket.loaner_issued": PayloadIn<"loanerIssued">;
  "ticket.loaner_returned": PayloadIn<"loanerReturned">;
}

/** An event about a ticket: keyed by it (so in order with its other events), and its dealer's. */
export function emitAboutTicket<Type extends keyof TicketEventPayloads>(tx: Database, ticket: TicketRow, type: Type, payload: TicketEventPayloads[Type]) {
  return emitEvent(tx, outbox, { type, aggregate: "ticket", aggregateId: ticket.id, dealerId: ticket.dealerId, payload });
}

/** A ticket's domain event, with the ticket as it is after the change (no personal data: ids and terms only). */
export function emitTicketEvent(tx: Database, type: TicketEventType, ticket: TicketRow) {
  return emitAboutTicket(tx, ticket, type, ticketState(ticket));
}

/** `ticket.sla_breached`: which of a ticket's clocks ran out, and when. */
export function breachState(ticket: TicketRow, breach: Pick<SlaEvent, "clock" | "at">): PayloadIn<"slaBreach"> {
  return {
    id: ticket.id,
    number: ticket.number,
    dealerId: ticket.dealerId,
    serviceCenterId: ticket.serviceCenterId,
    priority: ticket.priority,
    clock: breach.clock,
    breachedAt: breach.at.toISOString(),
    source: ticket.slaSource,
  };
}

/** A ticket as its events carry it; also what other subgraphs are told when they ask. */
export function ticketState(ticket: TicketRow): PayloadIn<"ticket"> {
  return {
    id: ticket.id,
    number: ticket.number,
    version: ticket.version,
    dealerId: ticket.dealerId,
    customerId: ticket.customerId,
    unitId: ticket.unitId,
    productId: ticket.productId,
    kind: ticket.kind,
    priority: ticket.priority,
    status: ticket.status,
    serviceCenterId: ticket.serviceCenterId,
    technicianId: ticket.technicianId,
    failureCode: ticket.failureCode,
    slaSource: ticket.slaSource,
    slaBreached: ticket.slaBreached,
    openedAt: ticket.openedAt.toISOString(),
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    closedAt: ticket.closedAt?.toISOString() ?? null,
  };
}

export type { TimelineRow };

/**
 * The ticket a change names, locked until the transaction ends, in the
 * caller's scope (another dealer's is answered like a missing one) and at
 * the version the client read.
 */
export async function lockTicketInScope(tx: Database, identity: Identity, input: { id: string; version: number }): Promise<TicketRow> {
  const own = dealerScopeOf(identity);
  const row = await lockTicket(tx, input.id);
  return currentVersion(
    row && (own === null || row.dealerId === own) ? row : null,
    input.version,
    userError<TicketErrorCode>("TICKET_NOT_FOUND", `No ticket has the id \`${input.id}\`.`, ["id"]),
  );
}
