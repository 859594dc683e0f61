import { present, todayUtc } from "@aftersales/kit";
import { forecastKeyOf } from "../db/forecasts.js";
import type { ConsumablePurchaseResolvers } from "../generated/graphql.js";

export const ConsumablePurchase: ConsumablePurchaseResolvers = {
  customer: (purchase) => ({ id: purchase.customerId }),
  product: async (purchase, _, { loaders }) => present(await loaders.productById.load(purchase.productId), "purchased product"),
  dealer: (purchase) => ({ id: purchase.dealerId }),
  forecast: async (purchase, _, { loaders }) => ({
    ...present(await loaders.forecastByKey.load(forecastKeyOf(purchase)), "forecast of a purchase"),
    asOf: todayUtc(),
  }),
};
