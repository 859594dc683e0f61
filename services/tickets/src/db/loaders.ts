import { loaderByKey, loaderByParent, loaderOfMany, type Database, type Identity, type Page, type SubgraphContext } from "@aftersales/kit";
import { findKnownCustomersByIds, findKnownDealersByIds, findKnownUnitsByIds, findKnownUnitsBySerialNumbers } from "./projections.js";
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
    ticketPageByCustomerId: loaderByParent((ids, page: Page) => findTicketPagesByCustomerIds(db, identity, ids, page), (row) => row.customerId),
    ticketPageByUnitId: loaderByParent((ids, page: Page) => findTicketPagesByUnitIds(db, identity, ids, page), (row) => row.unitId ?? ""),
    knownCustomerById: loaderByKey((ids) => findKnownCustomersByIds(db, ids), (row) => row.id),
    knownDealerById: loaderByKey((ids) => findKnownDealersByIds(db, ids), (row) => row.id),
    knownUnitById: loaderByKey((ids) => findKnownUnitsByIds(db, ids), (row) => row.id),
    knownUnitBySerialNumber: loaderByKey((serials) => findKnownUnitsBySerialNumbers(db, serials), (row) => row.serialNumber),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
