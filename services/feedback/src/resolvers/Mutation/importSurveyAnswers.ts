import { anyOf, InputChecks, mutationPayload, newId, requireRole, type Database, type FieldPath } from "@aftersales/kit";
import { and, eq, sql } from "drizzle-orm";
import { announceAnswers } from "../../db/answers.js";
import { knownCustomers, surveys, type SurveyRow } from "../../db/schema.js";
import { surveyTimings } from "../../db/settings.js";
import { newSurveyToken, TICKET_FACTS_SET } from "../../db/surveys.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import { DAY_MS, SCALES, scoreFits } from "../../domain/survey.js";
import type { MutationResolvers } from "../../generated/graphql.js";
import { checkComment } from "./comment.js";

const MAX_ANSWERS = 500;

type Checks = InputChecks<FeedbackErrorCode>;

export const importSurveyAnswers: MutationResolvers["importSurveyAnswers"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, ["ADMIN"], "import survey answers");
  return mutationPayload("surveys", db, async (tx) => {
    const checks: Checks = new InputChecks();
    if (input.answers.length < 1 || input.answers.length > MAX_ANSWERS) {
      checks.add("OUT_OF_RANGE", `Import 1 to ${MAX_ANSWERS} answers at a time; this has ${input.answers.length}.`, ["answers"]);
      checks.refuseIfAny();
    }
    const importedAt = now();
    const rows = input.answers.map((given, i) => {
      const at = (...rest: string[]): FieldPath => ["answers", i, ...rest];
      const own = new InputChecks<FeedbackErrorCode>();
      const { comment, reading } = checkComment(own, given, false);
      for (const error of own.errors) checks.add(error.code, error.message, [...at(), ...(error.field ?? [])]);
      const ticketId = given.ticketId?.trim() || null;
      const unitId = given.unitId?.trim() || null;
      const customerId = given.customerId?.trim() || null;
      if ([ticketId, unitId, customerId].filter(Boolean).length !== 1) {
        checks.add("REQUIRED", "Name the ticket (CSAT), the unit (POST_SALE) or the customer (NPS) the answer is about, one of them.", at("ticketId"));
      }
      const answeredAt = new Date(given.answeredAt);
      if (answeredAt > importedAt) checks.add("DATE_IN_FUTURE", `${answeredAt.toISOString()} is in the future; import what has happened.`, at("answeredAt"));
      const askedAt = given.askedAt ? new Date(given.askedAt) : null;
      if (customerId && !askedAt) checks.add("REQUIRED", "An NPS round's answer says when its survey was sent.", at("askedAt"));
      if (askedAt && askedAt > importedAt) checks.add("DATE_IN_FUTURE", `${askedAt.toISOString()} is in the future; import what has happened.`, at("askedAt"));
      return {
        i,
        ticketId,
        unitId: ticketId ? null : unitId,
        customerId: ticketId || unitId ? null : customerId,
        askedAt,
        score: given.score,
        comment,
        reading,
        answeredAt,
      };
    });

    // Every survey named, locked, in two statements; a unit's post-sale survey is its latest owner's.
    const ticketIds = rows.flatMap((row) => (row.ticketId ? [row.ticketId] : []));
    const unitIds = rows.flatMap((row) => (row.unitId ? [row.unitId] : []));
    const csat = ticketIds.length
      ? await tx
          .select()
          .from(surveys)
          .where(and(eq(surveys.kind, "CSAT"), anyOf(surveys.ticketId, ticketIds)))
          .for("update")
      : [];
    const postSale = unitIds.length
      ? await tx
          .select()
          .from(surveys)
          .where(and(eq(surveys.kind, "POST_SALE"), anyOf(surveys.unitId, unitIds)))
          .orderBy(sql`${surveys.dueAt} desc`)
          .for("update")
      : [];
    const byTicket = new Map(csat.map((survey) => [survey.ticketId, survey]));
    const byUnit = new Map<string | null, SurveyRow>();
    for (const survey of postSale) if (!byUnit.has(survey.unitId)) byUnit.set(survey.unitId, survey);

    const timings = await surveyTimings(tx);
    const { answerWithinDays } = timings;
    const rounds = await pastNpsRounds(tx, checks, rows, importedAt);
    const taken = new Set<string>();
    const answers = rows.flatMap((row) => {
      const field = row.ticketId ? "ticketId" : row.unitId ? "unitId" : "customerId";
      const at: FieldPath = ["answers", row.i, field];
      const survey = row.ticketId ? byTicket.get(row.ticketId) : row.unitId ? byUnit.get(row.unitId) : rounds.get(row.i);
      // An NPS round that could not be recorded has said why already.
      if (!row.ticketId && !row.unitId) {
        if (!survey) return [];
      } else if (!survey) {
        const what = row.ticketId ? `ticket \`${row.ticketId}\` (a resolved ticket never reopened)` : `unit \`${row.unitId}\` (a delivered unit)`;
        checks.add("SURVEY_NOT_FOUND", `No survey asks about ${what}.`, at);
        return [];
      }
      if (survey.status === "ANSWERED" || taken.has(survey.id)) {
        checks.add("ALREADY_ANSWERED", "This survey was answered already; an answer is never replaced.", at);
        return [];
      }
      taken.add(survey.id);
      const closes = new Date(survey.dueAt.getTime() + answerWithinDays * DAY_MS);
      if (survey.status === "CANCELLED" || survey.status === "EXPIRED") {
        checks.add("SURVEY_NOT_OPEN", `This survey ${survey.status === "CANCELLED" ? "was cancelled" : "has expired"}, so it cannot be answered.`, at);
      } else if (row.answeredAt < survey.dueAt || row.answeredAt >= closes) {
        const span = `from ${survey.dueAt.toISOString()} to ${closes.toISOString()}`;
        checks.add("SURVEY_NOT_OPEN", `The survey was open ${span}; an answer at ${row.answeredAt.toISOString()} falls outside it.`, [
          "answers",
          row.i,
          "answeredAt",
        ]);
      }
      if (!scoreFits(survey.kind, row.score)) {
        const { min, max } = SCALES[survey.kind];
        checks.add("SCORE_OUT_OF_RANGE", `A ${survey.kind} survey takes a whole score from ${min} to ${max}.`, ["answers", row.i, "score"]);
      }
      return [{ row, survey, closes }];
    });
    checks.refuseIfAny();
    if (rounds.size) await recordPastNpsRounds(tx, [...rounds.values()], timings.npsIntervalDays);

    // Each open from when it fell due, as the schedule would have opened it, and answered then: one statement for all.
    const values = answers.map(({ row, survey, closes }) => ({
      id: survey.id,
      opened_at: survey.dueAt.toISOString(),
      expires_at: closes.toISOString(),
      answered_at: row.answeredAt.toISOString(),
      score: row.score,
      comment: row.comment,
      language: row.reading?.language ?? null,
      themes: row.reading?.themes ?? [],
      sentiment: row.reading?.sentiment ?? null,
    }));
    const answer = sql`from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id text, opened_at timestamptz, expires_at timestamptz,
      answered_at timestamptz, score smallint, comment text, language text, themes text[], sentiment text)`;
    const set = sql`status = 'ANSWERED', opened_at = v.opened_at, expires_at = v.expires_at, answered_at = v.answered_at,
      score = v.score, comment = v.comment, language = v.language, themes = v.themes, sentiment = v.sentiment`;
    // A CSAT survey takes its ticket's facts in the same statement, so each row is rolled up into the insights once.
    await tx.execute(sql`update feedback.surveys s set ${set}, ${TICKET_FACTS_SET} ${answer}
      join feedback.ticket_facts t on true where s.id = v.id and s.kind = 'CSAT' and t.id = s.ticket_id`);
    await tx.execute(sql`update feedback.surveys s set ${set} ${answer} where s.id = v.id and s.status <> 'ANSWERED'`);
    const ids = answers.map(({ survey }) => survey.id);
    const saved = new Map((await tx.select().from(surveys).where(anyOf(surveys.id, ids))).map((survey) => [survey.id, survey]));
    const answered = answers.map(({ row, survey }) => ({ answered: saved.get(survey.id) ?? survey, at: row.answeredAt }));
    await announceAnswers(tx, loaders, answered);
    return answered.map(({ answered }) => answered);
  });
};

interface NpsRow {
  i: number;
  customerId: string | null;
  askedAt: Date | null;
}

/**
 * The survey each past NPS round would have been, by the answer's index: sent
 * to the customer at `askedAt` on behalf of the home dealer, never twice at
 * the same time. Not written yet: the caller does, once every answer passed.
 */
async function pastNpsRounds(tx: Database, checks: Checks, rows: readonly NpsRow[], importedAt: Date): Promise<Map<number, SurveyRow>> {
  const asked = rows.filter((row) => row.customerId && row.askedAt);
  const rounds = new Map<number, SurveyRow>();
  if (!asked.length) return rounds;
  const ids = [...new Set(asked.map((row) => row.customerId!))];
  const customers = new Map((await tx.select().from(knownCustomers).where(anyOf(knownCustomers.id, ids))).map((c) => [c.id, c]));
  const earlier = await tx
    .select({ customerId: surveys.customerId, dueAt: surveys.dueAt })
    .from(surveys)
    .where(and(eq(surveys.kind, "NPS"), anyOf(surveys.customerId, ids)));
  const sent = new Set(earlier.map((survey) => `${survey.customerId} ${survey.dueAt.getTime()}`));
  for (const row of asked) {
    const customer = customers.get(row.customerId!);
    if (!customer) {
      checks.add("CUSTOMER_NOT_FOUND", `No customer has the id \`${row.customerId}\`.`, ["answers", row.i, "customerId"]);
      continue;
    }
    const round = `${customer.id} ${row.askedAt!.getTime()}`;
    if (sent.has(round)) {
      checks.add("ALREADY_ANSWERED", "This customer's NPS round sent then was answered already; an answer is never replaced.", ["answers", row.i, "askedAt"]);
      continue;
    }
    sent.add(round);
    rounds.set(row.i, {
      id: newId("svy"),
      kind: "NPS",
      status: "SCHEDULED",
      dealerId: customer.homeDealerId,
      customerId: customer.id,
      ticketId: null,
      unitId: null,
      productId: null,
      serviceCenterId: null,
      technicianId: null,
      slaBreached: null,
      firstTimeFix: null,
      coverage: null,
      token: newSurveyToken(),
      dueAt: row.askedAt!,
      openedAt: null,
      expiresAt: null,
      answeredAt: null,
      score: null,
      comment: null,
      language: null,
      themes: [],
      sentiment: null,
      createdAt: row.askedAt! < importedAt ? row.askedAt! : importedAt,
    });
  }
  return rounds;
}

/**
 * Writes the past rounds' surveys (answered right after, with the others),
 * and moves each customer's next NPS turn to an interval after the latest
 * round when that is later than the turn set: as if the schedule had sent them.
 */
async function recordPastNpsRounds(tx: Database, rounds: readonly SurveyRow[], npsIntervalDays: number): Promise<void> {
  await tx.insert(surveys).values([...rounds]);
  const latest = new Map<string, Date>();
  for (const round of rounds) if (round.dueAt > (latest.get(round.customerId) ?? new Date(0))) latest.set(round.customerId, round.dueAt);
  const next = [...latest].map(([id, at]) => ({ id, due_at: new Date(at.getTime() + npsIntervalDays * DAY_MS).toISOString() }));
  await tx.execute(sql`update feedback.known_customers c set nps_due_at = v.due_at
    from jsonb_to_recordset(${JSON.stringify(next)}::jsonb) as v(id text, due_at timestamptz)
    where c.id = v.id and c.nps_due_at is not null and c.nps_due_at < v.due_at`);
}
