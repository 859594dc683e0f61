import { dealerScopeOf, findByIdempotencyKey, inputHash, InputChecks, localDate, mutationPayload, replayOf, requireRole } from "@aftersales/kit";
import { trackAssignment } from "../../db/assignments.js";
import { runDispatch } from "../../db/dispatch.js";
import { findContractCoveringUnit } from "../../db/projections.js";
import { ALWAYS_OPEN, appendSlaEvents, settleSla } from "../../db/sla.js";
import { unitByReference } from "../../db/unitReference.js";
import { serviceTickets, type KnownUnitRow } from "../../db/schema.js";
import { appendTimeline, emitTicketEvent, insertTicket, nextTicketSequence } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import { needsVisit } from "../../domain/dispatch.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import type { SlaEvent } from "../../domain/sla.js";
import { slaTerms } from "../../domain/slaPolicy.js";
import { checkTicketDraft, ticketNumber } from "../../domain/ticket.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const openTicket: MutationResolvers["openTicket"] = (_, { input }, { db, identity, loaders, now }) => {
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
    const mayActOnCustomer = (c: { homeDealerId: string }) => own === null || c.homeDealerId === own;
    const customer = customerId ? await loaders.knownCustomerById.confirmed(customerId, mayActOnCustomer) : null;
    const visibleCustomer = customer && mayActOnCustomer(customer) ? customer : null;
    if (customerId && !visibleCustomer) checks.add("CUSTOMER_NOT_FOUND", `No customer has the id \`${customerId}\`.`, ["customerId"]);
    if (visibleCustomer && key) {
      const replay = replayOf(await findByIdempotencyKey(tx, serviceTickets, visibleCustomer.homeDealerId, key), input);
      if (replay) return replay;
    }

    // A dealer services its customers' units wherever they were bought; other units of other dealers stay unknown to it.
    const mayActOnUnit = (u: KnownUnitRow) => own === null || u.dealerId === own || u.customerId === visibleCustomer?.id;
    const { named, field, unit } = await unitByReference(checks, loaders, input, "unit", (u) => mayActOnUnit(u) && u.customerId === visibleCustomer?.id);
    const visibleUnit = unit && mayActOnUnit(unit) ? unit : null;
    if (named && !visibleUnit) checks.add("UNIT_NOT_FOUND", `No unit has the ${field} \`${named}\`.`, [field]);
    else if (visibleUnit && visibleCustomer && visibleUnit.customerId !== visibleCustomer.id) {
      checks.add("UNIT_NOT_CUSTOMERS", `The unit ${visibleUnit.serialNumber} does not belong to this customer.`, [field]);
    }
    checks.refuseIfAny();
    if (!visibleCustomer) throw new Error("checks passed without a customer");

    const openedAt = now();
    const dealer = await loaders.knownDealerById.load(visibleCustomer.homeDealerId);
    // Until the dealer's calendar has arrived (its event is applied before its customers'), the clock runs around the clock.
    const dealerCalendar = dealer?.calendar ?? ALWAYS_OPEN;
    const today = localDate(openedAt, dealerCalendar.timeZone);
    const contract = visibleUnit ? await findContractCoveringUnit(tx, visibleUnit.id, today) : null;
    const terms = slaTerms(
      draft.priority,
      contract && contract.responseHours !== null && contract.resolutionHours !== null
        ? { id: contract.id, number: contract.number, responseHours: contract.responseHours, resolutionHours: contract.resolutionHours }
        : null,
      await loaders.slaPolicyByDealerId.load(visibleCustomer.homeDealerId),
    );
    const dispatch = needsVisit(draft.kind, visibleUnit?.id ?? null)
      ? await runDispatch(tx, loaders, { customerId: visibleCustomer.id, productId: visibleUnit?.productId ?? null }, { at: openedAt, today, actor: identity.subject })
      : null;
    const center = dispatch?.serviceCenterId ? await loaders.knownDealerById.load(dispatch.serviceCenterId) : null;
    const sla = {
      slaSource: terms.source,
      slaContractId: terms.contractId,
      slaContractNumber: terms.contractNumber,
      slaPausesOnWaitingParts: terms.pausesOnWaitingParts,
      slaCalendarDealerId: center?.id ?? visibleCustomer.homeDealerId,
      slaCalendar: center?.calendar ?? dealerCalendar,
      responseTargetSeconds: terms.responseSeconds,
      resolutionTargetSeconds: terms.resolutionSeconds,
    };
    const started: SlaEvent[] = [
      { clock: "RESPONSE", kind: "STARTED", at: openedAt },
      { clock: "RESOLUTION", kind: "STARTED", at: openedAt },
    ];
    const { columns } = settleSla(sla, started, openedAt);
    const ticket = await insertTicket(tx, {
      number: ticketNumber(await nextTicketSequence(tx), openedAt),
      dealerId: visibleCustomer.homeDealerId,
      customerId: visibleCustomer.id,
      unitId: visibleUnit?.id ?? null,
      productId: visibleUnit?.productId ?? null,
      ...draft,
      status: center ? "ASSIGNED" : "NEW",
      serviceCenterId: center?.id ?? null,
      technicianId: center ? (dispatch?.technicianId ?? null) : null,
      openedAt,
      resolvedAt: null,
      closedAt: null,
      resolution: null,
      idempotencyKey: key,
      inputHash: key ? inputHash(input) : null,
      ...sla,
      ...columns,
      dispatch,
    });
    await appendSlaEvents(tx, ticket, 0, started, []);
    await appendTimeline(tx, ticket, { change: { kind: "OPENED" }, note: null, actor: identity, at: openedAt });
    if (dispatch) {
      const { serviceCenterId, technicianId, explanation } = dispatch;
      await appendTimeline(tx, ticket, { change: { kind: "DISPATCHED", serviceCenterId, technicianId, explanation }, note: null, actor: identity, at: openedAt });
    }
    await emitTicketEvent(tx, "ticket.opened", ticket);
    if (ticket.serviceCenterId) await trackAssignment(tx, ticket);
    return ticket;
  });
};
