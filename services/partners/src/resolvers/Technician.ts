import { present } from "@aftersales/kit";
import type { TechnicianResolvers } from "../generated/graphql.js";
import { technicianState } from "../db/events.js";

export const Technician: TechnicianResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.technicianById.load(id),
  eventState: (row) => JSON.stringify(technicianState(row)),
  serviceCenter: async (row, _, { loaders }) => present(await loaders.dealerById.load(row.serviceCenterId), "technician's service center"),
};
