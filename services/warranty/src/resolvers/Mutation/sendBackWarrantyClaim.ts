import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendHistory, emitClaimEvent, forgetClaim, lockClaimInScope, saveClaim } from "../../db/claims.js";
import { checkClaimStatus, DECIDES_CLAIMS, MAX_COMMENT } from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const sendBackWarrantyClaim: MutationResolvers["sendBackWarrantyClaim"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, DECIDES_CLAIMS, "send warranty claims back");
  return mutationPayload("claim", db, async (tx) => {
    const claim = await lockClaimInScope(tx, identity, input);
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimStatus(checks, "sendBack", claim.status);
    const comment = checks.text(input.comment, ["comment"], MAX_COMMENT);
    checks.refuseIfAny();
    // The lines keep their decisions: the answer returns the claim to review, where an agent decides again.
    const saved = await saveClaim(tx, claim.id, { status: "SENT_BACK" });
    await appendHistory(tx, saved, { action: "SENT_BACK", statusAfter: saved.status, comment, actor: identity.subject, actorRole: identity.role });
    await emitClaimEvent(tx, "claim.sent_back", saved);
    forgetClaim(loaders, saved);
    return saved;
  });
};
