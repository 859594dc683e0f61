import { pageOf, toConnection } from "@aftersales/kit";
import { purchaseOrder } from "../db/purchases.js";
import { unitOrder } from "../db/units.js";
import type { CustomerResolvers } from "../generated/graphql.js";
import { dueUntil } from "./arguments.js";

export const Customer: CustomerResolvers = {
  // The catalog only knows customers by id; the partners subgraph owns them.
  __resolveReference: ({ id }) => ({ id }),
  units: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, unitOrder);
    return toConnection(await loaders.unitPageByCustomerId.load({ parentId: id, args: page }), page, unitOrder, () =>
      loaders.unitCountByCustomerId.load({ parentId: id, args: null }),
    );
  },
  consumablePurchases: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, purchaseOrder);
    return toConnection(await loaders.purchasePageByCustomerId.load({ parentId: id, args: page }), page, purchaseOrder, () =>
      loaders.purchaseCountByCustomerId.load({ parentId: id, args: null }),
    );
  },
  replenishmentDue: async ({ id }, { within, asOf, overdue }, { loaders }) => {
    const due = dueUntil(within, asOf, overdue);
    const forecasts = await loaders.dueForecastsByCustomerId.load({ parentId: id, args: due });
    return forecasts.map((forecast) => ({ ...forecast, asOf: due.asOf }));
  },
};
