import { createAuthenticator, partnersApiKeyLookup, partnersDealerCheck } from "@aftersales/gateway/auth";
import { gatewaySecurityOf, securityModel } from "@aftersales/gateway/settings";
import { IDENTITY_HEADER, loadConfig } from "@aftersales/kit";
/** How long a DEALER's dealer, once found, counts as known (as in our gateway). */
const KNOWN_DEALER_SECONDS = 60;
export function useAftersalesIdentity(options) {
    const security = gatewaySecurityOf(loadConfig(securityModel, options.environment ?? process.env));
    const signer = security.identitySigner;
    const authenticator = createAuthenticator(security.tokens, partnersApiKeyLookup({ url: options.partnersUrl, identitySigner: signer, cacheSeconds: security.apiKeyCacheSeconds }), partnersDealerCheck({ url: options.partnersUrl, identitySigner: signer, cacheSeconds: KNOWN_DEALER_SECONDS }));
    /** The signed identity of each client request being served. */
    const identityHeaders = new WeakMap();
    return {
        async onRequest({ request, url, endResponse, fetchAPI }) {
            if (url.pathname !== "/graphql")
                return;
            let identity;
            try {
                identity = await authenticator.authenticate({ header: (name) => request.headers.get(name) ?? undefined });
            }
            catch (error) {
                const code = error.extensions?.code;
                if (code !== "UNAUTHENTICATED")
                    throw error;
                const body = { errors: [{ message: error.message, extensions: { code } }] };
                endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json" } }));
                return;
            }
            // Registered operations are our gateway's alone; a key limited to them may send nothing here.
            if (identity.operationsOnly) {
                const body = { errors: [{ message: "This API key may only send registered operations, which this gateway does not serve.", extensions: { code: "FORBIDDEN" } }] };
                endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 403, headers: { "content-type": "application/json" } }));
                return;
            }
            identityHeaders.set(request, await signer.sign(identity));
        },
        onFetch({ context, options: init, setOptions }) {
            const request = "request" in context ? context.request : undefined;
            const identityHeader = request && identityHeaders.get(request);
            if (!identityHeader)
                return;
            const headers = new Headers(init.headers);
            headers.set(IDENTITY_HEADER, identityHeader);
            setOptions({ ...init, headers: Object.fromEntries(headers) });
        },
    };
}
//# sourceMappingURL=identity-plugin.js.map