import { defineSubgraph, subgraphTypeDefs } from "@aftersales/kit";
import { sql } from "drizzle-orm";
import { createLoaders } from "./db/loaders.js";
import { subscriptions } from "./db/subscriptions.js";
import { resolvers } from "./resolvers/index.js";

/** How long a finished webhook delivery is kept, with its attempts: for a dealer to look back at what was sent. */
export const WEBHOOK_DELIVERIES_KEEP_DAYS = 90;

export const typeDefs = subgraphTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Dealers, service centers, technicians and customers; the graph's API keys and registered operations; dealers' webhooks. */
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
        visibleWhen: "dealer_id is null or dealer_id = (select current_setting('aftersales.dealer_id', true))",
        writableWhen: "dealer_id = (select current_setting('aftersales.dealer_id', true))",
      },
      // A dealer's endpoints, their deliveries and attempts are its own.
      webhook_endpoints: "dealer_id",
      webhook_deliveries: "dealer_id",
      webhook_attempts: "dealer_id",
    },
    // The partner network itself is a directory every caller may read.
    shared: ["dealers", "dealer_business_hours", "dealer_holidays"],
  },
  migrationsFolder: new URL("../migrations", import.meta.url),
  events: { produces: true, consumes: subscriptions },
  expiring: [
    {
      // A delivery goes with its attempts (and its replays): only once it and every replay of it are finished and old.
      table: "webhook_deliveries",
      column: "created_at",
      keepDays: WEBHOOK_DELIVERIES_KEEP_DAYS,
      when: (cutoff) => sql`status in ('DELIVERED', 'FAILED') and not exists (
        select 1 from partners.webhook_deliveries replay where replay.replay_of = webhook_deliveries.id
          and (replay.created_at >= ${cutoff} or replay.status in ('PENDING', 'RETRYING')))`,
    },
  ],
});

export const schema = partners.schema;
export { resolvers };
