import { dealerScopeOf, pageOf, toConnection, todayUtc } from "@aftersales/kit";
import type { DealerResolvers } from "../generated/graphql.js";
import { expiringOrder } from "../db/units.js";
import { dueOrder } from "../db/visits.js";
import { withinDays } from "./arguments.js";

export const Dealer: DealerResolvers = {
  // Partners owns dealers; here they are the key to their contracts, visits and claims.
  __resolveReference: ({ id }) => ({ id }),
  warrantyExpiring: async ({ id }, { within, ...args }, { loaders, identity }) => {
    const page = pageOf(args, expiringOrder);
    const asOf = todayUtc();
    // Units and their owners are the selling dealer's business: another DEALER gets an empty list.
    const own = dealerScopeOf(identity);
    const mine = own === null || own === id;
    const window = { asOf, within: withinDays(within) };
    const rows = mine ? await loaders.expiringPageByDealerId.load({ parentId: id, args: { ...window, page } }) : [];
    return toConnection(
      rows.map((unit) => ({ unit: { ...unit, warrantyEndsOn: unit.warrantyEndsOn ?? asOf }, asOf })),
      page,
      { ...expiringOrder, of: (row) => expiringOrder.of(row.unit) },
      async () => (mine ? loaders.expiringCountByDealerId.load({ parentId: id, args: window }) : 0),
    );
  },
  maintenanceDue: async ({ id }, { within, ...args }, { loaders }) => {
    const page = pageOf(args, dueOrder);
    // Visits are read in the caller's scope, so another DEALER's list comes back empty.
    const window = { asOf: todayUtc(), within: withinDays(within) };
    const rows = await loaders.dueVisitPageByDealerId.load({ parentId: id, args: { ...window, page } });
    return toConnection(rows, page, dueOrder, () => loaders.dueVisitCountByDealerId.load({ parentId: id, args: window }));
  },
};
