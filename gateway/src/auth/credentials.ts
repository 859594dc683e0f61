import { webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { identityFromClaims, unauthenticated, type Identity } from "@aftersales/kit";
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from "jose";
import { LRUCache } from "lru-cache";

/** How the gateway checks the tokens it is sent. */
export interface TokenSettings {
  /** HS256: the shared secret tokens are signed with. */
  secret?: Uint8Array;
  /** RS256: the identity provider's key set, at a URL (refreshed as keys rotate) or in a file; one of the two. */
  jwksUrl?: string;
  jwksFile?: string;
  issuer?: string;
  audience?: string;
}

/** Looks up an API key (the raw key as sent); null when there is no such key or it is revoked or expired. */
export type ApiKeyLookup = (key: string) => Promise<Identity | null>;

/** Whether a dealer exists: a DEALER token for a dealer id that names nobody is refused. */
export type DealerCheck = (dealerId: string) => Promise<boolean>;

/** What the authenticator reads of a request: its headers (an express request, or a Fetch API one's `headers.get`). */
export interface CredentialHeaders {
  header(name: string): string | undefined;
}

export interface Authenticator {
  /** The caller of a request; throws `UNAUTHENTICATED` with a message that says what is wrong. */
  authenticate(req: CredentialHeaders): Promise<Identity>;
}

/**
 * How long a token once checked is taken as checked: its exact text can only
 * be that token, so checking its signature again (a WebCrypto call per
 * request, a tenth of the gateway's time under load) tells nothing new until
 * it expires, or until the key that signed it is withdrawn from the key set,
 * which this bounds.
 */
const CHECKED_TOKEN_SECONDS = 60;

/** Tokens remembered as checked; the least recently seen go first. */
const CHECKED_TOKENS = 10_000;

const HOW = "Send a token (`Authorization: Bearer <jwt>`) or an API key (`x-api-key: <key>`).";

export function createAuthenticator(tokens: TokenSettings, apiKeys: ApiKeyLookup, dealerExists: DealerCheck): Authenticator {
  if (tokens.jwksUrl && tokens.jwksFile) throw new Error("RS256 tokens are checked against one key set: give a JWKS URL or a file, not both.");
  const keySet = tokens.jwksUrl
    ? createRemoteJWKSet(new URL(tokens.jwksUrl))
    : tokens.jwksFile
      ? createLocalJWKSet(JSON.parse(readFileSync(tokens.jwksFile, "utf8")))
      : undefined;
  if (!tokens.secret && !keySet) throw new Error("The gateway needs a token secret (HS256) or a key set (RS256) to check tokens with.");
  const algorithms = [...(tokens.secret ? ["HS256"] : []), ...(keySet ? ["RS256"] : [])];
  // Imported once: given the raw secret, jose imports it again for every token it checks.
  const secretKey = tokens.secret ? hmacKey(tokens.secret, "verify") : undefined;
  // Each algorithm has exactly one source of keys, so a token cannot pick a weaker one.
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === "HS256" && secretKey) return secretKey;
    if (header.alg === "RS256" && keySet) return keySet(header, token);
    throw unauthenticated(`Tokens signed with ${header.alg ?? "no algorithm"} are not accepted here; use ${algorithms.join(" or ")}.`);
  };
  const verifyOptions: JWTVerifyOptions = {
    algorithms,
    ...(tokens.issuer ? { issuer: tokens.issuer } : {}),
    ...(tokens.audience ? { audience: tokens.audience } : {}),
  };

  const checked = new LRUCache<string, { identity: Identity; untilMs: number }>({ max: CHECKED_TOKENS });

  async function fromToken(token: string): Promise<Identity> {
    const known = checked.get(token);
    if (known && Date.now() < known.untilMs) return known.identity;
    try {
      const { payload } = await jwtVerify(token, keyFor, verifyOptions);
      const claimed = identityFromClaims(payload);
      if (typeof claimed === "string") throw unauthenticated(claimed);
      // Frozen: one remembered identity serves many requests, and none may change it for the others.
      const identity = Object.freeze(claimed);
      const untilMs = Math.min(Date.now() + CHECKED_TOKEN_SECONDS * 1000, typeof payload.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY);
      checked.set(token, { identity, untilMs });
      return identity;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        const exp = typeof error.payload.exp === "number" ? ` at ${new Date(error.payload.exp * 1000).toISOString()}` : "";
        throw unauthenticated(`The token expired${exp}; get a new one.`);
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw unauthenticated(`The token's \`${error.claim}\` claim is not accepted: ${error.reason}.`);
      if (error instanceof joseErrors.JOSEError) throw unauthenticated("The token is not valid (malformed, or not signed by a key this graph trusts).");
      throw error;
    }
  }

  return {
    async authenticate(req) {
      const authorization = req.header("authorization");
      const apiKey = req.header("x-api-key");
      if (authorization && apiKey) throw unauthenticated("Send either a token or an API key, not both.");
      if (apiKey) {
        const identity = await apiKeys(apiKey);
        if (!identity) throw unauthenticated("The API key is not valid (unknown, revoked or expired).");
        return identity;
      }
      if (!authorization) throw unauthenticated(`No credentials. ${HOW}`);
      const [scheme, token] = authorization.split(" ");
      if (scheme?.toLowerCase() !== "bearer" || !token) throw unauthenticated(`The Authorization header must be \`Bearer <jwt>\`. ${HOW}`);
      const identity = await fromToken(token);
      // A key's dealer was checked when the key was made; a token's is whatever its issuer wrote. Acting for
      // a dealer that does not exist would answer empty lists, which reads as "you have nothing" rather than
      // "this token is wrong".
      if (identity.role === "DEALER" && identity.dealerId && !(await dealerExists(identity.dealerId))) {
        throw unauthenticated(`The token acts for the dealer \`${identity.dealerId}\`, which does not exist; get a token for an existing dealer.`);
      }
      return identity;
    },
  };
}

/** An HS256 secret as a key for WebCrypto, to import once and use for every token. */
export function hmacKey(secret: Uint8Array, usage: "sign" | "verify"): Promise<webcrypto.CryptoKey> {
  // A copy on an ArrayBuffer of its own: WebCrypto takes no view of a SharedArrayBuffer.
  return webcrypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}
