import type { Config } from "drizzle-kit";

/**
 * The drizzle-kit config of a subgraph: its tables in `src/db/schema.ts`, all
 * in the Postgres schema named after it, migrations generated into
 * `migrations/` (run `npm run db:generate -- --name <what changed>`).
 */
export function drizzleConfig(subgraph: string): Config {
  return {
    dialect: "postgresql",
    schema: "./src/db/schema.ts",
    out: "./migrations",
    casing: "snake_case",
    schemaFilter: [subgraph],
  };
}
