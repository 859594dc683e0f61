import { present, todayUtc } from "@aftersales/kit";
import { forecastKeyOf } from "../db/forecasts.js";
import type { ConsumablePurchaseResolvers } from "../generated/graphql.js";

export const ConsumablePurchase: ConsumablePurchaseResolvers = {
  customer: (purchase) => ({ id: purchase.customerId }),
  product: async (purchase, _, { loaders }) => present(await loaders.productById.load(purchase.productId), "purchased product"),
  dealer: (purchase) => ({ id: purchase.dealerId }),
  // Null for a DEALER when the customer's latest purchase was at another dealer: the row is that dealer's.
  forecast: async (purchase, _, { loaders }) => {
    const forecast = await loaders.forecastByKey.load(forecastKeyOf(purchase));
    return forecast ? { ...forecast, asOf: todayUtc() } : null;
  },
};
