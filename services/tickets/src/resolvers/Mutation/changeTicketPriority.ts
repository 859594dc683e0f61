import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { isOpen } from "../../domain/lifecycle.js";
import { slaTermsForPriority } from "../../domain/slaPolicy.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const changeTicketPriority: MutationResolvers["changeTicketPriority"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "change tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const reason = checks.text(input.reason, ["reason"], 2000);
    if (!isOpen(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket is no longer worked; its priority stays.`, ["id"]);
    checks.refuseIfAny();
    // The same priority again changes nothing and records nothing.
    if (input.priority === ticket.priority) return ticket;

    // New targets for the new priority, counted from the original start with the pauses so far.
    const terms = slaTermsForPriority(
      {
        source: ticket.slaSource,
        contractId: ticket.slaContractId,
        contractNumber: ticket.slaContractNumber,
        responseSeconds: ticket.responseTargetSeconds,
        resolutionSeconds: ticket.resolutionTargetSeconds,
        pausesOnWaitingParts: ticket.slaPausesOnWaitingParts,
      },
      input.priority,
      ticket.slaSource === "DEALER_POLICY" ? await loaders.slaPolicyByDealerId.load(ticket.dealerId) : null,
    );
    return saveChange(tx, { identity, loaders, at: now() }, ticket, {
      values: { priority: input.priority, responseTargetSeconds: terms.responseSeconds, resolutionTargetSeconds: terms.resolutionSeconds },
      timeline: [{ change: { kind: "PRIORITY", from: ticket.priority, to: input.priority }, note: reason }],
    });
  });
};
