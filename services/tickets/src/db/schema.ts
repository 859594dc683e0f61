import { pgSchema } from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `tickets` Postgres schema. */
export const tickets = pgSchema("tickets");
