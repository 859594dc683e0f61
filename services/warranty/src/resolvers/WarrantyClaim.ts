import { moneyOf } from "@aftersales/kit";
import { inCallersScope } from "../domain/scope.js";
import type { WarrantyClaimEventResolvers, WarrantyClaimLineResolvers, WarrantyClaimResolvers, WarrantyClaimStatsResolvers } from "../generated/graphql.js";

export const WarrantyClaim: WarrantyClaimResolvers = {
  dealer: (row) => ({ id: row.dealerId }),
  // The catalog answers another dealer's unit as missing: handing the gateway its id would null the whole claim.
  unit: async (row, _, { loaders, identity }) => (inCallersScope(await loaders.knownUnitById.load(row.unitId), identity) ? { id: row.unitId } : null),
  repairedUnit: async (row, _, { loaders }) => {
    const unit = await loaders.knownUnitById.load(row.unitId);
    if (!unit) throw new Error(`claim ${row.id} names unit ${row.unitId}, which this subgraph does not know`);
    return unit;
  },
  product: (row) => ({ id: row.productId }),
  contract: (row, _, { loaders }) => (row.contractId ? loaders.contractById.load(row.contractId) : null),
  lines: (row, _, { loaders }) => loaders.linesByClaimId.load(row.id),
  claimedTotal: (row) => moneyOf(row.claimedTotal, row.currency),
  approvedTotal: (row) => moneyOf(row.approvedTotal, row.currency),
  // The earlier claim may be another dealer's: then only its number shows, in the lines' explanations.
  duplicateOf: (row, _, { loaders }) => (row.duplicateOf ? loaders.claimByNumber.load(row.duplicateOf) : null),
  history: (row, _, { loaders }) => loaders.historyByClaimId.load(row.id),
};

export const WarrantyClaimLine: WarrantyClaimLineResolvers = {
  part: (row) => (row.partId ? { id: row.partId } : null),
  claimed: (row) => moneyOf(row.claimedAmount, row.currency),
  approved: (row) => (row.approvedAmount === null ? null : moneyOf(row.approvedAmount, row.currency)),
};

export const WarrantyClaimEvent: WarrantyClaimEventResolvers = {};

export const WarrantyClaimStats: WarrantyClaimStatsResolvers = {
  product: (row) => ({ id: row.productId }),
  claimRate: (row) => (row.unitsSold === 0 ? 0 : row.claims / row.unitsSold),
  claimed: (row) => moneyOf(row.claimed, row.currency),
  approved: (row) => moneyOf(row.approved, row.currency),
};
