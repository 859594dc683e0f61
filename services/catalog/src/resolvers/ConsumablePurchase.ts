import { present, todayUtc } from "@aftersales/kit";
import { forecastKeyOf } from "../db/forecasts.js";
import type { ConsumablePurchaseResolvers } from "../generated/graphql.js";

export const ConsumablePurchase: ConsumablePurchaseResolvers = {
  customer: (purchase) => ({ id: purchase.customerId }),
  product: async (purchase, _, { loaders }) => present(await loaders.productById.load(purchase.productId), "purchased product"),
  dealer: (purchase) => ({ id: purchase.dealerId }),
  // The forecast of the purchase's own dealer, written with the purchase: whoever sees the purchase sees it.
  forecast: async (purchase, _, { loaders }) => ({
    ...present(await loaders.forecastByKey.load(forecastKeyOf(purchase)), "forecast of the purchase's dealer"),
    asOf: todayUtc(),
  }),
};
