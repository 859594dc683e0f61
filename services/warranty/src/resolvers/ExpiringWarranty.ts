import { daysBetween, moneyOf } from "@aftersales/kit";
import type { ContractOfferResolvers, ExpiringWarrantyResolvers } from "../generated/graphql.js";
import { contractPrice } from "../domain/contracts.js";

export const ExpiringWarranty: ExpiringWarrantyResolvers = {
  unit: ({ unit }) => ({ id: unit.id }),
  customer: ({ unit }) => (unit.customerId ? { id: unit.customerId } : null),
  warrantyEndsOn: ({ unit }) => unit.warrantyEndsOn,
  daysLeft: ({ unit, asOf }) => daysBetween(asOf, unit.warrantyEndsOn),
  offers: async ({ unit }, _, { loaders }) => {
    const { purchasePrice, currency } = unit;
    if (purchasePrice === null || currency === null) return [];
    const plans = await loaders.offeredPlans.load("offered");
    return plans.map((plan) => ({
      plan,
      price: moneyOf(
        contractPrice({ priceSharePercent: plan.priceSharePercent, months: plan.termMonths, purchasePrices: [purchasePrice], currency }).total,
        currency,
      ),
    }));
  },
};

export const ContractOffer: ContractOfferResolvers = {};
