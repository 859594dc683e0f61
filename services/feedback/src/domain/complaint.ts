import { readClock, type BusinessCalendar, type ClockReading, type SlaEvent } from "@aftersales/kit";
import type { SurveyKind } from "./survey.js";

/**
 * Complaint recovery, with no database: which complaints become cases, the
 * case's response deadline (the kit's business-hours clock, the one tickets'
 * SLAs run on) and what a case may do next.
 */

export const CASE_STATUSES = ["OPEN", "RESPONDED", "RESOLVED"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_SOURCES = ["FEEDBACK", "SURVEY"] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/**
 * A complaint is answered within one business day (8 hours) of the dealer's
 * calendar: the customer hears back the next working day at the latest.
 */
export const RESPONSE_TARGET_SECONDS = 8 * 60 * 60;

/** The lowest scores that make a survey answer with a comment a complaint: NPS detractors, and CSAT or post-sale 1–2. */
const COMPLAINT_AT_MOST: Record<Exclude<SurveyKind, "COMPLAINT_FOLLOW_UP">, number> = { NPS: 6, CSAT: 2, POST_SALE: 2 };

/**
 * Whether a survey answer is a complaint to recover: a low score that says
 * what went wrong. A low score without a comment is a detractor to call back
 * (outreach's list), not a case: there is nothing yet to respond to.
 */
export function isComplaint(kind: SurveyKind, score: number, comment: string | null): boolean {
  if (kind === "COMPLAINT_FOLLOW_UP" || !comment?.trim()) return false;
  return score <= COMPLAINT_AT_MOST[kind];
}

/** What the response deadline is read from: fixed on the case when it opened, and what happened since. */
export interface CaseClock {
  calendar: BusinessCalendar;
  responseTargetSeconds: number;
  openedAt: Date;
  respondedAt: Date | null;
  breachedAt: Date | null;
}

/** The response deadline as of `now`: met by the first response (or the resolution), breached when it ran out before. */
export function readDeadline(clock: CaseClock, now: Date): ClockReading {
  const events: SlaEvent[] = [{ clock: "RESPONSE", kind: "STARTED", at: clock.openedAt }];
  if (clock.respondedAt) events.push({ clock: "RESPONSE", kind: "MET", at: clock.respondedAt });
  if (clock.breachedAt) events.push({ clock: "RESPONSE", kind: "BREACHED", at: clock.breachedAt });
  return readClock(clock.calendar, clock.responseTargetSeconds, events, now);
}

/** A follow-up's answer: 1 yes, 0 no. */
export const SATISFIED = 1;

/** `ComplaintCase.responseDeadline` as resolved: the reading and the time zone it was read in. */
export interface DeadlineView {
  reading: ClockReading;
  timeZone: string;
}
