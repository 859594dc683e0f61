import { defineSubgraph, scalarResolvers, subgraphTypeDefs } from "@aftersales/kit";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

export const resolvers = {
  DateTime: scalarResolvers.DateTime,
  Date: scalarResolvers.Date,
  Decimal: scalarResolvers.Decimal,
};

/** Service tickets, SLA clocks, dispatch, parts used and loaners. */
export const tickets = defineSubgraph({
  name: "tickets",
  defaultPort: 4004,
  typeDefs,
  resolvers,
  createLoaders: () => ({}),
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = tickets.schema;
