import { checkOwnDealer, InputChecks, mutationPayload, namedCustomer, namedDealer, requireRole } from "@aftersales/kit";
import { recordEventOnUnit } from "../../db/units.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const sellUnit: MutationResolvers["sellUnit"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "sell units");
  return mutationPayload("unit", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const price = checks.money(input.price, ["price"]);
    // Checked before the unit is looked up, so the answer is the same whether it exists or not.
    const sellerId = input.dealerId ? checks.text(input.dealerId, ["dealerId"], 64) : null;
    if (sellerId) checkOwnDealer(checks, identity, sellerId, ["dealerId"]);
    if (customerId) await namedCustomer(checks, identity, customerId, loaders.knownCustomerById, ["customerId"]);
    if (sellerId) await namedDealer(checks, identity, sellerId, loaders.knownDealerById, ["dealerId"]);
    return recordEventOnUnit(tx, identity, input, checks, {
      kind: "SOLD",
      occurredOn: input.soldOn,
      request: { key, input },
      fields: { kind: null, date: ["soldOn"] },
      changes: (unit) => ({
        customerId,
        dealerId: sellerId ?? unit.dealerId,
        purchasePrice: price.amount,
        purchaseCurrency: price.currency,
      }),
    });
  });
};
