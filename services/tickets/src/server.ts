import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/projections.js";
import { resolvers } from "./resolvers/index.js";

/** How long a ticket's timeline keeps a change: five years, beyond any warranty or contract term it may be asked about for. */
export const TIMELINE_KEEP_MONTHS = 60;

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
      ticket_sla_events: "dealer_id",
      ticket_parts: "dealer_id",
      ticket_loaners: "dealer_id",
      sla_policies: "dealer_id",
    },
    shared: [
      // Copies of partners', the catalog's and warranty's facts, kept from their events; nothing personal.
      "known_customers",
      "known_dealers",
      "known_technicians",
      "known_units",
      "known_products",
      "known_contracts",
      // Ids only: which service center and technician work which ticket, so dispatch weighs every dealer's open work.
      "ticket_assignments",
    ],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
  peers: ["partners", "catalog"],
  partitioned: [{ table: "ticket_timeline", column: "at", keepMonths: TIMELINE_KEEP_MONTHS }],
});

export const schema = tickets.schema;
