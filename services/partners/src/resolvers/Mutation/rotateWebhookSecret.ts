import { mutationPayload, Refusal, requireRole } from "@aftersales/kit";
import type { WebhookEndpointRow } from "../../db/schema.js";
import { lockWebhookEndpoint, saveWebhookEndpoint } from "../../db/webhooks.js";
import { MANAGES_WEBHOOKS } from "../../domain/access.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import { endpointNotFound, newWebhookSecret } from "../../domain/webhook.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const rotateWebhookSecret: MutationResolvers["rotateWebhookSecret"] = async (_, { input: { id } }, { db, identity }) => {
  requireRole(identity, MANAGES_WEBHOOKS, "rotate webhook secrets");
  const secret = newWebhookSecret();
  const payload = await mutationPayload<"endpoint", WebhookEndpointRow, PartnerErrorCode>("endpoint", db, async (tx) => {
    if (!(await lockWebhookEndpoint(tx, id, identity))) throw new Refusal([endpointNotFound(id)]);
    return saveWebhookEndpoint(tx, id, { secret });
  });
  return { ...payload, secret: payload.endpoint ? secret : null };
};
