import { z } from "zod";
import { parseIdentityKey, parseIdentityKeySet } from "./identity.js";

/**
 * Configuration is read from the environment once, at start, and validated as
 * a whole: every problem is reported together, so an operator fixes them in
 * one go instead of one restart per variable. This is the only module that
 * reads `process.env`; everything else receives a typed config object.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  return loadConfigs({ config: schema }, env).config;
}

/** Several config models read from one environment; all their problems are reported together. */
export function loadConfigs<M extends Record<string, z.ZodType>>(models: M, env: Env = process.env): { [K in keyof M]: z.infer<M[K]> } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(models)) {
    const result = schema.safeParse(env);
    if (result.success) values[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`));
  }
  if (problems.length) throw new ConfigError(problems);
  return values as { [K in keyof M]: z.infer<M[K]> };
}

/** Below Kubernetes' default 30 s grace period, so the requests a pod accepted are answered before it is killed. */
export const DEFAULT_DRAIN_MS = 25_000;

/** Building blocks shared by every entry point's config model. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: () => z.string().min(1).default("0.0.0.0"),
  nodeEnv: () => z.enum(["development", "production", "test"]).default("development"),
  logLevel: () => z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  postgresUrl: () => z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  url: () => z.url(),
  /**
   * Where people reach the gateway from outside (`https://aftersales.example.com`,
   * perhaps with a path a proxy serves it under): an absolute http(s) URL
   * without query or fragment, kept without a trailing slash so that
   * `${url}/surveys/…` is a link.
   */
  publicUrl: () =>
    z.string({ error: "required: the gateway's address as people reach it from outside, e.g. https://aftersales.example.com" }).transform((value, ctx) => {
      const url = URL.canParse(value) ? new URL(value) : null;
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
        ctx.addIssue({ code: "custom", message: "must be an absolute http:// or https:// URL, e.g. https://aftersales.example.com" });
        return z.NEVER;
      }
      if (url.search || url.hash || url.username || url.password) {
        ctx.addIssue({ code: "custom", message: "must have no query, fragment or credentials: links are made by adding paths to it" });
        return z.NEVER;
      }
      return url.href.replace(/\/+$/, "");
    }),
  /** A signing secret: long enough for HMAC-SHA256 to be worth its name. */
  secret: () => z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 48`)"),
  /** The gateway's Ed25519 private key that signs callers' identities, a JWK (`npm run identity-key` makes one). */
  identityKey: () => parsed(parseIdentityKey),
  /** The public keys subgraphs accept identities from, a JWKS (`{"keys": [...]}`); several during a rotation. */
  identityKeySet: () => parsed(parseIdentityKeySet),
  /** How long a stopping service lets the requests it accepted run before it cuts them off (`SHUTDOWN_DRAIN_MS`). */
  drainMs: () => z.coerce.number().int().min(0).max(600_000).default(DEFAULT_DRAIN_MS),
  /** Boolean flags written the way people write them in env files. */
  flag: (fallback: boolean) =>
    z
      .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
      .default(fallback ? "true" : "false")
      .transform((v) => ["1", "true", "yes", "on"].includes(v)),
};

/** A string read by `parse`, whose error message becomes the variable's problem. */
function parsed<T>(parse: (value: string) => T) {
  return z.string().transform((value, ctx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });
}

/** What every service run on its own (a subgraph, the gateway) reads: where to listen, and how to log. */
export const serviceEnv = (defaultPort: number) => ({
  PORT: env.port(defaultPort),
  HOST: env.host(),
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  LOG_PRETTY: env.flag(false),
  SHUTDOWN_DRAIN_MS: env.drainMs(),
});

/**
 * A failure the user fixes from its message alone (a port in use, a wrong
 * command-line argument, a file that is not there): `runMain` prints the
 * message, not a stack trace, and exits with `exitCode` (2: the command was
 * used wrongly, as shells' conventions have it).
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** Runs an entry point, printing configuration problems and `CommandError`s plainly instead of as a stack trace. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof CommandError) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    process.exit(error instanceof CommandError ? error.exitCode : 1);
  });
}
