import { checkOwnDealer, InputChecks, mutationPayload, namedServiceCenter, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { isOpen } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const assignTicket: MutationResolvers["assignTicket"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "assign tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const serviceCenterId = checks.text(input.serviceCenterId, ["serviceCenterId"], 64);
    checkOwnDealer(checks, identity, serviceCenterId, ["serviceCenterId"]);
    const center = serviceCenterId ? await namedServiceCenter(checks, identity, serviceCenterId, loaders.knownDealerById, ["serviceCenterId"]) : null;
    const technicianId = input.technicianId?.trim() || null;
    const works = (t: { active: boolean; serviceCenterId: string }) => t.active && t.serviceCenterId === serviceCenterId;
    const technician = technicianId ? await loaders.knownTechnicianById.confirmed(technicianId, works) : null;
    if (technicianId && (!technician || !works(technician))) {
      checks.add("TECHNICIAN_NOT_FOUND", `No active technician of this service center has the id \`${technicianId}\`.`, ["technicianId"]);
    }
    if (!isOpen(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket is no longer worked, so it cannot be assigned.`, ["id"]);
    const reason = checks.optionalText(input.reason, ["reason"], 1000);
    // Dispatch's choice is on record; going elsewhere says why, so the record stays honest.
    const overrides = ticket.dispatch?.serviceCenterId != null && ticket.dispatch.serviceCenterId !== serviceCenterId;
    if (overrides && !reason) {
      checks.add("OVERRIDE_REASON_REQUIRED", `Dispatch chose service center ${ticket.dispatch?.serviceCenterId}; say why the ticket goes to another.`, [
        "reason",
      ]);
    }
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();
    if (!center) throw new Error("checks passed without a service center");

    const at = now();
    // Back to dispatch's choice: no override stands any more (the timeline keeps the one there was).
    const override = overrides && reason ? { serviceCenterId: center.id, reason, actor: identity.subject, at: at.toISOString() } : null;
    return saveChange(tx, { identity, loaders, at }, ticket, {
      values: {
        serviceCenterId: center.id,
        technicianId,
        ...(ticket.status === "NEW" ? { status: "ASSIGNED" as const } : {}),
        // The deadlines run in the hours of whoever does the work, recomputed from the ticket's opening.
        slaCalendarDealerId: center.id,
        slaCalendar: center.calendar,
        ...(ticket.dispatch ? { dispatch: { ...ticket.dispatch, override } } : {}),
      },
      timeline: [
        {
          change: { kind: "ASSIGNED", serviceCenterId: center.id, technicianId, overridesDispatch: override !== null },
          note: [reason, note].filter(Boolean).join("\n") || null,
        },
        ...(ticket.status === "NEW" ? [{ change: { kind: "STATUS" as const, from: ticket.status, to: "ASSIGNED" as const }, note: null }] : []),
      ],
      ...(ticket.status === "NEW" ? { event: "ticket.status_changed" as const } : {}),
    });
  });
};
