import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import type { ApolloServerPlugin } from "@apollo/server";
import { graphql, parse, type DocumentNode, type GraphQLError, type GraphQLSchema } from "graphql";
import { z } from "zod";
import { env, loadConfig, loadConfigs, serviceEnv, type Env } from "./config.js";
import { migrateDatabase, openDatabase, pingDatabase, type Database, type DatabaseTarget } from "./db.js";
import type { MonthlyPartitions } from "./partitions.js";
import type { ExpiringRows } from "./retention.js";
import { createLogger, type Logger } from "./logger.js";
import { scalarResolvers } from "./scalars.js";
import { IDENTITY_HEADER, identityVerifier, type Identity } from "./identity.js";
import type { JSONWebKeySet } from "jose";
import { guardedCaller, sendGraphQLError, serveGraphQL, setCaller, type RunningServer } from "./server.js";
import { openRequestTransaction, type TableScopes } from "./tenancy.js";
import { httpPeerTransport, peersFor, type PeerAnswer, type PeerRequest, type PeerTransport, type Peers } from "./peers.js";
import { EVENT_TABLE_SCOPES, type EventSubscriptions } from "./events.js";
import { startTelemetry, stopTelemetry } from "./telemetry.js";
import { compiledExecution } from "./executor.js";

const COMMON_SDL = readFileSync(new URL("./common.graphql", import.meta.url), "utf8");

/** A subgraph's SDL: the shared types of `common.graphql` followed by its own `schema.graphql`. */
export function subgraphTypeDefs(schemaFile: URL): DocumentNode {
  return parse(`${readFileSync(schemaFile, "utf8")}\n${COMMON_SDL}`);
}

/**
 * What a subgraph's resolvers get per request: the caller, the request's
 * transaction (already scoped to the caller) and fresh loaders over it.
 */
export interface SubgraphContext<Loaders> {
  identity: Identity;
  db: Database;
  loaders: Loaders;
  /** The current instant: the system's, or the one a test set, so time-driven rules (SLA clocks) can be checked. */
  now: () => Date;
  /** Whether this runs in production, where what partners may configure is stricter (webhook URLs). */
  production: boolean;
  /**
   * Where people reach the gateway from outside, without a trailing slash
   * (`https://aftersales.example.com`): links the graph hands out, such as a
   * survey's, start with it. Only a subgraph that declares `needsPublicUrl`
   * may call it.
   */
  publicUrl: () => string;
}

export interface SubgraphDefinition<Loaders> {
  /** Also the name of the Postgres schema that holds its tables. */
  name: string;
  /** The port it listens on when none is configured; the supergraph's URLs use it. */
  defaultPort: number;
  typeDefs: DocumentNode;
  /**
   * The codegen-typed resolver map, without the shared scalars (the kit adds
   * those). Apollo's own map type cannot express
   * `__resolveReference(reference, context)`, so it is checked by codegen's
   * types in the subgraph and handed to Apollo as is.
   */
  resolvers: { [typeName: string]: unknown };
  migrationsFolder: URL;
  /** Which tables hold a dealer's rows and which are shared by all; every table is listed. */
  scopes: TableScopes;
  /**
   * Loaders are created per request, so a batch or cache never spans two
   * callers. `peers` asks other subgraphs for records their copies lack yet
   * (null for callers who change nothing, and where no peers are reachable).
   */
  createLoaders: (db: Database, identity: Identity, peers: Peers | null) => Loaders;
  /**
   * Its part in domain events: whether its schema has an `outbox` it writes
   * events to, and the events of other subgraphs it applies (its schema then
   * has the kit's inbox tables).
   */
  events?: { produces?: boolean; consumes?: EventSubscriptions };
  /** The subgraphs whose records its mutations name, asked when its copies lack one yet (`Peers`). */
  peers?: readonly string[];
  /** Its answers hold links people open from outside (a survey's): it does not start without the gateway's public URL. */
  needsPublicUrl?: boolean;
  /** Its append-only tables its migrations partition by month, with how long each keeps its rows. */
  partitioned?: readonly MonthlyPartitions[];
  /** Its tables whose rows are deleted a while after they are done with. */
  expiring?: readonly ExpiringRows[];
}

export interface StartOptions {
  database: DatabaseTarget;
  host?: string;
  port?: number;
  /** What to set when the port is taken (see `ServeOptions.whenPortInUse`). */
  whenPortInUse?: string;
  logger: Logger;
  production?: boolean;
  /** The gateways' public keys (a JWKS); requests without an identity signed by one of them are refused. */
  identityKeys: JSONWebKeySet;
  /** Called once per SQL statement this subgraph runs. */
  onStatement?: (sql: string) => void;
  /** Where resolvers read the current instant; the system clock unless a test sets one. */
  clock?: () => Date;
  /** How to reach the subgraphs whose records this one checks references against; none: its copies alone answer. */
  peers?: PeerTransport;
  /** How long stopping lets accepted requests run before it cuts them off. */
  drainTimeoutMs?: number;
  /**
   * Where people reach the gateway from outside, for links (see
   * SubgraphContext.publicUrl). A function, since the embedded graph learns
   * the gateway's address only after the subgraphs have started.
   */
  publicUrl?: () => string;
}

export interface RunningSubgraph extends RunningServer {
  name: string;
}

export interface Subgraph {
  name: string;
  defaultPort: number;
  scopes: TableScopes;
  /** Whether it writes domain events to an outbox. */
  produces: boolean;
  /** The events it applies, by producing subgraph and type; empty when it consumes none. */
  consumes: EventSubscriptions;
  /** The subgraphs it asks about records its copies lack yet. */
  peers: readonly string[];
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
  /** Whether it starts only with the gateway's public URL (StartOptions.publicUrl). */
  needsPublicUrl: boolean;
  /** Its tables partitioned by month, for the pruning job to keep their partitions. */
  partitioned: readonly MonthlyPartitions[];
  /** Its tables whose rows the pruning job deletes once old enough. */
  expiring: readonly ExpiringRows[];
  migrate(database: DatabaseTarget): Promise<void>;
  start(options: StartOptions): Promise<RunningSubgraph>;
  /**
   * Answers a request of another subgraph inside that subgraph's open
   * transaction, as its caller: how peers ask each other where they share one
   * embedded database in one process (see `PeerTransport`).
   */
  answerInside(request: PeerRequest, caller: { identity: Identity; db: Database }): Promise<PeerAnswer>;
}

export function defineSubgraph<Loaders>(definition: SubgraphDefinition<Loaders>): Subgraph {
  // The kit appends common.graphql to every subgraph, so it brings the scalars' resolvers too.
  const clash = Object.keys(scalarResolvers).filter((name) => name in definition.resolvers);
  if (clash.length) throw new Error(`${definition.name} resolves ${clash.join(", ")}, which the kit already does.`);
  const resolvers = { ...scalarResolvers, ...definition.resolvers } as GraphQLResolverMap<SubgraphContext<Loaders>>;
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers }]);
  const consumes = definition.events?.consumes ?? {};
  const { outbox, ...inbox } = EVENT_TABLE_SCOPES;
  const scopes: TableScopes = {
    ...definition.scopes,
    tenant: {
      ...definition.scopes.tenant,
      ...(definition.events?.produces ? { outbox } : {}),
      ...(Object.keys(consumes).length ? inbox : {}),
    },
  };
  return {
    name: definition.name,
    defaultPort: definition.defaultPort,
    scopes,
    produces: definition.events?.produces ?? false,
    consumes,
    peers: definition.peers ?? [],
    typeDefs: definition.typeDefs,
    schema,
    needsPublicUrl: definition.needsPublicUrl ?? false,
    partitioned: definition.partitioned ?? [],
    expiring: definition.expiring ?? [],
    migrate: (database) =>
      migrateDatabase(database, {
        subgraph: definition.name,
        migrationsFolder: fileURLToPath(definition.migrationsFolder),
        scopes,
      }),
    async start(options) {
      if (definition.needsPublicUrl && !options.publicUrl) {
        throw new Error(`The ${definition.name} subgraph hands out links and needs the gateway's public URL (PUBLIC_URL).`);
      }
      const publicUrl =
        options.publicUrl ??
        (() => {
          throw new Error(`The ${definition.name} subgraph made a link without declaring needsPublicUrl.`);
        });
      const handle = openDatabase(options.database, {
        logger: options.logger,
        service: definition.name,
        ...(options.onStatement ? { onStatement: options.onStatement } : {}),
      });
      const clock = options.clock ?? (() => new Date());
      const production = options.production ?? false;
      const verifyIdentity = identityVerifier(options.identityKeys);
      const server = await serveGraphQL<RequestContext<Loaders>>({
        name: definition.name,
        ...(options.whenPortInUse ? { whenPortInUse: options.whenPortInUse } : {}),
        logger: options.logger,
        production,
        graph: { gateway: compiledExecution(schema) },
        etag: false,
        // Traces are for Apollo's hosted studio, which this graph does not report to.
        plugins: [ApolloServerPluginInlineTraceDisabled(), commitRequestTransaction()],
        guard: [
          (req, res, next) => {
            const identityHeader = req.header(IDENTITY_HEADER);
            verifyIdentity(identityHeader).then(
              (identity) => {
                setCaller(res, { identity, ...(identityHeader ? { identityHeader } : {}) });
                next();
              },
              (error: GraphQLError) => sendGraphQLError(res, error),
            );
          },
        ],
        context: async (_req, res) => {
          const { identity, identityHeader = "" } = guardedCaller(res);
          const { tx, end } = await openRequestTransaction(handle, identity);
          // The plugin commits before the response is sent; this covers requests that end otherwise.
          res.once("close", () => void end().catch((error: unknown) => options.logger.error({ err: error }, "request transaction failed")));
          // ANALYSTs change nothing, so nothing they do needs a record the copies lack.
          const peers = options.peers && identity.role !== "ANALYST" ? peersFor(options.peers, { identity, identityHeader }, tx) : null;
          return { identity, db: tx, loaders: definition.createLoaders(tx, identity, peers), now: clock, production, publicUrl, endTransaction: end };
        },
        readyCheck: () => pingDatabase(handle.db),
        host: options.host ?? "127.0.0.1",
        port: options.port ?? definition.defaultPort,
        ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
      }).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      return {
        ...server,
        name: definition.name,
        async stop() {
          await server.stop();
          await handle.close();
        },
      };
    },
    async answerInside(request, { identity, db }) {
      const contextValue: SubgraphContext<Loaders> = {
        identity,
        db,
        loaders: definition.createLoaders(db, identity, null),
        now: () => new Date(),
        production: false,
        publicUrl: () => {
          throw new Error("A peer's question about a record's state makes no link.");
        },
      };
      const result = await graphql({ schema, source: request.query, variableValues: request.variables, contextValue });
      return { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message })) } : {}) };
    },
  };
}

/**
 * Commits a mutation's transaction before its response is sent, so a client
 * that reads right after a mutation's answer sees what it wrote. A query
 * writes nothing, so its answer does not wait for its commit (its
 * connection does: it is free again once the commit is answered); a
 * failure is logged where the request closes.
 */
function commitRequestTransaction<Loaders>(): ApolloServerPlugin<RequestContext<Loaders>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation }) {
          const ending = contextValue.endTransaction();
          if (operation?.operation === "query") ending.catch(() => {});
          else await ending;
        },
      };
    },
  };
}

type RequestContext<Loaders> = SubgraphContext<Loaders> & { endTransaction(): Promise<void> };

const standaloneConfig = (defaultPort: number) =>
  z.object({
    ...serviceEnv(defaultPort),
    /**
     * The connection requests use. Best a login role that is a member of
     * `aftersales_app` and owns nothing, so even a statement outside a
     * request's transaction is held by row-level security.
     */
    DATABASE_URL: env.postgresUrl(),
    /** The tables' owner, for migrations; DATABASE_URL when not set. */
    MIGRATION_DATABASE_URL: env.postgresUrl().optional(),
    /** Replicas can migrate at start (they take a lock) or leave it to a release step. */
    MIGRATE_ON_START: env.flag(true),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * The public keys of the gateways that sign callers' identities, a JWKS
     * (`{"keys": [...]}`): read at start, so a subgraph starts with no gateway
     * up; during a key rotation it lists the old key and the new one.
     */
    IDENTITY_JWKS: env.identityKeySet(),
  });

/** `SUBGRAPH_<NAME>_URL`, where a subgraph (or the gateway) reaches another. */
export const subgraphUrlVariable = (name: string) => `SUBGRAPH_${name.toUpperCase()}_URL`;

/** The URL of every peer a subgraph asks, each required. */
const peerUrlsConfig = (peers: readonly string[]) => z.object(Object.fromEntries(peers.map((peer) => [subgraphUrlVariable(peer), env.url()])));

/** What a subgraph whose answers hold links (feedback's surveys) reads besides. */
const linksConfig = z.object({
  /** Where people reach the gateway from outside, e.g. `https://aftersales.example.com`. */
  PUBLIC_URL: env.publicUrl(),
});

/**
 * What a subgraph run on its own reads from the environment, all problems
 * at once: `PUBLIC_URL` only where it needs one (null elsewhere), and the
 * URL of each peer it asks (`Peers`).
 */
export function standaloneSettings(subgraph: Pick<Subgraph, "defaultPort" | "needsPublicUrl" | "peers">, environment: Env = process.env) {
  const { config, links, peerUrls } = loadConfigs(
    {
      config: standaloneConfig(subgraph.defaultPort),
      links: subgraph.needsPublicUrl ? linksConfig : z.object({}),
      peerUrls: peerUrlsConfig(subgraph.peers),
    },
    environment,
  );
  return {
    ...config,
    PUBLIC_URL: "PUBLIC_URL" in links ? links.PUBLIC_URL : null,
    peerUrls: Object.fromEntries(subgraph.peers.map((peer) => [peer, String(peerUrls[subgraphUrlVariable(peer)])])),
  };
}

const migrationConfig = z.object({
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(false),
  DATABASE_URL: env.postgresUrl(),
  MIGRATION_DATABASE_URL: env.postgresUrl().optional(),
});

/**
 * `<entry point> migrate`: applies the subgraph's migrations and tenancy, then
 * exits; the release step before replicas that start with MIGRATE_ON_START=false.
 * It reads only the database variables, so a job runs it without the service's secrets.
 */
async function migrateStandalone(subgraph: Subgraph): Promise<void> {
  const config = loadConfig(migrationConfig);
  const logger = createLogger(subgraph.name, { level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  await subgraph.migrate({ kind: "postgres", url: config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL });
  logger.info(`${subgraph.name} database migrated`);
}

/** A subgraph on its own against PostgreSQL: the production shape. With the argument `migrate`, only its migrations. */
export async function runStandalone(subgraph: Subgraph): Promise<void> {
  if (process.argv[2] === "migrate") return migrateStandalone(subgraph);
  const config = standaloneSettings(subgraph);
  await startTelemetry({ service: subgraph.name });
  const logger = createLogger(subgraph.name, { level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const database: DatabaseTarget = { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE };
  const publicUrl = config.PUBLIC_URL;
  if (config.MIGRATE_ON_START) {
    await subgraph.migrate(config.MIGRATION_DATABASE_URL ? { kind: "postgres", url: config.MIGRATION_DATABASE_URL } : database);
  }
  const running = await subgraph.start({
    database,
    host: config.HOST,
    port: config.PORT,
    logger,
    production: config.NODE_ENV === "production",
    identityKeys: config.IDENTITY_JWKS,
    peers: httpPeerTransport({ urls: config.peerUrls }),
    drainTimeoutMs: config.SHUTDOWN_DRAIN_MS,
    ...(publicUrl ? { publicUrl: () => publicUrl } : {}),
  });
  logger.info({ url: running.url }, `${subgraph.name} subgraph ready`);
  stopOnSignal(logger, () => running.stop());
}

/** SIGINT (Ctrl-C) and SIGTERM stop taking connections, answer the requests already accepted (see `serveGraphQL`'s stop), and exit 0. */
export function stopOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Spans still buffered are exported once everything stopped.
    stop()
      .then(stopTelemetry)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}
