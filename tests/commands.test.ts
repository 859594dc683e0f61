import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateIdentityKey } from "@aftersales/kit";
import { afterAll, describe, expect, it } from "vitest";
import { graphql } from "./src/generated/index.js";
import type { CommandsTypenameQuery } from "./src/generated/graphql.js";
import { FROM_SOURCES, logLine, root, startGraphProcess } from "./src/processes.js";

/**
 * The commands a user types in the first hour, run as they run them: what
 * they print, and how they exit, when used right and when used wrongly.
 */

const emptyDataDir = mkdtempSync(path.join(tmpdir(), "aftersales-no-graph-"));
afterAll(() => rmSync(emptyDataDir, { recursive: true, force: true }));

/** The developer's shell without anything that would steer the commands under test. */
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SUBGRAPH_|JWT_|IDENTITY_|REDIS_URL$|DATA_DIR$|PORT$|HOST$|LIMIT_|RATE_LIMIT_)/.test(key)),
  );

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script of the repository with Node and tsx's loader, as `npm run` does, and waits until it exits. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn(process.execPath, [...FROM_SOURCES, script, ...args], {
    cwd: root,
    env: { ...cleanEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const token = (args: string[], env: Record<string, string> = {}) => run("gateway/src/token.ts", args, env);

/** The least a client can ask the gateway: whether it answers at all. */
const TYPENAME = graphql(`query CommandsTypename { __typename }`);

/** A line of a stack trace, which no message meant for a person contains. */
const STACK_LINE = /^\s+at /m;

// Each case starts Node with tsx's loader: seconds on a busy machine.
describe("npm run token", { timeout: 90_000 }, () => {
  it("prints its usage for --help and exits 0", async () => {
    const { code, stdout, stderr } = await token(["--help"], { DATA_DIR: emptyDataDir });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("npm run token -- --role DEALER --dealer <dealer id>");
    expect(stdout).toContain("--expires");
  });

  it.each([
    ["an --expires it cannot read", ["--role", "ADMIN", "--expires", "banana"], "--expires banana: write a number and s, m, h or d"],
    ["an option it does not know", ["--role", "ADMIN", "--rol", "AGENT"], "Unknown option '--rol'"],
    ["no role", [], "Give --role DEALER|AGENT|ANALYST|ADMIN"],
    ["a DEALER without its dealer", ["--role", "DEALER"], "--dealer <dealer id>"],
  ])("refuses %s in one line, without a stack trace, and exits 2", async (_case, args, message) => {
    const { code, stdout, stderr } = await token(args, { DATA_DIR: emptyDataDir });
    expect(stdout, "a token printed").toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("npm run token -- --help");
    expect(stderr.trim().split("\n"), "lines on stderr").toHaveLength(1);
    expect(code).toBe(2);
  });

  it("refuses, saying where it looked, when no graph was started with that data directory, and makes no secret there", async () => {
    const { code, stdout, stderr } = await token(["--role", "ADMIN"], { DATA_DIR: emptyDataDir });
    expect(stdout, "a token printed").toBe("");
    expect(stderr).toContain(`No graph has been started with its data in ${emptyDataDir}`);
    expect(stderr).toContain("npm start");
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code).toBe(1);
    expect(existsSync(path.join(emptyDataDir, "secrets.json")), "a secrets file made by the token command").toBe(false);
  });
});

describe("the gateway on its own", () => {
  it("stops with one line naming the port and PORT when the port is taken", async () => {
    // given a port someone else listens on
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      // when the gateway is started on it
      const { code, stdout, stderr } = await run("gateway/src/index.ts", [], {
        ...(await gatewaySecrets()),
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      });
      // then it says so, and what to set, without Node's stack trace
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use, so the gateway cannot start; set PORT.`);
      expect(stderr).not.toMatch(STACK_LINE);
      expect(stdout + stderr).not.toContain("EADDRINUSE");
      expect(code).toBe(1);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);

  it("takes the token npm run token signs with its JWT_SECRET, and answers a browser's icon request", async () => {
    // given the gateway on its own, with subgraphs that are not running (the token is checked before they are asked)
    const secrets = await gatewaySecrets();
    const gateway = await startGatewayProcess({
      ...secrets,
      JWT_ISSUER: "https://id.example.com",
      SUBGRAPH_PARTNERS_URL: "http://127.0.0.1:9/graphql",
    });
    try {
      // when an ADMIN's first token is made as the README shows, with the gateway's JWT_SECRET
      const made = await token(["--role", "ADMIN", "--expires", "10m"], { ...secrets, JWT_ISSUER: "https://id.example.com", DATA_DIR: emptyDataDir });
      expect(made.code, made.stderr).toBe(0);
      const signed = made.stdout.trim();
      // then the gateway takes it, and refuses one signed otherwise
      const asked = async (credential: string) => {
        const response = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
          body: JSON.stringify({ query: TYPENAME.toString() }),
        });
        return { status: response.status, body: (await response.json()) as { data?: CommandsTypenameQuery; errors?: { extensions?: { code?: string } }[] } };
      };
      expect(await asked(signed)).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
      const foreign = await token(["--role", "ADMIN"], { ...(await gatewaySecrets()), JWT_ISSUER: "https://id.example.com", DATA_DIR: emptyDataDir });
      const refused = await asked(foreign.stdout.trim());
      expect(refused.status).toBe(401);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      // and a browser's request for the icon is answered, not logged as a 404
      const icon = await fetch(new URL("/favicon.ico", gateway.url));
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toMatch(/^image\//);
    } finally {
      expect(await gateway.stop(), gateway.output()).toBe(0);
    }
  }, 90_000);
});

async function gatewaySecrets(): Promise<Record<string, string>> {
  return { IDENTITY_SIGNING_KEY: JSON.stringify(await generateIdentityKey()), JWT_SECRET: randomBytes(48).toString("base64") };
}

/** `node gateway/src/index.ts` on a free port, once it says it is ready. */
async function startGatewayProcess(env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<number | null> }> {
  const gateway = startGraphProcess("gateway/src/index.ts", {
    ...cleanEnv(),
    PORT: "0",
    // The metrics port too: gateways of other test files run beside this one.
    METRICS_PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    LOG_PRETTY: "false",
    SHUTDOWN_DRAIN_MS: "1000",
    ...env,
  });
  const { url } = (await logLine(gateway, "gateway ready", 120_000)) as { url: string };
  return {
    url,
    output: gateway.output,
    stop: () => {
      gateway.child.kill("SIGTERM");
      return gateway.exited;
    },
  };
}
