import { InputChecks, mutationPayload, requireRole, type UserError } from "@aftersales/kit";
import { saveChange, statusChange } from "../../db/changes.js";
import { loanerOut } from "../../db/loaners.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { checkTransition, FINAL_STATUSES } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const changeTicketStatus: MutationResolvers["changeTicketStatus"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "change tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const at = now();
    const refusal = checkTransition({
      from: ticket.status,
      to: input.status,
      resolvedAt: ticket.resolvedAt,
      now: at,
      hasAssignee: ticket.serviceCenterId !== null,
    });
    if (refusal) checks.add(refusal.code satisfies UserError<TicketErrorCode>["code"], refusal.message, ["status"]);
    const resolution = checks.optionalText(input.resolution, ["resolution"], 5000);
    if (input.status === "RESOLVED" && !resolution) checks.add("REQUIRED", "Say how the ticket was resolved.", ["resolution"]);
    const note = checks.optionalText(input.note, ["note"], 5000);
    if (!refusal && FINAL_STATUSES.includes(input.status)) {
      const loaner = await loanerOut(tx, ticket.id);
      if (loaner) {
        const serial = (await loaders.knownUnitById.load(loaner.unitId))?.serialNumber ?? loaner.unitId;
        checks.add("LOANER_NOT_RETURNED", `Loaner ${serial} is still with the customer: record its return before the ticket is ${input.status}.`, ["status"]);
      }
    }
    checks.refuseIfAny();

    return saveChange(tx, { identity, loaders, at }, ticket, statusChange(ticket, input.status, at, { resolution, note }));
  });
};
