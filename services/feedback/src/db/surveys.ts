import { randomBytes } from "node:crypto";
import { afterCursor, anyOf, executeRows, newId, orderOf, pagePerParent, sortKey, toConnection, type Database, type Page } from "@aftersales/kit";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Language, Sentiment, Theme } from "../domain/lexicon.js";
import { DAY_MS, type SurveyKind, type SurveyStatus, type SurveyTimings } from "../domain/survey.js";
import { surveys, type SurveyRow } from "./schema.js";

/** The secret of a survey's link: 32 random bytes, URL-safe. */
export const newSurveyToken = (): string => randomBytes(32).toString("base64url");

export const findSurveysByIds = (db: Database, ids: readonly string[]) => db.select().from(surveys).where(anyOf(surveys.id, ids));

/** Each ticket's CSAT survey. */
export const findCsatSurveysByTicketIds = (db: Database, ticketIds: readonly string[]) =>
  db.select().from(surveys).where(and(eq(surveys.kind, "CSAT"), anyOf(surveys.ticketId, ticketIds)));

/** The survey a link's token opens, locked to be answered. */
export async function lockSurveyByToken(db: Database, token: string): Promise<SurveyRow | null> {
  const [row] = await db.select().from(surveys).where(eq(surveys.token, token)).for("update");
  return row ?? null;
}

export async function findSurveyByToken(db: Database, token: string): Promise<SurveyRow | null> {
  const [row] = await db.select().from(surveys).where(eq(surveys.token, token));
  return row ?? null;
}

export const SURVEYS_NEWEST_FIRST = sortKey<SurveyRow>([surveys.createdAt, surveys.id], (row) => [row.createdAt.toISOString(), row.id], "desc");

export interface SurveyListFilter {
  kinds?: readonly SurveyKind[] | null;
  statuses?: readonly SurveyStatus[] | null;
  customerId?: string | null;
  ticketId?: string | null;
}

export function surveyConditions(filter: SurveyListFilter): (SQL | undefined)[] {
  return [
    filter.kinds?.length ? inArray(surveys.kind, [...filter.kinds]) : undefined,
    filter.statuses?.length ? inArray(surveys.status, [...filter.statuses]) : undefined,
    filter.customerId ? eq(surveys.customerId, filter.customerId) : undefined,
    filter.ticketId ? eq(surveys.ticketId, filter.ticketId) : undefined,
  ];
}

/** A page of surveys for each customer, in one statement. */
export const surveyPagesByCustomer = (db: Database, customerIds: readonly string[], page: Page) =>
  pagePerParent(db, surveys, surveys.customerId, customerIds, SURVEYS_NEWEST_FIRST, page);

export async function listSurveys(db: Database, filter: SurveyListFilter, page: Page) {
  const where = surveyConditions(filter);
  const rows = await db
    .select()
    .from(surveys)
    .where(and(...where, afterCursor(SURVEYS_NEWEST_FIRST, page)))
    .orderBy(...orderOf(SURVEYS_NEWEST_FIRST))
    .limit(page.limit + 1);
  return toConnection(rows, page, SURVEYS_NEWEST_FIRST);
}

/** Surveys opened, cancelled, expired by one run. */
export interface SurveyRun {
  opened: number;
  cancelled: number;
  expired: number;
}

/** Surveys one run opens at most, so a backlog (a first run over years of customers) is worked off in steps. */
const RUN_BATCH = 1000;

/**
 * One run of the survey schedule at `at`, in set-based statements (it runs
 * every minute over every dealer's surveys). Each step is idempotent: a
 * second run at the same instant changes nothing.
 */
export async function runSurveySchedule(db: Database, at: Date, timings: SurveyTimings): Promise<SurveyRun> {
  const expired = await db
    .update(surveys)
    .set({ status: "EXPIRED" })
    .where(and(eq(surveys.status, "OPEN"), sql`${surveys.expiresAt} <= ${at}`))
    .returning({ id: surveys.id });
  // Only if it is still resolved or closed then: a reopened ticket, or one moved on, is not asked about.
  const cancelled = await executeRows<{ id: string }>(
    db,
    sql`update feedback.surveys s set status = 'CANCELLED'
        from feedback.ticket_facts t
        where s.status = 'SCHEDULED' and s.kind = 'CSAT' and s.due_at <= ${at} and t.id = s.ticket_id
          and (t.reopen_count > 0 or t.status not in ('RESOLVED', 'CLOSED'))
        returning s.id`,
  );
  await scheduleNpsSurveys(db, at, timings);
  const opened = await executeRows<{ id: string }>(
    db,
    sql`with candidates as (
          select distinct on (s.customer_id) s.id, t.service_center_id, t.technician_id, t.product_id, t.unit_id,
                 t.sla_breached, (t.reopen_count = 0 and not t.waited_for_parts) as first_time_fix, t.coverage
          from feedback.surveys s
          left join feedback.ticket_facts t on t.id = s.ticket_id
          where s.status = 'SCHEDULED' and s.due_at <= ${at}
            and not exists (select 1 from feedback.surveys o where o.customer_id = s.customer_id and o.status = 'OPEN')
          order by s.customer_id, case s.kind when 'CSAT' then 0 when 'POST_SALE' then 1 else 2 end, s.due_at
          limit ${RUN_BATCH})
        update feedback.surveys s set
          status = 'OPEN', opened_at = ${at}, expires_at = ${new Date(at.getTime() + timings.answerWithinDays * DAY_MS)},
          service_center_id = c.service_center_id, technician_id = c.technician_id,
          product_id = coalesce(c.product_id, s.product_id), unit_id = coalesce(c.unit_id, s.unit_id),
          sla_breached = c.sla_breached, first_time_fix = c.first_time_fix, coverage = c.coverage
        from candidates c where s.id = c.id
        returning s.id`,
  );
  return { opened: opened.length, cancelled: cancelled.length, expired: expired.length };
}

/**
 * NPS surveys for customers whose turn has come: the first some days after
 * they became known, then one per interval after the last was opened.
 */
async function scheduleNpsSurveys(db: Database, at: Date, timings: SurveyTimings): Promise<void> {
  const due = await executeRows<{ id: string; home_dealer_id: string; due_at: Date | string }>(
    db,
    sql`select c.id, c.home_dealer_id, coalesce(last.opened + make_interval(days => ${timings.npsIntervalDays}::int),
                                                 c.known_since + make_interval(days => ${timings.npsFirstAfterDays}::int)) as due_at
        from feedback.known_customers c
        left join lateral (
          select max(coalesce(s.opened_at, s.due_at)) as opened, bool_or(s.status = 'SCHEDULED') as waiting
          from feedback.surveys s where s.customer_id = c.id and s.kind = 'NPS') last on true
        where last.waiting is not true
          and coalesce(last.opened + make_interval(days => ${timings.npsIntervalDays}::int),
                       c.known_since + make_interval(days => ${timings.npsFirstAfterDays}::int)) <= ${at}
        limit ${RUN_BATCH}`,
  );
  if (!due.length) return;
  await db.insert(surveys).values(
    due.map((customer) => ({
      id: newId("svy"),
      kind: "NPS" as const,
      status: "SCHEDULED" as const,
      dealerId: customer.home_dealer_id,
      customerId: customer.id,
      token: newSurveyToken(),
      dueAt: new Date(customer.due_at),
      createdAt: at,
    })),
  );
}

export interface SurveyAnswerValues {
  score: number;
  comment: string | null;
  language: Language | null;
  themes: Theme[];
  sentiment: Sentiment | null;
  answeredAt: Date;
}

export async function saveAnswer(db: Database, id: string, answer: SurveyAnswerValues): Promise<SurveyRow> {
  const [row] = await db
    .update(surveys)
    .set({ status: "ANSWERED", ...answer })
    .where(and(eq(surveys.id, id), eq(surveys.status, "OPEN")))
    .returning();
  if (!row) throw new Error(`survey ${id} was not open to answer`);
  return row;
}
