import { moneyOf } from "@aftersales/kit";
import type { ProductResolvers } from "../generated/graphql.js";
import { productState } from "../db/events.js";

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => ("id" in reference ? loaders.productById.load(reference.id) : loaders.productBySku.load(reference.sku)),
  eventState: async (row, _, { loaders }) =>
    JSON.stringify(productState(row, await loaders.bomLinesByProductId.load(row.id), await loaders.repairStandardsByProductId.load(row.id))),
  lifecycleHistory: (row, _, { loaders }) => loaders.lifecycleChangesByProductId.load(row.id),
  successor: (row, _, { loaders }) => (row.successorId ? loaders.productById.load(row.successorId) : null),
  listPrice: (row) => moneyOf(row.listPrice, row.currency),
  billOfMaterials: (row, _, { loaders }) => loaders.bomLinesByProductId.load(row.id),
  repairStandards: (row, _, { loaders }) => loaders.repairStandardsByProductId.load(row.id),
  standardRepairHours: async (row, { failureCode }, { loaders }) => {
    const standards = await loaders.repairStandardsByProductId.load(row.id);
    return standards.find((s) => s.failureCode === failureCode.trim().toUpperCase())?.hours ?? null;
  },
  fittings: async (row, { kinds }, { loaders }) => {
    const fittings = await loaders.fittingsByEquipmentId.load(row.id);
    return kinds?.length ? fittings.filter((p) => kinds.includes(p.kind)) : fittings;
  },
  fits: (row, _, { loaders }) => loaders.equipmentByFittingId.load(row.id),
  usedIn: (row, _, { loaders }) => loaders.productsByPartId.load(row.id),
};
