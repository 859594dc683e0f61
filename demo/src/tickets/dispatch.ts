/** Where dispatch sends a ticket, worked out by the rule the tickets subgraph documents. */
import { decideDispatch } from "@aftersales/tickets/domain";
import type { DemoCustomer, DemoDealer } from "../world.js";
import type { DemoDispatch, TicketsWorldPart } from "./types.js";

const round2 = (degrees: number) => Math.round(degrees * 100) / 100;

/**
 * The tickets subgraph's own rule (`decideDispatch`) over the world's
 * service centers authorized as warranty workshops today (the subgraph's
 * query does this part) and the customer's area (partners rounds the
 * location to two decimals).
 */
export function dispatchOf(world: TicketsWorldPart, customer: DemoCustomer, category: string, openWork: ReadonlyMap<string, number>): DemoDispatch {
  const area = customer.location ? { latitude: round2(customer.location.latitude), longitude: round2(customer.location.longitude) } : null;
  const authorized = (d: DemoDealer) =>
    d.kind !== "DEALER" &&
    d.serviceRadiusKm > 0 &&
    d.warrantyWorkshop !== null &&
    d.warrantyWorkshop.authorizedFrom <= world.today &&
    (d.warrantyWorkshop.authorizedUntil === null || d.warrantyWorkshop.authorizedUntil >= world.today);
  const decision = decideDispatch({
    area,
    category,
    centers: world.dealers.filter(authorized).map((d) => ({ id: d.key, name: d.key, serviceRadiusKm: d.serviceRadiusKm, ...d.location })),
    technicians: world.technicians.map((t) => ({ id: t.key, serviceCenterId: t.serviceCenter, skills: t.skills, active: t.active })),
    openTicketsByCenter: openWork,
    openTicketsByTechnician: new Map(),
    at: new Date(0),
    actor: "demo",
  });
  const candidates = decision.candidates.map((c) => c.serviceCenterId);
  if (decision.serviceCenterId) return { serviceCenter: decision.serviceCenterId, none: null, candidates };
  const none = !area ? "NO_LOCATION" : candidates.length === 0 ? "OUT_OF_RANGE" : "NO_SKILLED_TECHNICIAN";
  return { serviceCenter: null, none, candidates };
}
