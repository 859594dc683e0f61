import { env, identitySigner, secretKey, type IdentitySigner } from "@aftersales/kit";
import { z } from "zod";
import type { TokenSettings } from "./auth/credentials.js";
import { limitsEnv, limitSettingsOf, memoryRateLimiter, redisRateLimiter, type LimitSettings, type RateLimiter } from "./limits/index.js";

/** What a gateway reads beyond where to listen: how it checks callers, and what it allows them. */
export const securityEnv = {
  /**
   * The Ed25519 private key (a JWK with its `kid`) the gateway signs callers'
   * identities with; the subgraphs hold its public half in IDENTITY_JWKS.
   */
  IDENTITY_SIGNING_KEY: env.identityKey(),
  /** HS256 tokens are checked with this secret. */
  JWT_SECRET: env.secret().optional(),
  /** RS256 tokens are checked with the identity provider's key set, from a URL or a file. */
  JWT_JWKS_URL: env.url().optional(),
  JWT_JWKS_FILE: z.string().min(1).optional(),
  /** When set, tokens must carry exactly this `iss` / `aud`. */
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** A revoked API key keeps working at most this long. */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** A subgraph that has not answered by then is given up on; its fields come back null with an error. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Rate-limit counters live in Redis when set (shared by replicas), else in this process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /** Several operations in one HTTP request multiply what one request can cost; off unless wanted. */
  ALLOW_BATCHING: env.flag(false),
  ...limitsEnv,
};

const securityModel = z
  .object(securityEnv)
  .refine((s) => s.JWT_SECRET || s.JWT_JWKS_URL || s.JWT_JWKS_FILE, {
    message: "set JWT_SECRET (HS256) and/or one of JWT_JWKS_URL, JWT_JWKS_FILE (RS256): the gateway must be able to check tokens",
  })
  .refine((s) => !(s.JWT_JWKS_URL && s.JWT_JWKS_FILE), {
    message: "set JWT_JWKS_URL or JWT_JWKS_FILE, not both: RS256 tokens are checked against one key set",
  });

export type SecurityEnv = z.infer<typeof securityModel>;
export { securityModel };

export interface GatewaySecurity {
  tokens: TokenSettings;
  identitySigner: IdentitySigner;
  apiKeyCacheSeconds: number;
  subgraphTimeoutMs: number;
  limits: LimitSettings;
  rateLimiter: RateLimiter;
  allowBatching: boolean;
}

export function gatewaySecurityOf(settings: SecurityEnv): GatewaySecurity {
  return {
    tokens: {
      ...(settings.JWT_SECRET ? { secret: secretKey(settings.JWT_SECRET) } : {}),
      ...(settings.JWT_JWKS_URL ? { jwksUrl: settings.JWT_JWKS_URL } : {}),
      ...(settings.JWT_JWKS_FILE ? { jwksFile: settings.JWT_JWKS_FILE } : {}),
      ...(settings.JWT_ISSUER ? { issuer: settings.JWT_ISSUER } : {}),
      ...(settings.JWT_AUDIENCE ? { audience: settings.JWT_AUDIENCE } : {}),
    },
    identitySigner: identitySigner(settings.IDENTITY_SIGNING_KEY),
    apiKeyCacheSeconds: settings.API_KEY_CACHE_SECONDS,
    subgraphTimeoutMs: settings.SUBGRAPH_TIMEOUT_MS,
    limits: limitSettingsOf(settings),
    rateLimiter: settings.REDIS_URL ? redisRateLimiter({ url: settings.REDIS_URL }) : memoryRateLimiter(),
    allowBatching: settings.ALLOW_BATCHING,
  };
}
