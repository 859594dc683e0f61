import { randomBytes } from "node:crypto";
import {
  afterCursor,
  anyOf,
  countPerParent,
  countRows,
  executeRows,
  lockUntilCommit,
  newId,
  orderOf,
  pagePerParent,
  sortKey,
  toConnection,
  type Database,
  type Page,
} from "@aftersales/kit";
import { and, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Language, Sentiment, Theme } from "../domain/lexicon.js";
import { DAY_MS, OPENING_ORDER, type SurveyKind, type SurveyStatus, type SurveyTimings } from "../domain/survey.js";
import { knownCustomers, surveys, type SurveyRow } from "./schema.js";

/** The secret of a survey's link: 32 random bytes, URL-safe. */
export const newSurveyToken = (): string => randomBytes(32).toString("base64url");

export const findSurveysByIds = (db: Database, ids: readonly string[]) => db.select().from(surveys).where(anyOf(surveys.id, ids));

/** Each ticket's CSAT survey. */
export const findCsatSurveysByTicketIds = (db: Database, ticketIds: readonly string[]) =>
  db
    .select()
    .from(surveys)
    .where(and(eq(surveys.kind, "CSAT"), anyOf(surveys.ticketId, ticketIds)));

/** The survey a link's token opens; `forUpdate` locks it, to be answered. */
export async function findSurveyByToken(db: Database, token: string, options: { forUpdate?: boolean } = {}): Promise<SurveyRow | null> {
  const query = db.select().from(surveys).where(eq(surveys.token, token));
  const [row] = options.forUpdate ? await query.for("update") : await query;
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

/** How many surveys each customer's list holds, whole (the caller's row-level security chooses whose, as for the pages). */
export const countSurveysByCustomerIds = (db: Database, customerIds: readonly string[]) => countPerParent(db, surveys, surveys.customerId, customerIds);

export async function listSurveys(db: Database, filter: SurveyListFilter, page: Page) {
  const where = surveyConditions(filter);
  const rows = await db
    .select()
    .from(surveys)
    .where(and(...where, afterCursor(SURVEYS_NEWEST_FIRST, page)))
    .orderBy(...orderOf(SURVEYS_NEWEST_FIRST))
    .limit(page.limit + 1);
  return toConnection(rows, page, SURVEYS_NEWEST_FIRST, () => countRows(db, surveys, and(...where)));
}

/** What a survey \`s\` takes from its ticket's facts \`t\`, as an update's assignments. */
export const TICKET_FACTS_SET = sql.raw(`service_center_id = t.service_center_id, technician_id = t.technician_id,
  product_id = coalesce(t.product_id, s.product_id), unit_id = coalesce(t.unit_id, s.unit_id),
  sla_breached = t.sla_breached, first_time_fix = (t.reopen_count = 0 and not t.waited_for_parts), coverage = t.coverage`);

/**
 * Copies what a CSAT survey's ticket says (who worked it, the SLA outcome,
 * first-time fix, coverage) onto the survey, for the open and answered
 * surveys `which` selects, so satisfaction figures read one table. Done when
 * the survey opens and again whenever the ticket's facts change after (a
 * reopen, a breach recorded late, a warranty claim filed days later).
 */
export async function copyTicketFacts(db: Database, which: SQL): Promise<void> {
  await db.execute(
    sql`update feedback.surveys s set ${TICKET_FACTS_SET}
        from feedback.ticket_facts t
        where t.id = s.ticket_id and s.kind = 'CSAT' and s.status in ('OPEN', 'ANSWERED') and ${which}`,
  );
}

/** An instant as a statement parameter: postgres.js takes no Date in raw SQL, PGlite does; both take this. */
export const instant = (at: Date) => sql`${at.toISOString()}::timestamptz`;

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
  // Replicas each running the job: one run at a time, so two never open different surveys of one customer.
  await lockUntilCommit(db, "feedback", "survey schedule");
  const now = instant(at);
  const expired = await db
    .update(surveys)
    .set({ status: "EXPIRED" })
    .where(and(eq(surveys.status, "OPEN"), lte(surveys.expiresAt, at)))
    .returning({ id: surveys.id });
  // Only if it is still resolved or closed then: a reopened ticket, or one moved on, is not asked about.
  const cancelled = await executeRows<{ id: string }>(
    db,
    sql`update feedback.surveys s set status = 'CANCELLED'
        from feedback.ticket_facts t
        where s.status = 'SCHEDULED' and s.kind = 'CSAT' and s.due_at <= ${now} and t.id = s.ticket_id
          and (t.reopen_count > 0 or t.status not in ('RESOLVED', 'CLOSED'))
        returning s.id`,
  );
  await scheduleNpsSurveys(db, at);
  const opened = await executeRows<{ id: string; kind: string; customer_id: string }>(
    db,
    sql`with candidates as (
          select distinct on (s.customer_id) s.id
          from feedback.surveys s
          where s.status = 'SCHEDULED' and s.due_at <= ${now}
            and not exists (select 1 from feedback.surveys o where o.customer_id = s.customer_id and o.status = 'OPEN' and o.kind <> 'COMPLAINT_FOLLOW_UP')
          order by s.customer_id, array_position(${sql.param([...OPENING_ORDER])}::text[], s.kind), s.due_at
          limit ${RUN_BATCH})
        update feedback.surveys s set status = 'OPEN', opened_at = ${now},
          expires_at = ${instant(new Date(at.getTime() + timings.answerWithinDays * DAY_MS))}
        from candidates c where s.id = c.id and s.status = 'SCHEDULED'
        returning s.id, s.kind, s.customer_id`,
  );
  if (opened.length) await copyTicketFacts(db, sql`s.id = any(${sql.param(opened.map((survey) => survey.id))}::text[])`);
  // A customer's next NPS turn comes an interval after this one opened.
  const npsOpened = opened.filter((survey) => survey.kind === "NPS").map((survey) => survey.customer_id);
  if (npsOpened.length) {
    await db
      .update(knownCustomers)
      .set({ npsDueAt: new Date(at.getTime() + timings.npsIntervalDays * DAY_MS) })
      .where(anyOf(knownCustomers.id, npsOpened));
  }
  return { opened: opened.length, cancelled: cancelled.length, expired: expired.length };
}

/**
 * NPS surveys for customers whose turn has come (`known_customers.nps_due_at`):
 * scheduled as due then, the customer's next turn left open until it opens.
 */
async function scheduleNpsSurveys(db: Database, at: Date): Promise<void> {
  const due = await executeRows<{ id: string; home_dealer_id: string; nps_due_at: Date | string }>(
    db,
    sql`update feedback.known_customers c set nps_due_at = null
        from (select id, nps_due_at from feedback.known_customers where nps_due_at <= ${instant(at)} order by nps_due_at limit ${RUN_BATCH} for update) due
        where c.id = due.id
        returning c.id, c.home_dealer_id, due.nps_due_at`,
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
      dueAt: new Date(customer.nps_due_at),
      createdAt: at,
    })),
  );
}

/** The customers' NPS turns after a change of timings: an interval after their last NPS survey opened, or the first after they became known. */
export async function rescheduleNps(db: Database, timings: SurveyTimings): Promise<void> {
  await db.execute(
    sql`update feedback.known_customers c
        set nps_due_at = coalesce(last.opened + make_interval(days => ${timings.npsIntervalDays}::int),
                                  c.known_since + make_interval(days => ${timings.npsFirstAfterDays}::int))
        from (select c2.id, (select max(s.opened_at) from feedback.surveys s where s.customer_id = c2.id and s.kind = 'NPS') as opened
              from feedback.known_customers c2 where c2.nps_due_at is not null) last
        where c.id = last.id`,
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

/**
 * The follow-up question of a resolved complaint case, open at once for the
 * usual time to answer (it stands apart from the one-open-survey rule).
 */
export async function openFollowUp(
  db: Database,
  about: { dealerId: string; customerId: string; productId: string | null; unitId: string | null; ticketId: string | null },
  at: Date,
  timings: SurveyTimings,
): Promise<SurveyRow> {
  const [row] = await db
    .insert(surveys)
    .values({
      id: newId("svy"),
      kind: "COMPLAINT_FOLLOW_UP",
      status: "OPEN",
      dealerId: about.dealerId,
      customerId: about.customerId,
      productId: about.productId,
      unitId: about.unitId,
      ticketId: about.ticketId,
      token: newSurveyToken(),
      dueAt: at,
      openedAt: at,
      expiresAt: new Date(at.getTime() + timings.answerWithinDays * DAY_MS),
      createdAt: at,
    })
    .returning();
  return row!;
}
