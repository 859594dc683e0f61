import {
  afterCursor,
  anyOf,
  countPerParent,
  countRows,
  dealerFilter,
  latestPastDate,
  newId,
  orderOf,
  pagePerParent,
  keyedRequest,
  Refusal,
  replayOf,
  sortKey,
  type Database,
  type Identity,
  type InputChecks,
  type KeyedRequest,
  type Page,
} from "@aftersales/kit";
import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { CatalogErrorCode } from "../domain/errors.js";
import { applyUnitEvent, type EventFields, type UnitChange, type UnitEventKind, type UnitStatus } from "../domain/unit.js";
import type { ImportedUnit, PlannedStep } from "../domain/unitImport.js";
import { products, unitEvents, units, type UnitRow } from "./schema.js";
import { emitUnitEvent, emitUnitEvents } from "./events.js";

// A unit belongs to the dealer that stocks it, then to the one that sold it
// (`units.dealer_id`). Every read below is confined to the caller's dealer in
// its own SQL (row-level security would confine it too): another dealer's
// unit is read exactly like one that does not exist.

/** Lists of units are sorted by serial number, which is unique. */
export const unitOrder = sortKey([units.serialNumber], (row: UnitRow) => [row.serialNumber]);

export function findUnitsByIds(db: Database, identity: Identity, ids: readonly string[]) {
  return db
    .select()
    .from(units)
    .where(and(anyOf(units.id, ids), dealerFilter(units.dealerId, identity)));
}

export function findUnitsBySerialNumbers(db: Database, identity: Identity, serialNumbers: readonly string[]) {
  return db
    .select()
    .from(units)
    .where(and(anyOf(units.serialNumber, serialNumbers), dealerFilter(units.dealerId, identity)));
}

export interface UnitFilter {
  statuses?: readonly UnitStatus[] | null;
  productId?: string | null;
  customerId?: string | null;
  dealerId?: string | null;
}

/** The units a list holds: what the filter asks for, a DEALER's own only. */
function unitsListed(identity: Identity, filter: UnitFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [dealerFilter(units.dealerId, identity)];
  if (filter.statuses?.length) conditions.push(inArray(units.status, [...filter.statuses]));
  if (filter.productId) conditions.push(eq(units.productId, filter.productId));
  if (filter.customerId) conditions.push(eq(units.customerId, filter.customerId));
  if (filter.dealerId) conditions.push(eq(units.dealerId, filter.dealerId));
  return and(...conditions);
}

/** A DEALER's filter naming another dealer (or a customer it sold nothing to) simply finds nothing. */
export function listUnits(db: Database, identity: Identity, filter: UnitFilter, page: Page) {
  return db
    .select()
    .from(units)
    .where(and(afterCursor(unitOrder, page), unitsListed(identity, filter)))
    .orderBy(...orderOf(unitOrder))
    .limit(page.limit + 1);
}

/**
 * `listUnits` with each unit's product, in the same statement: a page that
 * shows its units' products then costs one statement, not a second one for
 * the products after it. Products are shared by every dealer, so the join
 * adds no row of another dealer's.
 */
export function listUnitsWithProducts(db: Database, identity: Identity, filter: UnitFilter, page: Page) {
  return db
    .select({ unit: units, product: products })
    .from(units)
    .innerJoin(products, eq(products.id, units.productId))
    .where(and(afterCursor(unitOrder, page), unitsListed(identity, filter)))
    .orderBy(...orderOf(unitOrder))
    .limit(page.limit + 1);
}

/** How many units a list holds, whole. */
export const countUnits = (db: Database, identity: Identity, filter: UnitFilter) => countRows(db, units, unitsListed(identity, filter));

export const findUnitPagesByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[], page: Page) =>
  pagePerParent(db, units, units.customerId, customerIds, unitOrder, page, dealerFilter(units.dealerId, identity));

export const countUnitsByCustomerIds = (db: Database, identity: Identity, customerIds: readonly string[]) =>
  countPerParent(db, units, units.customerId, customerIds, dealerFilter(units.dealerId, identity));

/** A DEALER asking about another dealer finds nothing: the parent and the caller's dealer must agree. */
export const findSoldUnitPagesByDealerIds = (db: Database, identity: Identity, dealerIds: readonly string[], page: Page) =>
  pagePerParent(db, units, units.dealerId, dealerIds, unitOrder, page, and(isNotNull(units.soldOn), dealerFilter(units.dealerId, identity)));

export const countSoldUnitsByDealerIds = (db: Database, identity: Identity, dealerIds: readonly string[]) =>
  countPerParent(db, units, units.dealerId, dealerIds, and(isNotNull(units.soldOn), dealerFilter(units.dealerId, identity)));

/** Events belong to whoever may see their unit, so they are read through it: one join, whatever the batch. */
export function findEventsByUnitIds(db: Database, identity: Identity, unitIds: readonly string[]) {
  return db
    .select(getTableColumns(unitEvents))
    .from(unitEvents)
    .innerJoin(units, eq(units.id, unitEvents.unitId))
    .where(and(anyOf(unitEvents.unitId, unitIds), dealerFilter(units.dealerId, identity)))
    .orderBy(asc(unitEvents.sequence));
}

/**
 * Reads a unit (by id or serial number) for a change and holds its row until
 * the transaction ends; null when there is none the caller may see (another
 * dealer's unit is neither returned nor locked).
 */
export async function lockUnit(tx: Database, identity: Identity, by: { id: string } | { serialNumber: string }): Promise<UnitRow | null> {
  const where = "id" in by ? eq(units.id, by.id) : eq(units.serialNumber, by.serialNumber);
  const [row] = await tx
    .select()
    .from(units)
    .where(and(where, dealerFilter(units.dealerId, identity)))
    .for("update");
  return row ?? null;
}

/**
 * The date of the unit's latest event: no later event may be dated before it.
 * Only for a unit `lockUnit` returned, i.e. one already found in the caller's scope.
 */
async function lastEventDateOf(tx: Database, unitId: string): Promise<string> {
  const [row] = await tx
    .select({ occurredOn: unitEvents.occurredOn })
    .from(unitEvents)
    .where(eq(unitEvents.unitId, unitId))
    .orderBy(desc(unitEvents.sequence))
    .limit(1);
  if (!row) throw new Error(`unit ${unitId} has no events`);
  return row.occurredOn;
}

export async function insertUnit(
  tx: Database,
  values: { serialNumber: string; productId: string; dealerId: string; registeredOn: string } & Partial<KeyedRequest>,
): Promise<UnitRow> {
  const { registeredOn, ...columns } = values;
  const [row] = await tx
    .insert(units)
    .values({ id: newId("unt"), ...columns, status: "IN_STOCK" })
    .returning();
  if (!row) throw new Error("insert returned no unit");
  await tx.insert(unitEvents).values({ unitId: row.id, sequence: 1, kind: "REGISTERED", occurredOn: registeredOn, statusAfter: "IN_STOCK" });
  await emitUnitEvent(tx, row, { kind: "REGISTERED", occurredOn: registeredOn });
  return row;
}

/**
 * Which of these serial numbers units have already. Serial numbers are unique
 * across dealers, as `registerUnit`'s refusal already tells.
 */
export async function findTakenSerialNumbers(tx: Database, serialNumbers: readonly string[]): Promise<string[]> {
  if (!serialNumbers.length) return [];
  const rows = await tx.select({ serialNumber: units.serialNumber }).from(units).where(anyOf(units.serialNumber, serialNumbers));
  return rows.map((row) => row.serialNumber);
}

/**
 * Units with their histories, all at once: one statement for the units as
 * they stand after their last step, one for every step, one for every event
 * (each carrying its unit as it stood after that step). Only for histories
 * `planUnitHistory` accepted.
 */
export async function insertImportedUnits(tx: Database, imports: readonly { unit: ImportedUnit; steps: readonly PlannedStep[] }[]): Promise<UnitRow[]> {
  if (!imports.length) return [];
  const planned = imports.map(({ unit, steps }) => ({ id: newId("unt"), unit, steps, last: steps[steps.length - 1]!.after }));
  const rows = await tx
    .insert(units)
    .values(planned.map(({ id, unit, last }) => ({ id, serialNumber: unit.serialNumber, productId: unit.productId, ...last })))
    .returning();
  await tx.insert(unitEvents).values(
    planned.flatMap(({ id, steps }) =>
      steps.map((step, i) => ({
        unitId: id,
        sequence: i + 1,
        kind: step.kind,
        occurredOn: step.occurredOn,
        statusAfter: step.after.status,
        customerId: step.after.customerId,
        note: step.note,
      })),
    ),
  );
  await emitUnitEvents(
    tx,
    planned.flatMap(({ id, unit, steps }) =>
      steps.map((step) => ({ unit: { id, serialNumber: unit.serialNumber, productId: unit.productId, ...step.after }, event: step })),
    ),
  );
  // In the order imported, as the payload lists them.
  const byId = new Map(rows.map((row) => [row.id, row]));
  return planned.map(({ id }) => byId.get(id)!);
}

export interface RecordedEvent {
  kind: UnitEventKind;
  occurredOn: string;
  change: UnitChange;
  note?: string | null;
  /** The key and input hash of the request that recorded it, when it came with a key. */
  keyed?: KeyedRequest;
  /** Columns the event changes besides status and dates (owner, seller, price). */
  unit?: Partial<Pick<UnitRow, "customerId" | "dealerId" | "purchasePrice" | "purchaseCurrency">>;
}

/** Appends an event to a locked unit's history and applies what it changes to the unit. */
export async function recordEvent(tx: Database, unit: UnitRow, event: RecordedEvent): Promise<UnitRow> {
  // Registration keys are unique per dealer: a unit sold on by another dealer leaves its registration's key behind, long used.
  const movedDealer = event.unit?.dealerId !== undefined && event.unit.dealerId !== unit.dealerId;
  const [row] = await tx
    .update(units)
    .set({
      ...event.unit,
      ...(movedDealer ? { idempotencyKey: null, inputHash: null } : {}),
      ...event.change.dates,
      status: event.change.status,
      version: sql`${units.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(units.id, unit.id))
    .returning();
  if (!row) throw new Error(`unit ${unit.id} vanished while locked`);
  await tx.insert(unitEvents).values({
    unitId: unit.id,
    // The unit row is locked, so no other event can take this number meanwhile.
    sequence: sql`(select coalesce(max(${unitEvents.sequence}), 0) + 1 from ${unitEvents} where ${unitEvents.unitId} = ${unit.id})`,
    kind: event.kind,
    occurredOn: event.occurredOn,
    statusAfter: event.change.status,
    customerId: row.customerId,
    note: event.note ?? null,
    ...event.keyed,
  });
  await emitUnitEvent(tx, row, event);
  return row;
}

/** How a mutation names the unit it acts on: by id or by serial number, exactly one. */
export interface UnitReference {
  unitId?: string | null;
  serialNumber?: string | null;
}

/**
 * Locks the unit a mutation names, refusing when the reference is ambiguous
 * or names no unit, together with whatever `checks` already found.
 */
async function lockReferencedUnit(tx: Database, identity: Identity, reference: UnitReference, checks: InputChecks<CatalogErrorCode>): Promise<UnitRow> {
  const { unitId, serialNumber } = reference;
  if (!unitId === !serialNumber) {
    checks.add("UNIT_REFERENCE_REQUIRED", "Give the unit by exactly one of `unitId` and `serialNumber`.", ["unitId"]);
    checks.refuseIfAny();
  }
  const [field, value] = unitId ? ["unitId", unitId] : ["serialNumber", String(serialNumber).trim()];
  const unit = await lockUnit(tx, identity, unitId ? { id: value } : { serialNumber: value });
  // The same answer for another dealer's unit as for none at all: nothing tells them apart.
  if (!unit) checks.add("UNIT_NOT_FOUND", `No unit has the ${field} \`${value}\`.`, [field]);
  // Without the unit nothing more can be checked; with it, the event's own checks add to what is wrong already.
  if (!unit) throw new Refusal(checks.errors);
  return unit;
}

/**
 * Records an event on the unit a mutation names, one the caller may see:
 * checks that the unit's status and history allow it (with any other
 * problems already collected in `checks`), then saves it. Nothing is written
 * when anything is wrong.
 */
export async function recordEventOnUnit(
  tx: Database,
  identity: Identity,
  reference: UnitReference,
  checks: InputChecks<CatalogErrorCode>,
  event: {
    kind: UnitEventKind;
    occurredOn: string;
    note?: string | null;
    /** Where the input holds the kind and date, when not at `kind` and `occurredOn` (a sale: no kind, `soldOn`). */
    fields?: EventFields;
    /** What else the event changes on this unit; may add to `checks`. */
    changes?: (unit: UnitRow) => RecordedEvent["unit"];
    /**
     * The request's idempotency key and input: an event recorded on this unit
     * with the same key and input answers with the unit as it is, recording
     * nothing (a retry after a lost answer); another input is refused.
     */
    request?: { key: string | null; input: object };
  },
): Promise<UnitRow> {
  const unit = await lockReferencedUnit(tx, identity, reference, checks);
  const key = event.request?.key ?? null;
  if (key && checks.ok) {
    // The unit is locked, so a retry racing its first request finds the first one's event here.
    const [earlier] = await tx
      .select({ inputHash: unitEvents.inputHash })
      .from(unitEvents)
      .where(and(eq(unitEvents.unitId, unit.id), eq(unitEvents.idempotencyKey, key)));
    if (replayOf(earlier ?? null, event.request?.input ?? {})) return unit;
  }
  const columns = event.changes?.(unit);
  const lastEventOn = await lastEventDateOf(tx, unit.id);
  const change = applyUnitEvent({ ...unit, lastEventOn }, event.kind, event.occurredOn, latestPastDate(), event.fields);
  if (Array.isArray(change)) throw new Refusal([...checks.errors, ...change]);
  checks.refuseIfAny();
  const keyed = keyedRequest(key, event.request?.input ?? {});
  return recordEvent(tx, unit, { kind: event.kind, occurredOn: event.occurredOn, note: event.note ?? null, change, unit: columns, keyed });
}
