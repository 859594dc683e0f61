import { findByIdempotencyKey, InputChecks, keyedRequest, mutationPayload, replayOf, requireRole } from "@aftersales/kit";
import { partStockMovements } from "../../db/schema.js";
import { checkStockedPart, lockStock, MAX_STOCK, saveStock } from "../../db/stock.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const adjustPartStock: MutationResolvers["adjustPartStock"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "change parts stock");
  return mutationPayload("stock", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const serviceCenterId = await checkStockedPart(tx, { identity, loaders }, checks, input);
    const stockNamed = checks.ok;
    if (key && stockNamed) {
      // A retry of an adjustment made already answers with the stock as it is, moving nothing again.
      const earlier = await findByIdempotencyKey(tx, partStockMovements, serviceCenterId, key, partStockMovements.serviceCenterId);
      if (replayOf(earlier, input)) return lockStock(tx, serviceCenterId, input.partId);
    }
    const changeFits = input.change !== 0 && Math.abs(input.change) <= MAX_STOCK;
    if (!changeFits) checks.add("OUT_OF_RANGE", `\`change\` must be a non-zero number of at most ${MAX_STOCK} either way.`, ["change"]);
    const note = checks.optionalText(input.note, ["note"], 2000);
    // Whether there is enough on hand is asked whatever else is wrong (a note too long, say), so both are said at once.
    if (!stockNamed || !changeFits) checks.refuseIfAny();
    const stock = await lockStock(tx, serviceCenterId, input.partId);
    const onHand = stock.onHand + input.change;
    if (onHand < 0) {
      checks.add("INSUFFICIENT_STOCK", `Only ${stock.onHand} on hand; cannot take away ${-input.change}.`, ["change"]);
    }
    checks.refuseIfAny();
    return saveStock(tx, stock, { ...stock, onHand }, { reason: input.reason, note, ...keyedRequest(key, input) });
  });
};
