import { addDays, anyOf, badUserInput, countPerParent, isKnownTimeZone, pagePerParent, quoted, sortKey, type Database, type Page } from "@aftersales/kit";
import { and, between, eq, ne, sql } from "drizzle-orm";
import type { UnitFacts } from "../domain/coverage.js";
import { contractUnits, knownUnits, type KnownUnitRow, type PlanRow } from "./schema.js";

/**
 * A unit as the gateway hands it over: its id, and with `warranty` and
 * `coverage` the catalog's fields they `@require` (the dates, the product and
 * the selling dealer's time zone).
 */
export interface UnitRepresentation {
  id: string;
  product?: { id: string } | null;
  soldOn?: string | null;
  deliveredOn?: string | null;
  installedOn?: string | null;
  retiredOn?: string | null;
  transferredOn?: string | null;
  soldBy?: { calendar?: { timeZone: string } | null } | null;
}

/** A ticket as the gateway hands it over for its coverage: when it was opened, and its unit as `coverage` requires it. */
export interface TicketRepresentation {
  id: string;
  openedAt?: string | null;
  unit?: UnitRepresentation | null;
}

/** A unit's facts from its representation; a unit not yet sold has no time zone of its own, and UTC stands in. */
export function unitFactsOf(unit: UnitRepresentation): UnitFacts & { productId: string } {
  if (!unit.product) throw new Error(`unit ${unit.id} came without the fields coverage requires`);
  return {
    productId: unit.product.id,
    soldOn: unit.soldOn ?? null,
    deliveredOn: unit.deliveredOn ?? null,
    installedOn: unit.installedOn ?? null,
    retiredOn: unit.retiredOn ?? null,
    transferredOn: unit.transferredOn ?? null,
    timeZone: timeZoneOf(unit),
  };
}

/** The seller's time zone as the representation gives it; one Intl does not know is the sender's mistake, not ours. */
function timeZoneOf(unit: UnitRepresentation): string {
  const timeZone = unit.soldBy?.calendar?.timeZone ?? "UTC";
  if (!isKnownTimeZone(timeZone)) throw badUserInput(`The unit's seller's time zone ${quoted(timeZone)} is not an IANA time zone.`);
  return timeZone;
}

/** The same facts from this subgraph's copy of the unit, with the selling dealer's time zone. */
export function knownUnitFacts(unit: KnownUnitRow, timeZone: string | null): UnitFacts & { productId: string } {
  return {
    productId: unit.productId,
    soldOn: unit.soldOn,
    deliveredOn: unit.deliveredOn,
    installedOn: unit.installedOn,
    retiredOn: unit.retiredOn,
    transferredOn: unit.transferredOn,
    timeZone: timeZone ?? "UTC",
  };
}

export function findKnownUnitsByIds(db: Database, ids: readonly string[]) {
  return db.select().from(knownUnits).where(anyOf(knownUnits.id, ids));
}

export function findKnownUnitsBySerialNumbers(db: Database, serialNumbers: readonly string[]) {
  return db.select().from(knownUnits).where(anyOf(knownUnits.serialNumber, serialNumbers));
}

/** Contract terms of each unit (drafts never cover), whoever sold the contract. */
export function findContractTermsByUnitIds(db: Database, unitIds: readonly string[]) {
  return db
    .select()
    .from(contractUnits)
    .where(and(anyOf(contractUnits.unitId, unitIds), ne(contractUnits.status, "DRAFT")));
}

export interface ExpiringWarrantyRow {
  unit: KnownUnitRow & { warrantyEndsOn: string };
  asOf: string;
}

export interface ContractOfferRow {
  plan: PlanRow;
  price: { amount: string; currency: string };
}

export const expiringOrder = sortKey([knownUnits.warrantyEndsOn, knownUnits.id], (row: KnownUnitRow) => [row.warrantyEndsOn, row.id]);

/**
 * Each dealer's sold units whose warranty ends from `asOf` to `within` days
 * later and that no active contract covers past that end.
 */
export function findExpiringPagesByDealerIds(db: Database, dealerIds: readonly string[], args: { asOf: string; within: number }, page: Page) {
  return pagePerParent(db, knownUnits, knownUnits.dealerId, dealerIds, expiringOrder, page, expiring(args));
}

/** How many units each dealer's list of expiring warranties holds, whole. */
export const countExpiringByDealerIds = (db: Database, dealerIds: readonly string[], args: { asOf: string; within: number }) =>
  countPerParent(db, knownUnits, knownUnits.dealerId, dealerIds, expiring(args));

/** Warranties ending from `asOf` to `within` days later that no active contract covers past their end. */
const expiring = (args: { asOf: string; within: number }) =>
  and(between(knownUnits.warrantyEndsOn, args.asOf, addDays(args.asOf, args.within)), noContractPastWarranty);

/** No active contract covers the unit past its warranty's end. */
export const noContractPastWarranty = sql`not exists (select 1 from ${contractUnits} cu
      where cu.unit_id = ${knownUnits.id} and cu.status = 'ACTIVE' and cu.ends_on > ${knownUnits.warrantyEndsOn})`;

export function findUnitsSoldCount(db: Database, productIds: readonly string[], until: string, dealerId: string | null) {
  return db
    .select({ productId: knownUnits.productId, count: sql<number>`count(*)::int` })
    .from(knownUnits)
    .where(and(anyOf(knownUnits.productId, productIds), sql`${knownUnits.soldOn} <= ${until}`, dealerId ? eq(knownUnits.dealerId, dealerId) : undefined))
    .groupBy(knownUnits.productId);
}
