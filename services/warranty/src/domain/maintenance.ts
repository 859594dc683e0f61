import { addDays, addMonthsClamped } from "@aftersales/kit";

export type VisitStatus = "PLANNED" | "SCHEDULED" | "DONE" | "MISSED" | "CANCELLED";

export interface VisitPlan {
  startsOn: string;
  endsOn: string;
  visitsPerYear: number /* 1,2,3,4,6 or 12 */;
  /** Next due date counts from the actual completion of the last visit. */
  floating: boolean;
  cancelledFrom: string | null;
}

export interface ExistingVisit {
  sequence: number;
  dueOn: string;
  status: VisitStatus;
  completedOn: string | null;
}

/** Visits a year that split the year into whole months. */
export const VISITS_PER_YEAR = [1, 2, 3, 4, 6, 12] as const;

export function visitIntervalMonths(visitsPerYear: number): number {
  if (!(VISITS_PER_YEAR as readonly number[]).includes(visitsPerYear)) {
    throw new RangeError(`${visitsPerYear} visits a year do not split a year into whole months; use 1, 2, 3, 4, 6 or 12.`);
  }
  return 12 / visitsPerYear;
}

/** A planned or scheduled visit is missed once its due date plus the grace days have passed. */
export function isMissed(visit: { status: VisitStatus; dueOn: string }, today: string, graceDays: number): boolean {
  return (visit.status === "PLANNED" || visit.status === "SCHEDULED") && addDays(visit.dueOn, graceDays) < today;
}

/**
 * Visits to create now: each visit has a sequence (1, 2, ...) and is created
 * only once (the store inserts with on-conflict-do-nothing on (contract,
 * sequence)), `leadDays` before its due date.
 *
 * Fixed schedule: visit n is due on the last day of the term's n-th
 * interval (a one-year term with one visit: on its last day; with two: at
 * the end of month 6 and of month 12), so every visit the plan promises
 * falls inside the term. Each is counted from the start, so a plan starting
 * on the 1st keeps the month's last day. Every visit due by today +
 * leadDays that does not exist yet is created, overdue ones included.
 *
 * Floating schedule: the next visit is due an interval after the last one
 * was done (its completion date), or after its due date when it was missed
 * or cancelled. While the last one is still planned or scheduled, its
 * completion and so the next due date are unknown: nothing is created.
 *
 * Nothing is due after the contract's last day or on or after its cancellation.
 */
export function visitsToCreate(plan: VisitPlan, existing: readonly ExistingVisit[], today: string, leadDays: number): { sequence: number; dueOn: string }[] {
  const interval = visitIntervalMonths(plan.visitsPerYear);
  const horizon = addDays(today, leadDays);
  const withinTerm = (dueOn: string) => dueOn <= plan.endsOn && (plan.cancelledFrom === null || dueOn < plan.cancelledFrom);
  const fixedDue = (sequence: number) => addDays(addMonthsClamped(plan.startsOn, sequence * interval), -1);

  if (plan.floating) {
    const last = existing.reduce<ExistingVisit | null>((latest, v) => (!latest || v.sequence > latest.sequence ? v : latest), null);
    if (last && (last.status === "PLANNED" || last.status === "SCHEDULED")) return [];
    let next = { sequence: 1, dueOn: fixedDue(1) };
    if (last) {
      // A visit marked done without a completion date counts from its due date.
      const from = last.status === "DONE" ? (last.completedOn ?? last.dueOn) : last.dueOn;
      next = { sequence: last.sequence + 1, dueOn: addMonthsClamped(from, interval) };
    }
    return withinTerm(next.dueOn) && next.dueOn <= horizon ? [next] : [];
  }

  const taken = new Set(existing.map((v) => v.sequence));
  const created: { sequence: number; dueOn: string }[] = [];
  for (let sequence = 1; ; sequence++) {
    const dueOn = fixedDue(sequence);
    if (!withinTerm(dueOn) || dueOn > horizon) break;
    if (!taken.has(sequence)) created.push({ sequence, dueOn });
  }
  return created;
}
