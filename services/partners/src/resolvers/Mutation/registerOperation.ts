import { dealerScopeOf, mutationPayload, requireRole } from "@aftersales/kit";
import { registerOperationIn } from "../../db/operations.js";
import { checkOperation } from "../../domain/operation.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const registerOperation: MutationResolvers["registerOperation"] = (_, { input }, { db, identity }) => {
  requireRole(identity, ["DEALER", "AGENT", "ADMIN"], "register operations");
  return mutationPayload("operation", db, (tx) =>
    // A DEALER registers for itself; what staff register every caller may call.
    registerOperationIn(tx, checkOperation(input), { dealerId: dealerScopeOf(identity), registeredBy: identity.credential }),
  );
};
