import { mutationPayload, present, Refusal, requireRole, userError } from "@aftersales/kit";
import { findWebhookDeliveriesByIds, insertReplay, lockWebhookEndpoint } from "../../db/webhooks.js";
import { MANAGES_WEBHOOKS } from "../../domain/access.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const replayWebhookDelivery: MutationResolvers["replayWebhookDelivery"] = (_, { input: { id } }, { db, identity }) => {
  requireRole(identity, MANAGES_WEBHOOKS, "replay webhook deliveries");
  return mutationPayload("delivery", db, async (tx) => {
    // Another dealer's delivery is, for a DEALER, no delivery at all.
    const [original] = await findWebhookDeliveriesByIds(tx, [id], identity);
    if (!original) throw new Refusal([userError("WEBHOOK_DELIVERY_NOT_FOUND", `No webhook delivery has the id \`${id}\`.`, ["id"])]);
    // Locked, so the endpoint cannot be deactivated or removed under the new delivery.
    const endpoint = present(await lockWebhookEndpoint(tx, original.endpointId, identity), "delivery's endpoint");
    if (!endpoint.active) {
      throw new Refusal([userError("WEBHOOK_ENDPOINT_INACTIVE", "The delivery's endpoint is inactive; activate it (`updateWebhookEndpoint`) first.", ["id"])]);
    }
    return insertReplay(tx, original);
  });
};
