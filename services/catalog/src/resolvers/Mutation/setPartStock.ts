import { InputChecks, mutationPayload, requireRole } from "@aftersales/kit";
import { checkStockedPart, lockStock, MAX_STOCK, saveStock } from "../../db/stock.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const setPartStock: MutationResolvers["setPartStock"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "change parts stock");
  return mutationPayload("stock", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const serviceCenterId = await checkStockedPart(tx, { identity, loaders }, checks, input);
    // Levels left out keep their stored value; those given are checked before anything is locked.
    const given = (value: number | null | undefined, field: string) =>
      value === null || value === undefined ? null : checks.range(value, [field], 0, MAX_STOCK);
    const onHand = given(input.onHand, "onHand");
    const reorderPoint = given(input.reorderPoint, "reorderPoint");
    const maxLevel = given(input.maxLevel, "maxLevel");
    checks.refuseIfAny();
    const stock = await lockStock(tx, serviceCenterId, input.partId);
    const levels = {
      onHand: onHand ?? stock.onHand,
      reorderPoint: reorderPoint ?? stock.reorderPoint,
      maxLevel: maxLevel ?? stock.maxLevel,
    };
    return saveStock(tx, stock, levels, { reason: "COUNTED", note: null });
  });
};
