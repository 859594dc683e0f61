import {
  dealerScopeOf,
  dealerToBook,
  findByIdempotencyKey,
  inputHash,
  InputChecks,
  mutationPayload,
  namedCustomer,
  namedDealer,
  replayOf,
  requireRole,
  todayUtc,
} from "@aftersales/kit";
import { insertContract, nextNumber } from "../../db/contracts.js";
import { serviceContracts } from "../../db/schema.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import { checkPlanOnOffer, checkStartsOn, contractUnits, draftContract, isContractable } from "../../domain/contracting.js";
import type { WarrantyErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const createServiceContract: MutationResolvers["createServiceContract"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, SERVES_CUSTOMERS, "make service contracts");
  return mutationPayload("contract", db, async (tx) => {
    const checks = new InputChecks<WarrantyErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const planId = checks.text(input.planId, ["planId"], 64);
    if (customerId) await namedCustomer(checks, identity, customerId, loaders.knownCustomerById, ["customerId"]);
    await namedDealer(checks, identity, dealerId, loaders.knownDealerById, ["dealerId"]);
    const named = checks.errors.every((error) => error.field?.[0] === "idempotencyKey");
    // A retry gets the first contract; only a well-formed key of a dealer named rightly can name one.
    if (key && checks.ok) {
      const replay = replayOf(await findByIdempotencyKey(tx, serviceContracts, dealerId, key), input);
      if (replay) return replay;
    }
    checkStartsOn(checks, input.startsOn, todayUtc());
    // What follows weighs the plan and units against the dealer and customer named: not when those are wrong.
    if (!named) checks.refuseIfAny();
    const plan = planId ? await loaders.planById.load(planId) : null;
    checkPlanOnOffer(checks, planId, plan);
    // One statement for all the units named, however many; those the copy has otherwise than the contract needs
    // (a sale a moment ago not arrived yet) are asked of the catalog, together.
    const at = { own: dealerScopeOf(identity), dealerId, customerId };
    const known = await Promise.all(input.unitIds.map((unitId) => loaders.knownUnitById.confirmed(unitId, (unit) => isContractable(unit, at))));
    const units = contractUnits(checks, input.unitIds, known, at);
    checks.refuseIfAny();
    const [first, ...rest] = units;
    if (!plan || !first) throw new Error("checks passed without a plan or units");

    const { contract, lines } = draftContract(plan, [first, ...rest], {
      number: await nextNumber(tx, "SC", "contract_numbers"),
      dealerId,
      customerId,
      startsOn: input.startsOn,
      idempotencyKey: key,
      inputHash: key ? inputHash(input) : null,
    });
    return insertContract(tx, contract, lines);
  });
};
