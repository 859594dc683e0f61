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
import { CUSTOMERS, DEALERS, findKnownCustomersByIds, findKnownDealersByIds } from "./subscriptions.js";
import {
  findBomLinesByProductIds,
  findEquipmentByFittingIds,
  findFittingsByEquipmentIds,
  findLifecycleChangesByProductIds,
  findProductsByIds,
  findProductsBySkus,
  findProductsUsingPartIds,
  findRepairStandardsByProductIds,
} from "./products.js";
import {
  countDueForecastsByDealerIds,
  findDueForecastPagesByDealerIds,
  findDueForecastsByCustomerIds,
  findForecastsByKeys,
  type DueWindow,
  forecastKeyOf,
} from "./forecasts.js";
import { countPurchasesByCustomerIds, findPurchasePagesByCustomerIds } from "./purchases.js";
import { countStockByServiceCenterIds, findStockPagesByServiceCenterIds, type StockFilter } from "./stock.js";
import {
  countSoldUnitsByDealerIds,
  countUnitsByCustomerIds,
  findEventsByUnitIds,
  findSoldUnitPagesByDealerIds,
  findUnitPagesByCustomerIds,
  findUnitsByIds,
  findUnitsBySerialNumbers,
} from "./units.js";

/**
 * Per-request loaders: every entity and relation is read in batches, one
 * statement per batch, in the caller's scope (a DEALER's loaders never see
 * another dealer's units, purchases, forecasts or stock: null or empty, as
 * for an unknown key). Products are the same for everyone.
 */
export function createLoaders(db: Database, identity: Identity, peers: Peers | null) {
  return {
    // Partners' customers and dealers, for the references a change makes to them.
    knownCustomerById: copyLoader(db, peers, CUSTOMERS, findKnownCustomersByIds),
    knownDealerById: copyLoader(db, peers, DEALERS, findKnownDealersByIds),

    productById: loaderByKey(
      (ids) => findProductsByIds(db, ids),
      (row) => row.id,
    ),
    productBySku: loaderByKey(
      (skus) => findProductsBySkus(db, skus),
      (row) => row.sku,
    ),
    lifecycleChangesByProductId: loaderOfMany(
      (ids) => findLifecycleChangesByProductIds(db, ids),
      (row) => row.productId,
    ),
    bomLinesByProductId: loaderOfMany(
      (ids) => findBomLinesByProductIds(db, ids),
      (row) => row.productId,
    ),
    repairStandardsByProductId: loaderOfMany(
      (ids) => findRepairStandardsByProductIds(db, ids),
      (row) => row.productId,
    ),
    fittingsByEquipmentId: loaderOfMany(
      (ids) => findFittingsByEquipmentIds(db, ids),
      (row) => row.ownerId,
    ),
    equipmentByFittingId: loaderOfMany(
      (ids) => findEquipmentByFittingIds(db, ids),
      (row) => row.ownerId,
    ),
    productsByPartId: loaderOfMany(
      (ids) => findProductsUsingPartIds(db, ids),
      (row) => row.ownerId,
    ),

    unitById: loaderByKey(
      (ids) => findUnitsByIds(db, identity, ids),
      (row) => row.id,
    ),
    unitBySerialNumber: loaderByKey(
      (serials) => findUnitsBySerialNumbers(db, identity, serials),
      (row) => row.serialNumber,
    ),
    eventsByUnitId: loaderOfMany(
      (ids) => findEventsByUnitIds(db, identity, ids),
      (row) => row.unitId,
    ),
    unitPageByCustomerId: loaderByParent(
      (ids, page: Page) => findUnitPagesByCustomerIds(db, identity, ids, page),
      (row) => row.customerId ?? "",
    ),
    soldUnitPageByDealerId: loaderByParent(
      (ids, page: Page) => findSoldUnitPagesByDealerIds(db, identity, ids, page),
      (row) => row.dealerId,
    ),
    // How many rows each parent's whole list holds (its totalCount), for the same arguments less the page.
    unitCountByCustomerId: countLoaderByParent((ids) => countUnitsByCustomerIds(db, identity, ids)),
    soldUnitCountByDealerId: countLoaderByParent((ids) => countSoldUnitsByDealerIds(db, identity, ids)),

    purchasePageByCustomerId: loaderByParent(
      (ids, page: Page) => findPurchasePagesByCustomerIds(db, identity, ids, page),
      (row) => row.customerId,
    ),
    purchaseCountByCustomerId: countLoaderByParent((ids) => countPurchasesByCustomerIds(db, identity, ids)),
    forecastByKey: loaderByKey((keys) => findForecastsByKeys(db, identity, keys), forecastKeyOf),
    dueForecastsByCustomerId: loaderByParent(
      (ids, window: DueWindow) => findDueForecastsByCustomerIds(db, identity, ids, window),
      (row) => row.customerId,
    ),
    dueForecastPageByDealerId: loaderByParent(
      (ids, { window, page }: { window: DueWindow; page: Page }) => findDueForecastPagesByDealerIds(db, identity, ids, window, page),
      (row) => row.dealerId,
    ),
    dueForecastCountByDealerId: countLoaderByParent((ids, window: DueWindow) => countDueForecastsByDealerIds(db, identity, ids, window)),
    stockPageByServiceCenterId: loaderByParent(
      (ids, { filter, page }: { filter: StockFilter; page: Page }) => findStockPagesByServiceCenterIds(db, identity, ids, filter, page),
      (row) => row.serviceCenterId,
    ),
    stockCountByServiceCenterId: countLoaderByParent((ids, filter: StockFilter) => countStockByServiceCenterIds(db, identity, ids, filter)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver of this subgraph receives as its context. */
export type Context = SubgraphContext<Loaders>;
