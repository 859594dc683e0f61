import {
  addDays,
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
import { serviceContracts, type KnownUnitRow } from "../../db/schema.js";
import { SERVES_CUSTOMERS } from "../../domain/access.js";
import { contractPrice, termEnd } from "../../domain/contracts.js";
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

    const today = todayUtc();
    if (input.startsOn < addDays(today, -366)) checks.add("DATE_IN_PAST", "A contract starts at most a year back.", ["startsOn"]);
    if (input.startsOn > addDays(today, 366)) checks.add("OUT_OF_RANGE", "A contract starts at most a year ahead.", ["startsOn"]);
    // What follows weighs the plan and units against the dealer and customer named: not when those are wrong.
    if (!named) checks.refuseIfAny();
    const plan = planId ? await loaders.planById.load(planId) : null;
    if (planId && !plan) checks.add("PLAN_NOT_FOUND", `No contract plan has the id \`${planId}\`.`, ["planId"]);
    else if (plan && !plan.offered) checks.add("PLAN_NOT_OFFERED", `The plan ${plan.name} is retired; choose one on offer.`, ["planId"]);

    if (input.unitIds.length < 1 || input.unitIds.length > 50) checks.add("OUT_OF_RANGE", "A contract covers 1 to 50 units.", ["unitIds"]);
    const seen = new Set<string>();
    const units = [];
    // One statement for all the units named, however many; those the copy has otherwise than the contract needs
    // (a sale a moment ago not arrived yet) are asked of the catalog, together.
    const own = dealerScopeOf(identity);
    const contractable = (unit: KnownUnitRow) =>
      (own === null || unit.dealerId === own) && unit.dealerId === dealerId && unit.customerId === customerId && unit.retiredOn === null && unit.purchasePrice !== null;
    const known = await Promise.all(input.unitIds.map((unitId) => loaders.knownUnitById.confirmed(unitId, contractable)));
    for (const [i, unitId] of input.unitIds.entries()) {
      const field = ["unitIds", i];
      if (seen.has(unitId)) {
        checks.add("DUPLICATE_ENTRY", `The unit \`${unitId}\` is listed twice.`, field);
        continue;
      }
      seen.add(unitId);
      const unit = known[i];
      // Another dealer's unit is answered like an unknown one: a DEALER learns nothing of it.
      if (!unit || (own !== null && unit.dealerId !== own)) {
        checks.add("UNIT_NOT_FOUND", `No unit has the id \`${unitId}\`.`, field);
      } else if (unit.dealerId !== dealerId || unit.customerId !== customerId) {
        checks.add("UNIT_NOT_CUSTOMERS", `The unit ${unit.serialNumber} is not one the dealer sold to this customer.`, field);
      } else if (unit.retiredOn !== null) {
        checks.add("UNIT_RETIRED", `The unit ${unit.serialNumber} was retired on ${unit.retiredOn}; a contract could never cover it.`, field);
      } else if (unit.purchasePrice === null || unit.currency === null) {
        checks.add("UNIT_NOT_SOLD", `The unit ${unit.serialNumber} has no purchase price to price the contract from.`, field);
      } else {
        units.push({ ...unit, purchasePrice: unit.purchasePrice, currency: unit.currency });
      }
    }
    const currencies = new Set(units.map((unit) => unit.currency));
    if (currencies.size > 1) checks.add("CURRENCY_MISMATCH", "The units were sold in different currencies; make one contract per currency.", ["unitIds"]);
    checks.refuseIfAny();
    if (!plan || !units[0]) throw new Error("checks passed without a plan or units");

    const price = contractPrice({
      priceSharePercent: plan.priceSharePercent,
      months: plan.termMonths,
      purchasePrices: units.map((u) => u.purchasePrice),
      currency: units[0].currency,
    });
    const startsOn = input.startsOn;
    const endsOn = termEnd(startsOn, plan.termMonths);
    return insertContract(
      tx,
      {
        number: await nextNumber(tx, "SC", "contract_numbers"),
        planId: plan.id,
        dealerId,
        customerId,
        status: "DRAFT",
        startsOn,
        endsOn,
        price: price.total,
        currency: units[0].currency,
        activatedAt: null,
        cancelledFrom: null,
        cancellationReason: null,
        refund: null,
        idempotencyKey: key,
        inputHash: key ? inputHash(input) : null,
      },
      units.map((unit, i) => ({
        unitId: unit.id,
        dealerId,
        price: price.perUnit[i] ?? "0.00",
        status: "DRAFT" as const,
        startsOn,
        endsOn,
        cancelledFrom: null,
        partsCovered: plan.partsCovered,
        laborCovered: plan.laborCovered,
        maxCases: plan.maxCases,
        maxLaborHours: plan.maxLaborHours,
        casesUsed: 0,
        laborHoursUsed: 0,
      })),
    );
  });
};
