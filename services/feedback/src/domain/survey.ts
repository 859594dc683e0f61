/**
 * Survey rules: what each kind asks, the scores it accepts, when it comes
 * due. Pure: the store applies them in SQL at scale, the resolvers to one
 * survey at a time.
 */

export const SURVEY_KINDS = ["CSAT", "POST_SALE", "NPS", "COMPLAINT_FOLLOW_UP"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const SURVEY_STATUSES = ["SCHEDULED", "OPEN", "ANSWERED", "EXPIRED", "CANCELLED"] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const FEEDBACK_KINDS = ["COMPLAINT", "SUGGESTION", "PRAISE"] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export interface SurveyScale {
  min: number;
  max: number;
}

export const SCALES: Record<SurveyKind, SurveyScale> = {
  CSAT: { min: 1, max: 5 },
  POST_SALE: { min: 1, max: 5 },
  NPS: { min: 0, max: 10 },
  // yes (1) or no (0)
  COMPLAINT_FOLLOW_UP: { min: 0, max: 1 },
};

export const QUESTIONS: Record<SurveyKind, string> = {
  CSAT: "How satisfied are you with how your service request was handled? (1: very unsatisfied, 5: very satisfied)",
  POST_SALE: "How are your first days with your new machine going? (1: very disappointed, 5: delighted) Tell us anything that did not go as it should.",
  NPS: "How likely are you to recommend us to a friend or colleague? (0: not at all likely, 10: extremely likely)",
  COMPLAINT_FOLLOW_UP: "Was your complaint resolved to your satisfaction? (1: yes, 0: no)",
};

/**
 * Which due survey opens first when a customer has several waiting: the one
 * about a fresh experience (a ticket, then a purchase) before the periodic one.
 */
export const OPENING_ORDER: readonly SurveyKind[] = ["CSAT", "POST_SALE", "NPS"];

/**
 * A complaint's follow-up opens as the case is resolved, beside any survey
 * the customer has open: it answers their own complaint, so it neither waits
 * for another survey nor keeps one waiting.
 */
export const FOLLOW_UP = "COMPLAINT_FOLLOW_UP" satisfies SurveyKind;

/** When surveys come due and how long they stay open; the defaults suit a service business. */
export interface SurveyTimings {
  /** After a ticket's resolution, before the CSAT survey opens: a fix gets time to prove itself. */
  csatDelayHours: number;
  /** After a delivery or installation, before the post-sale survey opens. */
  postSaleDelayDays: number;
  /** After a customer is created, before the first NPS survey. */
  npsFirstAfterDays: number;
  /** Between one NPS survey and the next for a customer. */
  npsIntervalDays: number;
  /** How long a link can be answered once the survey is open. */
  answerWithinDays: number;
}

export const DEFAULT_TIMINGS: SurveyTimings = {
  csatDelayHours: 24,
  postSaleDelayDays: 7,
  npsFirstAfterDays: 30,
  npsIntervalDays: 180,
  answerWithinDays: 14,
};

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Whether `score` is one `kind` accepts: a whole number within its scale. */
export function scoreFits(kind: SurveyKind, score: number): boolean {
  const { min, max } = SCALES[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}

/** The lowest CSAT or post-sale score that counts as satisfied. */
export const SATISFIED_FROM = 4;
/** NPS's bands: promoters score 9–10, passives 7–8, detractors 0–6. */
export const PROMOTERS_FROM = 9;
export const PASSIVES_FROM = 7;

export const COMMENT_MAX_LENGTH = 4000;
