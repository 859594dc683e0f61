import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const addTicketNote: MutationResolvers["addTicketNote"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "add notes to tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    const note = checks.text(input.note, ["note"], 5000);
    checks.refuseIfAny();
    // A note is a change too: the version moves, so a writer holding the old one learns of it.
    return saveChange(tx, { identity, loaders, at: now() }, ticket, { values: {}, timeline: [{ change: { kind: "NOTE" }, note }] });
  });
};
