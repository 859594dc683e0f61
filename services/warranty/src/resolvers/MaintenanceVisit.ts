import { present } from "@aftersales/kit";
import type { MaintenanceVisitResolvers } from "../generated/graphql.js";

export const MaintenanceVisit: MaintenanceVisitResolvers = {
  contract: async (row, _, { loaders }) => present(await loaders.contractById.load(row.contractId), "visit's contract"),
  unit: (row) => ({ id: row.unitId }),
  dealer: (row) => ({ id: row.dealerId }),
};
