import type { Database } from "@aftersales/kit";
import { decideDispatch, type DispatchDecision } from "../domain/dispatch.js";
import { openWork } from "./assignments.js";
import type { Loaders } from "./loaders.js";
import { findActiveTechnicians, findAuthorizedServiceCenters } from "./projections.js";

/**
 * Gathers what dispatch weighs (the customer's area, the product's
 * category, the service centers authorized on `today`, their technicians
 * and open work across every dealer) and lets the rule decide.
 */
export async function runDispatch(
  tx: Database,
  loaders: Loaders,
  ticket: { customerId: string; productId: string | null },
  context: { at: Date; today: string; actor: string },
): Promise<DispatchDecision> {
  const [customer, product] = await Promise.all([
    loaders.knownCustomerById.load(ticket.customerId),
    ticket.productId ? loaders.knownProductById.load(ticket.productId) : null,
  ]);
  const area = customer?.areaLatitude != null && customer.areaLongitude != null ? { latitude: customer.areaLatitude, longitude: customer.areaLongitude } : null;
  const centers = area ? await findAuthorizedServiceCenters(tx, context.today) : [];
  const ids = centers.map((center) => center.id);
  const [technicians, work] = ids.length
    ? await Promise.all([findActiveTechnicians(tx, ids), openWork(tx, ids)])
    : [[], { byCenter: new Map(), byTechnician: new Map() }];
  return decideDispatch({
    area,
    category: product?.category ?? "",
    centers,
    technicians,
    openTicketsByCenter: work.byCenter,
    openTicketsByTechnician: work.byTechnician,
    at: context.at,
    actor: context.actor,
  });
}
