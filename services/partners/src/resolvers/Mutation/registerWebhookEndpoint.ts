import { dealerToBook, InputChecks, lockUntilCommit, mutationPayload, Refusal, requireRole, userError } from "@aftersales/kit";
import { findDealersByIds } from "../../db/dealers.js";
import type { WebhookEndpointRow } from "../../db/schema.js";
import { countWebhookEndpoints, endpointConstraints, insertWebhookEndpoint } from "../../db/webhooks.js";
import { MANAGES_WEBHOOKS } from "../../domain/access.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import { checkWebhookEndpoint, MAX_ENDPOINTS_PER_DEALER, newWebhookSecret } from "../../domain/webhook.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const registerWebhookEndpoint: MutationResolvers["registerWebhookEndpoint"] = async (_, { input }, { db, identity, production }) => {
  requireRole(identity, MANAGES_WEBHOOKS, "register webhook endpoints");
  const secret = newWebhookSecret();
  const payload = await mutationPayload<"endpoint", WebhookEndpointRow, PartnerErrorCode>(
    "endpoint",
    db,
    async (tx) => {
      const checks = new InputChecks<PartnerErrorCode>();
      const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
      const draft = { url: input.url, eventTypes: input.eventTypes, description: input.description ?? null, active: true };
      if (checks.ok && dealerId) {
        const [dealer] = await findDealersByIds(tx, [dealerId]);
        if (!dealer) checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${dealerId}\`.`, ["dealerId"]);
      }
      const endpoint = checkWebhookEndpoint(draft, production, checks);
      // Counted under a lock, so two registrations at once cannot both take the last place.
      await lockUntilCommit(tx, "webhook_endpoints", dealerId);
      if ((await countWebhookEndpoints(tx, dealerId)) >= MAX_ENDPOINTS_PER_DEALER) {
        const message = `A dealer has at most ${MAX_ENDPOINTS_PER_DEALER} endpoints; remove one, or subscribe an existing one to more events.`;
        throw new Refusal([userError("TOO_MANY_WEBHOOK_ENDPOINTS", message)]);
      }
      return insertWebhookEndpoint(tx, { ...endpoint, dealerId, secret });
    },
    endpointConstraints,
  );
  // The secret leaves the graph with the endpoint it signs for, this once.
  return { ...payload, secret: payload.endpoint ? secret : null };
};
