import { loaderByKey, loaderByParent, loaderOfMany, type Database, type Page, type SubgraphContext } from "@aftersales/kit";
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
  findDueForecastPagesByDealerIds,
  findDueForecastsByCustomerIds,
  findForecastsByKeys,
  forecastKeyOf,
} from "./forecasts.js";
import { findPurchasePagesByCustomerIds } from "./purchases.js";
import { findStockPagesByServiceCenterIds, type StockFilter } from "./stock.js";
import {
  findEventsByUnitIds,
  findSoldUnitPagesByDealerIds,
  findUnitPagesByCustomerIds,
  findUnitsByIds,
  findUnitsBySerialNumbers,
} from "./units.js";

/** Per-request loaders: every entity and relation is read in batches, one statement per batch. */
export function createLoaders(db: Database) {
  return {
    productById: loaderByKey((ids) => findProductsByIds(db, ids), (row) => row.id),
    productBySku: loaderByKey((skus) => findProductsBySkus(db, skus), (row) => row.sku),
    lifecycleChangesByProductId: loaderOfMany((ids) => findLifecycleChangesByProductIds(db, ids), (row) => row.productId),
    bomLinesByProductId: loaderOfMany((ids) => findBomLinesByProductIds(db, ids), (row) => row.productId),
    repairStandardsByProductId: loaderOfMany((ids) => findRepairStandardsByProductIds(db, ids), (row) => row.productId),
    fittingsByEquipmentId: loaderOfMany((ids) => findFittingsByEquipmentIds(db, ids), (row) => row.ownerId),
    equipmentByFittingId: loaderOfMany((ids) => findEquipmentByFittingIds(db, ids), (row) => row.ownerId),
    productsByPartId: loaderOfMany((ids) => findProductsUsingPartIds(db, ids), (row) => row.ownerId),

    unitById: loaderByKey((ids) => findUnitsByIds(db, ids), (row) => row.id),
    unitBySerialNumber: loaderByKey((serials) => findUnitsBySerialNumbers(db, serials), (row) => row.serialNumber),
    eventsByUnitId: loaderOfMany((ids) => findEventsByUnitIds(db, ids), (row) => row.unitId),
    unitPageByCustomerId: loaderByParent(
      (ids, page: Page) => findUnitPagesByCustomerIds(db, ids, page),
      (row) => row.customerId ?? "",
    ),
    soldUnitPageByDealerId: loaderByParent((ids, page: Page) => findSoldUnitPagesByDealerIds(db, ids, page), (row) => row.dealerId),

    purchasePageByCustomerId: loaderByParent(
      (ids, page: Page) => findPurchasePagesByCustomerIds(db, ids, page),
      (row) => row.customerId,
    ),
    forecastByKey: loaderByKey((keys) => findForecastsByKeys(db, keys), forecastKeyOf),
    dueForecastsByCustomerId: loaderByParent(
      (ids, until: string) => findDueForecastsByCustomerIds(db, ids, until),
      (row) => row.customerId,
    ),
    dueForecastPageByDealerId: loaderByParent(
      (ids, { until, page }: { until: string; page: Page }) => findDueForecastPagesByDealerIds(db, ids, until, page),
      (row) => row.dealerId,
    ),
    stockPageByServiceCenterId: loaderByParent(
      (ids, { filter, page }: { filter: StockFilter; page: Page }) => findStockPagesByServiceCenterIds(db, ids, filter, page),
      (row) => row.serviceCenterId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver of this subgraph receives as its context. */
export type Context = SubgraphContext<Loaders>;
