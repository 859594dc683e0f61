import { anyOf, InputChecks, mutationPayload, requireRole, type FieldPath } from "@aftersales/kit";
import { and, eq, sql } from "drizzle-orm";
import { announceAnswers } from "../../db/answers.js";
import { surveys, type SurveyRow } from "../../db/schema.js";
import { surveyTimings } from "../../db/settings.js";
import { TICKET_FACTS_SET } from "../../db/surveys.js";
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
      if (!ticketId === !unitId) checks.add("REQUIRED", "Name the ticket (CSAT) or the unit (POST_SALE) the answer is about, one of them.", at("ticketId"));
      const answeredAt = new Date(given.answeredAt);
      if (answeredAt > importedAt) checks.add("DATE_IN_FUTURE", `${answeredAt.toISOString()} is in the future; import what has happened.`, at("answeredAt"));
      return { i, ticketId, unitId: ticketId ? null : unitId, score: given.score, comment, reading, answeredAt };
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

    const { answerWithinDays } = await surveyTimings(tx);
    const taken = new Set<string>();
    const answers = rows.flatMap((row) => {
      const field = row.ticketId ? "ticketId" : "unitId";
      const at: FieldPath = ["answers", row.i, field];
      const survey = row.ticketId ? byTicket.get(row.ticketId) : row.unitId ? byUnit.get(row.unitId) : undefined;
      if (!row.ticketId && !row.unitId) return [];
      if (!survey) {
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
