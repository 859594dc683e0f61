/**
 * The event relay on its own, beside subgraphs that each have their own
 * database (the production shape): it reads each producing subgraph's outbox
 * and applies the events in each consuming subgraph's database, at least
 * once and in order. `<NAME>_DATABASE_URL` names each subgraph's database
 * (the same URL the subgraph runs with). `npm start` and the tests run the
 * same relay in process.
 */
import { ConfigError, createLogger, env, loadConfig, runMain, startRelay, stopOnSignal, type DatabaseTarget } from "@aftersales/kit";
import { subgraphs } from "@aftersales/schema";
import { z } from "zod";

const databaseVariable = (name: string) => `${name.toUpperCase()}_DATABASE_URL`;

const config = z.object({
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(false),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  ...Object.fromEntries(subgraphs.map((subgraph) => [databaseVariable(subgraph.name), env.postgresUrl().optional()])),
});

runMain(async () => {
  const settings = loadConfig(config) as z.infer<typeof config> & Record<string, string | undefined>;
  const consumers = subgraphs
    .filter((subgraph) => Object.keys(subgraph.consumes).length)
    .map((subgraph) => ({ name: subgraph.name, subscriptions: subgraph.consumes }));
  // Every consumer and every subgraph it reads from needs its database named.
  const involved = new Set(consumers.flatMap((consumer) => [consumer.name, ...Object.keys(consumer.subscriptions)]));
  const missing = [...involved].filter((name) => !settings[databaseVariable(name)]).map((name) => `${databaseVariable(name)}: required`);
  if (missing.length) throw new ConfigError(missing);
  const targets = new Map<string, DatabaseTarget>(
    [...involved].map((name) => [name, { kind: "postgres", url: settings[databaseVariable(name)] ?? "", poolSize: 2 }]),
  );
  const logger = createLogger("relay", { level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY });
  const relay = startRelay({
    databaseOf: (name) => {
      const target = targets.get(name);
      if (!target) throw new Error(`no database for ${name}`);
      return target;
    },
    consumers,
    logger,
    intervalMs: settings.RELAY_INTERVAL_MS,
  });
  logger.info({ consumers: consumers.map((c) => ({ consumer: c.name, from: Object.keys(c.subscriptions) })) }, "relay running");
  stopOnSignal(logger, () => relay.stop());
});
