import type { CustomerResolvers } from "../generated/graphql.js";

export const Customer: CustomerResolvers = {
  // Partners owns customers; here they are the key to their contracts.
  __resolveReference: ({ id }) => ({ id }),
  serviceContracts: ({ id }, _, { loaders }) => loaders.contractsByCustomerId.load(id),
};
