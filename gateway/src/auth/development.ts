import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import type { Role } from "@aftersales/kit";

/**
 * The embedded graph's secrets: made on first start and kept in the data
 * directory, so tokens printed by `npm run token` keep working across
 * restarts, and no two installations share a secret.
 */
export interface DevelopmentSecrets {
  /** Signs development tokens (HS256). */
  tokenSecret: string;
  /** Signs the identity the gateway forwards to the subgraphs. */
  identitySecret: string;
}

export function developmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevelopmentSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevelopmentSecrets = {
    tokenSecret: randomBytes(48).toString("base64url"),
    identitySecret: randomBytes(48).toString("base64url"),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

export interface TokenClaims {
  role: Role;
  /** Required for DEALER, refused for the other roles (the gateway checks). */
  dealerId?: string | null;
  subject: string;
  /** How long the token is valid, e.g. `8h`, `30m`, `7d`. */
  expiresIn: string;
}

/** A token the way an identity provider would issue it: `sub`, `role`, `dealer_id`, signed HS256. */
export function signToken(secret: string, claims: TokenClaims): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.dealerId ? { dealer_id: claims.dealerId } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn)
    .sign(new TextEncoder().encode(secret));
}
