import { dealerScopeOf, inputHash, InputChecks, mutationPayload, replayOf, requireRole } from "@aftersales/kit";
import { appendTimeline, emitTicketEvent, findTicketByIdempotencyKey, insertTicket, nextTicketSequence } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { checkTicketDraft, ticketNumber } from "../../domain/ticket.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const openTicket: MutationResolvers["openTicket"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, WORKS_TICKETS, "open tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const checks = new InputChecks<TicketErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const draft = checkTicketDraft(checks, {
      kind: input.kind,
      channel: input.channel,
      priority: input.priority ?? "P3",
      subject: input.subject,
      description: input.description ?? null,
      failureCode: input.failureCode ?? null,
    });
    const own = dealerScopeOf(identity);
    // Another dealer's customer or unit is answered like an unknown one.
    const customer = customerId ? await loaders.knownCustomerById.load(customerId) : null;
    const visibleCustomer = customer && (own === null || customer.homeDealerId === own) ? customer : null;
    if (customerId && !visibleCustomer) checks.add("CUSTOMER_NOT_FOUND", `No customer has the id \`${customerId}\`.`, ["customerId"]);
    if (visibleCustomer && key) {
      const replay = replayOf(await findTicketByIdempotencyKey(tx, visibleCustomer.homeDealerId, key), input);
      if (replay) return replay;
    }

    const unitId = input.unitId?.trim() || null;
    const serialNumber = input.serialNumber?.trim() || null;
    if (unitId && serialNumber) checks.add("UNIT_REFERENCE_AMBIGUOUS", "Give the unit by `unitId` or by `serialNumber`, not both.", ["unitId"]);
    const field = unitId ? "unitId" : "serialNumber";
    const unit = unitId ? await loaders.knownUnitById.load(unitId) : serialNumber ? await loaders.knownUnitBySerialNumber.load(serialNumber) : null;
    // A dealer services its customers' units wherever they were bought; other units of other dealers stay unknown to it.
    const visibleUnit = unit && (own === null || unit.dealerId === own || unit.customerId === visibleCustomer?.id) ? unit : null;
    if ((unitId || serialNumber) && !visibleUnit) checks.add("UNIT_NOT_FOUND", `No unit has the ${field} \`${unitId ?? serialNumber}\`.`, [field]);
    else if (visibleUnit && visibleCustomer && visibleUnit.customerId !== visibleCustomer.id) {
      checks.add("UNIT_NOT_CUSTOMERS", `The unit ${visibleUnit.serialNumber} does not belong to this customer.`, [field]);
    }
    checks.refuseIfAny();
    if (!visibleCustomer) throw new Error("checks passed without a customer");

    const openedAt = new Date();
    const ticket = await insertTicket(tx, {
      number: ticketNumber(await nextTicketSequence(tx), openedAt),
      dealerId: visibleCustomer.homeDealerId,
      customerId: visibleCustomer.id,
      unitId: visibleUnit?.id ?? null,
      productId: visibleUnit?.productId ?? null,
      ...draft,
      status: "NEW",
      serviceCenterId: null,
      technicianId: null,
      openedAt,
      resolvedAt: null,
      closedAt: null,
      resolution: null,
      idempotencyKey: key,
      inputHash: key ? inputHash(input) : null,
    });
    await appendTimeline(tx, ticket, { change: { kind: "OPENED" }, note: null, identity });
    await emitTicketEvent(tx, "ticket.opened", ticket);
    return ticket;
  });
};
