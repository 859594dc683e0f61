import { ConfigError, env, type DatabaseTarget } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";
import { z } from "zod";

/**
 * What the processes that work on every subgraph's event tables (the relay,
 * the scheduler's pruning) read: each subgraph's database, and the streams
 * when events travel through NATS JetStream.
 */

export const databaseVariable = (name: string) => `${name.toUpperCase()}_DATABASE_URL`;

export const eventDatabasesEnv = {
  /** e.g. nats://127.0.0.1:4222; several servers separated by commas. */
  NATS_URL: z.string().optional(),
  /** Streams are `<PREFIX>_<SUBGRAPH>`, subjects `<prefix>.<subgraph>.<event type>`. */
  EVENT_STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default("AFTERSALES"),
  EVENT_STREAM_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  ...Object.fromEntries(subgraphs.map((subgraph) => [databaseVariable(subgraph.name), env.postgresUrl().optional()])),
};

/** Every subgraph's `<NAME>_DATABASE_URL`, each required: for a process that works on all of them, checked with the rest of its configuration. */
export const everySubgraphDatabaseEnv = Object.fromEntries(subgraphs.map((subgraph) => [databaseVariable(subgraph.name), env.postgresUrl()]));

/** Each of `names`' databases from `<NAME>_DATABASE_URL`; every one missing is named before the process exits. */
export function subgraphDatabases(settings: Record<string, unknown>, names: Iterable<string>, poolSize: number): (name: string) => DatabaseTarget {
  const wanted = [...new Set(names)];
  const missing = wanted.filter((name) => !settings[databaseVariable(name)]).map((name) => `${databaseVariable(name)}: required`);
  if (missing.length) throw new ConfigError(missing);
  const targets = new Map<string, DatabaseTarget>(wanted.map((name) => [name, { kind: "postgres", url: String(settings[databaseVariable(name)]), poolSize }]));
  return (name) => {
    const target = targets.get(name);
    if (!target) throw new Error(`no database for ${name}`);
    return target;
  };
}
