import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/projections.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Surveys, feedback and the insights data teams query. */
export const feedback = defineSubgraph({
  name: "feedback",
  defaultPort: 4005,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    tenant: {
      surveys: "dealer_id",
      feedback_entries: "dealer_id",
      complaint_cases: "dealer_id",
      ticket_facts: "dealer_id",
      claim_facts: "dealer_id",
      known_units: "dealer_id",
      known_customers: "home_dealer_id",
      // Cells of one dealer carry its id; cells across all dealers carry '*', which is no DEALER's.
      satisfaction_rollups: "dealer_id",
      resolution_rollups: "dealer_id",
      failure_rollups: "dealer_id",
      claim_rollups: "dealer_id",
      unit_sale_rollups: "dealer_id",
    },
    shared: [
      // Names of products and dealers (businesses, not people), for insights' labels.
      "known_products",
      "known_dealers",
      // When surveys come due: one row for the whole network.
      "survey_settings",
    ],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
  peers: ["partners", "catalog", "tickets"],
  // Survey links are sent to customers, who open them from outside.
  needsPublicUrl: true,
});

export const schema = feedback.schema;
