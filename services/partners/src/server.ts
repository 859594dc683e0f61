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
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = partners.schema;
export { resolvers };
