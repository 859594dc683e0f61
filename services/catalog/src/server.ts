import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/subscriptions.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Products and their lifecycle, the installed base, consumables and parts stock. */
export const catalog = defineSubgraph({
  name: "catalog",
  defaultPort: 4002,
  typeDefs,
  resolvers,
  createLoaders,
  scopes: {
    tenant: {
      units: "dealer_id",
      // An event belongs to whoever may see its unit (the units policy applies inside the condition).
      unit_events: { visibleWhen: "exists (select 1 from catalog.units u where u.id = unit_id)" },
      consumable_purchases: "dealer_id",
      replenishment_forecasts: "dealer_id",
      part_stock: "service_center_id",
      part_stock_movements: "service_center_id",
    },
    shared: [
      // The product catalog is the same for every caller.
      "products",
      "product_lifecycle_changes",
      "product_fittings",
      "bom_lines",
      "repair_standards",
      // Copies of partners' customers and dealers, kept from their events; nothing personal.
      "known_customers",
      "known_dealers",
    ],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
  peers: ["partners"],
});

export const schema = catalog.schema;
export { resolvers };
