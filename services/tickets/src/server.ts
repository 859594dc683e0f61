import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/projections.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Service tickets, SLA clocks, dispatch, parts used and loaners. */
export const tickets = defineSubgraph({
  name: "tickets",
  defaultPort: 4004,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    tenant: {
      tickets: "dealer_id",
      ticket_timeline: "dealer_id",
    },
    // Copies of partners' and the catalog's facts, kept from their events; nothing personal.
    shared: ["known_customers", "known_dealers", "known_units"],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
});

export const schema = tickets.schema;
