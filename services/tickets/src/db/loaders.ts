import { loaderByKey, loaderByParent, loaderOfMany, type Database, type Identity, type Page, type SubgraphContext } from "@aftersales/kit";
import { findLoanersByTicketIds } from "./loaners.js";
import { findPartsByTicketIds } from "./parts.js";
import {
  findKnownCustomersByIds,
  findKnownDealersByIds,
  findKnownProductsByIds,
  findKnownTechniciansByIds,
  findKnownUnitsByIds,
  findKnownUnitsBySerialNumbers,
} from "./projections.js";
import { findSlaEventsByTicketIds, findSlaPoliciesByDealerIds } from "./sla.js";
import {
  findTicketPagesByCustomerIds,
  findTicketPagesByUnitIds,
  findTicketsByIds,
  findTicketsByNumbers,
  findTimelinesByTicketIds,
} from "./tickets.js";

/**
 * Per-request loaders, one statement per batch, in the caller's scope (a
 * DEALER's loaders never see another dealer's tickets). The copies of other
 * subgraphs' facts hold nothing personal and are read by everyone.
 */
export function createLoaders(db: Database, identity: Identity) {
  return {
    ticketById: loaderByKey((ids) => findTicketsByIds(db, identity, ids), (row) => row.id),
    ticketByNumber: loaderByKey((numbers) => findTicketsByNumbers(db, identity, numbers), (row) => row.number),
    timelineByTicketId: loaderOfMany((ids) => findTimelinesByTicketIds(db, ids), (row) => row.ticketId),
    slaEventsByTicketId: loaderOfMany((ids) => findSlaEventsByTicketIds(db, ids), (row) => row.ticketId),
    partsByTicketId: loaderOfMany((ids) => findPartsByTicketIds(db, ids), (row) => row.ticketId),
    loanersByTicketId: loaderOfMany((ids) => findLoanersByTicketIds(db, ids), (row) => row.ticketId),
    ticketPageByCustomerId: loaderByParent((ids, page: Page) => findTicketPagesByCustomerIds(db, identity, ids, page), (row) => row.customerId),
    ticketPageByUnitId: loaderByParent((ids, page: Page) => findTicketPagesByUnitIds(db, identity, ids, page), (row) => row.unitId ?? ""),
    slaPolicyByDealerId: loaderByKey((ids) => findSlaPoliciesByDealerIds(db, ids), (row) => row.dealerId),
    knownCustomerById: loaderByKey((ids) => findKnownCustomersByIds(db, ids), (row) => row.id),
    knownDealerById: loaderByKey((ids) => findKnownDealersByIds(db, ids), (row) => row.id),
    knownUnitById: loaderByKey((ids) => findKnownUnitsByIds(db, ids), (row) => row.id),
    knownUnitBySerialNumber: loaderByKey((serials) => findKnownUnitsBySerialNumbers(db, serials), (row) => row.serialNumber),
    knownProductById: loaderByKey((ids) => findKnownProductsByIds(db, ids), (row) => row.id),
    knownTechnicianById: loaderByKey((ids) => findKnownTechniciansByIds(db, ids), (row) => row.id),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
