import { apiKeyHash, signIdentity, type Identity, type Role } from "@aftersales/kit";
import { LRUCache } from "lru-cache";
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

/** What partners answers for a key: who it stands for. */
export interface Credential {
  keyId: string;
  role: Role;
  dealerId: string | null;
  operationsOnly: boolean;
}

/**
 * Looks API keys up by their hash in the partners subgraph, remembering
 * answers for `cacheSeconds` (see cachedApiKeyLookup).
 */
export function partnersApiKeyLookup(options: { url: string; identitySecret: Uint8Array; cacheSeconds: number }): ApiKeyLookup {
  return cachedApiKeyLookup({
    cacheSeconds: options.cacheSeconds,
    async credentialOf(keyHash) {
      const data = await askPartners<{ credentialForApiKey: Credential | null }>(
        options.url,
        await signIdentity(GATEWAY, options.identitySecret),
        `query Credential($keyHash: String!) { credentialForApiKey(keyHash: $keyHash) { keyId role dealerId operationsOnly } }`,
        { keyHash },
      );
      return data.credentialForApiKey;
    },
  });
}

/** Keys remembered at most: the ones in use stay, the longest unused go first. */
const API_KEYS_REMEMBERED = 10_000;

/**
 * Looks API keys up by their hash with `credentialOf`, remembering each
 * answer (unknown keys too, so a caller guessing keys does not cost a
 * lookup per guess) for `cacheSeconds` (0: ask every time). Revoking a key
 * takes effect within that time. A least-recently-used cache: a flood of
 * unknown keys pushes out the longest unused answers, never the keys
 * partners are calling with. `clock` (milliseconds) is for tests.
 */
export function cachedApiKeyLookup(options: {
  cacheSeconds: number;
  credentialOf: (keyHash: string) => Promise<Credential | null>;
  clock?: () => number;
}): ApiKeyLookup {
  // lru-cache keeps no null: an unknown key is remembered as `{ identity: null }`.
  const cache =
    options.cacheSeconds > 0
      ? new LRUCache<string, { identity: Identity | null }>({
          max: API_KEYS_REMEMBERED,
          ttl: options.cacheSeconds * 1000,
          ...(options.clock ? { perf: { now: options.clock }, ttlResolution: 0 } : {}),
        })
      : null;
  return async (key) => {
    const hash = apiKeyHash(key);
    const cached = cache?.get(hash);
    if (cached) return cached.identity;
    const found = await options.credentialOf(hash);
    const identity: Identity | null = found && {
      subject: found.keyId,
      role: found.role,
      dealerId: found.dealerId,
      credential: `key:${found.keyId}`,
      operationsOnly: found.operationsOnly,
    };
    cache?.set(hash, { identity });
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
