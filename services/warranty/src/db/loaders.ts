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
import { findClaimsByIds, findClaimsByNumbers, findClaimsByUnitIds, findHistoryByClaimIds, findLinesByClaimIds } from "./claims.js";
import {
  findContractsByCustomerIds,
  findContractsByIds,
  findContractsByNumbers,
  findContractsByUnitIds,
  findContractUnitsByContractIds,
  findPlansByIds,
  listPlans,
} from "./contracts.js";
import { findPoliciesByProductIds } from "./policies.js";
import {
  CUSTOMERS,
  DEALERS,
  findKnownCustomersByIds,
  findKnownDealersByIds,
  findKnownProductsByIds,
  findKnownTicketsByIds,
  PRODUCTS,
  TICKETS,
  UNITS,
} from "./projections.js";
import {
  findContractTermsByUnitIds,
  countExpiringByDealerIds,
  findExpiringPagesByDealerIds,
  findKnownUnitsByIds,
  findKnownUnitsBySerialNumbers,
} from "./units.js";
import { countDueByDealerIds, findDuePagesByDealerIds, findVisitsByContractIds, findVisitsByIds, findVisitsByUnitIds } from "./visits.js";

/**
 * Per-request loaders: every entity and relation is read in batches, one
 * statement per batch, in the caller's scope (a DEALER's loaders never see
 * another dealer's contracts, visits or claims: null or empty, as for an
 * unknown key). Policies, plans and the copies of other subgraphs' facts are
 * the same for everyone.
 */
export function createLoaders(db: Database, identity: Identity, peers: Peers | null) {
  return {
    policiesByProductId: loaderOfMany(
      (ids) => findPoliciesByProductIds(db, ids),
      (row) => row.productId,
    ),
    planById: loaderByKey(
      (ids) => findPlansByIds(db, ids),
      (row) => row.id,
    ),
    /** The plans on offer, read once per request however many units ask for prices. */
    offeredPlans: loaderOfMany(
      (_: readonly "offered"[]) => listPlans(db, false),
      () => "offered" as const,
    ),

    // Copies of other subgraphs' records; one their events have not brought yet is asked of its owner.
    knownUnitById: copyLoader(db, peers, UNITS, findKnownUnitsByIds),
    knownUnitBySerialNumber: copyLoader(db, peers, UNITS, findKnownUnitsBySerialNumbers, "serialNumber"),
    knownProductById: copyLoader(db, peers, PRODUCTS, findKnownProductsByIds),
    knownDealerById: copyLoader(db, peers, DEALERS, findKnownDealersByIds),
    knownCustomerById: copyLoader(db, peers, CUSTOMERS, findKnownCustomersByIds),
    knownTicketById: copyLoader(db, peers, TICKETS, findKnownTicketsByIds),
    contractTermsByUnitId: loaderOfMany(
      (ids) => findContractTermsByUnitIds(db, ids),
      (row) => row.unitId,
    ),

    contractById: loaderByKey(
      (ids) => findContractsByIds(db, identity, ids),
      (row) => row.id,
    ),
    contractByNumber: loaderByKey(
      (numbers) => findContractsByNumbers(db, identity, numbers),
      (row) => row.number,
    ),
    contractsByCustomerId: loaderOfMany(
      (ids) => findContractsByCustomerIds(db, identity, ids),
      (row) => row.customerId,
    ),
    contractsByUnitId: loaderOfMany(
      (ids) => findContractsByUnitIds(db, identity, ids),
      (row) => row.unitId,
    ),
    contractUnitsByContractId: loaderOfMany(
      (ids) => findContractUnitsByContractIds(db, ids),
      (row) => row.contractId,
    ),

    visitById: loaderByKey(
      (ids) => findVisitsByIds(db, identity, ids),
      (row) => row.id,
    ),
    visitsByUnitId: loaderOfMany(
      (ids) => findVisitsByUnitIds(db, identity, ids),
      (row) => row.unitId,
    ),
    visitsByContractId: loaderOfMany(
      (ids) => findVisitsByContractIds(db, identity, ids),
      (row) => row.contractId,
    ),
    dueVisitPageByDealerId: loaderByParent(
      (ids, args: { asOf: string; within: number; page: Page }) => findDuePagesByDealerIds(db, ids, args, args.page),
      (row) => row.dealerId,
    ),
    expiringPageByDealerId: loaderByParent(
      (ids, args: { asOf: string; within: number; page: Page }) => findExpiringPagesByDealerIds(db, ids, args, args.page),
      (row) => row.dealerId,
    ),
    dueVisitCountByDealerId: countLoaderByParent((ids, args: { asOf: string; within: number }) => countDueByDealerIds(db, ids, args)),
    expiringCountByDealerId: countLoaderByParent((ids, args: { asOf: string; within: number }) => countExpiringByDealerIds(db, ids, args)),

    claimById: loaderByKey(
      (ids) => findClaimsByIds(db, identity, ids),
      (row) => row.id,
    ),
    claimByNumber: loaderByKey(
      (numbers) => findClaimsByNumbers(db, identity, numbers),
      (row) => row.number,
    ),
    claimsByUnitId: loaderOfMany(
      (ids) => findClaimsByUnitIds(db, identity, ids),
      (row) => row.unitId,
    ),
    linesByClaimId: loaderOfMany(
      (ids) => findLinesByClaimIds(db, ids),
      (row) => row.claimId,
    ),
    historyByClaimId: loaderOfMany(
      (ids) => findHistoryByClaimIds(db, ids),
      (row) => row.claimId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
