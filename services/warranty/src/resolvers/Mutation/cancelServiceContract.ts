import { addAmounts, currentVersion, InputChecks, mutationPayload, requireRole, todayUtc, userError } from "@aftersales/kit";
import { emitContractEvents, lockContract, saveContract } from "../../db/contracts.js";
import { cancelVisitsFrom } from "../../db/visits.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import { proRataRefund } from "../../domain/contracts.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { inCallersScope } from "../../domain/scope.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const cancelServiceContract: MutationResolvers["cancelServiceContract"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "cancel service contracts");
  return mutationPayload("contract", db, async (tx) => {
    const contract = currentVersion(
      inCallersScope(await lockContract(tx, input.id), identity),
      input.version,
      userError<WarrantyErrorCode>("CONTRACT_NOT_FOUND", `No service contract has the id \`${input.id}\`.`, ["id"]),
    );
    const checks = new InputChecks<WarrantyErrorCode>();
    const reason = checks.text(input.reason, ["reason"], 500);
    if (contract.status === "EXPIRED" || contract.status === "CANCELLED") {
      checks.add("INVALID_CONTRACT_STATUS", `The contract is already ${contract.status}.`, ["id"]);
    }
    // A draft never covered a day: it ends at once, with nothing to pay back.
    const cancelledFrom = contract.status === "DRAFT" ? contract.startsOn : (input.cancelledFrom ?? todayUtc());
    if (contract.status === "ACTIVE" && (cancelledFrom < contract.startsOn || cancelledFrom > contract.endsOn)) {
      checks.add("OUT_OF_RANGE", `Cancel from a day within the term, ${contract.startsOn} to ${contract.endsOn}.`, ["cancelledFrom"]);
    }
    checks.refuseIfAny();
    const refund =
      contract.status === "DRAFT"
        ? addAmounts(contract.currency)
        : proRataRefund({ price: contract.price, currency: contract.currency, startsOn: contract.startsOn, endsOn: contract.endsOn, cancelledFrom }).refund;
    const cancelled = await saveContract(tx, contract.id, { status: "CANCELLED", cancelledFrom, cancellationReason: reason, refund });
    await cancelVisitsFrom(tx, contract.id, cancelledFrom, `The contract was cancelled from ${cancelledFrom}.`);
    if (contract.status === "ACTIVE") await emitContractEvents(tx, "contract.ended", [cancelled]);
    return cancelled;
  });
};
