import { clockPhase, type SlaClockKind, type SlaEvent, type SlaEventKind } from "@aftersales/kit";
import { isOpen, isReopen, type TicketStatus } from "./lifecycle.js";

/**
 * What a ticket's status changes do to its SLA clocks (the clocks themselves
 * are the kit's `readClock`, shared with complaints' response deadlines).
 */

// ---------------------------------------------------------------------------
// What a status change does to the clocks
// ---------------------------------------------------------------------------

const PAUSED_ALWAYS: readonly TicketStatus[] = ["WAITING_CUSTOMER"];
const PAUSED_WITH_PARTS: readonly TicketStatus[] = ["WAITING_CUSTOMER", "WAITING_PARTS"];

/** Statuses in which the resolution clock is paused. */
export function pausedStatuses(pausesOnWaitingParts: boolean): readonly TicketStatus[] {
  return pausesOnWaitingParts ? PAUSED_WITH_PARTS : PAUSED_ALWAYS;
}

/** Statuses that count as the service center's first response: work began, or the customer was asked or answered. */
const RESPONDED: readonly TicketStatus[] = ["IN_PROGRESS", "WAITING_CUSTOMER", "WAITING_PARTS", "RESOLVED"];

/**
 * The SLA events a status change causes, at `at`: the response clock's
 * first, then the resolution clock's, in the order they happen.
 *
 * Whether the resolution clock is paused is read from its events, not from
 * the `from` status: a dealer may switch pausesOnWaitingParts while a ticket
 * waits for parts, and the pause recorded then must still be closed when the
 * parts arrive. A clock that never started (no STARTED event) gets nothing.
 */
export function slaEventsForStatusChange(input: {
  from: TicketStatus;
  to: TicketStatus;
  pausesOnWaitingParts: boolean;
  at: Date;
  events: readonly SlaEvent[];
}): SlaEvent[] {
  const { from, to, pausesOnWaitingParts, at, events } = input;
  const changes: SlaEvent[] = [];
  const record = (clock: SlaClockKind, ...kinds: SlaEventKind[]) => {
    for (const kind of kinds) changes.push({ clock, kind, at });
  };
  const phaseOf = (clock: SlaClockKind) => clockPhase(events.filter((e) => e.clock === clock));
  if (from === to) return changes;

  const response = phaseOf("RESPONSE");
  if (response === "RUNNING" || response === "PAUSED") {
    if (RESPONDED.includes(to)) record("RESPONSE", "MET");
    else if (to === "CANCELLED") record("RESPONSE", "STOPPED");
  }

  const resolution = phaseOf("RESOLUTION");
  // The pause is closed explicitly on every way out of it, straight to RESOLVED or CANCELLED too.
  const resume: SlaEventKind[] = resolution === "PAUSED" ? ["RESUMED"] : [];
  const ticking = resolution === "RUNNING" || resolution === "PAUSED";
  if (to === "RESOLVED") {
    if (ticking) record("RESOLUTION", ...resume, "MET");
  } else if (to === "CANCELLED") {
    if (ticking) record("RESOLUTION", ...resume, "STOPPED");
  } else if (pausedStatuses(pausesOnWaitingParts).includes(to)) {
    if (resolution === "RUNNING") record("RESOLUTION", "PAUSED");
  } else if (isOpen(to)) {
    if (resolution === "PAUSED" || (resolution === "MET" && isReopen(from, to))) record("RESOLUTION", "RESUMED");
  }
  // CLOSED: the clock stopped when the ticket was resolved.
  return changes;
}
