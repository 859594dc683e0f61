import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendHistory, emitClaimEvent, forgetClaim, lockClaimInScope, saveClaim } from "../../db/claims.js";
import { ANSWERS_CLAIMS, checkClaimStatus, MAX_COMMENT } from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const answerWarrantyClaim: MutationResolvers["answerWarrantyClaim"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, ANSWERS_CLAIMS, "answer warranty claims");
  return mutationPayload("claim", db, async (tx) => {
    // A DEALER finds only its own claims: another dealer's is CLAIM_NOT_FOUND.
    const claim = await lockClaimInScope(tx, identity, input);
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimStatus(checks, "answer", claim.status);
    const comment = checks.text(input.comment, ["comment"], MAX_COMMENT);
    checks.refuseIfAny();
    const saved = await saveClaim(tx, claim.id, { status: "IN_REVIEW" });
    await appendHistory(tx, saved, { action: "ANSWERED", statusAfter: saved.status, comment, actor: identity.subject, actorRole: identity.role });
    await emitClaimEvent(tx, "claim.answered", saved);
    forgetClaim(loaders, saved);
    return saved;
  });
};
