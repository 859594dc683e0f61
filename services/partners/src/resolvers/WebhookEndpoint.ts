import { pageOf, present, toConnection } from "@aftersales/kit";
import { deliveryOrder } from "../db/webhooks.js";
import { secretHintOf } from "../domain/webhook.js";
import type { WebhookEndpointResolvers } from "../generated/graphql.js";

export const WebhookEndpoint: WebhookEndpointResolvers = {
  dealer: async (row, _, { loaders }) => present(await loaders.dealerById.load(row.dealerId), "endpoint's dealer"),
  secretHint: (row) => secretHintOf(row.secret),
  deliveries: async ({ id }, { status, ...args }, { loaders }) => {
    const page = pageOf(args, deliveryOrder);
    const rows = await loaders.webhookDeliveryPageByEndpointId.load({ parentId: id, args: { status: status ?? null, page } });
    return toConnection(rows, page, deliveryOrder, () => loaders.webhookDeliveryCountByEndpointId.load({ parentId: id, args: status ?? null }));
  },
};
