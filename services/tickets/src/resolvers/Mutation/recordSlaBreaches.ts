import { mutationPayload, requireRole } from "@aftersales/kit";
import { appendSlaEvents, findSlaEventsByTicketIds, lockTicketsPastDue, saveSlaColumns, settleSla, toSlaEvent } from "../../db/sla.js";
import { STAFF } from "../../domain/access.js";
import type { MutationResolvers } from "../../generated/graphql.js";

/** Tickets settled per run; a run every minute keeps up with far more breaches than that. */
const BATCH = 500;

export const recordSlaBreaches: MutationResolvers["recordSlaBreaches"] = (_, __, { db, identity, now }) => {
  requireRole(identity, STAFF, "record SLA breaches");
  return mutationPayload("recorded", db, async (tx) => {
    const at = now();
    const tickets = await lockTicketsPastDue(tx, at, BATCH);
    if (tickets.length === 0) return 0;
    const events = await findSlaEventsByTicketIds(
      tx,
      tickets.map((ticket) => ticket.id),
    );
    let recorded = 0;
    for (const ticket of tickets) {
      const own = events.filter((event) => event.ticketId === ticket.id).map(toSlaEvent);
      const { columns, breaches } = settleSla(ticket, own, at);
      await appendSlaEvents(tx, ticket, own.length, [], breaches);
      await saveSlaColumns(tx, ticket.id, columns);
      recorded += breaches.length;
    }
    return recorded;
  });
};
