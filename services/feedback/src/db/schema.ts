import { pgSchema } from "drizzle-orm/pg-core";

/** Every table of this subgraph lives in the `feedback` Postgres schema. */
export const feedback = pgSchema("feedback");
