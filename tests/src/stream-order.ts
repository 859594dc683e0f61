import { APP_ROLE, executeRows, type Database, type DomainEvent } from "@aftersales/kit";
import { sql } from "drizzle-orm";

/**
 * What the JetStream ordering tests count: the plumbing consumer's
 * (`events_consumer`) record of each event it applied, in the order it
 * applied them, written in the transaction that applies them.
 */

/** The one type the consumer subscribes to; the producer writes others between them, so its stream sequences skip. */
export const COUNTED = "counter.added";

export async function createAppliedTable(db: Database): Promise<void> {
  await db.execute(sql`create table events_consumer.applied (n bigserial primary key, event_id uuid not null, amount integer not null)`);
  await db.execute(sql`grant all on events_consumer.applied, events_consumer.applied_n_seq to ${sql.identifier(APP_ROLE)}`);
}

export async function recordApplied(tx: Database, event: DomainEvent): Promise<void> {
  const { amount } = event.payload as { amount: number };
  await tx.execute(sql`insert into events_consumer.applied (event_id, amount) values (${event.id}, ${amount})`);
}

/** The amounts of the events applied, in the order they were. */
export async function appliedAmounts(db: Database): Promise<number[]> {
  const rows = await executeRows<{ amount: number }>(db, sql`select amount from events_consumer.applied order by n`);
  return rows.map((row) => row.amount);
}
