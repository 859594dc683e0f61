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
import { createAuthenticator, partnersApiKeyLookup, partnersDealerCheck } from "@aftersales/gateway/auth";
import { gatewaySecurityOf, securityModel } from "@aftersales/gateway/settings";
import { IDENTITY_HEADER, loadConfig, type Identity } from "@aftersales/kit";

/** How long a DEALER's dealer, once found, counts as known (as in our gateway). */
const KNOWN_DEALER_SECONDS = 60;

export interface AftersalesIdentityOptions {
  /** Where the partners subgraph (API keys, dealers) answers. */
  partnersUrl: string;
  /** The environment to read the gateway's security settings from; process.env by default. */
  environment?: Record<string, string | undefined>;
}

export function useAftersalesIdentity(options: AftersalesIdentityOptions): GatewayPlugin {
  const security = gatewaySecurityOf(loadConfig(securityModel, options.environment ?? process.env));
  const signer = security.identitySigner;
  const authenticator = createAuthenticator(
    security.tokens,
    partnersApiKeyLookup({ url: options.partnersUrl, identitySigner: signer, cacheSeconds: security.apiKeyCacheSeconds }),
    partnersDealerCheck({ url: options.partnersUrl, identitySigner: signer, cacheSeconds: KNOWN_DEALER_SECONDS }),
  );
  /** The signed identity of each client request being served. */
  const identityHeaders = new WeakMap<Request, string>();

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== "/graphql") return;
      let identity: Identity;
      try {
        identity = await authenticator.authenticate({ header: (name) => request.headers.get(name) ?? undefined });
      } catch (error) {
        const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
        if (code !== "UNAUTHENTICATED") throw error;
        const body = { errors: [{ message: (error as Error).message, extensions: { code } }] };
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json" } }));
        return;
      }
      // Registered operations are our gateway's alone; a key limited to them may send nothing here.
      if (identity.operationsOnly) {
        const body = {
          errors: [{ message: "This API key may only send registered operations, which this gateway does not serve.", extensions: { code: "FORBIDDEN" } }],
        };
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 403, headers: { "content-type": "application/json" } }));
        return;
      }
      identityHeaders.set(request, await signer.sign(identity));
    },
    onFetch({ context, options: init, setOptions }) {
      const request = "request" in context ? (context.request as Request | undefined) : undefined;
      const identityHeader = request && identityHeaders.get(request);
      if (!identityHeader) return;
      const headers = new Headers(init.headers as HeadersInit | undefined);
      headers.set(IDENTITY_HEADER, identityHeader);
      setOptions({ ...init, headers: Object.fromEntries(headers) });
    },
  };
}
