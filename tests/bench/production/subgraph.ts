/**
 * One subgraph as its own process on the PostgreSQL server, as
 * `runStandalone` starts it in production, with what the benchmark reads
 * besides: the SQL statements it ran and the CPU it used, asked for over
 * the IPC channel (`{ stats: true }` answers `{ statements, cpuMicros }`).
 *
 *   node --conditions=@aftersales/source --import tsx tests/bench/production/subgraph.ts <name>
 *   with DATABASE_URL and IDENTITY_JWKS (the gateways' public keys)
 */
import { createLogger } from "@aftersales/kit";
import type { JSONWebKeySet } from "jose";
import { subgraphs } from "@aftersales/schema";

const name = process.argv[2];
const subgraph = subgraphs.find((s) => s.name === name);
if (!subgraph || !process.send) throw new Error(`Start as a child with IPC, naming a subgraph (${subgraphs.map((s) => s.name).join(", ")}).`);

let statements = 0;
const running = await subgraph.start({
  database: { kind: "postgres", url: process.env["DATABASE_URL"]!, poolSize: Number(process.env["DATABASE_POOL_SIZE"] ?? 10) },
  host: "127.0.0.1",
  port: 0,
  logger: createLogger(subgraph.name, { level: "warn" }),
  production: true,
  identityKeys: JSON.parse(process.env["IDENTITY_JWKS"]!) as JSONWebKeySet,
  onStatement: () => (statements += 1),
  ...(subgraph.needsPublicUrl ? { publicUrl: () => "http://127.0.0.1:4000" } : {}),
});
process.on("message", (message: { stats?: boolean }) => {
  if (!message.stats) return;
  const { user, system } = process.cpuUsage();
  process.send!({ statements, cpuMicros: user + system });
});
process.once("disconnect", () => void running.stop().finally(() => process.exit(0)));
process.once("SIGTERM", () => void running.stop().finally(() => process.exit(0)));
process.send({ url: running.url });
