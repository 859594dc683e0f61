import {
  ALWAYS_OPEN,
  afterCursor,
  anyOf,
  countRows,
  emitEvent,
  executeRows,
  newId,
  orderOf,
  sortKey,
  toConnection,
  type Database,
  type Page,
} from "@aftersales/kit";
import type { complaintPayloads } from "@aftersales/events";
import { and, asc, eq, inArray, isNotNull, isNull, lte, ne, sql, type SQL } from "drizzle-orm";
import { readDeadline, RESPONSE_TARGET_SECONDS, type CaseSource, type CaseStatus } from "../domain/complaint.js";
import type { z } from "zod";
import { complaintCases, outbox, type ComplaintCaseRow } from "./schema.js";
import { instant } from "./surveys.js";

/** What a complaint case opens from: the complaint and what it is about. */
export interface CaseOpening {
  source: CaseSource;
  feedbackId: string | null;
  surveyId: string | null;
  dealerId: string;
  customerId: string | null;
  productId: string | null;
  unitId: string | null;
  ticketId: string | null;
}

/**
 * Opens the case for a complaint, in the transaction that recorded it, with
 * its response deadline in the dealer's business hours (around the clock
 * until the dealer's calendar has arrived, as tickets do). Emits
 * `complaint.opened`.
 */
export async function openComplaintCase(
  tx: Database,
  opening: CaseOpening,
  calendar: ComplaintCaseRow["calendar"] | null,
  at: Date,
): Promise<ComplaintCaseRow> {
  const clock = { calendar: calendar ?? ALWAYS_OPEN, responseTargetSeconds: RESPONSE_TARGET_SECONDS, openedAt: at, respondedAt: null, breachedAt: null };
  const [row] = await tx
    .insert(complaintCases)
    .values({ id: newId("cpl"), ...opening, ...clock, status: "OPEN", responseDueAt: readDeadline(clock, at).dueAt })
    .returning();
  const opened = row!;
  await emitCase(tx, "complaint.opened", opened, {});
  return opened;
}

/** Each complaint event's payload, by event type, as the event catalog defines it. */
type CaseEvents = {
  "complaint.opened": typeof complaintPayloads.opened;
  "complaint.breached": typeof complaintPayloads.breached;
  "complaint.resolved": typeof complaintPayloads.resolved;
  "complaint.followed_up": typeof complaintPayloads.followedUp;
};

/** Tells a case's change: the case as it now stands (no owner's name: events carry nothing personal beyond ids), and what the event adds. */
export async function emitCase<Type extends keyof CaseEvents>(
  tx: Database,
  type: Type,
  row: ComplaintCaseRow,
  extra: Omit<z.input<CaseEvents[Type]>, keyof z.input<CaseEvents["complaint.opened"]>>,
): Promise<void> {
  const state: z.input<CaseEvents["complaint.opened"]> = {
    id: row.id,
    version: row.version,
    dealerId: row.dealerId,
    customerId: row.customerId,
    source: row.source,
    feedbackId: row.feedbackId,
    surveyId: row.surveyId,
    productId: row.productId,
    unitId: row.unitId,
    ticketId: row.ticketId,
    status: row.status,
    openedAt: row.openedAt.toISOString(),
    responseDueAt: row.responseDueAt?.toISOString() ?? null,
  };
  await emitEvent(tx, outbox, { type, aggregate: "complaint", aggregateId: row.id, dealerId: row.dealerId, payload: { ...state, ...extra } });
}

export const findCasesByIds = (db: Database, ids: readonly string[]) => db.select().from(complaintCases).where(anyOf(complaintCases.id, ids));

/** A case for a change, locked; null when there is none the caller may see (row-level security). */
export async function lockCase(tx: Database, id: string): Promise<ComplaintCaseRow | null> {
  const [row] = await tx.select().from(complaintCases).where(eq(complaintCases.id, id)).for("update");
  return row ?? null;
}

/** The case a follow-up survey asks about, locked. */
export async function lockCaseByFollowUp(tx: Database, surveyId: string): Promise<ComplaintCaseRow | null> {
  const [row] = await tx.select().from(complaintCases).where(eq(complaintCases.followUpSurveyId, surveyId)).for("update");
  return row ?? null;
}

/** Saves a locked case's change, bumping its version. */
export async function saveCase(tx: Database, id: string, values: Partial<typeof complaintCases.$inferInsert>): Promise<ComplaintCaseRow> {
  const [row] = await tx
    .update(complaintCases)
    .set({ ...values, version: sql`${complaintCases.version} + 1`, updatedAt: sql`now()` })
    .where(eq(complaintCases.id, id))
    .returning();
  if (!row) throw new Error(`complaint case ${id} vanished while locked`);
  return row;
}

export const CASES_NEWEST_FIRST = sortKey<ComplaintCaseRow>(
  [complaintCases.openedAt, complaintCases.id],
  (row) => [row.openedAt.toISOString(), row.id],
  "desc",
);
/** The longest overdue first, then those due soonest. */
export const CASES_BY_DEADLINE = sortKey<ComplaintCaseRow>(
  [complaintCases.responseDueAt, complaintCases.id],
  (row) => [row.responseDueAt?.toISOString() ?? null, row.id],
  "asc",
);

export interface CaseListFilter {
  statuses?: readonly CaseStatus[] | null;
  customerId?: string | null;
  breached?: boolean | null;
}

function caseConditions(filter: CaseListFilter): (SQL | undefined)[] {
  return [
    filter.statuses?.length ? inArray(complaintCases.status, [...filter.statuses]) : undefined,
    filter.customerId ? eq(complaintCases.customerId, filter.customerId) : undefined,
    filter.breached == null ? undefined : filter.breached ? isNotNull(complaintCases.breachedAt) : isNull(complaintCases.breachedAt),
  ];
}

export async function listCases(db: Database, filter: CaseListFilter, page: Page) {
  const where = caseConditions(filter);
  const rows = await db
    .select()
    .from(complaintCases)
    .where(and(...where, afterCursor(CASES_NEWEST_FIRST, page)))
    .orderBy(...orderOf(CASES_NEWEST_FIRST))
    .limit(page.limit + 1);
  return toConnection(rows, page, CASES_NEWEST_FIRST, () => countRows(db, complaintCases, and(...where)));
}

/** Cases still waiting for a first response whose deadline has run out, or runs out by `until`. */
const atRisk = (until: Date) => and(isNull(complaintCases.respondedAt), ne(complaintCases.status, "RESOLVED"), lte(complaintCases.responseDueAt, until));

export async function listCasesAtRisk(db: Database, until: Date, page: Page) {
  const rows = await db
    .select()
    .from(complaintCases)
    .where(and(atRisk(until), afterCursor(CASES_BY_DEADLINE, page)))
    .orderBy(...orderOf(CASES_BY_DEADLINE))
    .limit(page.limit + 1);
  return toConnection(rows, page, CASES_BY_DEADLINE, () => countRows(db, complaintCases, atRisk(until)));
}

/** Cases whose response deadline ran out by `now` with no response and no breach recorded yet, locked, skipping those a change holds. */
export function lockCasesPastDue(tx: Database, now: Date, limit: number) {
  return tx
    .select()
    .from(complaintCases)
    .where(and(isNull(complaintCases.respondedAt), isNull(complaintCases.breachedAt), lte(complaintCases.responseDueAt, now)))
    .orderBy(asc(complaintCases.responseDueAt))
    .limit(limit)
    .for("update", { skipLocked: true });
}

/** Complaint recovery over cases opened in a period, as `Insights.complaintRecovery` shows it. */
export interface RecoveryRow {
  opened: number;
  resolved: number;
  responded_in_time: number;
  breached: number;
  hours_percentiles: (number | string)[] | string | null;
  follow_ups_answered: number;
  satisfied_after: number;
}

/** One statement over the cases (and their follow-ups) opened in the period, in the caller's scope (row-level security). */
export async function complaintRecovery(
  db: Database,
  scope: { from: string | null; to: string | null; productIds: string[] | null; dealerIds: string[] | null },
): Promise<RecoveryRow> {
  const where: SQL[] = [sql`true`];
  if (scope.from) where.push(sql`c.opened_at >= ${instant(new Date(`${scope.from}T00:00:00Z`))}`);
  if (scope.to) where.push(sql`c.opened_at < ${instant(new Date(`${scope.to}T00:00:00Z`))} + interval '1 day'`);
  if (scope.productIds) where.push(sql`c.product_id = any(${sql.param(scope.productIds)}::text[])`);
  if (scope.dealerIds) where.push(sql`c.dealer_id = any(${sql.param(scope.dealerIds)}::text[])`);
  const [row] = await executeRows<RecoveryRow>(
    db,
    sql`select count(*)::int as opened,
          count(c.resolved_at)::int as resolved,
          count(*) filter (where c.responded_at is not null and c.breached_at is null)::int as responded_in_time,
          count(c.breached_at)::int as breached,
          percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from c.resolved_at - c.opened_at) / 3600)
            filter (where c.resolved_at is not null) as hours_percentiles,
          count(s.answered_at)::int as follow_ups_answered,
          count(*) filter (where s.status = 'ANSWERED' and s.score = 1)::int as satisfied_after
        from feedback.complaint_cases c
        left join feedback.surveys s on s.id = c.follow_up_survey_id
        where ${sql.join(where, sql` and `)}`,
  );
  return row!;
}

/** Records a locked case's breach without a new version: time running out is no change a client made, so a client's next change is not refused as stale. */
export async function saveBreach(tx: Database, id: string, breachedAt: Date): Promise<ComplaintCaseRow> {
  const [row] = await tx.update(complaintCases).set({ breachedAt }).where(eq(complaintCases.id, id)).returning();
  if (!row) throw new Error(`complaint case ${id} vanished while locked`);
  return row;
}
