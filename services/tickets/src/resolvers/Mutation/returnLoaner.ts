import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { loanerOut, returnUnit } from "../../db/loaners.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const returnLoaner: MutationResolvers["returnLoaner"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "record loaner returns");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const loaner = await loanerOut(tx, ticket.id);
    if (!loaner) checks.add("NO_LOANER_OUT", "No loaner is out on this ticket.", ["id"]);
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();
    if (!loaner) throw new Error("checks passed without a loaner");

    const at = now();
    const serialNumber = (await loaders.knownUnitById.load(loaner.unitId))?.serialNumber ?? loaner.unitId;
    const saved = await saveChange(tx, { identity, loaders, at }, ticket, {
      values: {},
      timeline: [{ change: { kind: "LOANER_RETURNED", unitId: loaner.unitId, serialNumber }, note }],
    });
    await returnUnit(tx, saved, loaner, at, identity);
    loaders.loanersByTicketId.clear(saved.id);
    return saved;
  });
};
