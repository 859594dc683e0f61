import { afterCursor, anyOf, containsText, countRows, orderOf, sortKey, versionedRows, type Database, type Page } from "@aftersales/kit";
import { and, asc, eq, gte, inArray, isNull, lte, or, type SQL } from "drizzle-orm";
import type { Calendar } from "../domain/calendar.js";
import type { CheckedDealer, DealerKind } from "../domain/dealer.js";
import { emitDealerEvent } from "./events.js";
import { dealerBusinessHours, dealerHolidays, dealers, type DealerRow } from "./schema.js";

/** Lists of dealers are sorted by name; the id breaks ties. */
export const dealerOrder = sortKey([dealers.name, dealers.id], (row: DealerRow) => [row.name, row.id]);

export function findDealersByIds(db: Database, ids: readonly string[]) {
  return db.select().from(dealers).where(anyOf(dealers.id, ids));
}

const dealerRows = versionedRows(dealers, "dlr");

/** Reads a dealer for an update and holds its row until the transaction ends. */
export const lockDealer = dealerRows.lock;

export interface DealerFilter {
  kinds?: readonly DealerKind[] | null;
  region?: string | null;
  country?: string | null;
  authorizedWorkshopOn?: string | null;
  search?: string | null;
}

/** The dealers a list holds: what the filter asks for (the directory is everyone's). */
function dealersListed(filter: DealerFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.kinds?.length) conditions.push(inArray(dealers.kind, [...filter.kinds]));
  if (filter.region) conditions.push(eq(dealers.region, filter.region));
  if (filter.country) conditions.push(eq(dealers.country, filter.country.toUpperCase()));
  if (filter.search) conditions.push(containsText(dealers.name, filter.search));
  if (filter.authorizedWorkshopOn) {
    const on = filter.authorizedWorkshopOn;
    conditions.push(lte(dealers.workshopAuthorizedFrom, on), or(isNull(dealers.workshopAuthorizedUntil), gte(dealers.workshopAuthorizedUntil, on)));
  }
  return and(...conditions);
}

/** How many dealers a list holds, whole. */
export const countDealers = (db: Database, filter: DealerFilter) => countRows(db, dealers, dealersListed(filter));

export function listDealers(db: Database, filter: DealerFilter, page: Page) {
  return db
    .select()
    .from(dealers)
    .where(and(afterCursor(dealerOrder, page), dealersListed(filter)))
    .orderBy(...orderOf(dealerOrder))
    .limit(page.limit + 1);
}

export async function insertDealer(tx: Database, { calendar, ...columns }: CheckedDealer): Promise<DealerRow> {
  const row = await dealerRows.insert(tx, columns);
  await insertCalendar(tx, row.id, calendar);
  await emitDealerEvent(tx, "dealer.created", row, calendar);
  return row;
}

/** Saves a checked dealer over the locked row, bumping its version. */
export async function saveDealer(tx: Database, id: string, { calendar, ...columns }: CheckedDealer): Promise<DealerRow> {
  const row = await dealerRows.save(tx, id, columns);
  // A calendar is one value: it is replaced whole, never merged.
  await tx.delete(dealerBusinessHours).where(eq(dealerBusinessHours.dealerId, id));
  await tx.delete(dealerHolidays).where(eq(dealerHolidays.dealerId, id));
  await insertCalendar(tx, id, calendar);
  await emitDealerEvent(tx, "dealer.updated", row, calendar);
  return row;
}

async function insertCalendar(tx: Database, dealerId: string, calendar: Calendar): Promise<void> {
  if (calendar.windows.length) {
    await tx.insert(dealerBusinessHours).values(calendar.windows.map((w) => ({ dealerId, ...w })));
  }
  if (calendar.holidays.length) {
    await tx.insert(dealerHolidays).values(calendar.holidays.map((h) => ({ dealerId, ...h })));
  }
}

export function findBusinessHoursByDealerIds(db: Database, dealerIds: readonly string[]) {
  return db
    .select()
    .from(dealerBusinessHours)
    .where(anyOf(dealerBusinessHours.dealerId, dealerIds))
    .orderBy(asc(dealerBusinessHours.weekday), asc(dealerBusinessHours.opensMinute));
}

export function findHolidaysByDealerIds(db: Database, dealerIds: readonly string[]) {
  return db.select().from(dealerHolidays).where(anyOf(dealerHolidays.dealerId, dealerIds)).orderBy(asc(dealerHolidays.date));
}
