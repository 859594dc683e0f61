import { checkOwnDealer, InputChecks, mutationPayload, namedServiceCenter, requireRole } from "@aftersales/kit";
import { saveChange } from "../../db/changes.js";
import { recordPartsUsed } from "../../db/parts.js";
import { lockTicketInScope } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { FINAL_STATUSES } from "../../domain/lifecycle.js";
import type { MutationResolvers } from "../../generated/graphql.js";

const MAX_LINES = 50;
const MAX_QUANTITY = 1000;

export const recordTicketParts: MutationResolvers["recordTicketParts"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "record parts used");
  return mutationPayload("ticket", db, async (tx) => {
    const ticket = await lockTicketInScope(tx, identity, input);
    const checks = new InputChecks<TicketErrorCode>();
    // A resolved ticket may still get the parts its repair used; a closed or cancelled one is history.
    if (FINAL_STATUSES.includes(ticket.status)) checks.add("INVALID_TRANSITION", `A ${ticket.status} ticket takes no more parts.`, ["id"]);
    const serviceCenterId = input.serviceCenterId?.trim() || ticket.serviceCenterId;
    if (!serviceCenterId) checks.add("REQUIRED", "The ticket has no service center yet: name the one whose stock the parts came from.", ["serviceCenterId"]);
    if (serviceCenterId) checkOwnDealer(checks, identity, serviceCenterId, ["serviceCenterId"]);
    const center = serviceCenterId ? await namedServiceCenter(checks, identity, serviceCenterId, loaders.knownDealerById, ["serviceCenterId"]) : null;
    if (input.parts.length === 0 || input.parts.length > MAX_LINES) {
      checks.add("OUT_OF_RANGE", `List 1 to ${MAX_LINES} parts.`, ["parts"]);
    }
    const products = await Promise.all(input.parts.map((part) => loaders.knownProductById.load(part.partId)));
    const parts = input.parts.map((part, i) => {
      checks.range(part.quantity, ["parts", i, "quantity"], 1, MAX_QUANTITY);
      if (products[i]?.kind !== "SPARE_PART") checks.add("PART_NOT_FOUND", `No spare part has the id \`${part.partId}\`.`, ["parts", i, "partId"]);
      if (input.parts.findIndex((other) => other.partId === part.partId) !== i) {
        checks.add("DUPLICATE_PART", `Part \`${part.partId}\` is listed twice; give it once with the total quantity.`, ["parts", i, "partId"]);
      }
      return { partId: part.partId, quantity: part.quantity };
    });
    const note = checks.optionalText(input.note, ["note"], 5000);
    checks.refuseIfAny();
    if (!center) throw new Error("checks passed without a service center");

    const at = now();
    const saved = await saveChange(tx, { identity, loaders, at }, ticket, {
      values: {},
      timeline: [{ change: { kind: "PARTS", serviceCenterId: center.id, parts }, note }],
    });
    await recordPartsUsed(tx, saved, { serviceCenterId: center.id, parts, at, identity });
    loaders.partsByTicketId.clear(saved.id);
    return saved;
  });
};
