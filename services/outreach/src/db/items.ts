import { afterCursor, anyOf, countRows, orderOf, sortKey, type Database, type Page } from "@aftersales/kit";
import { and, eq, inArray, lte, type SQL } from "drizzle-orm";
import type { ItemStatus } from "../domain/outcome.js";
import type { ReasonKind } from "../domain/reasons.js";
import { items, reasons, type ItemRow } from "./schema.js";

/** Soonest due first; on the same day the most urgent first. */
export const WORKLIST_ORDER = sortKey<ItemRow>([items.dueOn, items.rank, items.id], (row) => [row.dueOn, row.rank, row.id]);

export interface WorklistFilter {
  dealerId: string | null;
  reasons?: readonly ReasonKind[] | null;
  statuses?: readonly ItemStatus[] | null;
  dueBy?: string | null;
  customerId?: string | null;
}

function worklistConditions(filter: WorklistFilter): (SQL | undefined)[] {
  return [
    filter.dealerId ? eq(items.dealerId, filter.dealerId) : undefined,
    inArray(items.status, filter.statuses?.length ? [...filter.statuses] : ["OPEN"]),
    filter.reasons?.length ? inArray(items.reason, [...filter.reasons]) : undefined,
    filter.dueBy ? lte(items.dueOn, filter.dueBy) : undefined,
    filter.customerId ? eq(items.customerId, filter.customerId) : undefined,
  ];
}

/** A page of a worklist, in the caller's scope (row-level security keeps a DEALER to its own). */
export async function listWorklist(db: Database, filter: WorklistFilter, page: Page) {
  const where = worklistConditions(filter);
  const rows = await db
    .select()
    .from(items)
    .where(and(...where, afterCursor(WORKLIST_ORDER, page)))
    .orderBy(...orderOf(WORKLIST_ORDER))
    .limit(page.limit + 1);
  return { rows, count: () => countRows(db, items, and(...where)) };
}

export const findItemsByIds = (db: Database, ids: readonly string[]) => db.select().from(items).where(anyOf(items.id, ids));

/** The reasons of many items, in one statement. */
export const findReasonsByItemIds = (db: Database, itemIds: readonly string[]) => db.select().from(reasons).where(anyOf(reasons.itemId, itemIds));
