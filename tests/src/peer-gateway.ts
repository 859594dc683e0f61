import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { waitUntil } from "@aftersales/kit";
import type { JWK } from "jose";
import { root, startGraphProcess, type GraphProcess } from "./processes.js";

/**
 * Hive Gateway (tests/peer-gateway) in front of a test graph's subgraphs,
 * with the identity plugin minting the identity header from the client's
 * token. It lives outside the npm workspace: its dependencies want newer
 * Node than ours (EBADENGINE on Node 20), so it has a lock file of its own
 * and is installed apart (`npm ci --prefix tests/peer-gateway`, a step of CI).
 */
export const PEER_GATEWAY_DIR = path.join(root, "tests/peer-gateway");

/** Installs Hive Gateway from its lock file unless the locked version is there already (CI installs it beforehand). */
export async function ensurePeerGatewayInstalled(): Promise<void> {
  const locked = (
    JSON.parse(readFileSync(path.join(PEER_GATEWAY_DIR, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    }
  ).packages["node_modules/@graphql-hive/gateway"]?.version;
  const installedFile = path.join(PEER_GATEWAY_DIR, "node_modules/@graphql-hive/gateway/package.json");
  const installed = existsSync(installedFile) ? (JSON.parse(readFileSync(installedFile, "utf8")) as { version: string }).version : null;
  if (installed && installed === locked) return;
  await promisify(execFile)("npm", ["ci", "--prefix", PEER_GATEWAY_DIR, "--no-audit", "--no-fund"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
}

export interface PeerGateway extends GraphProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Hive Gateway with its Rust query planner (`--hive-router-runtime`)
 * over the committed supergraph, routing to `subgraphUrls`; it checks tokens
 * with `tokenSecret` and signs identities with `identityKey`.
 */
export async function startPeerGateway(options: {
  subgraphUrls: Record<string, string>;
  tokenSecret: string;
  identityKey: JWK;
  /** False: Hive's own JavaScript query planner instead of the Rust one (see tests/peer-gateway/README.md). */
  routerRuntime?: boolean;
}): Promise<PeerGateway> {
  const port = await freePort();
  // Only what it is given here: no IDENTITY_*, JWT_* or SUBGRAPH_* of the developer's shell.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SUBGRAPH_|JWT_|IDENTITY_|PORT$|HOST$|FORK$)/.test(key)));
  const running = startGraphProcess(
    path.join(PEER_GATEWAY_DIR, "node_modules/@graphql-hive/gateway/dist/bin.js"),
    {
      ...inherited,
      IDENTITY_SIGNING_KEY: JSON.stringify(options.identityKey),
      JWT_SECRET: options.tokenSecret,
      ...Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url])),
    },
    [
      "supergraph",
      path.join(root, "schema/supergraph.graphql"),
      ...(options.routerRuntime === false ? [] : ["--hive-router-runtime"]),
      "--config-path",
      path.join(PEER_GATEWAY_DIR, "gateway.config.ts"),
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    /* its config imports the graph's packages, from their sources */ true,
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  const stop = async () => {
    if (running.child.exitCode !== null) return;
    running.child.kill("SIGTERM");
    await running.exited;
  };
  try {
    await waitUntil(
      "Hive Gateway answers its readiness check",
      async () => {
        if (running.child.exitCode !== null) throw new Error(`Hive Gateway exited (${running.child.exitCode}):\n${running.output()}`);
        return (await fetch(`http://127.0.0.1:${port}/readiness`).catch(() => null))?.ok === true;
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${running.output()}`);
  }
  return { ...running, url, stop };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
