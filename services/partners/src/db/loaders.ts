import { countLoaderByParent, loaderByKey, loaderByParent, loaderOfMany, type Database, type Identity, type Page, type SubgraphContext } from "@aftersales/kit";
import type { DeliveryStatus } from "../domain/webhook.js";
import { findCustomersByIds } from "./customers.js";
import { findBusinessHoursByDealerIds, findDealersByIds, findHolidaysByDealerIds } from "./dealers.js";
import { findTechniciansByIds, findTechniciansByServiceCenterIds } from "./technicians.js";
import {
  findAttemptsByDeliveryIds,
  countDeliveriesByEndpointIds,
  findDeliveryPagesByEndpointIds,
  findWebhookDeliveriesByIds,
  findWebhookEndpointsByDealerIds,
  findWebhookEndpointsByIds,
} from "./webhooks.js";

/**
 * Per-request loaders: every entity and relation is read in batches, one
 * statement per batch, scoped to the caller (a DEALER's foreign customer or
 * technician loads as null, exactly like an unknown id; ANALYSTs load no
 * personal data; a DEALER loads only its own webhook endpoints and
 * deliveries). Dealers are a directory every caller reads whole.
 */
export function createLoaders(db: Database, identity: Identity) {
  return {
    dealerById: loaderByKey(
      (ids) => findDealersByIds(db, ids),
      (row) => row.id,
    ),
    businessHoursByDealerId: loaderOfMany(
      (ids) => findBusinessHoursByDealerIds(db, ids),
      (row) => row.dealerId,
    ),
    holidaysByDealerId: loaderOfMany(
      (ids) => findHolidaysByDealerIds(db, ids),
      (row) => row.dealerId,
    ),
    technicianById: loaderByKey(
      (ids) => findTechniciansByIds(db, ids, identity),
      (row) => row.id,
    ),
    techniciansByServiceCenterId: loaderOfMany(
      (ids) => findTechniciansByServiceCenterIds(db, ids, identity),
      (row) => row.serviceCenterId,
    ),
    customerById: loaderByKey(
      (ids) => findCustomersByIds(db, ids, identity),
      (row) => row.id,
    ),
    webhookEndpointById: loaderByKey(
      (ids) => findWebhookEndpointsByIds(db, ids, identity),
      (row) => row.id,
    ),
    webhookEndpointsByDealerId: loaderOfMany(
      (ids) => findWebhookEndpointsByDealerIds(db, ids, identity),
      (row) => row.dealerId,
    ),
    webhookDeliveryById: loaderByKey(
      (ids) => findWebhookDeliveriesByIds(db, ids, identity),
      (row) => row.id,
    ),
    webhookDeliveryPageByEndpointId: loaderByParent(
      (ids, { status, page }: { status: DeliveryStatus | null; page: Page }) => findDeliveryPagesByEndpointIds(db, identity, ids, status, page),
      (row) => row.endpointId,
    ),
    webhookDeliveryCountByEndpointId: countLoaderByParent((ids, status: DeliveryStatus | null) => countDeliveriesByEndpointIds(db, identity, ids, status)),
    webhookAttemptsByDeliveryId: loaderOfMany(
      (ids) => findAttemptsByDeliveryIds(db, ids, identity),
      (row) => row.deliveryId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver of this subgraph receives as its context. */
export type Context = SubgraphContext<Loaders>;
