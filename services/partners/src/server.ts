import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Dealers, service centers, technicians and customers. */
export const partners = defineSubgraph({
  name: "partners",
  defaultPort: 4001,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    // A technician is an employee of one service center; customers belong to their home dealer.
    tenant: { technicians: "service_center_id", customers: "home_dealer_id" },
    // The partner network itself is a directory every caller may read.
    shared: ["dealers", "dealer_business_hours", "dealer_holidays"],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = partners.schema;
export { resolvers };
