import { createdOnce, dealerToBook, InputChecks, mutationPayload, namedCustomer, namedDealer, requireRole } from "@aftersales/kit";
import { emitPurchaseEvent } from "../../db/events.js";
import { refreshForecast } from "../../db/forecasts.js";
import { findProductsByIds } from "../../db/products.js";
import { insertPurchase } from "../../db/purchases.js";
import { consumablePurchases } from "../../db/schema.js";
import { RECORDS_FIELD_EVENTS } from "../../domain/access.js";
import { checkHappened } from "../../domain/dates.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const recordConsumablePurchase: MutationResolvers["recordConsumablePurchase"] = (_, { input }, { db, identity, loaders }) => {
  requireRole(identity, RECORDS_FIELD_EVENTS, "record consumable purchases");
  return mutationPayload("purchase", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], 100);
    const [product] = await findProductsByIds(tx, [input.productId]);
    if (!product) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${input.productId}\`.`, ["productId"]);
    else if (product.kind !== "CONSUMABLE") {
      checks.add("WRONG_PRODUCT_KIND", `Refills are forecast for consumables; this product is ${product.kind}.`, ["productId"]);
    }
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
    if (customerId) await namedCustomer(checks, identity, customerId, loaders.knownCustomerById, ["customerId"]);
    await namedDealer(checks, identity, dealerId, loaders.knownDealerById, ["dealerId"]);
    const quantity = checks.range(input.quantity, ["quantity"], 1, 10_000);
    const purchasedOn = checkHappened(checks, input.purchasedOn, "purchasedOn");
    const consumable = checks.passed(product);
    return createdOnce(tx, consumablePurchases, { dealerId, dealerColumn: consumablePurchases.dealerId }, { key, input }, async (keyed) => {
      const purchase = await insertPurchase(tx, { customerId, productId: consumable.id, dealerId, quantity, purchasedOn, ...keyed });
      // The selling dealer's forecast is rewritten with the purchase, so it is never behind it.
      const forecast = await refreshForecast(tx, purchase, consumable);
      await emitPurchaseEvent(tx, purchase, forecast);
      return purchase;
    });
  });
};
