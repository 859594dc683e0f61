import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Products and their lifecycle, the installed base, consumables and parts stock. */
export const catalog = defineSubgraph({
  name: "catalog",
  defaultPort: 4002,
  typeDefs,
  resolvers,
  createLoaders,
  migrationsFolder: new URL("../migrations", import.meta.url),
});

export const schema = catalog.schema;
export { resolvers };
