import { InputChecks, mutationPayload, requireRole, type UserError } from "@aftersales/kit";
import { appendTimeline, emitTicketEvent, lockTicketInScope, saveTicket, type TicketEventType } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { checkTransition, isReopen } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const changeTicketStatus: MutationResolvers["changeTicketStatus"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, WORKS_TICKETS, "change tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const now = new Date();
    const refusal = checkTransition({ from: ticket.status, to: input.status, resolvedAt: ticket.resolvedAt, now, hasAssignee: ticket.serviceCenterId !== null });
    if (refusal) checks.add(refusal.code satisfies UserError<TicketErrorCode>["code"], refusal.message, ["status"]);
    const resolution = checks.optionalText(input.resolution, ["resolution"], 5000);
    if (input.status === "RESOLVED" && !resolution) checks.add("REQUIRED", "Say how the ticket was resolved.", ["resolution"]);
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();

    const saved = await saveTicket(tx, ticket.id, {
      status: input.status,
      ...(input.status === "RESOLVED" ? { resolvedAt: now, resolution } : {}),
      // Reopened: no longer resolved; the resolution that did not hold stays in the timeline.
      ...(isReopen(ticket.status, input.status) ? { resolvedAt: null, resolution: null } : {}),
      ...(input.status === "CLOSED" ? { closedAt: now } : {}),
      // Handed back for dispatch: no service center has it any more.
      ...(input.status === "NEW" ? { serviceCenterId: null, technicianId: null } : {}),
    });
    await appendTimeline(tx, saved, { change: { kind: "STATUS", from: ticket.status, to: input.status }, note: note ?? resolution, identity });
    const event: TicketEventType =
      input.status === "RESOLVED" ? "ticket.resolved" : input.status === "CLOSED" ? "ticket.closed" : isReopen(ticket.status, input.status) ? "ticket.reopened" : "ticket.status_changed";
    await emitTicketEvent(tx, event, saved);
    loaders.timelineByTicketId.clear(saved.id);
    return saved;
  });
};
