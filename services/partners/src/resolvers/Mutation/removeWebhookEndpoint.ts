import { mutationPayload, Refusal, requireRole } from "@aftersales/kit";
import { deleteWebhookEndpoint } from "../../db/webhooks.js";
import { MANAGES_WEBHOOKS } from "../../domain/access.js";
import { endpointNotFound } from "../../domain/webhook.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const removeWebhookEndpoint: MutationResolvers["removeWebhookEndpoint"] = (_, { input: { id } }, { db, identity }) => {
  requireRole(identity, MANAGES_WEBHOOKS, "remove webhook endpoints");
  return mutationPayload("endpoint", db, async (tx) => {
    const removed = await deleteWebhookEndpoint(tx, id, identity);
    if (!removed) throw new Refusal([endpointNotFound(id)]);
    return removed;
  });
};
