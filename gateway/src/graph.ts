import { httpPeerTransport, startRelay, type DatabaseTarget, type Logger, type PeerTransport, type Relay, type RunningServer } from "@aftersales/kit";
import { startWebhookSender, type WebhookSender } from "@aftersales/partners/webhooks";
import { eventConsumers, readSupergraph, subgraphs } from "@aftersales/schema";
import type { JWK } from "jose";
import { startGateway, type GatewayOptions, type RunningGateway } from "./server.js";
import type { GatewaySecurity } from "./settings.js";

export interface GraphOptions {
  /** One database for every subgraph, each in its own Postgres schema. */
  database: DatabaseTarget;
  logger: Logger;
  /** Where the gateway listens (port 0: any free port). */
  host: string;
  port: number;
  /** Subgraph ports: their defaults (4001-4006) shifted by this; null: any free ports. */
  subgraphPortOffset: number | null;
  /** Called once per SQL statement, with the subgraph that ran it. */
  onStatement?: (subgraph: string) => void;
  /** How callers are checked and limited; the subgraphs accept the identities its signer signs. */
  security: GatewaySecurity;
  /** Public keys of other gateways (e.g. Hive Gateway in front of the same subgraphs) whose identities the subgraphs accept too. */
  otherIdentityKeys?: JWK[];
  production?: boolean;
  /** The subgraphs' current instant; the system clock unless a test sets one. */
  clock?: () => Date;
  /** How often dealers' due webhooks are sent (default 1 s); null: only on `webhooks.sendDue()` (tests). */
  webhookIntervalMs?: number | null;
  /** Whether the in-process relay hands events on (the default); off when they travel through JetStream instead. */
  relay?: boolean;
  /** Headers GraphiQL starts with, e.g. a development token. */
  graphiqlHeaders?: Record<string, string>;
  /** How long stopping lets each server's accepted requests run before it cuts them off. */
  drainTimeoutMs?: number;
  /**
   * Where people reach the gateway from outside (`https://aftersales.example.com`,
   * no trailing slash), for links such as a survey's; the gateway's own
   * address when not set.
   */
  publicUrl?: string;
  /** Where the gateway serves `/metrics`: a port of its own, or null (the default) for its own port. */
  metricsPort?: number | null;
  /** Starts the gateway in front of the subgraphs: in this thread unless given (`npm start` gives it a thread of its own). */
  startGateway?: (options: GatewayOptions) => Promise<RunningGateway>;
}

export interface RunningGraph {
  gateway: RunningGateway;
  subgraphUrls: Record<string, string>;
  /** Hands each subgraph's events to the subgraphs that apply them. */
  events: Relay;
  /** Sends dealers' webhook deliveries (partners queues them from the events). */
  webhooks: WebhookSender;
  /** Stops the gateway, then the subgraphs. The database stays open: it belongs to the caller. */
  stop(): Promise<void>;
}

/**
 * The whole graph in this process: every subgraph migrated and serving on its
 * own port, the gateway in front. `npm start` and the end-to-end tests both
 * start it this way; production runs each part on its own instead.
 */
export async function startWholeGraph(options: GraphOptions): Promise<RunningGraph> {
  const running: RunningServer[] = [];
  let events: Relay | undefined;
  let webhooks: WebhookSender | undefined;
  const stop = async () => {
    for (const server of running.reverse()) await server.stop();
    await webhooks?.stop();
    await events?.stop();
    await options.security.rateLimiter.close();
  };
  const subgraphUrls: Record<string, string> = {};
  const peers = peerTransportFor(options.database, subgraphUrls);
  const identityKeys = { keys: [options.security.identitySigner.publicKey, ...(options.otherIdentityKeys ?? [])] };
  // Known once the gateway listens, after the subgraphs; no request reaches them before.
  let gatewayOrigin: string | null = null;
  const publicUrl = () => {
    const url = options.publicUrl ?? gatewayOrigin;
    if (!url) throw new Error("A link was asked for before the gateway started.");
    return url;
  };
  try {
    for (const subgraph of subgraphs) {
      await subgraph.migrate(options.database);
      const onStatement = options.onStatement;
      const server = await subgraph.start({
        database: options.database,
        host: "127.0.0.1",
        port: options.subgraphPortOffset === null ? 0 : subgraph.defaultPort + options.subgraphPortOffset,
        whenPortInUse: "set SUBGRAPH_PORT_OFFSET to move every subgraph's port (e.g. 100: ports 4101-4105)",
        logger: options.logger.child({ subgraph: subgraph.name }),
        identityKeys,
        production: options.production ?? false,
        ...(onStatement ? { onStatement: () => onStatement(subgraph.name) } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        peers,
        ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
        publicUrl,
      });
      running.push(server);
      subgraphUrls[subgraph.name] = server.url;
    }
    // Once every schema is migrated, so the relay never polls a table not there yet.
    events = startRelay({
      databaseOf: () => options.database,
      consumers: options.relay === false ? [] : eventConsumers,
      logger: options.logger.child({ service: "events" }),
    });
    webhooks = startWebhookSender({
      database: options.database,
      logger: options.logger.child({ service: "webhooks" }),
      intervalMs: options.webhookIntervalMs === undefined ? 1000 : options.webhookIntervalMs,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const gateway = await (options.startGateway ?? startGateway)({
      supergraphSdl: readSupergraph(),
      subgraphUrls,
      host: options.host,
      port: options.port,
      logger: options.logger.child({ service: "gateway" }),
      production: options.production ?? false,
      ...options.security,
      ...(options.graphiqlHeaders ? { graphiqlHeaders: options.graphiqlHeaders } : {}),
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
      metricsPort: options.metricsPort ?? null,
    });
    running.push(gateway);
    gatewayOrigin = new URL(gateway.url).origin;
    return { gateway, subgraphUrls, events, webhooks, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * How the subgraphs ask each other about records their copies lack yet. On a
 * server, over HTTP like separately run subgraphs (`urls` fills as each one
 * starts; a subgraph only asks those started before it). In one embedded
 * database, PGlite runs one transaction at a time, so the owner answers
 * inside the asking request's transaction instead of opening its own.
 */
function peerTransportFor(database: DatabaseTarget, urls: Record<string, string>): PeerTransport {
  if (database.kind === "postgres") return httpPeerTransport({ urls });
  return (owner, request, caller) => {
    const subgraph = subgraphs.find((s) => s.name === owner);
    if (!subgraph) throw new Error(`No subgraph named ${owner}.`);
    return subgraph.answerInside(request, caller);
  };
}
