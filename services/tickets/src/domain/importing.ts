import type { FieldPath, InputChecks } from "@aftersales/kit";
import type { TicketErrorCode } from "./errors.js";
import { checkTransition, type TicketStatus } from "./lifecycle.js";

/**
 * A ticket brought in from a previous system, as decisions: when it opened
 * and the status changes that followed, checked the way a live ticket's
 * changes are checked at the time each happened (the reopen window, an
 * assignee for work, a resolution said), none before the opening, none out
 * of order, none in the future. The resolver reads and writes; the rules
 * live here.
 */

/** Status changes a ticket's history takes at most here. */
export const MAX_IMPORTED_STEPS = 30;

export interface ImportedStep {
  status: TicketStatus;
  at: Date;
  resolution: string | null;
  note: string | null;
}

export interface ImportedHistory {
  openedAt: Date;
  /** Whether a service center had the ticket from its opening (ASSIGNED), else NEW. */
  assigned: boolean;
  steps: ImportedStep[];
}

interface GivenStep {
  status: TicketStatus;
  at: Date;
  resolution?: string | null;
  note?: string | null;
}

/**
 * Checks a history; its errors name `path` and the step. Returns the steps
 * with their texts trimmed, or null when something is wrong.
 */
export function planTicketHistory(
  checks: InputChecks<TicketErrorCode>,
  given: { openedAt: Date; assigned: boolean; steps: readonly GivenStep[] },
  path: FieldPath,
  now: Date,
): ImportedHistory | null {
  const before = checks.errors.length;
  const at = (...rest: (string | number)[]): FieldPath => [...path, ...rest];
  if (Number.isNaN(given.openedAt.getTime())) checks.add("INVALID_FORMAT", "Not a date and time.", at("openedAt"));
  else if (given.openedAt > now) checks.add("DATE_IN_FUTURE", `${given.openedAt.toISOString()} is in the future; import what has happened.`, at("openedAt"));
  if (given.steps.length > MAX_IMPORTED_STEPS) {
    checks.add("OUT_OF_RANGE", `A ticket's history takes at most ${MAX_IMPORTED_STEPS} status changes here.`, at("steps"));
    return null;
  }
  let status: TicketStatus = given.assigned ? "ASSIGNED" : "NEW";
  let hasAssignee = given.assigned;
  let resolvedAt: Date | null = null;
  let previous = given.openedAt;
  const steps: ImportedStep[] = [];
  for (const [i, step] of given.steps.entries()) {
    const field = (name: string) => at("steps", i, name);
    const resolution = checks.optionalText(step.resolution, field("resolution"), 5000);
    const note = checks.optionalText(step.note, field("note"), 5000);
    if (Number.isNaN(step.at.getTime())) {
      checks.add("INVALID_FORMAT", "Not a date and time.", field("at"));
      continue;
    }
    if (step.at > now) checks.add("DATE_IN_FUTURE", `${step.at.toISOString()} is in the future; import what has happened.`, field("at"));
    if (step.at < previous) {
      checks.add("DATES_OUT_OF_ORDER", `A change at ${step.at.toISOString()} comes before the one it follows (${previous.toISOString()}).`, field("at"));
    }
    const refusal = checkTransition({ from: status, to: step.status, resolvedAt, now: step.at, hasAssignee });
    if (refusal) checks.add(refusal.code, refusal.message, field("status"));
    if (step.status === "RESOLVED" && !resolution) checks.add("REQUIRED", "Say how the ticket was resolved.", field("resolution"));
    // What the change does, for the checks of the next one (as `changeTicketStatus` would leave the ticket).
    if (step.status === "RESOLVED") resolvedAt = step.at;
    else if (status === "RESOLVED") resolvedAt = null;
    if (step.status === "NEW") hasAssignee = false;
    status = step.status;
    previous = step.at > previous ? step.at : previous;
    steps.push({ status: step.status, at: step.at, resolution, note });
  }
  return checks.errors.length > before ? null : { openedAt: given.openedAt, assigned: given.assigned, steps };
}
