import {
  copyLoader,
  countLoaderByParent,
  loaderByKey,
  loaderByParent,
  loaderOfMany,
  type Database,
  type Identity,
  type Page,
  type Peers,
  type SubgraphContext,
} from "@aftersales/kit";
import { findLoanersByTicketIds } from "./loaners.js";
import { findPartsByTicketIds } from "./parts.js";
import {
  CUSTOMERS,
  DEALERS,
  findKnownCustomersByIds,
  findKnownDealersByIds,
  findKnownProductsByIds,
  findKnownTechniciansByIds,
  findKnownUnitsByIds,
  findKnownUnitsBySerialNumbers,
  PRODUCTS,
  TECHNICIANS,
  UNITS,
} from "./projections.js";
import { findSlaEventsByTicketIds, findSlaPoliciesByDealerIds } from "./sla.js";
import {
  countTicketsByCustomerIds,
  countTicketsByUnitIds,
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
export function createLoaders(db: Database, identity: Identity, peers: Peers | null) {
  return {
    ticketById: loaderByKey(
      (ids) => findTicketsByIds(db, identity, ids),
      (row) => row.id,
    ),
    ticketByNumber: loaderByKey(
      (numbers) => findTicketsByNumbers(db, identity, numbers),
      (row) => row.number,
    ),
    timelineByTicketId: loaderOfMany(
      (ids) => findTimelinesByTicketIds(db, ids),
      (row) => row.ticketId,
    ),
    slaEventsByTicketId: loaderOfMany(
      (ids) => findSlaEventsByTicketIds(db, ids),
      (row) => row.ticketId,
    ),
    partsByTicketId: loaderOfMany(
      (ids) => findPartsByTicketIds(db, ids),
      (row) => row.ticketId,
    ),
    loanersByTicketId: loaderOfMany(
      (ids) => findLoanersByTicketIds(db, ids),
      (row) => row.ticketId,
    ),
    ticketPageByCustomerId: loaderByParent(
      (ids, page: Page) => findTicketPagesByCustomerIds(db, identity, ids, page),
      (row) => row.customerId,
    ),
    ticketPageByUnitId: loaderByParent(
      (ids, page: Page) => findTicketPagesByUnitIds(db, identity, ids, page),
      (row) => row.unitId ?? "",
    ),
    ticketCountByCustomerId: countLoaderByParent((ids) => countTicketsByCustomerIds(db, identity, ids)),
    ticketCountByUnitId: countLoaderByParent((ids) => countTicketsByUnitIds(db, identity, ids)),
    slaPolicyByDealerId: loaderByKey(
      (ids) => findSlaPoliciesByDealerIds(db, ids),
      (row) => row.dealerId,
    ),
    // Copies of other subgraphs' records; one their events have not brought yet is asked of its owner.
    knownCustomerById: copyLoader(db, peers, CUSTOMERS, findKnownCustomersByIds),
    knownDealerById: copyLoader(db, peers, DEALERS, findKnownDealersByIds),
    knownUnitById: copyLoader(db, peers, UNITS, findKnownUnitsByIds),
    knownUnitBySerialNumber: copyLoader(db, peers, UNITS, findKnownUnitsBySerialNumbers, "serialNumber"),
    knownProductById: copyLoader(db, peers, PRODUCTS, findKnownProductsByIds),
    knownTechnicianById: copyLoader(db, peers, TECHNICIANS, findKnownTechniciansByIds),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
