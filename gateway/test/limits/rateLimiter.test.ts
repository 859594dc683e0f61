import { describe, expect, it } from "vitest";
import { memoryRateLimiter } from "../../src/limits/index.js";

/** A clock the test moves by hand, starting 12.5 s into a minute. */
function clock(start = 10 * 60_000 + 12_500) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe("memoryRateLimiter", () => {
  it("allows up to the limit in a window and refuses the next, until the window ends", async () => {
    // given
    const time = clock();
    const limiter = memoryRateLimiter(time);

    // when
    const first = await limiter.take("dealer-1", 2, 3);
    const last = await limiter.take("dealer-1", 1, 3);
    const refused = await limiter.take("dealer-1", 1, 3);

    // then
    expect(first).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1 });
    expect(last).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 48, remaining: 0 }); // 47.5 s rounded up
  });

  it("does not spend the budget on a refused take", async () => {
    const limiter = memoryRateLimiter(clock());
    await limiter.take("dealer-1", 8, 10);
    expect((await limiter.take("dealer-1", 5, 10)).allowed).toBe(false);
    expect(await limiter.take("dealer-1", 2, 10)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("says retry in at least 1 s in the window's last moments", async () => {
    const time = clock(11 * 60_000 - 200);
    const limiter = memoryRateLimiter(time);
    await limiter.take("k", 1, 1);
    expect(await limiter.take("k", 1, 1)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it("allows again in the next window", async () => {
    const time = clock();
    const limiter = memoryRateLimiter(time);
    await limiter.take("dealer-1", 1, 1);
    time.advance(47_500);
    expect((await limiter.take("dealer-1", 1, 1)).allowed).toBe(true);
  });

  it("keeps keys independent", async () => {
    const limiter = memoryRateLimiter(clock());
    await limiter.take("dealer-1", 1, 1);
    expect((await limiter.take("dealer-2", 1, 1)).allowed).toBe(true);
    expect((await limiter.take("dealer-1", 1, 1)).allowed).toBe(false);
  });

  it("forgets past windows' keys", async () => {
    const time = clock();
    const limiter = memoryRateLimiter(time);
    for (let i = 0; i < 100; i++) await limiter.take(`dealer-${i}`, 1, 10);
    time.advance(60_000);
    await limiter.take("dealer-0", 1, 10);
    expect(limiter.size()).toBe(1);
  });

  it("never allows a take larger than the whole limit", async () => {
    const limiter = memoryRateLimiter(clock());
    expect((await limiter.take("k", 11, 10)).allowed).toBe(false);
  });
});
