import { present } from "@aftersales/kit";
import type { WebhookDeliveryResolvers } from "../generated/graphql.js";

export const WebhookDelivery: WebhookDeliveryResolvers = {
  // Whoever may see a delivery may see its endpoint: both are the same dealer's.
  endpoint: async (row, _, { loaders }) => present(await loaders.webhookEndpointById.load(row.endpointId), "delivery's endpoint"),
  attempts: (row, _, { loaders }) => loaders.webhookAttemptsByDeliveryId.load(row.id),
  replayOf: (row, _, { loaders }) => (row.replayOf ? loaders.webhookDeliveryById.load(row.replayOf) : null),
};
