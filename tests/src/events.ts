import { anyOf, outboxTable, type Database } from "@aftersales/kit";
import { asc } from "drizzle-orm";
import { pgSchema } from "drizzle-orm/pg-core";

/**
 * What subgraph `producer` told the others about these aggregates, oldest
 * first: its outbox, read beneath the API (no API shows events yet).
 */
export function outboxEvents(db: Database, producer: string, aggregateIds: readonly string[]) {
  const outbox = outboxTable(pgSchema(producer));
  return db
    .select({ type: outbox.type, aggregateId: outbox.aggregateId, dealerId: outbox.dealerId, payload: outbox.payload })
    .from(outbox)
    .where(anyOf(outbox.aggregateId, aggregateIds))
    .orderBy(asc(outbox.position));
}
