import { badUserInput, pageOf, selects, toConnection } from "@aftersales/kit";
import { atRiskOrder, countTickets, countTicketsAtRisk, listTickets, listTicketsAtRisk, listTicketsWithSlaEvents, TICKET_ORDERS } from "../db/tickets.js";
import type { QueryResolvers } from "../generated/graphql.js";

/** A week: further ahead is planning, not risk. */
const MAX_RISK_MINUTES = 7 * 24 * 60;

export const Query: QueryResolvers = {
  ticket: (_, { id, number }, { loaders }) => {
    if (id && !number) return loaders.ticketById.load(id);
    if (number && !id) return loaders.ticketByNumber.load(number.trim().toUpperCase());
    throw badUserInput("Give exactly one of `id` and `number`.");
  },
  tickets: async (_, { filter, orderBy, ...args }, { db, identity, loaders, now }, info) => {
    const orderName = orderBy ?? "OPENED_NEWEST";
    const order = TICKET_ORDERS[orderName];
    const page = pageOf(args, order);
    const at = now();
    const count = () => countTickets(db, identity, filter ?? {}, at);
    if (!selects(info, ["edges", "node", "sla"])) return toConnection(await listTickets(db, identity, filter ?? {}, orderName, page, at), page, order, count);
    // The SLA events come with the page, and their loader answers `Ticket.sla` from them.
    const rows = await listTicketsWithSlaEvents(db, identity, filter ?? {}, orderName, page, at);
    for (const { ticket, slaEvents } of rows) loaders.slaEventsByTicketId.prime(ticket.id, slaEvents);
    return toConnection(
      rows.map(({ ticket }) => ticket),
      page,
      order,
      count,
    );
  },
  ticketsAtRisk: async (_, { within, ...args }, { db, identity, now }) => {
    if (!Number.isInteger(within) || within < 1 || within > MAX_RISK_MINUTES) {
      throw badUserInput(`\`within\` must be between 1 and ${MAX_RISK_MINUTES} minutes.`, "within");
    }
    const page = pageOf(args, atRiskOrder);
    const at = now();
    const until = new Date(at.getTime() + within * 60_000);
    return toConnection(await listTicketsAtRisk(db, identity, at, until, page), page, atRiskOrder, () => countTicketsAtRisk(db, identity, at, until));
  },
};
