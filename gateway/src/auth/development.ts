import { randomBytes, type webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT, type JWK } from "jose";
import { hmacKey } from "./credentials.js";
import { generateIdentityKey, type Role } from "@aftersales/kit";

/**
 * The embedded graph's secrets: made on first start and kept in the data
 * directory, so tokens printed by `npm run token` keep working across
 * restarts, and no two installations share a secret.
 */
export interface DevelopmentSecrets {
  /** Signs development tokens (HS256). */
  tokenSecret: string;
  /** The Ed25519 private key (JWK) the gateway signs the identity it forwards to the subgraphs with. */
  identityKey: JWK;
}

/** Where `npm start` keeps its data unless DATA_DIR says otherwise: `.data` in the checkout, wherever it is started from. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../../.data", import.meta.url));

export const secretsFile = (dataDir: string) => path.join(dataDir, "secrets.json");

/**
 * The embedded graph's secrets, made on its first start in `dataDir`. A data
 * directory from before identities were signed with a key pair has only an
 * HMAC `identitySecret`: it gets its key, and keeps its token secret, so the
 * tokens printed for it still work.
 */
export async function developmentSecrets(dataDir: string): Promise<DevelopmentSecrets> {
  const existing = existingDevelopmentSecrets(dataDir);
  if (existing?.tokenSecret && existing.identityKey) return { tokenSecret: existing.tokenSecret, identityKey: existing.identityKey };
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevelopmentSecrets = {
    tokenSecret: existing?.tokenSecret ?? randomBytes(48).toString("base64url"),
    identityKey: await generateIdentityKey(),
  };
  writeFileSync(secretsFile(dataDir), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/**
 * The secrets a graph started with `dataDir` made, or null when none was
 * started there: `npm run token` reads them and never makes any, since a
 * secret it made would be one no running graph trusts.
 */
export function existingDevelopmentSecrets(dataDir: string): Partial<DevelopmentSecrets> | null {
  const file = secretsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DevelopmentSecrets>) : null;
}

export interface TokenClaims {
  role: Role;
  /** Required for DEALER, refused for the other roles (the gateway checks). */
  dealerId?: string | null;
  subject: string;
  /** How long the token is valid, e.g. `8h`, `30m`, `7d`. */
  expiresIn: string;
  /** `iss` and `aud`, for a gateway that checks them (JWT_ISSUER, JWT_AUDIENCE). */
  issuer?: string;
  audience?: string;
}

/** A token the way an identity provider would issue it: `sub`, `role`, `dealer_id`, signed HS256. */
export function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const jwt = new SignJWT({ role: claims.role, ...(claims.dealerId ? { dealer_id: claims.dealerId } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn);
  if (claims.issuer) jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt.setAudience(claims.audience);
  return signingKeyOf(secret).then((key) => jwt.sign(key));
}

/** Each secret's signing key, imported once (a test or benchmark client signs a token per request). */
const signingKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

function signingKeyOf(secret: string): Promise<webcrypto.CryptoKey> {
  let key = signingKeys.get(secret);
  if (!key) {
    key = hmacKey(new TextEncoder().encode(secret), "sign");
    signingKeys.set(secret, key);
  }
  return key;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * Whether a server listening on `host` can be reached from this machine only
 * (`localhost`, 127.0.0.0/8, ::1). A wildcard (`0.0.0.0`, `::`), any other
 * address and any other name (it may resolve to anything) reach further: a
 * development token must never be handed out there.
 */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === "localhost") return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
}
