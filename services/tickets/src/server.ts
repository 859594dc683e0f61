import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

export const resolvers = {};

/** Service tickets, SLA clocks, dispatch, parts used and loaners. */
export const tickets = defineSubgraph({
  name: "tickets",
  defaultPort: 4004,
  typeDefs,
  resolvers,
  createLoaders: () => ({}),
  scopes: { tenant: {}, shared: [] },
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = tickets.schema;
