import { moneyOf, present } from "@aftersales/kit";
import type { UnitResolvers } from "../generated/graphql.js";
import { unitState } from "../db/events.js";

export const Unit: UnitResolvers = {
  __resolveReference: (reference, { loaders }) =>
    "id" in reference ? loaders.unitById.load(reference.id) : loaders.unitBySerialNumber.load(reference.serialNumber),
  eventState: async (row, _, { loaders }) => {
    const events = await loaders.eventsByUnitId.load(row.id);
    return JSON.stringify(unitState(row, present(events.at(-1), "unit's latest event")));
  },
  product: async (row, _, { loaders }) => present(await loaders.productById.load(row.productId), "unit's product"),
  customer: (row) => (row.customerId ? { id: row.customerId } : null),
  dealer: (row) => ({ id: row.dealerId }),
  soldBy: (row) => (row.soldOn ? { id: row.dealerId } : null),
  purchasePrice: (row) => (row.purchasePrice && row.purchaseCurrency ? moneyOf(row.purchasePrice, row.purchaseCurrency) : null),
  events: (row, _, { loaders }) => loaders.eventsByUnitId.load(row.id),
  transferredOn: async (row, _, { loaders }) => (await loaders.eventsByUnitId.load(row.id)).find((event) => event.kind === "TRANSFERRED")?.occurredOn ?? null,
};
