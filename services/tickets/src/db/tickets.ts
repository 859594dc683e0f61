import {
  afterCursor,
  anyOf,
  currentVersion,
  dealerFilter,
  dealerScopeOf,
  emitEvent,
  lockUntilCommit,
  orderOf,
  pagePerParent,
  sortKey,
  versionedRows,
  type Database,
  type Identity,
  userError,
  type Page,
} from "@aftersales/kit";
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { TicketErrorCode } from "../domain/errors.js";
import type { TicketStatus } from "../domain/lifecycle.js";
import type { Priority, TimelineChange } from "../domain/ticket.js";
import { outbox, serviceTickets, ticketTimeline, type TicketRow, type TimelineRow } from "./schema.js";

const ticketRows = versionedRows(serviceTickets, "tkt");

export const lockTicket = ticketRows.lock;
export const saveTicket = ticketRows.save;
export const insertTicket = ticketRows.insert;

// Ids begin with their creation time, so the newest come first.
export const ticketOrder = sortKey([serviceTickets.id], (row: TicketRow) => [row.id], "desc");

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
}

export function listTickets(db: Database, identity: Identity, filter: TicketFilter, page: Page) {
  const conditions: (SQL | undefined)[] = [afterCursor(ticketOrder, page), dealerFilter(serviceTickets.dealerId, identity)];
  if (filter.statuses?.length) conditions.push(inArray(serviceTickets.status, [...filter.statuses]));
  if (filter.priorities?.length) conditions.push(inArray(serviceTickets.priority, [...filter.priorities]));
  if (filter.dealerId) conditions.push(eq(serviceTickets.dealerId, filter.dealerId));
  if (filter.serviceCenterId) conditions.push(eq(serviceTickets.serviceCenterId, filter.serviceCenterId));
  if (filter.customerId) conditions.push(eq(serviceTickets.customerId, filter.customerId));
  if (filter.unitId) conditions.push(eq(serviceTickets.unitId, filter.unitId));
  if (filter.openedFrom) conditions.push(gte(serviceTickets.openedAt, filter.openedFrom));
  if (filter.openedBefore) conditions.push(lt(serviceTickets.openedAt, filter.openedBefore));
  return db
    .select()
    .from(serviceTickets)
    .where(and(...conditions))
    .orderBy(...orderOf(ticketOrder))
    .limit(page.limit + 1);
}

export const findTicketPagesByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[], page: Page) =>
  pagePerParent(db, serviceTickets, serviceTickets.customerId, customerIds, ticketOrder, page, dealerFilter(serviceTickets.dealerId, identity));

export const findTicketPagesByUnitIds = (db: Database, identity: Identity, unitIds: readonly string[], page: Page) =>
  pagePerParent(db, serviceTickets, serviceTickets.unitId, unitIds, ticketOrder, page, dealerFilter(serviceTickets.dealerId, identity));

export function findTimelinesByTicketIds(db: Database, ticketIds: readonly string[]) {
  return db.select().from(ticketTimeline).where(anyOf(ticketTimeline.ticketId, ticketIds)).orderBy(asc(ticketTimeline.sequence));
}

/**
 * The ticket a dealer opened with an idempotency key, read under a lock on
 * the key so a retry sent while the first request runs waits and finds it.
 */
export async function findTicketByIdempotencyKey(tx: Database, dealerId: string, key: string): Promise<TicketRow | null> {
  await lockUntilCommit(tx, "tickets.idempotency", `${dealerId}|${key}`);
  const [row] = await tx
    .select()
    .from(serviceTickets)
    .where(and(eq(serviceTickets.dealerId, dealerId), eq(serviceTickets.idempotencyKey, key)));
  return row ?? null;
}

/** `T-<year>-<6 digits>` from a sequence, so numbers never repeat. */
export async function nextTicketSequence(tx: Database): Promise<number> {
  const result = (await tx.execute(sql`select nextval('tickets.ticket_numbers') as n`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: string | number }[];
  return Number(rows[0]?.n);
}

/** Appends a change to a (locked or new) ticket's timeline. */
export async function appendTimeline(
  tx: Database,
  ticket: TicketRow,
  entry: { change: TimelineChange; note: string | null; identity: Identity },
): Promise<void> {
  await tx.insert(ticketTimeline).values({
    ticketId: ticket.id,
    dealerId: ticket.dealerId,
    // The ticket row is locked (or new), so no other entry takes this number meanwhile.
    sequence: sql`(select coalesce(max(${ticketTimeline.sequence}), 0) + 1 from ${ticketTimeline} where ${ticketTimeline.ticketId} = ${ticket.id})`,
    change: entry.change,
    note: entry.note,
    actor: entry.identity.subject,
    actorRole: entry.identity.role,
  });
}

export type TicketEventType = "ticket.opened" | "ticket.status_changed" | "ticket.resolved" | "ticket.reopened" | "ticket.closed";

/** A ticket's domain event, with the ticket as it is after the change (no personal data: ids and terms only). */
export function emitTicketEvent(tx: Database, type: TicketEventType, ticket: TicketRow) {
  return emitEvent(tx, outbox, {
    type,
    aggregate: "ticket",
    aggregateId: ticket.id,
    dealerId: ticket.dealerId,
    payload: {
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
      failureCode: ticket.failureCode,
      openedAt: ticket.openedAt.toISOString(),
      resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    },
  });
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
