import { InputChecks, mutationPayload, requireRole, userError, Refusal } from "@aftersales/kit";
import { insertPolicy, latestPolicyOf } from "../../db/policies.js";
import { refreshWarrantyEnds } from "../../db/projections.js";
import { MANAGES_TERMS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { checkPolicy } from "../../domain/policy.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const setWarrantyPolicy: MutationResolvers["setWarrantyPolicy"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, MANAGES_TERMS, "set warranty policies");
  return mutationPayload("policy", db, async (tx) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const productId = checks.text(input.productId, ["productId"], 64);
    // The catalog announces its products; a policy for one it never did would cover nothing anyone can sell.
    if (productId && !(await loaders.knownProductById.load(productId))) {
      throw new Refusal([...checks.errors, userError("PRODUCT_NOT_FOUND", `No product has the id \`${productId}\`.`, ["productId"])]);
    }
    const latest = await latestPolicyOf(tx, productId);
    const policy = checkPolicy(checks, { ...input, exclusions: input.exclusions ?? [] }, latest);
    checks.refuseIfAny();
    const row = await insertPolicy(tx, {
      productId,
      version: (latest?.version ?? 0) + 1,
      ...policy,
      exclusions: [...policy.exclusions],
      createdBy: identity.subject,
    });
    // Only a first policy can reach units already sold (later ones start today or after).
    if (!latest) await refreshWarrantyEnds(tx, productId);
    return row;
  });
};
