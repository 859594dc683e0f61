import { apiKeyHash } from "@aftersales/kit";
import { describe, expect, it } from "vitest";
import { cachedApiKeyLookup, type Credential } from "../../src/auth/partners.js";

/**
 * Partners as the cache sees it: the keys it knows, by hash, and how often
 * it was asked about each, so a test sees which lookups the cache answered.
 */
function partners() {
  const keys = new Map<string, Credential>();
  const asked = new Map<string, number>();
  return {
    credentialOf: async (keyHash: string) => {
      asked.set(keyHash, (asked.get(keyHash) ?? 0) + 1);
      return keys.get(keyHash) ?? null;
    },
    issue(name: string): string {
      const key = `ask_${name}`;
      keys.set(apiKeyHash(key), { keyId: `key_${name}`, role: "DEALER", dealerId: "dlr_01JD3Q8W2K4M6P8R0T2V4X6Z8B", operationsOnly: true });
      return key;
    },
    revoke: (key: string) => keys.delete(apiKeyHash(key)),
    timesAsked: (key: string) => asked.get(apiKeyHash(key)) ?? 0,
  };
}

describe("the API-key cache", () => {
  it("keeps a key in use while a flood of unknown keys passes through", async () => {
    // given a partner's key in use, looked up once
    const known = partners();
    const lookup = cachedApiKeyLookup({ cacheSeconds: 60, credentialOf: known.credentialOf });
    const key = known.issue("in-use");
    expect(await lookup(key)).toMatchObject({ subject: "key_in-use", role: "DEALER", credential: "key:key_in-use" });
    // when more than ten thousand unknown keys are tried while the partner keeps calling
    for (let batch = 0; batch < 11; batch++) {
      for (let i = 0; i < 1000; i++) expect(await lookup(`ask_guess-${batch}-${i}`)).toBeNull();
      expect(await lookup(key)).toMatchObject({ subject: "key_in-use" });
    }
    // then partners was asked about the key once: the guesses pushed out only each other
    expect(known.timesAsked(key)).toBe(1);
    expect(known.timesAsked("ask_guess-10-999")).toBe(1);
    // and the oldest guess was forgotten, so memory stays bounded
    await lookup("ask_guess-0-0");
    expect(known.timesAsked("ask_guess-0-0")).toBe(2);
  });

  it("answers a revoked key as unknown once the cache time has passed, and not before", async () => {
    // given a key looked up with a cache time of 10 seconds
    let now = 1_000_000;
    const known = partners();
    const lookup = cachedApiKeyLookup({ cacheSeconds: 10, credentialOf: known.credentialOf, clock: () => now });
    const key = known.issue("revoked");
    expect(await lookup(key)).not.toBeNull();
    // when it is revoked
    known.revoke(key);
    // then it works for the cache time, and not past it
    now += 10_000;
    expect(await lookup(key)).not.toBeNull();
    now += 1;
    expect(await lookup(key)).toBeNull();
    expect(known.timesAsked(key)).toBe(2);
  });

  it("asks every time when the cache time is 0", async () => {
    const known = partners();
    const lookup = cachedApiKeyLookup({ cacheSeconds: 0, credentialOf: known.credentialOf });
    const key = known.issue("uncached");
    await lookup(key);
    await lookup(key);
    expect(known.timesAsked(key)).toBe(2);
  });
});
