import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/projections.js";
import { resolvers } from "./resolvers/index.js";

/** How long a claim's history keeps an entry: ten years, as long as the bookkeeping of what was paid for it. */
export const CLAIM_HISTORY_KEEP_MONTHS = 120;

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Warranty policies, coverage decisions, service contracts, preventive maintenance and warranty claims. */
export const warranty = defineSubgraph({
  name: "warranty",
  defaultPort: 4003,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    tenant: {
      service_contracts: "dealer_id",
      maintenance_visits: "dealer_id",
      warranty_claims: "dealer_id",
      claim_lines: "dealer_id",
      claim_history: "dealer_id",
    },
    shared: [
      // Terms that are the same for every caller.
      "warranty_policies",
      "contract_plans",
      // Copies of the catalog's, partners' and tickets' facts, kept from their events; nothing personal.
      "known_products",
      "known_dealers",
      "known_units",
      "known_customers",
      "known_tickets",
      // What covers a unit and which failures were claimed: facts about a unit, not a dealer's business (see schema.ts).
      "contract_units",
      "claimed_failures",
    ],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
  peers: ["partners", "catalog", "tickets"],
  partitioned: [{ table: "claim_history", column: "at", keepMonths: CLAIM_HISTORY_KEEP_MONTHS }],
});

export const schema = warranty.schema;
