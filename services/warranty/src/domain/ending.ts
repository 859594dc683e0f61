import { compareAmounts, moneyOf } from "@aftersales/kit";
import { contractPrice } from "./contracts.js";

/** A warranty ending within this many days, with no contract to follow it, is announced (`warranty.ending`) for outreach to offer one. */
export const WARRANTY_NOTICE_DAYS = 60;

export interface OfferedPlan {
  id: string;
  name: string;
  priceSharePercent: number;
  termMonths: number;
}

/**
 * What each plan on offer would cost for one unit, as a contract made on it
 * would be priced, cheapest first (then by name). Every plan fits every unit:
 * plans are priced by the unit's purchase price, so a unit without one gets
 * no offer.
 */
export function pricedOffers(plans: readonly OfferedPlan[], purchase: { amount: string; currency: string } | null) {
  if (!purchase) return [];
  return plans
    .map((plan) => ({
      planId: plan.id,
      planName: plan.name,
      termMonths: plan.termMonths,
      price: moneyOf(
        contractPrice({ priceSharePercent: plan.priceSharePercent, months: plan.termMonths, purchasePrices: [purchase.amount], currency: purchase.currency })
          .total,
        purchase.currency,
      ),
    }))
    .sort((a, b) => compareAmounts(a.price.amount, b.price.amount) || a.planName.localeCompare(b.planName));
}
