import { InputChecks, localDate, mutationPayload, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { runDispatch } from "../../db/dispatch.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import { needsVisit } from "../../domain/dispatch.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const dispatchTicket: MutationResolvers["dispatchTicket"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "dispatch tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    if (ticket.status !== "NEW") checks.add("NOT_DISPATCHABLE", `Only a NEW ticket is dispatched; this one is ${ticket.status}.`, ["id"]);
    else if (!needsVisit(ticket.kind, ticket.unitId)) {
      checks.add("NOT_DISPATCHABLE", "Only a REPAIR, INSTALLATION or MAINTENANCE ticket about a unit needs a visit; assign this one instead.", ["id"]);
    }
    checks.refuseIfAny();

    const at = now();
    const today = localDate(at, ticket.slaCalendar.timeZone);
    const dispatch = await runDispatch(tx, loaders, ticket, { at, today, actor: identity.subject });
    const center = dispatch.serviceCenterId ? await loaders.knownDealerById.load(dispatch.serviceCenterId) : null;
    const { serviceCenterId, technicianId, explanation } = dispatch;
    return saveChange(tx, { identity, loaders, at }, ticket, {
      values: {
        dispatch,
        ...(center
          ? { status: "ASSIGNED" as const, serviceCenterId: center.id, technicianId, slaCalendarDealerId: center.id, slaCalendar: center.calendar }
          : {}),
      },
      timeline: [
        { change: { kind: "DISPATCHED", serviceCenterId, technicianId, explanation }, note: null },
        ...(center ? [{ change: { kind: "STATUS" as const, from: ticket.status, to: "ASSIGNED" as const }, note: null }] : []),
      ],
      ...(center ? { event: "ticket.status_changed" as const } : {}),
    });
  });
};
