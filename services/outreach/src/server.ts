import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/projections.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Outreach: each dealer's worklist of whom to contact, why, and what to offer. */
export const outreach = defineSubgraph({
  name: "outreach",
  defaultPort: 4006,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    tenant: {
      known_customers: "home_dealer_id",
      known_units: "dealer_id",
      covered_units: "dealer_id",
      warranty_endings: "dealer_id",
      known_visits: "dealer_id",
      known_purchases: "dealer_id",
      reasons: "dealer_id",
      items: "dealer_id",
      survey_answers: "dealer_id",
      unit_sales: "dealer_id",
    },
    shared: [
      // Dealers' contact intervals and the product catalog: businesses and products, not people.
      "known_dealers",
      "known_products",
    ],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
});

export const schema = outreach.schema;
