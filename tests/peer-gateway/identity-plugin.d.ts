/**
 * A Hive Gateway plugin that mints the aftersales identity header, so Hive
 * Gateway can stand in front of the subgraphs as our gateway does.
 *
 * For every request to /graphql it checks the client's credentials with the
 * gateway's own authenticator (the same code and the same settings: a token
 * checked with JWT_SECRET or JWT_JWKS_URL / JWT_JWKS_FILE, JWT_ISSUER,
 * JWT_AUDIENCE, or an API key looked up in partners; a DEALER token's dealer
 * must exist). A request it refuses is answered 401 UNAUTHENTICATED and goes
 * no further. Otherwise it signs the caller's identity with
 * IDENTITY_SIGNING_KEY (an Ed25519 JWK with its own `kid`; its public half
 * must be in the subgraphs' IDENTITY_JWKS) and sets it on every request to a
 * subgraph, replacing whatever a client sent under that name.
 *
 * What it does not bring over from our gateway: its limits (depth, cost,
 * rate) and registered operations (API keys restricted to them are refused
 * here outright).
 */
import type { GatewayPlugin } from "@graphql-hive/gateway";
export interface AftersalesIdentityOptions {
    /** Where the partners subgraph (API keys, dealers) answers. */
    partnersUrl: string;
    /** The environment to read the gateway's security settings from; process.env by default. */
    environment?: Record<string, string | undefined>;
}
export declare function useAftersalesIdentity(options: AftersalesIdentityOptions): GatewayPlugin;
//# sourceMappingURL=identity-plugin.d.ts.map