import { InputChecks, mutationPayload } from "@aftersales/kit";
import { recordEventOnUnit } from "../../db/units.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const sellUnit: MutationResolvers["sellUnit"] = (_, { input }, { db }) =>
  mutationPayload("unit", db, (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const price = checks.money(input.price, ["price"]);
    return recordEventOnUnit(tx, input, checks, {
      kind: "SOLD",
      occurredOn: input.soldOn,
      fields: { kind: null, date: ["soldOn"] },
      changes: (unit) => ({
        customerId,
        dealerId: input.dealerId ? checks.text(input.dealerId, ["dealerId"], 64) : unit.dealerId,
        purchasePrice: price.amount,
        purchaseCurrency: price.currency,
      }),
    });
  });
