import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Dealers, service centers, technicians and customers; the graph's API keys and registered operations. */
export const partners = defineSubgraph({
  name: "partners",
  defaultPort: 4001,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    // A technician is an employee of one service center; customers belong to their home dealer.
    tenant: {
      technicians: "service_center_id",
      customers: "home_dealer_id",
      // A DEALER key belongs to its dealer; keys of other roles (no dealer) are staff's alone. Only ADMINs manage them.
      api_keys: "dealer_id",
      // A dealer's registered operations are its own; those staff registered (no dealer) are everyone's.
      persisted_operations: {
        visibleWhen: "dealer_id is null or dealer_id = current_setting('aftersales.dealer_id', true)",
        writableWhen: "dealer_id = current_setting('aftersales.dealer_id', true)",
      },
    },
    // The partner network itself is a directory every caller may read.
    shared: ["dealers", "dealer_business_hours", "dealer_holidays"],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true },
});

export const schema = partners.schema;
export { resolvers };
