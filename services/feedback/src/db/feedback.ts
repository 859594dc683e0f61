import { afterCursor, anyOf, countPerParent, countRows, orderOf, pagePerParent, sortKey, toConnection, type Database, type Page } from "@aftersales/kit";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Sentiment, Theme } from "../domain/lexicon.js";
import type { FeedbackKind } from "../domain/survey.js";
import { feedbackEntries, type FeedbackRow } from "./schema.js";

export const FEEDBACK_NEWEST_FIRST = sortKey<FeedbackRow>(
  [feedbackEntries.receivedAt, feedbackEntries.id],
  (row) => [row.receivedAt.toISOString(), row.id],
  "desc",
);

export interface FeedbackListFilter {
  kinds?: readonly FeedbackKind[] | null;
  themes?: readonly Theme[] | null;
  sentiments?: readonly Sentiment[] | null;
  productId?: string | null;
  from?: string | null;
  to?: string | null;
}

function feedbackConditions(filter: FeedbackListFilter): (SQL | undefined)[] {
  return [
    filter.kinds?.length ? inArray(feedbackEntries.kind, [...filter.kinds]) : undefined,
    filter.themes?.length ? sql`${feedbackEntries.themes} && ${sql.param([...filter.themes])}::text[]` : undefined,
    filter.sentiments?.length ? inArray(feedbackEntries.sentiment, [...filter.sentiments]) : undefined,
    filter.productId ? eq(feedbackEntries.productId, filter.productId) : undefined,
    filter.from ? sql`${feedbackEntries.receivedAt} >= ${`${filter.from}T00:00:00Z`}::timestamptz` : undefined,
    filter.to ? sql`${feedbackEntries.receivedAt} < ${`${filter.to}T00:00:00Z`}::timestamptz + interval '1 day'` : undefined,
  ];
}

export async function listFeedback(db: Database, filter: FeedbackListFilter, page: Page) {
  const where = feedbackConditions(filter);
  const rows = await db
    .select()
    .from(feedbackEntries)
    .where(and(...where, afterCursor(FEEDBACK_NEWEST_FIRST, page)))
    .orderBy(...orderOf(FEEDBACK_NEWEST_FIRST))
    .limit(page.limit + 1);
  return toConnection(rows, page, FEEDBACK_NEWEST_FIRST, () => countRows(db, feedbackEntries, and(...where)));
}

/** A page of feedback for each customer, or each dealer, in one statement. */
export const feedbackPagesByParent = (db: Database, parent: "customerId" | "dealerId", parentIds: readonly string[], page: Page) =>
  pagePerParent(db, feedbackEntries, feedbackEntries[parent], parentIds, FEEDBACK_NEWEST_FIRST, page);

/** How many feedback entries each customer's, or each dealer's, list holds, whole. */
export const countFeedbackByParent = (db: Database, parent: "customerId" | "dealerId", parentIds: readonly string[]) =>
  countPerParent(db, feedbackEntries, feedbackEntries[parent], parentIds);

export const findFeedbackByIds = (db: Database, ids: readonly string[]) => db.select().from(feedbackEntries).where(anyOf(feedbackEntries.id, ids));

export async function insertFeedback(db: Database, row: typeof feedbackEntries.$inferInsert): Promise<FeedbackRow> {
  const [saved] = await db.insert(feedbackEntries).values(row).returning();
  return saved!;
}

// What feedback can be about, as this subgraph's copies know it (each under the caller's row-level security).
