import { executeRows, type Database } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";

/**
 * Every row of every table of every subgraph, as one hash per table, read as
 * the tables' owner (beneath row-level security): what "a refused mutation
 * writes nothing" is checked against.
 */
export async function databaseFingerprint(db: Database): Promise<Record<string, string>> {
  const schemas = subgraphs.map((s) => `'${s.name}'`).join(", ");
  const tables = await executeRows<{ schema: string; name: string }>(
    db,
    `select table_schema as schema, table_name as name from information_schema.tables
      where table_schema in (${schemas}) and table_type = 'BASE TABLE' order by 1, 2`,
  );
  const query = tables
    .map(
      ({ schema, name }) =>
        `select '${schema}.${name}' as t, (select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) from "${schema}"."${name}" x) as h`,
    )
    .join(" union all ");
  const hashes = await executeRows<{ t: string; h: string }>(db, query);
  return Object.fromEntries(hashes.map(({ t, h }) => [t, h]));
}
