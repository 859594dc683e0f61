import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendHistory, emitClaimEvent, forgetClaim, lockClaimInScope, saveClaim } from "../../db/claims.js";
import { checkClaimStatus, DECIDES_CLAIMS, MAX_PAYMENT_REFERENCE } from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const markWarrantyClaimPaid: MutationResolvers["markWarrantyClaimPaid"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, DECIDES_CLAIMS, "record payments of warranty claims");
  return mutationPayload("claim", db, async (tx) => {
    const claim = await lockClaimInScope(tx, identity, input);
    const checks = new InputChecks<WarrantyErrorCode>();
    // Only a decided claim that pays something is paid, and only once: PAID is not in the list.
    checkClaimStatus(checks, "markPaid", claim.status);
    const reference = checks.text(input.reference, ["reference"], MAX_PAYMENT_REFERENCE);
    checks.refuseIfAny();
    const saved = await saveClaim(tx, claim.id, { status: "PAID", paidAt: new Date(), paymentReference: reference });
    await appendHistory(tx, saved, {
      action: "PAID",
      statusAfter: saved.status,
      comment: `Paid with reference ${reference}.`,
      actor: identity.subject,
      actorRole: identity.role,
    });
    await emitClaimEvent(tx, "claim.paid", saved);
    forgetClaim(loaders, saved);
    return saved;
  });
};
