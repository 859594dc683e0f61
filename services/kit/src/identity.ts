import { GraphQLError } from "graphql";
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";

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

/** The shared secret as jose wants it; at least 32 bytes, as HS256 deserves. */
export function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < 32) throw new Error("A signing secret must be at least 32 characters long.");
  return key;
}

export async function signIdentity(identity: Identity, key: Uint8Array): Promise<string> {
  return new SignJWT({
    role: identity.role,
    dealer_id: identity.dealerId,
    credential: identity.credential,
    operations_only: identity.operationsOnly,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${IDENTITY_TTL_SECONDS}s`)
    .sign(key);
}

/** The identity in a signed header; throws `UNAUTHENTICATED` when it is missing, forged or expired. */
export async function verifyIdentity(header: string | undefined, key: Uint8Array): Promise<Identity> {
  if (!header) throw unauthenticated("This service only answers requests that come through the gateway.");
  try {
    const { payload } = await jwtVerify(header, key, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    const identity = identityFromClaims(payload);
    if (typeof identity === "string") throw unauthenticated(identity);
    return {
      ...identity,
      credential: typeof payload.credential === "string" ? payload.credential : identity.credential,
      operationsOnly: payload.operations_only === true,
    };
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    const reason = error instanceof joseErrors.JWTExpired ? "expired" : "invalid";
    throw unauthenticated(`The gateway's identity header is ${reason}.`);
  }
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
