/**
 * How a service ticket moves from being opened to being closed, with no
 * database: which status may follow which, and what else a move needs.
 */

export const STATUSES = ["NEW", "ASSIGNED", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_PARTS", "RESOLVED", "CLOSED", "CANCELLED"] as const;

export type TicketStatus = (typeof STATUSES)[number];

/**
 * Statuses each status may move to. Work starts only once a service center
 * has the ticket, so NEW goes through ASSIGNED; handing the ticket back
 * (ASSIGNED → NEW) puts it up for dispatch again. Waiting ends either with
 * work resuming or with the problem solved while waiting. A RESOLVED ticket
 * is closed, or reopened when the fix did not hold. CLOSED and CANCELLED
 * are final: the ticket's history and SLA figures rely on it.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  NEW: ["ASSIGNED", "CANCELLED"],
  ASSIGNED: ["IN_PROGRESS", "NEW", "CANCELLED"],
  IN_PROGRESS: ["WAITING_CUSTOMER", "WAITING_PARTS", "RESOLVED", "CANCELLED"],
  WAITING_CUSTOMER: ["IN_PROGRESS", "RESOLVED", "CANCELLED"],
  WAITING_PARTS: ["IN_PROGRESS", "RESOLVED", "CANCELLED"],
  RESOLVED: ["CLOSED", "IN_PROGRESS"],
  CLOSED: [],
  CANCELLED: [],
};

/** Days after resolution within which a RESOLVED ticket may be reopened (to IN_PROGRESS). */
export const REOPEN_WINDOW_DAYS = 14;

/** Statuses a ticket is still being worked in: everything but RESOLVED, CLOSED and CANCELLED. */
export const OPEN_STATUSES: readonly TicketStatus[] = ["NEW", "ASSIGNED", "IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_PARTS"];

/** Statuses nothing follows. */
export const FINAL_STATUSES: readonly TicketStatus[] = ["CLOSED", "CANCELLED"];

/** Statuses that need a service center on the ticket: someone must be doing the work. */
export const NEEDS_ASSIGNEE: readonly TicketStatus[] = ["ASSIGNED", "IN_PROGRESS"];

export const isOpen = (status: TicketStatus): boolean => OPEN_STATUSES.includes(status);

/** A resolved ticket taken back into work because the fix did not hold. */
export function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return from === "RESOLVED" && to === "IN_PROGRESS";
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The last instant a ticket resolved at `resolvedAt` may be reopened:
 * exactly REOPEN_WINDOW_DAYS × 24 hours later, so the customer's time zone
 * and summer time make no difference.
 */
export function reopenDeadline(resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + REOPEN_WINDOW_DAYS * DAY_MS);
}

export type TransitionRefusalCode = "INVALID_TRANSITION" | "SAME_STATUS" | "REOPEN_WINDOW_PASSED" | "ASSIGNEE_REQUIRED";

export type TransitionRefusal = { code: TransitionRefusalCode; message: string };

/** "A", "A or B", "A, B or C". */
function either(statuses: readonly TicketStatus[]): string {
  const last = statuses[statuses.length - 1] ?? "";
  return statuses.length > 1 ? `${statuses.slice(0, -1).join(", ")} or ${last}` : last;
}

/** What may follow `from`, as the sentence a refused move answers with. */
const allowedFrom = (from: TicketStatus): string => `A ticket ${from} can move to ${either(TRANSITIONS[from])}.`;

/**
 * Whether `from` → `to` is allowed now; `resolvedAt` is when the ticket was
 * last resolved; `hasAssignee` whether a service center is set. Checked in
 * the order a person would fix them: a final ticket is final whatever is
 * asked of it (even its own status), then the move itself, then the reopen
 * window (no assignment helps once it has passed), then the assignee.
 */
export function checkTransition(input: {
  from: TicketStatus;
  to: TicketStatus;
  resolvedAt: Date | null;
  now: Date;
  hasAssignee: boolean;
}): TransitionRefusal | null {
  const { from, to, resolvedAt, now, hasAssignee } = input;
  if (FINAL_STATUSES.includes(from)) {
    return { code: "INVALID_TRANSITION", message: `A ${from} ticket is final and cannot move to another status.` };
  }
  if (from === to) {
    return { code: "SAME_STATUS", message: `The ticket is already ${to}; from here it can move to ${either(TRANSITIONS[from])}.` };
  }
  if (!TRANSITIONS[from].includes(to)) {
    return { code: "INVALID_TRANSITION", message: allowedFrom(from) };
  }
  if (isReopen(from, to)) {
    // A RESOLVED ticket always records when; its absence is a bug, not a refusal.
    if (resolvedAt === null) throw new Error("a RESOLVED ticket has no resolvedAt");
    if (now.getTime() > reopenDeadline(resolvedAt).getTime()) {
      return {
        code: "REOPEN_WINDOW_PASSED",
        message: `The ticket was resolved more than ${REOPEN_WINDOW_DAYS} days ago, on ${resolvedAt.toISOString().slice(0, 10)}, so it can only move to CLOSED; open a new ticket instead.`,
      };
    }
  }
  if (NEEDS_ASSIGNEE.includes(to) && !hasAssignee) {
    return { code: "ASSIGNEE_REQUIRED", message: `A ticket can move to ${to} only once a service center is assigned to it.` };
  }
  return null;
}
