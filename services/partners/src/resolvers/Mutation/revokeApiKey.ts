import { mutationPayload, Refusal, requireRole, userError } from "@aftersales/kit";
import { revokeApiKeyById } from "../../db/apiKeys.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const revokeApiKey: MutationResolvers["revokeApiKey"] = (_, { input: { id } }, { db, identity }) => {
  requireRole(identity, ["ADMIN"], "revoke API keys");
  return mutationPayload("apiKey", db, async (tx) => {
    const revoked = await revokeApiKeyById(tx, id);
    if (!revoked) throw new Refusal([userError("API_KEY_NOT_FOUND", `No API key has the id \`${id}\`.`, ["id"])]);
    return revoked;
  });
};
