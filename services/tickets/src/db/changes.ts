import type { Database, Identity, SlaEvent } from "@aftersales/kit";
import { isReopen, type TicketStatus } from "../domain/lifecycle.js";
import { slaEventsForStatusChange } from "../domain/sla.js";
import type { TimelineChange } from "../domain/ticket.js";
import type { Loaders } from "./loaders.js";
import { trackAssignment } from "./assignments.js";
import { appendSlaEvents, settleSla, slaEventsOf, type SlaSettings } from "./sla.js";
import { appendTimeline, emitTicketEvent, saveTicket, type TicketEventType } from "./tickets.js";
import type { TicketRow } from "./schema.js";

export interface TicketChange {
  /** New values of the ticket's own columns. */
  values: Partial<Omit<TicketRow, "id" | "version" | "createdAt" | "updatedAt">>;
  /** What goes on the timeline, in order. */
  timeline: { change: TimelineChange; note: string | null }[];
  /** The domain event the change announces, if any. */
  event?: TicketEventType;
  /** Events of the SLA clocks the change causes (a status change), given those recorded so far. */
  slaEvents?: (recorded: readonly SlaEvent[]) => SlaEvent[];
}

/**
 * Saves a change of a locked ticket the one way every mutation does: the
 * new version with its SLA deadlines recomputed from the clocks' events
 * (and any breach that is due recorded), the timeline, the event, and the
 * shared record of who works it.
 */
export async function saveChange(
  tx: Database,
  context: { identity: Identity; loaders: Loaders; at: Date },
  before: TicketRow,
  change: TicketChange,
): Promise<TicketRow> {
  const recorded = await slaEventsOf(tx, before.id);
  const slaEvents = change.slaEvents?.(recorded) ?? [];
  const settings: SlaSettings = {
    slaCalendar: change.values.slaCalendar ?? before.slaCalendar,
    responseTargetSeconds: change.values.responseTargetSeconds ?? before.responseTargetSeconds,
    resolutionTargetSeconds: change.values.resolutionTargetSeconds ?? before.resolutionTargetSeconds,
  };
  const { columns, breaches } = settleSla(settings, [...recorded, ...slaEvents], context.at);
  const saved = await saveTicket(tx, before.id, { ...change.values, ...columns });
  await appendSlaEvents(tx, saved, recorded.length, slaEvents, breaches);
  for (const entry of change.timeline) await appendTimeline(tx, saved, { ...entry, actor: context.identity, at: context.at });
  if (change.event) await emitTicketEvent(tx, change.event, saved);
  if (saved.status !== before.status || saved.serviceCenterId !== before.serviceCenterId || saved.technicianId !== before.technicianId) {
    await trackAssignment(tx, saved);
  }
  context.loaders.timelineByTicketId.clear(saved.id);
  context.loaders.slaEventsByTicketId.clear(saved.id);
  return saved;
}

/**
 * A move of `ticket` to `to` at `at`, checked already: what it sets, the
 * timeline entry, the event it announces and what it does to the clocks.
 */
export function statusChange(ticket: TicketRow, to: TicketStatus, at: Date, texts: { resolution: string | null; note: string | null }): TicketChange {
  const reopen = isReopen(ticket.status, to);
  const event: TicketEventType =
    to === "RESOLVED" ? "ticket.resolved" : to === "CLOSED" ? "ticket.closed" : reopen ? "ticket.reopened" : "ticket.status_changed";
  return {
    values: {
      status: to,
      ...(to === "RESOLVED" ? { resolvedAt: at, resolution: texts.resolution } : {}),
      // Reopened: no longer resolved; the resolution that did not hold stays in the timeline.
      ...(reopen ? { resolvedAt: null, resolution: null } : {}),
      ...(to === "CLOSED" ? { closedAt: at } : {}),
      // Handed back for dispatch: no service center has it any more.
      ...(to === "NEW" ? { serviceCenterId: null, technicianId: null } : {}),
    },
    timeline: [{ change: { kind: "STATUS", from: ticket.status, to }, note: texts.note ?? texts.resolution }],
    event,
    slaEvents: (recorded) => slaEventsForStatusChange({ from: ticket.status, to, pausesOnWaitingParts: ticket.slaPausesOnWaitingParts, at, events: recorded }),
  };
}
