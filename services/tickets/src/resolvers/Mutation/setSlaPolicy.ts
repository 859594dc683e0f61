import { checkOwnDealer, InputChecks, mutationPayload, namedDealer, Refusal, requireRole, userError } from "@aftersales/kit";
import { policyView, saveSlaPolicy, type SlaPolicyView } from "../../db/sla.js";
import { WORKS_TICKETS } from "../../domain/access.js";
import type { TicketErrorCode } from "../../domain/errors.js";
import { checkSlaTargets } from "../../domain/slaPolicy.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const setSlaPolicy: MutationResolvers["setSlaPolicy"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, WORKS_TICKETS, "set SLA policies");
  return mutationPayload("slaPolicy", db, async (tx): Promise<SlaPolicyView> => {
    const checks = new InputChecks<TicketErrorCode>();
    const dealerId = checks.text(input.dealerId, ["dealerId"], 64);
    checkOwnDealer(checks, identity, dealerId, ["dealerId"]);
    await namedDealer(checks, identity, dealerId, loaders.knownDealerById, ["dealerId"]);
    const targets = checkSlaTargets(checks, input.targets);
    checks.refuseIfAny();

    const saved = await saveSlaPolicy(tx, dealerId, input.version, { targets, pausesOnWaitingParts: input.pausesOnWaitingParts });
    if (!saved) {
      throw new Refusal([
        userError<TicketErrorCode>("STALE_VERSION", "Someone changed this dealer's SLA policy since you read it: read it again and reapply your change.", [
          "version",
        ]),
      ]);
    }
    loaders.slaPolicyByDealerId.clear(dealerId);
    return policyView(dealerId, saved);
  });
};
