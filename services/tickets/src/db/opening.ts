import type { Identity, SlaEvent } from "@aftersales/kit";
import type { Database } from "@aftersales/kit";
import type { TimelineChange } from "../domain/ticket.js";
import { trackAssignment } from "./assignments.js";
import { appendSlaEvents } from "./sla.js";
import type { TicketRow } from "./schema.js";
import { appendTimeline, emitTicketEvent, insertTicket } from "./tickets.js";

type NewTicket = Parameters<typeof insertTicket>[1];

/**
 * Writes an opened ticket the one way opening and importing do: the row, its
 * clocks started, the timeline (opened, then how it reached its service
 * center), `ticket.opened` and the record of who works it.
 */
export async function recordOpening(
  tx: Database,
  identity: Identity,
  opened: { values: NewTicket; started: readonly SlaEvent[]; reached: TimelineChange | null },
): Promise<TicketRow> {
  const ticket = await insertTicket(tx, opened.values);
  const at = ticket.openedAt;
  await appendSlaEvents(tx, ticket, 0, opened.started, []);
  await appendTimeline(tx, ticket, { change: { kind: "OPENED" }, note: null, actor: identity, at });
  if (opened.reached) await appendTimeline(tx, ticket, { change: opened.reached, note: null, actor: identity, at });
  await emitTicketEvent(tx, "ticket.opened", ticket);
  if (ticket.serviceCenterId) await trackAssignment(tx, ticket);
  return ticket;
}
