/**
 * The benchmark's dataset: the demo world written through the graph's own
 * API (dealers with their calendars and SLA policies, products, warranty
 * terms and contract plans, customers, units with their histories, tickets
 * with their SLA clocks, and every subgraph's copies of them, carried by
 * the events), then multiplied in PostgreSQL with set-based statements:
 * each customer, unit and ticket is copied with new ids, serial numbers and
 * ticket numbers, together with the copies the other subgraphs keep of it,
 * as the events of a live system would have left them. The outbox rows of
 * the copies are not written: the relay would only apply them again.
 *
 * A copy's id keeps the original's prefix, time part and last 11 characters
 * and puts the copy's number in the five characters between, so ids stay
 * well formed (`prefix_` and a ULID) and references between copies hold.
 */
import type postgres from "postgres";

/** Runs one statement and returns its rows: postgres.js's `unsafe`, or PGlite's `query`. */
export type RunStatement = <Row>(text: string) => Promise<Row[]>;

export interface DatasetSize {
  /** Copies of every demo customer and unit (the demo has 50 customers and 200 units). */
  customerCopies: number;
  /** Copies of every demo ticket (about 30); the n-th copy belongs to customer and unit copy n modulo customerCopies. */
  ticketCopies: number;
}

const SCHEMAS = ["partners", "catalog", "warranty", "tickets", "feedback"];

/** What a table's rows are copies of, and so which copy number their ids take. */
type Entity = "customer" | "unit" | "ticket";

/** The tables holding customers, units and tickets (or each subgraph's copy of them), found by name. */
function entityOf(schema: string, table: string): Entity | null {
  if ((schema === "partners" && table === "customers") || table === "known_customers") return "customer";
  if ((schema === "catalog" && (table === "units" || table === "unit_events")) || table === "known_units") return "unit";
  if ((schema === "tickets" && (table === "tickets" || table === "ticket_sla_events")) || table === "known_tickets") return "ticket";
  return null;
}

const cloneId = (column: string, copy: string) =>
  `case when ${column} is null then null else left(${column}, length(${column}) - 16) || lpad(upper(to_hex(${copy})), 5, '0') || right(${column}, 11) end`;

/** The copy number a row's references to customers and units take: a ticket copy's owner is customer copy n mod customerCopies. */
const ownerCopy = (entity: Entity, customerCopies: number) => (entity === "ticket" ? `((k - 1) % ${customerCopies} + 1)` : "k");

/** Multiplies the demo's customers, units and tickets (see above); returns the row counts of the three owners' tables. */
export async function multiplyDemo(sql: postgres.Sql, size: DatasetSize): Promise<Record<string, number>> {
  await multiplyDemoIn(<Row>(text: string) => sql.unsafe<Row[]>(text), size);
  const [counts] = await sql<{ customers: number; units: number; tickets: number }[]>`
    select (select count(*)::int from partners.customers) as customers, (select count(*)::int from catalog.units) as units,
           (select count(*)::int from tickets.tickets) as tickets`;
  return { ...counts! };
}

/**
 * The same in whichever of the graph's schemas `run` reaches: all of them in
 * one database, or one subgraph's in its own (the production shape keeps a
 * database per subgraph), or an embedded graph's PGlite.
 */
export async function multiplyDemoIn(run: RunStatement, size: DatasetSize): Promise<void> {
  const columns = await run<{ schema: string; table: string; column: string }>(`
    select c.table_schema as schema, c.table_name as table, c.column_name as column
    from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
    where c.table_schema in (${SCHEMAS.map((s) => `'${s}'`).join(", ")}) and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
    order by c.table_schema, c.table_name, c.ordinal_position`);
  const tables = new Map<string, { schema: string; table: string; columns: string[] }>();
  for (const { schema, table, column } of columns) {
    const key = `${schema}.${table}`;
    if (!tables.has(key)) tables.set(key, { schema, table, columns: [] });
    tables.get(key)!.columns.push(column);
  }
  // Owners first (foreign keys point at them), then the copies and events.
  const order = [...tables.values()]
    .filter((t) => entityOf(t.schema, t.table))
    .sort((a, b) => Number(a.table.startsWith("known_") || a.table.endsWith("_events")) - Number(b.table.startsWith("known_") || b.table.endsWith("_events")));
  for (const { schema, table, columns: names } of order) {
    const entity = entityOf(schema, table)!;
    const copies = entity === "ticket" ? size.ticketCopies : size.customerCopies;
    const owner = ownerCopy(entity, size.customerCopies);
    const value = (column: string) => {
      if (column === "id") return cloneId("id", "k");
      if (column === "customer_id" || column === "unit_id") return cloneId(column, owner);
      if (column === "ticket_id") return cloneId(column, "k");
      if (column === "serial_number" || (column === "number" && entity === "ticket")) return `${column} || '-' || k`;
      if (column === "idempotency_key" || column === "input_hash") return "null";
      return `"${column}"`;
    };
    const list = names.map((c) => `"${c}"`).join(", ");
    await run(
      `insert into "${schema}"."${table}" (${list})
       select ${names.map(value).join(", ")} from "${schema}"."${table}" cross join generate_series(1, ${copies}) k
       on conflict do nothing`,
    );
  }
  await run("analyze");
}

/**
 * Every row of the graph's tables (migrations' bookkeeping aside) as JSON
 * chunks, to write the same dataset into another database (the embedded
 * graph's PGlite) with `json_populate_recordset`.
 */
export async function* exportRows(sql: postgres.Sql, chunk = 5000): AsyncGenerator<{ table: string; columns: string[]; rows: string }> {
  const tables = await sql<{ schema: string; table: string; columns: string[] }[]>`
    select c.table_schema as schema, c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = any(${SCHEMAS}) and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      and c.table_name not like '%migrations%'
      -- events already applied, and webhook deliveries the embedded graph would send again
      and c.table_name not in ('outbox', 'event_inbox', 'event_cursors', 'event_dead_letters', 'webhook_deliveries', 'webhook_attempts')
      -- a partitioned table's rows are read through the table, not its partitions
      and not exists (select from pg_inherits i where i.inhrelid = format('%I.%I', c.table_schema, c.table_name)::regclass)
    group by c.table_schema, c.table_name`;
  for (const { schema, table, columns } of tables) {
    const name = `"${schema}"."${table}"`;
    for (let offset = 0; ; offset += chunk) {
      const [{ rows } = { rows: null }] = await sql.unsafe<{ rows: string | null }[]>(
        `select json_agg(t)::text as rows from (select * from ${name} order by 1 limit ${chunk} offset ${offset}) t`,
      );
      if (!rows) break;
      yield { table: name, columns, rows };
    }
  }
}
