import { InputChecks, mutationPayload } from "@aftersales/kit";
import { refreshForecast } from "../../db/forecasts.js";
import { findProductsByIds } from "../../db/products.js";
import { insertPurchase } from "../../db/purchases.js";
import { checkHappened } from "../../domain/dates.js";
import type { CatalogErrorCode } from "../../domain/errors.js";
import type { MutationResolvers } from "../../generated/graphql.js";

export const recordConsumablePurchase: MutationResolvers["recordConsumablePurchase"] = (_, { input }, { db }) =>
  mutationPayload("purchase", db, async (tx) => {
    const checks = new InputChecks<CatalogErrorCode>();
    const [product] = await findProductsByIds(tx, [input.productId]);
    if (!product) checks.add("PRODUCT_NOT_FOUND", `No product has the id \`${input.productId}\`.`, ["productId"]);
    else if (product.kind !== "CONSUMABLE") {
      checks.add("WRONG_PRODUCT_KIND", `Refills are forecast for consumables; this product is ${product.kind}.`, ["productId"]);
    }
    const customerId = checks.text(input.customerId, ["customerId"], 64);
    const dealerId = checks.text(input.dealerId, ["dealerId"], 64);
    const quantity = checks.range(input.quantity, ["quantity"], 1, 10_000);
    const purchasedOn = checkHappened(checks, input.purchasedOn, "purchasedOn");
    const consumable = checks.passed(product);
    const purchase = await insertPurchase(tx, {
      customerId,
      productId: consumable.id,
      dealerId,
      quantity,
      purchasedOn,
    });
    // The projection is rewritten with the purchase, so the forecast is never behind it.
    await refreshForecast(tx, customerId, consumable);
    return purchase;
  });
