import { applyPatch, currentVersion, InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { endpointConstraints, lockWebhookEndpoint, saveWebhookEndpoint } from "../../db/webhooks.js";
import { MANAGES_WEBHOOKS } from "../../domain/access.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import { checkWebhookEndpoint, endpointNotFound } from "../../domain/webhook.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const updateWebhookEndpoint: MutationResolvers["updateWebhookEndpoint"] = (_, { input: { id, version, ...patch } }, { db, identity, production }) => {
  requireRole(identity, MANAGES_WEBHOOKS, "change webhook endpoints");
  return mutationPayload(
    "endpoint",
    db,
    async (tx) => {
      const current = currentVersion(await lockWebhookEndpoint(tx, id, identity), version, endpointNotFound(id));
      const checks = new InputChecks<PartnerErrorCode>();
      const draft = applyPatch(checks, current, patch, ["description"]);
      return saveWebhookEndpoint(tx, id, checkWebhookEndpoint(draft, production, checks));
    },
    endpointConstraints,
  );
};
