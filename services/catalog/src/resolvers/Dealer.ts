import { pageOf, toConnection } from "@aftersales/kit";
import { forecastOrder } from "../db/forecasts.js";
import { stockOrder } from "../db/stock.js";
import { unitOrder } from "../db/units.js";
import type { DealerResolvers } from "../generated/graphql.js";
import { dueUntil } from "./arguments.js";

export const Dealer: DealerResolvers = {
  // The catalog only knows dealers by id; the partners subgraph owns them.
  __resolveReference: ({ id }) => ({ id }),
  unitsSold: async ({ id }, args, { loaders }) => {
    const page = pageOf(args, unitOrder);
    return toConnection(await loaders.soldUnitPageByDealerId.load({ parentId: id, args: page }), page, unitOrder, () =>
      loaders.soldUnitCountByDealerId.load({ parentId: id, args: null }),
    );
  },
  replenishmentDue: async ({ id }, { within, asOf, overdue, ...args }, { loaders }) => {
    const due = dueUntil(within, asOf, overdue);
    const page = pageOf(args, forecastOrder);
    const rows = await loaders.dueForecastPageByDealerId.load({ parentId: id, args: { window: due, page } });
    return toConnection(
      rows.map((forecast) => ({ ...forecast, asOf: due.asOf })),
      page,
      forecastOrder,
      () => loaders.dueForecastCountByDealerId.load({ parentId: id, args: due }),
    );
  },
  partsStock: async ({ id }, { filter, ...args }, { loaders }) => {
    const page = pageOf(args, stockOrder);
    const rows = await loaders.stockPageByServiceCenterId.load({ parentId: id, args: { filter: filter ?? {}, page } });
    return toConnection(rows, page, stockOrder, () => loaders.stockCountByServiceCenterId.load({ parentId: id, args: filter ?? {} }));
  },
};
