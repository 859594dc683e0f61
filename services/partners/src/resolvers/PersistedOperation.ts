import type { PersistedOperationResolvers } from "../generated/graphql.js";

export const PersistedOperation: PersistedOperationResolvers = {
  dealer: (row, _, { loaders }) => (row.dealerId ? loaders.dealerById.load(row.dealerId) : null),
};
