/**
 * The production shape as the image runs it: the build (dist/) with plain
 * Node, no tsx and no source condition, a subgraph on a database its own
 * login role owns (no superuser), migrated by the release step before the
 * service starts with MIGRATE_ON_START=false, and the gateway in front.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { signToken } from "@aftersales/gateway/auth";
import { generateIdentityKey, identitySigner, subgraphUrlVariable, type DatabaseTarget } from "@aftersales/kit";
import { createTestDatabase, type TestDatabase } from "@aftersales/kit/testing";
import { subgraphs } from "@aftersales/schema";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dealerInput } from "./src/factories.js";
import { logLine, root, startGraphProcess, type GraphProcess } from "./src/processes.js";

const run = promisify(execFile);
/** The gateway signs identities with the private key; the subgraph checks them with the public one. */
const identityKey = await generateIdentityKey();
const tokenSecret = randomBytes(32).toString("hex");
const role = `aftersales_test_role_${randomBytes(4).toString("hex")}`;
const password = randomBytes(16).toString("hex");

let database: TestDatabase;
let admin: postgres.Sql;
let roleUrl: string;
const running: GraphProcess[] = [];

/** The environment a container gets: what is listed, nothing of the developer's shell but PATH. */
const containerEnv = (own: Record<string, string>) => ({ PATH: process.env["PATH"], NODE_ENV: "production", LOG_LEVEL: "info", ...own });

/** Every subgraph's URL variable, pointing nowhere: the query below asks partners alone. */
const nowhere = Object.fromEntries(subgraphs.map((subgraph) => [subgraphUrlVariable(subgraph.name), "http://127.0.0.1:9/graphql"]));

beforeAll(async () => {
  // the build, as the image's build stage makes it
  await run("npm", ["run", "--silent", "build"], { cwd: root });
  // a database owned by a login role of its own, which may act as the application role and is no superuser
  database = await createTestDatabase();
  const target: DatabaseTarget = database.target;
  if (target.kind !== "postgres") throw new Error("The production shape runs on PostgreSQL: set TEST_DATABASE_URL.");
  const url = new URL(target.url);
  const name = url.pathname.slice(1);
  admin = postgres(target.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`do $$ begin create role aftersales_app nologin; exception when duplicate_object then null; end $$`);
  await admin.unsafe(`create role "${role}" login nosuperuser nocreaterole nocreatedb password '${password}'`);
  await admin.unsafe(`grant aftersales_app to "${role}"`);
  await admin.unsafe(`alter database "${name}" owner to "${role}"`);
  url.username = role;
  url.password = password;
  roleUrl = url.href;
});

afterAll(async () => {
  for (const process of running) if (process.child.exitCode === null) process.child.kill("SIGKILL");
  await Promise.all(running.map((process) => process.exited));
  await admin?.end({ timeout: 5 });
  await database?.drop();
  const { TEST_DATABASE_URL } = process.env;
  if (TEST_DATABASE_URL) {
    const server = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    await server.unsafe(`drop role if exists "${role}"`);
    await server.end({ timeout: 5 });
  }
});

describe("the compiled graph", () => {
  it("migrates as a release step, then answers through the gateway with plain node", async () => {
    // given: the release step, the partners subgraph's migrations run on their own
    const migration = startGraphProcess("services/partners/dist/index.js", containerEnv({ DATABASE_URL: roleUrl }), ["migrate"]);
    running.push(migration);
    expect(await migration.exited, migration.output()).toBe(0);
    expect(migration.output()).toContain("partners database migrated");

    // and: the subgraph, which migrates nothing at start, and the gateway in front of it
    const partners = startGraphProcess(
      "services/partners/dist/index.js",
      containerEnv({
        ...nowhere,
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: roleUrl,
        MIGRATE_ON_START: "false",
        IDENTITY_JWKS: JSON.stringify({ keys: [identitySigner(identityKey).publicKey] }),
      }),
    );
    running.push(partners);
    const { url: partnersUrl } = (await logLine(partners, "partners subgraph ready", 120_000)) as { url: string };
    const gateway = startGraphProcess(
      "gateway/dist/index.js",
      containerEnv({
        ...nowhere,
        SUBGRAPH_PARTNERS_URL: partnersUrl,
        PORT: "0",
        // Any free port for its metrics too: gateways of other test files run beside this one.
        METRICS_PORT: "0",
        HOST: "127.0.0.1",
        IDENTITY_SIGNING_KEY: JSON.stringify(identityKey),
        JWT_SECRET: tokenSecret,
      }),
    );
    running.push(gateway);
    const { url: gatewayUrl, metrics: metricsUrl } = (await logLine(gateway, "gateway ready", 120_000)) as { url: string; metrics: string };

    // when: an administrator creates a dealer and lists dealers
    const token = await signToken(tokenSecret, { role: "ADMIN", subject: "production-admin", expiresIn: "1h" });
    const ask = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          data?: { createDealer?: { dealer: { id: string; name: string }; errors: unknown[] }; dealers?: { edges: unknown[] } };
          errors?: unknown[];
        },
      };
    };
    const input = dealerInput();
    const created = await ask(`mutation($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id name } errors { code } } }`, { input });
    const listed = await ask(`{ dealers(first: 50) { edges { node { id name } } } }`);

    // then: the dealer is stored in the role's database and read back through the gateway
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createDealer?.errors).toEqual([]);
    const dealer = created.body.data?.createDealer?.dealer;
    expect(dealer?.name).toBe(input.name);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data?.dealers?.edges).toContainEqual({ node: dealer });
    // and: both are ready, and the gateway counted both requests on its metrics port
    expect((await fetch(new URL("/ready", partnersUrl))).status).toBe(200);
    expect((await fetch(new URL("/ready", gatewayUrl))).status).toBe(200);
    expect(await (await fetch(metricsUrl)).text()).toMatch(/aftersales_graphql_requests_total\{service="gateway",operation="anonymous",code="OK"\} 2\n/);
    // and: the processes are the build's, with Node alone
    for (const process of [partners, gateway])
      expect(process.child.spawnargs).toEqual([expect.stringMatching(/node$/), expect.stringMatching(/dist\/index\.js$/)]);
  });
});
