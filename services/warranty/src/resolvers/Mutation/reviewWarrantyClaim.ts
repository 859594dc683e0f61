import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { appendHistory, emitClaimEvent, findLinesByClaimIds, forgetClaim, lockClaimInScope, saveClaim, saveLine, statusesOf } from "../../db/claims.js";
import { recordContractUsage } from "../../db/contracts.js";
import { claimOutcome } from "../../domain/adjudication.js";
import {
  approvedLaborHours,
  checkClaimStatus,
  checkLineReviews,
  contractToCharge,
  DECIDES_CLAIMS,
  isDecided,
  MAX_COMMENT,
  outcomeLineOf,
} from "../../domain/claims.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const reviewWarrantyClaim: MutationResolvers["reviewWarrantyClaim"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, DECIDES_CLAIMS, "review warranty claims");
  return mutationPayload("claim", db, async (tx) => {
    const claim = await lockClaimInScope(tx, identity, input);
    const checks = new InputChecks<WarrantyErrorCode>();
    checkClaimStatus(checks, "review", claim.status);
    const comment = checks.optionalText(input.comment, ["comment"], MAX_COMMENT);
    const lines = await findLinesByClaimIds(tx, [claim.id]);
    const decisions = checkLineReviews(checks, input.lines, lines, claim.currency, identity.subject);
    checks.refuseIfAny();

    const byLine = new Map(decisions.map((decision) => [decision.lineNumber, decision]));
    const reviewed = lines.map((line) => {
      const decision = byLine.get(line.lineNumber);
      return decision
        ? {
            ...line,
            status: decision.status,
            approvedAmount: decision.approvedAmount,
            reason: "AGENT_DECISION" as const,
            explanation: decision.explanation,
            decidedBy: decision.decidedBy,
          }
        : line;
    });
    for (const decision of decisions) {
      const line = reviewed.find((l) => l.lineNumber === decision.lineNumber);
      if (!line) continue;
      await saveLine(tx, claim.id, line.lineNumber, {
        status: line.status,
        approvedAmount: line.approvedAmount,
        reason: line.reason,
        explanation: line.explanation,
        decidedBy: line.decidedBy,
      });
    }

    const outcome = claimOutcome(reviewed.map(outcomeLineOf), claim.currency);
    const earlierStatuses = await statusesOf(tx, claim.id);
    const saved = await saveClaim(tx, claim.id, {
      status: outcome.status,
      claimedTotal: outcome.claimedTotal,
      approvedTotal: outcome.approvedTotal,
      // Decided when no line waits any more; a claim still waiting keeps the day it was last decided, if any.
      decidedAt: isDecided(outcome.status) ? new Date() : claim.decidedAt,
    });
    await appendHistory(tx, saved, { action: "REVIEWED", statusAfter: saved.status, comment, actor: identity.subject, actorRole: identity.role });

    const contractId = contractToCharge(saved, earlierStatuses);
    if (contractId) {
      const product = await loaders.knownProductById.load(saved.productId);
      const standardHours = product?.repairStandards.find((standard) => standard.failureCode === saved.failureCode)?.hours ?? null;
      await recordContractUsage(tx, contractId, saved.unitId, approvedLaborHours(reviewed, standardHours));
      loaders.contractTermsByUnitId.clear(saved.unitId);
    }

    if (isDecided(saved.status)) await emitClaimEvent(tx, "claim.adjudicated", saved);
    forgetClaim(loaders, saved);
    return saved;
  });
};
