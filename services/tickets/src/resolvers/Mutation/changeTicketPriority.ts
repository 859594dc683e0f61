import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendTimeline, lockTicketInScope, saveTicket } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { isOpen } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const changeTicketPriority: MutationResolvers["changeTicketPriority"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, WORKS_TICKETS, "change tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const reason = checks.text(input.reason, ["reason"], 2000);
    if (!isOpen(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket is no longer worked; its priority stays.`, ["id"]);
    checks.refuseIfAny();
    // The same priority again changes nothing and records nothing.
    if (input.priority === ticket.priority) return ticket;
    const saved = await saveTicket(tx, ticket.id, { priority: input.priority });
    await appendTimeline(tx, saved, { change: { kind: "PRIORITY", from: ticket.priority, to: input.priority }, note: reason, identity });
    loaders.timelineByTicketId.clear(saved.id);
    return saved;
  });
};
