import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { lendUnit, loanerOut } from "../../db/loaners.js";
import type { KnownUnitRow } from "../../db/schema.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { unitByReference } from "../../db/unitReference.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { isOpen } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const issueLoaner: MutationResolvers["issueLoaner"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "lend loaner units");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    if (!isOpen(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket is no longer worked, so no loaner is lent on it.`, ["id"]);
    if (await loanerOut(tx, ticket.id)) checks.add("LOANER_ALREADY_ISSUED", "A loaner is already out on this ticket; record its return first.", ["id"]);
    // A loaner is a unit on a shelf (in stock, nobody's) of the dealer or of the service center doing the work.
    const isLendable = (u: KnownUnitRow) =>
      u.customerId === null && u.status === "IN_STOCK" && (u.dealerId === ticket.dealerId || u.dealerId === ticket.serviceCenterId);
    const { named, field, unit } = await unitByReference(checks, loaders, input, "loaner", isLendable);
    if (!named) checks.add("REQUIRED", "Name the loaner by `unitId` or `serialNumber`.", ["unitId"]);
    const lendable = unit && isLendable(unit);
    if (named && !lendable) checks.add("LOANER_NOT_FOUND", `No unit in stock of the ticket's dealer or service center has the ${field} \`${named}\`.`, [field]);
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();
    if (!unit) throw new Error("checks passed without a loaner");

    const at = now();
    const saved = await saveChange(tx, { identity, loaders, at }, ticket, {
      values: {},
      timeline: [{ change: { kind: "LOANER_ISSUED", unitId: unit.id, serialNumber: unit.serialNumber }, note }],
    });
    if (!(await lendUnit(tx, saved, unit.id, at, identity))) {
      // Lent on another ticket, perhaps another dealer's: refused, and the savepoint takes the timeline entry back.
      checks.add("LOANER_ALREADY_LENT", `Unit ${unit.serialNumber} is lent on another open ticket.`, [field]);
      checks.refuseIfAny();
    }
    loaders.loanersByTicketId.clear(saved.id);
    return saved;
  });
};
