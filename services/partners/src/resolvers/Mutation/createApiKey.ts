import { mutationPayload, requireRole } from "@aftersales/kit";
import { insertApiKey } from "../../db/apiKeys.js";
import { findDealersByIds } from "../../db/dealers.js";
import type { ApiKeyRow } from "../../db/schema.js";
import { checkApiKey, newApiKey } from "../../domain/apiKey.js";
import type { PartnerErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createApiKey: MutationResolvers["createApiKey"] = async (_, { input }, { db, identity }) => {
  requireRole(identity, ["ADMIN"], "create API keys");
  const { key, keyHash, keyPrefix } = newApiKey();
  const payload = await mutationPayload<"apiKey", ApiKeyRow, PartnerErrorCode>("apiKey", db, async (tx) => {
    const dealerId = input.dealerId ?? null;
    const dealer = dealerId ? await findDealersByIds(tx, [dealerId]) : [];
    const draft = {
      name: input.name,
      role: input.role,
      dealerId,
      operationsOnly: input.operationsOnly ?? false,
      expiresAt: input.expiresAt ?? null,
    };
    const checked = checkApiKey(draft, dealer.length > 0, new Date());
    return insertApiKey(tx, { ...checked, keyHash, keyPrefix, createdBy: identity.subject });
  });
  // The key leaves the graph this once; only its hash stays.
  return { ...payload, key: payload.apiKey ? key : null };
};
