import { loaderByKey, loaderOfMany, type Database, type Identity, type SubgraphContext } from "@aftersales/kit";
import { findCustomersByIds } from "./customers.js";
import { findBusinessHoursByDealerIds, findDealersByIds, findHolidaysByDealerIds } from "./dealers.js";
import { findTechniciansByIds, findTechniciansByServiceCenterIds } from "./technicians.js";

/**
 * Per-request loaders: every entity and relation is read in batches, one
 * statement per batch, scoped to the caller (a DEALER's foreign customer or
 * technician loads as null, exactly like an unknown id; ANALYSTs load no
 * personal data). Dealers are a directory every caller reads whole.
 */
export function createLoaders(db: Database, identity: Identity) {
  return {
    dealerById: loaderByKey((ids) => findDealersByIds(db, ids), (row) => row.id),
    businessHoursByDealerId: loaderOfMany((ids) => findBusinessHoursByDealerIds(db, ids), (row) => row.dealerId),
    holidaysByDealerId: loaderOfMany((ids) => findHolidaysByDealerIds(db, ids), (row) => row.dealerId),
    technicianById: loaderByKey((ids) => findTechniciansByIds(db, ids, identity), (row) => row.id),
    techniciansByServiceCenterId: loaderOfMany(
      (ids) => findTechniciansByServiceCenterIds(db, ids, identity),
      (row) => row.serviceCenterId,
    ),
    customerById: loaderByKey((ids) => findCustomersByIds(db, ids, identity), (row) => row.id),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver of this subgraph receives as its context. */
export type Context = SubgraphContext<Loaders>;
