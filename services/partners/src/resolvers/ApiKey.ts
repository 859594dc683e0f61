import type { ApiKeyResolvers } from "../generated/graphql.js";

export const ApiKey: ApiKeyResolvers = {
  prefix: (row) => row.keyPrefix,
  dealer: (row, _, { loaders }) => (row.dealerId ? loaders.dealerById.load(row.dealerId) : null),
};
