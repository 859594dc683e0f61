import { describe, expect, it } from "vitest";
import { cachedDealerCheck } from "../../src/auth/partners.js";

/** Partners as the cache sees it: the dealers it has, and how often it was asked about each. */
function partners() {
  const dealers = new Set<string>();
  const asked = new Map<string, number>();
  return {
    exists: async (dealerId: string) => {
      asked.set(dealerId, (asked.get(dealerId) ?? 0) + 1);
      // An answer takes a moment, so requests arriving together overlap.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return dealers.has(dealerId);
    },
    create: (dealerId: string) => dealers.add(dealerId),
    timesAsked: (dealerId: string) => asked.get(dealerId) ?? 0,
  };
}

describe("the known-dealer cache", () => {
  it("asks about a known dealer once, however many requests come, together or after", async () => {
    // given
    const known = partners();
    known.create("dlr_a");
    const exists = cachedDealerCheck({ cacheSeconds: 60, exists: known.exists });
    // when
    const together = await Promise.all(Array.from({ length: 5 }, () => exists("dlr_a")));
    const after = await exists("dlr_a");
    // then
    expect([...together, after]).toEqual([true, true, true, true, true, true]);
    expect(known.timesAsked("dlr_a")).toBe(1);
  });

  it("never remembers an unknown dealer, so one created a moment later is accepted at once", async () => {
    // given
    const known = partners();
    const exists = cachedDealerCheck({ cacheSeconds: 60, exists: known.exists });
    expect(await exists("dlr_new")).toBe(false);
    expect(await exists("dlr_new")).toBe(false);
    // when
    known.create("dlr_new");
    // then
    expect(await exists("dlr_new")).toBe(true);
    expect(known.timesAsked("dlr_new")).toBe(3);
  });

  it("asks again once the cache time has passed, and every time with no cache time", async () => {
    // given
    let now = 1_000_000;
    const known = partners();
    known.create("dlr_a");
    const exists = cachedDealerCheck({ cacheSeconds: 10, exists: known.exists, clock: () => now });
    await exists("dlr_a");
    // when
    now += 9_000;
    await exists("dlr_a");
    now += 2_000;
    await exists("dlr_a");
    // then
    expect(known.timesAsked("dlr_a")).toBe(2);
    const uncached = cachedDealerCheck({ cacheSeconds: 0, exists: known.exists });
    await uncached("dlr_a");
    await uncached("dlr_a");
    expect(known.timesAsked("dlr_a")).toBe(4);
  });
});
