import { moneyOf, present } from "@aftersales/kit";
import type { ContractedUnitResolvers, ContractPlanResolvers, ServiceContractResolvers } from "../generated/graphql.js";

export const ContractPlan: ContractPlanResolvers = {
  // Plans are the same for every caller, retired ones included (a contract offered before may name one).
  __resolveReference: ({ id }, { loaders }) => loaders.planById.load(id),
};

export const ServiceContract: ServiceContractResolvers = {
  plan: async (row, _, { loaders }) => present(await loaders.planById.load(row.planId), "contract's plan"),
  customer: (row) => ({ id: row.customerId }),
  dealer: (row) => ({ id: row.dealerId }),
  units: (row, _, { loaders }) => loaders.contractUnitsByContractId.load(row.id),
  price: (row) => moneyOf(row.price, row.currency),
  refund: (row) => (row.refund === null ? null : moneyOf(row.refund, row.currency)),
  maintenanceVisits: (row, _, { loaders }) => loaders.visitsByContractId.load(row.id),
};

export const ContractedUnit: ContractedUnitResolvers = {
  unit: (row) => ({ id: row.unitId }),
  price: async (row, _, { loaders }) => {
    const contract = present(await loaders.contractById.load(row.contractId), "contracted unit's contract");
    return moneyOf(row.price, contract.currency);
  },
  casesLeft: (row) => (row.maxCases === null ? null : Math.max(0, row.maxCases - row.casesUsed)),
  laborHoursLeft: (row) => (row.maxLaborHours === null ? null : Math.max(0, row.maxLaborHours - row.laborHoursUsed)),
};

export const Contracts = { ContractPlan, ServiceContract, ContractedUnit };
