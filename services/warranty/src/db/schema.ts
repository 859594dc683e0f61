import { pgSchema } from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `warranty` Postgres schema. */
export const warranty = pgSchema("warranty");
