import { apiKeyHash, signIdentity, type Identity, type Role } from "@aftersales/kit";
import { askSubgraph } from "../subgraphs.js";
import type { ApiKeyLookup } from "./credentials.js";

/**
 * API keys and registered operations live in the partners subgraph. The
 * gateway asks it directly (not through its own API), signing its requests
 * like any other.
 */

/** The gateway itself, when it looks up a credential before it knows the caller. */
const GATEWAY: Identity = { subject: "gateway", role: "ADMIN", dealerId: null, credential: "gateway", operationsOnly: false };

const askPartners = <T>(url: string, identityHeader: string, query: string, variables: Record<string, unknown>) =>
  askSubgraph<T>("partners", url, identityHeader, query, variables);

interface Credential {
  keyId: string;
  role: Role;
  dealerId: string | null;
  operationsOnly: boolean;
}

/**
 * Looks API keys up by their hash, remembering answers for `cacheSeconds`
 * (0: ask every time). Revoking a key takes effect within that time.
 */
export function partnersApiKeyLookup(options: { url: string; identitySecret: Uint8Array; cacheSeconds: number }): ApiKeyLookup {
  const cache = new Map<string, { identity: Identity | null; until: number }>();
  return async (key) => {
    const hash = apiKeyHash(key);
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.identity;
    const data = await askPartners<{ credentialForApiKey: Credential | null }>(
      options.url,
      await signIdentity(GATEWAY, options.identitySecret),
      `query Credential($keyHash: String!) { credentialForApiKey(keyHash: $keyHash) { keyId role dealerId operationsOnly } }`,
      { keyHash: hash },
    );
    const found = data.credentialForApiKey;
    const identity: Identity | null = found && {
      subject: found.keyId,
      role: found.role,
      dealerId: found.dealerId,
      credential: `key:${found.keyId}`,
      operationsOnly: found.operationsOnly,
    };
    if (options.cacheSeconds > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { identity, until: Date.now() + options.cacheSeconds * 1000 });
    }
    return identity;
  };
}

/** The document of a registered operation, as the caller may see it; null when there is none. */
export type OperationLookup = (hash: string, caller: { identity: Identity; identityHeader: string }) => Promise<string | null>;

/**
 * Registered operations never change (the hash is their content's), so found
 * documents are kept, per dealer: a dealer's operations are its own.
 */
export function partnersOperationLookup(url: string): OperationLookup {
  const documents = new Map<string, string>();
  return async (hash, { identity, identityHeader }) => {
    const key = `${identity.dealerId ?? "*"}:${hash}`;
    const known = documents.get(key);
    if (known) return known;
    const data = await askPartners<{ persistedOperation: { document: string } | null }>(
      url,
      identityHeader,
      `query Operation($hash: String!) { persistedOperation(hash: $hash) { document } }`,
      { hash },
    );
    const document = data.persistedOperation?.document ?? null;
    if (document && documents.size < 5_000) documents.set(key, document);
    return document;
  };
}
