import { existsSync, readdirSync, readFileSync } from "node:fs";
import { anyOf, openDatabase, outboxTable, type Database, type DatabaseTarget } from "@aftersales/kit";
import { checkEvent, type WrittenEvent } from "@aftersales/schema";
import { asc, eq, gt, max, sql, TransactionRollbackError } from "drizzle-orm";
import { pgSchema, text } from "drizzle-orm/pg-core";

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

const pgTables = pgSchema("pg_catalog").table("pg_tables", { schemaname: text().notNull(), tablename: text().notNull() });

/** The migrations that write events themselves (backfills), found by their `INSERT INTO "<subgraph>"."outbox"`. */
function backfillStatements(): { file: string; subgraph: string; statement: string }[] {
  const services = new URL("../../services/", import.meta.url);
  const found = [];
  for (const service of readdirSync(services)) {
    const folder = new URL(`${service}/migrations/`, services);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith(".sql"))
      .sort()) {
      for (const statement of readFileSync(new URL(file, folder), "utf8").split("--> statement-breakpoint")) {
        const subgraph = /^\s*INSERT INTO "(\w+)"\."outbox"/im.exec(statement)?.[1];
        if (subgraph) found.push({ file: `services/${service}/migrations/${file}`, subgraph, statement });
      }
    }
  }
  return found;
}

type Problem = { event: WrittenEvent & { id: string }; problems: string[]; source: string };

/** Every row of a subgraph's outbox that the event catalog does not describe, after `position`. */
async function outboxProblems(db: Database, subgraph: string, source: string, afterPosition = 0): Promise<Problem[]> {
  const outbox = outboxTable(pgSchema(subgraph));
  const rows = await db.select().from(outbox).where(gt(outbox.position, afterPosition)).orderBy(asc(outbox.position));
  return rows.flatMap((row) => {
    const event = { ...row, producer: subgraph };
    const problems = checkEvent(event);
    return problems.length ? [{ event, problems, source }] : [];
  });
}

/**
 * Checks every event the subgraphs wrote to their outboxes in `database`
 * against the event catalog (`services/events/src/index.ts`, documented in
 * `schema/events.md`), and fails naming each type whose events it does not
 * describe. A test database starts empty, so the migrations that backfill
 * events wrote none: each backfill runs again here, on the data the test
 * left, in a transaction that is rolled back, and its events are checked too.
 */
export async function checkEventsAgainstCatalog(database: DatabaseTarget): Promise<void> {
  const handle = openDatabase(database.kind === "postgres" ? { ...database, poolSize: 1 } : database);
  try {
    // Every schema with an outbox, not a list of producers: a new one is checked from its first event.
    const producers = await handle.db
      .select({ subgraph: pgTables.schemaname })
      .from(pgTables)
      .where(eq(pgTables.tablename, "outbox"))
      .orderBy(asc(pgTables.schemaname));
    const found: Problem[] = [];
    for (const { subgraph } of producers) found.push(...(await outboxProblems(handle.db, subgraph, "outbox")));
    for (const backfill of backfillStatements()) {
      await handle.db
        .transaction(async (tx) => {
          const outbox = outboxTable(pgSchema(backfill.subgraph));
          const [last] = await tx.select({ position: max(outbox.position) }).from(outbox);
          await tx.execute(sql.raw(backfill.statement));
          found.push(...(await outboxProblems(tx, backfill.subgraph, backfill.file, last?.position ?? 0)));
          tx.rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof TransactionRollbackError)) throw new Error(`The backfill in ${backfill.file} no longer runs: ${String(error)}`);
        });
    }
    if (found.length) throw new Error(describeProblems(found));
  } finally {
    await handle.close();
  }
}

/** One paragraph per producer, type and version: how many events, and the first few problems. */
function describeProblems(found: readonly Problem[]): string {
  const groups = new Map<string, Problem[]>();
  for (const problem of found) {
    const key = `${problem.event.producer} ${problem.event.type} v${problem.event.version}`;
    groups.set(key, [...(groups.get(key) ?? []), problem]);
  }
  const lines = [
    "Events the event catalog (services/events/src/index.ts) does not describe; fix the catalog (then `npm run events -w @aftersales/schema`) or the producer:",
  ];
  for (const [key, problems] of groups) {
    lines.push(`  ${key}: ${problems.length} event(s)`);
    for (const { event, problems: what, source } of problems.slice(0, 3)) {
      lines.push(`    event ${event.id} (${source}), payload ${JSON.stringify(event.payload)}`);
      for (const line of what) lines.push(`      - ${line}`);
    }
  }
  return lines.join("\n");
}
