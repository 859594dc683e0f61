import { moneyOf, multiplyAmount, present } from "@aftersales/kit";
import type { PartStockResolvers } from "../generated/graphql.js";

export const PartStock: PartStockResolvers = {
  serviceCenter: (stock) => ({ id: stock.serviceCenterId }),
  part: async (stock, _, { loaders }) => present(await loaders.productById.load(stock.partId), "stocked part"),
  available: (stock) => stock.onHand - stock.reserved,
  stockValue: async (stock, _, { loaders }) => {
    const part = present(await loaders.productById.load(stock.partId), "stocked part");
    return moneyOf(multiplyAmount(part.currency, part.listPrice, stock.onHand), part.currency);
  },
  overstockValue: async (stock, _, { loaders }) => {
    const part = present(await loaders.productById.load(stock.partId), "stocked part");
    const surplus = stock.overstock ? stock.onHand - stock.maxLevel : 0;
    return moneyOf(multiplyAmount(part.currency, part.listPrice, surplus), part.currency);
  },
};
