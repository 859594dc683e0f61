import { currentVersion, mutationPayload, Refusal, requireRole, todayUtc, userError } from "@aftersales/kit";
import { emitContractEvents, findContractUnitsByContractIds, findOverlappingContracts, lockContract, saveContract } from "../../db/contracts.js";
import { createDueVisits } from "../../db/planning.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import { inCallersScope } from "../../domain/scope.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const activateServiceContract: MutationResolvers["activateServiceContract"] = (_, { input }, { db, identity }) => {
  requireRole(identity, SERVES_CUSTOMERS, "activate service contracts");
  return mutationPayload("contract", db, async (tx) => {
    const contract = currentVersion(
      inCallersScope(await lockContract(tx, input.id), identity),
      input.version,
      userError<WarrantyErrorCode>("CONTRACT_NOT_FOUND", `No service contract has the id \`${input.id}\`.`, ["id"]),
    );
    if (contract.status !== "DRAFT") {
      throw new Refusal([
        userError<WarrantyErrorCode>("INVALID_CONTRACT_STATUS", `Only a draft can be activated; this contract is ${contract.status}.`, ["id"]),
      ]);
    }
    const units = await findContractUnitsByContractIds(tx, [contract.id]);
    const overlapping = await findOverlappingContracts(
      tx,
      contract.id,
      units.map((u) => u.unitId),
      contract.startsOn,
      contract.endsOn,
    );
    if (overlapping.length) {
      throw new Refusal(
        overlapping.map((other) =>
          userError<WarrantyErrorCode>(
            "OVERLAPPING_CONTRACT",
            `Another active contract covers the unit \`${other.unitId}\` from ${other.startsOn} to ${other.endsOn}; cancel it first or start this one after it.`,
            ["id"],
          ),
        ),
      );
    }
    const active = await saveContract(tx, contract.id, { status: "ACTIVE", activatedAt: new Date() });
    await emitContractEvents(tx, "contract.activated", [active]);
    await createDueVisits(tx, [active], { asOf: todayUtc(), leadDays: 30, graceDays: 14 });
    return active;
  });
};
