import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

export const resolvers = {};

/** Warranty policies, coverage decisions, service contracts, preventive maintenance and warranty claims. */
export const warranty = defineSubgraph({
  name: "warranty",
  defaultPort: 4003,
  typeDefs,
  resolvers,
  createLoaders: () => ({}),
  scopes: { tenant: {}, shared: [] },
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = warranty.schema;
