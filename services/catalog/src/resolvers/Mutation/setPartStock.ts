import { InputChecks, mutationPayload } from "@aftersales/kit";
import { checkStockedPart, lockStock, MAX_STOCK, saveStock } from "../../db/stock.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const setPartStock: MutationResolvers["setPartStock"] = (_, { input }, { db }) =>
  mutationPayload("stock", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const serviceCenterId = await checkStockedPart(tx, checks, input);
    const level = (value: number | null | undefined, field: string, current: number) =>
      value === null || value === undefined ? current : checks.range(value, [field], 0, MAX_STOCK);
    checks.refuseIfAny();
    const stock = await lockStock(tx, serviceCenterId, input.partId);
    const levels = {
      onHand: level(input.onHand, "onHand", stock.onHand),
      reorderPoint: level(input.reorderPoint, "reorderPoint", stock.reorderPoint),
      maxLevel: level(input.maxLevel, "maxLevel", stock.maxLevel),
    };
    checks.refuseIfAny();
    return saveStock(tx, stock, levels, { reason: "COUNTED", note: null });
  });
