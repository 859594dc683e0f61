import { apiKeyHash, type Identity, type IdentitySigner, type Role } from "@aftersales/kit";
import { LRUCache } from "lru-cache";
import { askSubgraph } from "../subgraphs.js";
import type { ApiKeyLookup, DealerCheck } from "./credentials.js";

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
export function partnersApiKeyLookup(options: { url: string; identitySigner: IdentitySigner; cacheSeconds: number }): ApiKeyLookup {
  return cachedApiKeyLookup({
    cacheSeconds: options.cacheSeconds,
    async credentialOf(keyHash) {
      const data = await askPartners<{ credentialForApiKey: Credential | null }>(
        options.url,
        await options.identitySigner.sign(GATEWAY),
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

/** Dealers remembered at most as known; the ones calling stay, the longest silent go first. */
const DEALERS_REMEMBERED = 10_000;

/**
 * Asks the partners subgraph whether a dealer exists, remembering the dealers
 * it knows for `cacheSeconds` (0: ask every time; dealers are never deleted,
 * so this only bounds what a long-running gateway keeps). A dealer it does
 * not know is never remembered: one created a moment ago is asked about
 * again, and accepted, on its very first request. Requests for one dealer
 * that arrive together share one question.
 */
export function partnersDealerCheck(options: { url: string; identitySigner: IdentitySigner; cacheSeconds: number }): DealerCheck {
  const exists = async (dealerId: string) => {
    const data = await askPartners<{ dealer: { id: string } | null }>(
      options.url,
      await options.identitySigner.sign(GATEWAY),
      `query DealerExists($id: ID!) { dealer(id: $id) { id } }`,
      { id: dealerId },
    );
    return data.dealer !== null;
  };
  return cachedDealerCheck({ cacheSeconds: options.cacheSeconds, exists });
}

/** Remembers the dealers `exists` knows (see partnersDealerCheck); `clock` (milliseconds) is for tests. */
export function cachedDealerCheck(options: { cacheSeconds: number; exists: (dealerId: string) => Promise<boolean>; clock?: () => number }): DealerCheck {
  if (options.cacheSeconds <= 0) return options.exists;
  // fetch() shares one call among concurrent misses of a key and stores nothing when it answers undefined.
  const known = new LRUCache<string, true>({
    max: DEALERS_REMEMBERED,
    ttl: options.cacheSeconds * 1000,
    ...(options.clock ? { perf: { now: options.clock }, ttlResolution: 0 } : {}),
    fetchMethod: async (dealerId) => ((await options.exists(dealerId)) ? true : undefined),
  });
  return async (dealerId) => (await known.fetch(dealerId)) === true;
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
