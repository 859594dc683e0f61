import { GraphQLError } from "graphql";
import { LRUCache } from "lru-cache";
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";

/**
 * Who is calling. The gateway establishes it (from a JWT or an API key) and
 * hands it to the subgraphs in a header it signs; subgraphs trust nothing
 * else.
 */
export const ROLES = ["DEALER", "AGENT", "ANALYST", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** The person or system behind the credential (a JWT's `sub`, an API key's id). */
  subject: string;
  role: Role;
  /** The dealer a DEALER acts for; null for every other role. */
  dealerId: string | null;
  /** What rate limits and logs count by: `token:<sub>` or `key:<id>`. */
  credential: string;
  /** An API key restricted to registered operations may not send free-form queries. */
  operationsOnly: boolean;
}

/** The header the gateway signs and subgraphs verify. A client's copy is never forwarded. */
export const IDENTITY_HEADER = "x-aftersales-identity";

const AUDIENCE = "aftersales:subgraphs";
const ISSUER = "aftersales:gateway";
/** Long enough for a slow subgraph call, short enough that a captured header is soon useless. */
export const IDENTITY_TTL_SECONDS = 60;

/** A shared HS256 secret (client tokens' JWT_SECRET) as jose wants it; at least 32 bytes, as HS256 deserves. */
export function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < 32) throw new Error("A signing secret must be at least 32 characters long.");
  return key;
}

/**
 * Ed25519 (EdDSA): only a gateway holds the private key, so a subgraph, or
 * anyone holding the public key set, can check an identity but never make
 * one. Any gateway that signs these claims with a key in the set is trusted
 * (Hive Gateway does with the plugin in tests/peer-gateway).
 */
export const IDENTITY_ALGORITHM = "EdDSA";

/** A gateway's signing key: the private half signs, `publicKey` goes into the subgraphs' key set. */
export interface IdentitySigner {
  /** The key's id (`kid`), in every header it signs; the key set is searched by it. */
  kid: string;
  publicKey: JWK;
  sign(identity: Identity): Promise<string>;
}

/**
 * How long a signed identity is handed out again for the same caller: a
 * quarter of its life, so every header a subgraph gets still has most of it
 * left, while a busy caller costs one signature (and each subgraph one
 * check, see `identityVerifier`) every few seconds instead of one per request.
 */
export const IDENTITY_REUSE_SECONDS = IDENTITY_TTL_SECONDS / 4;

/** Callers whose signed identity is kept for reuse; the least recently seen go first. */
const SIGNED_IDENTITIES = 10_000;

/**
 * A signer for an Ed25519 private key in JWK form (with its `kid`). The key
 * is imported once, at the first signature, not per call, and a caller's
 * signed identity is reused for `IDENTITY_REUSE_SECONDS`.
 */
export function identitySigner(privateKey: JWK): IdentitySigner {
  const problem = signingKeyProblem(privateKey);
  if (problem) throw new Error(`The identity signing key ${problem}.`);
  const kid = privateKey.kid!;
  let imported: ReturnType<typeof importJWK> | undefined;
  const key = () => (imported ??= importJWK(privateKey, IDENTITY_ALGORITHM));
  // Timed by the wall clock, as the header's own `iat` and `exp` are.
  const signed = new LRUCache<string, { header: Promise<string>; untilMs: number }>({ max: SIGNED_IDENTITIES });
  const sign = async (identity: Identity) =>
    new SignJWT({
      role: identity.role,
      dealer_id: identity.dealerId,
      credential: identity.credential,
      operations_only: identity.operationsOnly,
    })
      .setProtectedHeader({ alg: IDENTITY_ALGORITHM, kid })
      .setSubject(identity.subject)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
      .sign(await key());
  return {
    kid,
    publicKey: publicKeyOf(privateKey),
    sign(identity) {
      // Every claim the header carries is in the name: two callers that differ in any of them never share one.
      const name = claimsKey(identity);
      const kept = signed.get(name);
      if (kept && Date.now() < kept.untilMs) return kept.header;
      const header = sign(identity);
      signed.set(name, { header, untilMs: Date.now() + IDENTITY_REUSE_SECONDS * 1000 });
      header.catch(() => signed.delete(name));
      return header;
    },
  };
}

/** Every claim of an identity the gateway signs, as one string: equal for two identities exactly when their headers say the same. */
export function claimsKey(identity: Identity): string {
  return JSON.stringify([identity.subject, identity.role, identity.dealerId, identity.credential, identity.operationsOnly]);
}

export async function signIdentity(identity: Identity, signer: IdentitySigner): Promise<string> {
  return signer.sign(identity);
}

function signingKeyProblem(key: JWK): string | null {
  if (key.kty !== "OKP" || key.crv !== "Ed25519") return "must be an Ed25519 key (`kty` OKP, `crv` Ed25519)";
  if (typeof key.d !== "string" || typeof key.x !== "string") return "must be a private key (with `d` and `x`)";
  if (typeof key.kid !== "string" || !key.kid) return "must name itself (`kid`), so subgraphs find it in their key set";
  return null;
}

/** The public half of an identity key, as the key set lists it. */
export function publicKeyOf(key: JWK): JWK {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: IDENTITY_ALGORITHM, use: "sig" } as JWK;
}

/** A new Ed25519 signing key, its `kid` the public key's thumbprint (RFC 7638). */
export async function generateIdentityKey(): Promise<JWK> {
  const { privateKey, publicKey } = await generateKeyPair(IDENTITY_ALGORITHM, { crv: "Ed25519", extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { ...(await exportJWK(privateKey)), kid, alg: IDENTITY_ALGORITHM, use: "sig" };
}

function jsonOf(text: string, notJson: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(notJson);
  }
}

/** An identity signing key from its JSON (IDENTITY_SIGNING_KEY); throws saying what is wrong. */
export function parseIdentityKey(json: string): JWK {
  const key = jsonOf(json, "The identity signing key is not JSON; it is a private JWK (`npm run identity-key` makes one).");
  if (!key || typeof key !== "object" || Array.isArray(key)) throw new Error("The identity signing key must be one JWK object.");
  const problem = signingKeyProblem(key as JWK);
  if (problem) throw new Error(`The identity signing key ${problem}.`);
  return key as JWK;
}

/**
 * The public key set subgraphs check identities with, from its JSON
 * (IDENTITY_JWKS): every key public, every key named, no name twice.
 */
export function parseIdentityKeySet(json: string): JSONWebKeySet {
  const set = jsonOf(json, 'The identity key set is not JSON; it is a JWKS, `{"keys": [...]}`.');
  const keys = (set as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.length) throw new Error('The identity key set must be `{"keys": [...]}` with at least one key.');
  const kids = new Set<string>();
  for (const key of keys as JWK[]) {
    // A private key here would hand every subgraph the power to mint identities.
    if ("d" in key) throw new Error(`The identity key set holds a private key (${key.kid ?? "no kid"}); list only public keys.`);
    if (key.kty !== "OKP" || key.crv !== "Ed25519") throw new Error(`The identity key set's key ${key.kid ?? "(no kid)"} must be Ed25519.`);
    if (typeof key.kid !== "string" || !key.kid) throw new Error("Every key in the identity key set must have a `kid`.");
    if (kids.has(key.kid)) throw new Error(`The identity key set names ${key.kid} twice.`);
    kids.add(key.kid);
  }
  return { keys: keys as JWK[] };
}

/** Checks identity headers; throws `UNAUTHENTICATED` when one is missing, forged, expired or signed by a key not in the set. */
export type IdentityVerifier = (header: string | undefined) => Promise<Identity>;

/** Identity headers remembered as checked; the least recently seen go first. */
const VERIFIED_IDENTITIES = 10_000;

/**
 * A verifier for the gateways' public keys. Several keys are accepted at
 * once (a rotation, or several gateways); a header names its key (`kid`).
 * Each key is imported once, on first use, and kept (jose's local key set).
 * A header once checked is remembered until it expires: the gateway sends
 * the same one for a caller's requests for a while (`IDENTITY_REUSE_SECONDS`),
 * and the exact text of a checked header can only be that header.
 */
export function identityVerifier(keySet: JSONWebKeySet): IdentityVerifier {
  const keys = createLocalJWKSet(keySet);
  const keyFor: JWTVerifyGetKey = (header, token) => {
    if (!header.kid) throw unauthenticated("The gateway's identity header names no key (`kid`).");
    return keys(header, token);
  };
  const verified = new LRUCache<string, { identity: Identity; expiresAtMs: number }>({ max: VERIFIED_IDENTITIES });
  return async (header) => {
    if (!header) throw unauthenticated("This service only answers requests that come through the gateway.");
    const known = verified.get(header);
    if (known && Date.now() < known.expiresAtMs) return known.identity;
    try {
      const { payload } = await jwtVerify(header, keyFor, { algorithms: [IDENTITY_ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
      const claimed = identityFromClaims(payload);
      if (typeof claimed === "string") throw unauthenticated(claimed);
      // Frozen: one remembered identity serves many requests, and none may change it for the others.
      const identity: Identity = Object.freeze({
        ...claimed,
        credential: typeof payload.credential === "string" ? payload.credential : claimed.credential,
        operationsOnly: payload.operations_only === true,
      });
      if (typeof payload.exp === "number") verified.set(header, { identity, expiresAtMs: payload.exp * 1000 });
      return identity;
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      const reason =
        error instanceof joseErrors.JWTExpired
          ? "expired"
          : error instanceof joseErrors.JWKSNoMatchingKey
            ? "signed by a key this service does not trust"
            : "invalid";
      throw unauthenticated(`The gateway's identity header is ${reason}.`);
    }
  };
}

/**
 * The identity a JWT's claims (or an API key's record) describe, or what is
 * wrong with them. `role` is one of ROLES; a DEALER must name its dealer in
 * `dealer_id`, and no other role may.
 */
export function identityFromClaims(claims: { sub?: unknown; role?: unknown; dealer_id?: unknown }): Identity | string {
  const { sub, role, dealer_id: dealerId } = claims;
  if (typeof sub !== "string" || !sub) return "The credential names no subject (`sub`).";
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    return `The credential's role must be one of ${ROLES.join(", ")}.`;
  }
  if (role === "DEALER" && (typeof dealerId !== "string" || !dealerId)) {
    return "A DEALER credential must name its dealer (`dealer_id`).";
  }
  if (role !== "DEALER" && dealerId != null) return `A ${role} credential must not name a dealer.`;
  return {
    subject: sub,
    role: role as Role,
    dealerId: role === "DEALER" ? (dealerId as string) : null,
    credential: `token:${sub}`,
    operationsOnly: false,
  };
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/**
 * A role refusal inside a resolver. No HTTP status: it fails its own field,
 * and the request's other fields (and the gateway's plan) go on.
 */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
}

/** Refuses the operation unless the caller has one of `roles`. */
export function requireRole(identity: Identity, roles: readonly Role[], doing: string): void {
  if (!roles.includes(identity.role)) {
    throw forbidden(`${identity.role} callers may not ${doing}; this needs ${roles.join(" or ")}.`);
  }
}

/** The dealer whose rows the caller is confined to, or null when it sees every dealer's. */
export function dealerScopeOf(identity: Identity): string | null {
  return identity.role === "DEALER" ? identity.dealerId : null;
}

/**
 * Whether a caller confined to `dealerScope` (a DEALER's dealer; null for
 * staff, who act for every dealer) may act for `dealerId`.
 */
export function actsFor(dealerScope: string | null, dealerId: string): boolean {
  return dealerScope === null || dealerScope === dealerId;
}

/** ANALYSTs work with figures, never with the people behind them. */
export function seesPersonalData(identity: Identity): boolean {
  return identity.role !== "ANALYST";
}
