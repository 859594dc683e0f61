/**
 * The embedded graph as `npm start` runs it (gateway/src/embedded.ts): one
 * process, every subgraph, and the gateway in a thread of its own, on an in-memory PGlite, here
 * holding the benchmark's dataset copied from the PostgreSQL server
 * (SOURCE_DATABASE_URL) once the graph has migrated it. Sends `{ url }`
 * over IPC when it serves; `{ stats: true }` answers `{ statements, cpuMicros }`.
 * Tokens are checked with JWT_SECRET; identities signed with IDENTITY_SIGNING_KEY.
 */
import { bootGatewayThread } from "@aftersales/gateway/gateway-thread";
import { startWholeGraph } from "@aftersales/gateway/graph";
import { DEFAULT_LIMITS, memoryRateLimiter } from "@aftersales/gateway/limits";
import { createLogger, identitySigner, openPglite, secretKey } from "@aftersales/kit";
import type { JWK } from "jose";
import postgres from "postgres";
import { exportRows } from "./dataset.js";

if (!process.send) throw new Error("Start as a child with IPC.");
const client = await openPglite();
let statements = 0;
const identityKey = JSON.parse(process.env["IDENTITY_SIGNING_KEY"]!) as JWK;
const logger = createLogger("embedded", { level: "warn" });
const gatewayThread = bootGatewayThread({ identityKey, log: { name: "embedded", level: "warn", pretty: false } }, logger);
const graph = await startWholeGraph({
  database: { kind: "pglite", client },
  logger,
  host: "127.0.0.1",
  port: 0,
  subgraphPortOffset: null,
  onStatement: () => (statements += 1),
  webhookIntervalMs: null,
  security: {
    tokens: { secret: secretKey(process.env["JWT_SECRET"]!) },
    identitySigner: identitySigner(identityKey),
    apiKeyCacheSeconds: 10,
    subgraphTimeoutMs: 30_000,
    // The load comes from one credential: no rate limit, the other limits as in npm start.
    limits: { ...DEFAULT_LIMITS, requestsPerMinute: 1_000_000_000, costPerMinute: 1_000_000_000_000 },
    rateLimiter: memoryRateLimiter(),
    allowBatching: false,
  },
  // As npm start does: without its thread the gateway shares one core with the subgraphs and the database.
  startGateway: (options) =>
    gatewayThread.start(options, (error) => {
      console.error(error);
      process.exit(1);
    }),
});
const source = postgres(process.env["SOURCE_DATABASE_URL"]!, { max: 1, onnotice: () => {} });
// Foreign keys and triggers off while the tables fill in no particular order.
await client.exec("set session_replication_role = replica");
for await (const { table, columns, rows } of exportRows(source)) {
  const list = columns.map((c) => `"${c}"`).join(", ");
  await client.query(`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, $1) on conflict do nothing`, [rows]);
}
await client.exec("set session_replication_role = origin; analyze");
await source.end({ timeout: 1 });
statements = 0;
process.on("message", (message: { stats?: boolean }) => {
  if (!message.stats) return;
  const { user, system } = process.cpuUsage();
  process.send!({ statements, cpuMicros: user + system });
});
const stop = () =>
  void graph
    .stop()
    .then(() => client.close())
    .finally(() => process.exit(0));
process.once("disconnect", stop);
process.once("SIGTERM", stop);
process.send({ url: graph.gateway.url });
