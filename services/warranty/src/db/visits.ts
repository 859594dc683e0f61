import type { PayloadIn } from "@aftersales/events";
import {
  addDays,
  anyOf,
  countPerParent,
  currentVersion,
  dealerFilter,
  emitEvents,
  newId,
  Refusal,
  userError,
  pagePerParent,
  sortKey,
  versionedRows,
  type Database,
  type Identity,
  type Page,
} from "@aftersales/kit";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { WarrantyErrorCode } from "../domain/errors.js";
import { inCallersScope } from "../domain/scope.js";
import { maintenanceVisits, outbox, type VisitRow } from "./schema.js";

const visitRows = versionedRows(maintenanceVisits, "mvs");

export const lockVisit = visitRows.lock;
export const saveVisit = visitRows.save;

export function findVisitsByIds(db: Database, identity: Identity, ids: readonly string[]) {
  return db
    .select()
    .from(maintenanceVisits)
    .where(and(anyOf(maintenanceVisits.id, ids), dealerFilter(maintenanceVisits.dealerId, identity)));
}

export function findVisitsByUnitIds(db: Database, identity: Identity, unitIds: readonly string[]) {
  return db
    .select()
    .from(maintenanceVisits)
    .where(and(anyOf(maintenanceVisits.unitId, unitIds), dealerFilter(maintenanceVisits.dealerId, identity)))
    .orderBy(asc(maintenanceVisits.dueOn), asc(maintenanceVisits.sequence));
}

export function findVisitsByContractIds(db: Database, identity: Identity, contractIds: readonly string[]) {
  return db
    .select()
    .from(maintenanceVisits)
    .where(and(anyOf(maintenanceVisits.contractId, contractIds), dealerFilter(maintenanceVisits.dealerId, identity)))
    .orderBy(asc(maintenanceVisits.dueOn), asc(maintenanceVisits.unitId));
}

export const dueOrder = sortKey([maintenanceVisits.dueOn, maintenanceVisits.id], (row: VisitRow) => [row.dueOn, row.id]);

/** Each dealer's open visits due by `asOf + within` days, overdue ones included. */
export function findDuePagesByDealerIds(db: Database, dealerIds: readonly string[], args: { asOf: string; within: number }, page: Page) {
  return pagePerParent(db, maintenanceVisits, maintenanceVisits.dealerId, dealerIds, dueOrder, page, due(args));
}

/** How many visits each dealer's list of visits due holds, whole. */
export const countDueByDealerIds = (db: Database, dealerIds: readonly string[], args: { asOf: string; within: number }) =>
  countPerParent(db, maintenanceVisits, maintenanceVisits.dealerId, dealerIds, due(args));

/** Visits still to make, due by `within` days after `asOf`. */
const due = (args: { asOf: string; within: number }) =>
  and(inArray(maintenanceVisits.status, ["PLANNED", "SCHEDULED"]), lte(maintenanceVisits.dueOn, addDays(args.asOf, args.within)));

/**
 * Creates visits and announces each new one (`visit.planned`); one already
 * there for the same contract, unit and sequence is left as it is. Returns
 * how many were new.
 */
export async function insertVisits(
  tx: Database,
  visits: readonly { contractId: string; unitId: string; dealerId: string; sequence: number; dueOn: string }[],
): Promise<number> {
  if (!visits.length) return 0;
  const rows = await tx
    .insert(maintenanceVisits)
    .values(visits.map((visit) => ({ ...visit, id: newId("mvs") })))
    .onConflictDoNothing({ target: [maintenanceVisits.contractId, maintenanceVisits.unitId, maintenanceVisits.sequence] })
    .returning();
  await emitVisitEvents(tx, "visit.planned", rows);
  return rows.length;
}

/** Open visits of a contract due on or after `from`: the ones an ended contract cancels. */
export async function cancelVisitsFrom(tx: Database, contractId: string, from: string, note: string): Promise<void> {
  await tx
    .update(maintenanceVisits)
    .set({ status: "CANCELLED", note, version: sql`${maintenanceVisits.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(maintenanceVisits.contractId, contractId),
        inArray(maintenanceVisits.status, ["PLANNED", "SCHEDULED"]),
        sql`${maintenanceVisits.dueOn} >= ${from}`,
      ),
    );
}

/** Open visits past due by more than `graceDays` on `asOf` become MISSED. */
export async function markMissedVisits(tx: Database, asOf: string, graceDays: number): Promise<VisitRow[]> {
  return tx
    .update(maintenanceVisits)
    .set({ status: "MISSED", version: sql`${maintenanceVisits.version} + 1`, updatedAt: sql`now()` })
    .where(and(inArray(maintenanceVisits.status, ["PLANNED", "SCHEDULED"]), sql`${maintenanceVisits.dueOn} < ${addDays(asOf, -graceDays)}`))
    .returning();
}

/** Every visit of the given contracts, to plan the next ones from. */
export function findVisitsOfContracts(tx: Database, contractIds: readonly string[]) {
  return tx.select().from(maintenanceVisits).where(anyOf(maintenanceVisits.contractId, contractIds)).orderBy(asc(maintenanceVisits.sequence));
}

const VISIT_EVENT_STATUS = {
  "visit.planned": "PLANNED",
  "visit.scheduled": "SCHEDULED",
  "visit.done": "DONE",
  "visit.missed": "MISSED",
  "visit.cancelled": "CANCELLED",
} as const;
export type VisitEventType = keyof typeof VISIT_EVENT_STATUS;

/** A visit's event, with the visit as it is after the change. */
export const emitVisitEvent = (tx: Database, type: VisitEventType, visit: VisitRow) => emitVisitEvents(tx, type, [visit]);

/** Events of one kind for many visits, in one statement. */
export function emitVisitEvents(tx: Database, type: VisitEventType, visits: readonly VisitRow[]) {
  return emitEvents<PayloadIn<"visit">>(
    tx,
    outbox,
    visits.map((visit) => {
      if (visit.status !== VISIT_EVENT_STATUS[type])
        throw new Error(`visit ${visit.id} is ${visit.status}: ${type} announces ${VISIT_EVENT_STATUS[type]} visits`);
      return {
        type,
        aggregate: "visit",
        aggregateId: visit.id,
        dealerId: visit.dealerId,
        payload: {
          id: visit.id,
          version: visit.version,
          contractId: visit.contractId,
          unitId: visit.unitId,
          dealerId: visit.dealerId,
          sequence: visit.sequence,
          dueOn: visit.dueOn,
          status: visit.status,
          completedOn: visit.completedOn,
          scheduledFor: visit.scheduledFor?.toISOString() ?? null,
        },
      };
    }),
  );
}

const OPEN: readonly VisitRow["status"][] = ["PLANNED", "SCHEDULED"];

/** The visit a change names, locked, in the caller's scope and at the version read, and still open. */
export async function lockOpenVisit(tx: Database, identity: Identity, input: { id: string; version: number }, doing: string): Promise<VisitRow> {
  const visit = currentVersion(
    inCallersScope(await lockVisit(tx, input.id), identity),
    input.version,
    userError<WarrantyErrorCode>("VISIT_NOT_FOUND", `No maintenance visit has the id \`${input.id}\`.`, ["id"]),
  );
  if (!OPEN.includes(visit.status)) {
    throw new Refusal([userError<WarrantyErrorCode>("INVALID_VISIT_STATUS", `A ${visit.status} visit cannot be ${doing}.`, ["id"])]);
  }
  return visit;
}
