import { checkOwnDealer, InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendTimeline, emitTicketEvent, lockTicketInScope, saveTicket } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { isOpen } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

const SERVICE_CENTER_KINDS = ["SERVICE_CENTER", "BOTH"];

export const assignTicket: MutationResolvers["assignTicket"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, WORKS_TICKETS, "assign tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const serviceCenterId = checks.text(input.serviceCenterId, ["serviceCenterId"], 64);
    checkOwnDealer(checks, identity, serviceCenterId, ["serviceCenterId"]);
    const center = serviceCenterId ? await loaders.knownDealerById.load(serviceCenterId) : null;
    if (serviceCenterId && (!center || !SERVICE_CENTER_KINDS.includes(center.kind))) {
      checks.add("SERVICE_CENTER_NOT_FOUND", `No service center has the id \`${serviceCenterId}\`.`, ["serviceCenterId"]);
    }
    if (!isOpen(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket is no longer worked, so it cannot be assigned.`, ["id"]);
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();

    const saved = await saveTicket(tx, ticket.id, {
      serviceCenterId,
      technicianId: null,
      ...(ticket.status === "NEW" ? { status: "ASSIGNED" as const } : {}),
    });
    await appendTimeline(tx, saved, { change: { kind: "ASSIGNED", serviceCenterId, technicianId: null }, note, identity });
    if (saved.status !== ticket.status) {
      await appendTimeline(tx, saved, { change: { kind: "STATUS", from: ticket.status, to: saved.status }, note: null, identity });
      await emitTicketEvent(tx, "ticket.status_changed", saved);
    }
    loaders.timelineByTicketId.clear(saved.id);
    return saved;
  });
};
