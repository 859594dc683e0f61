import { daysBetween, present } from "@aftersales/kit";
import { explainForecast } from "../domain/replenishment.js";
import type { ReplenishmentForecastResolvers } from "../generated/graphql.js";

export const ReplenishmentForecast: ReplenishmentForecastResolvers = {
  customer: (forecast) => ({ id: forecast.customerId }),
  product: async (forecast, _, { loaders }) => present(await loaders.productById.load(forecast.productId), "forecast product"),
  dealer: (forecast) => ({ id: forecast.dealerId }),
  daysLeft: (forecast) => daysBetween(forecast.asOf, forecast.runsOutOn),
  overdue: (forecast) => forecast.runsOutOn < forecast.asOf,
  explanation: (forecast) => explainForecast(forecast),
};
