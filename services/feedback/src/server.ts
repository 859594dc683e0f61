import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

export const resolvers = {};

/** Surveys, feedback and the insights data teams query. */
export const feedback = defineSubgraph({
  name: "feedback",
  defaultPort: 4005,
  typeDefs,
  resolvers,
  createLoaders: () => ({}),
  scopes: { tenant: {}, shared: [] },
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = feedback.schema;
