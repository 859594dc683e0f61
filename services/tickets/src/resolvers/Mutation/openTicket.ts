import { ALWAYS_OPEN, dealerScopeOf, findByIdempotencyKey, inputHash, localDate, mutationPayload, replayOf, requireRole } from "@aftersales/kit";
import { runDispatch } from "../../db/dispatch.js";
import { findContractCoveringUnit } from "../../db/projections.js";
import { recordOpening } from "../../db/opening.js";
import { settleSla } from "../../db/sla.js";
import { unitByReference } from "../../db/unitReference.js";
import { serviceTickets } from "../../db/schema.js";
import { nextTicketSequence } from "../../db/tickets.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import { needsVisit } from "../../domain/dispatch.js";
import { checkCustomer, checkOpening, checkUnit, mayServeCustomer, mayServeUnit, openingSla } from "../../domain/opening.js";
import { ticketNumber } from "../../domain/ticket.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const openTicket: MutationResolvers["openTicket"] = (_, { input }, { db, identity, loaders, now }) => {
  requireRole(identity, WORKS_TICKETS, "open tickets");
  return mutationPayload("ticket", db, async (tx) => {
    const opening = checkOpening(input);
    const { checks, key, customerId, draft } = opening;
    const own = dealerScopeOf(identity);
    const found = customerId ? await loaders.knownCustomerById.confirmed(customerId, (c) => mayServeCustomer(own, c)) : null;
    const customer = found && mayServeCustomer(own, found) ? found : null;
    checkCustomer(opening, customer);
    if (customer && key) {
      const replay = replayOf(await findByIdempotencyKey(tx, serviceTickets, customer.homeDealerId, key), input);
      if (replay) return replay;
    }
    const servable = (u: { dealerId: string | null; customerId: string | null }) => mayServeUnit(own, u, customer?.id ?? null);
    const named = await unitByReference(checks, loaders, input, "unit", (u) => servable(u) && u.customerId === customer?.id);
    const unit = named.unit && servable(named.unit) ? named.unit : null;
    checkUnit(opening, { named: named.named, field: named.field, row: unit }, customer);
    checks.refuseIfAny();
    if (!customer) throw new Error("checks passed without a customer");

    const openedAt = now();
    const dealer = await loaders.knownDealerById.load(customer.homeDealerId);
    // Until the dealer's calendar has arrived (its event is applied before its customers'), the clock runs around the clock.
    const dealerCalendar = dealer?.calendar ?? ALWAYS_OPEN;
    const today = localDate(openedAt, dealerCalendar.timeZone);
    const dispatch = needsVisit(draft.kind, unit?.id ?? null)
      ? await runDispatch(tx, loaders, { customerId: customer.id, productId: unit?.productId ?? null }, { at: openedAt, today, actor: identity.subject })
      : null;
    const center = dispatch?.serviceCenterId ? await loaders.knownDealerById.load(dispatch.serviceCenterId) : null;
    const { settings: sla, started } = openingSla(
      draft.priority,
      unit ? await findContractCoveringUnit(tx, unit.id, today) : null,
      await loaders.slaPolicyByDealerId.load(customer.homeDealerId),
      center ? { dealerId: center.id, calendar: center.calendar } : { dealerId: customer.homeDealerId, calendar: dealerCalendar },
      openedAt,
    );
    const { columns } = settleSla(sla, started, openedAt);
    return recordOpening(tx, identity, {
      values: {
        number: ticketNumber(await nextTicketSequence(tx), openedAt),
        dealerId: customer.homeDealerId,
        customerId: customer.id,
        unitId: unit?.id ?? null,
        productId: unit?.productId ?? null,
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
      },
      started,
      reached: dispatch
        ? { kind: "DISPATCHED", serviceCenterId: dispatch.serviceCenterId, technicianId: dispatch.technicianId, explanation: dispatch.explanation }
        : null,
    });
  });
};
