import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, LimitCode, memoryRateLimiter } from "../../src/limits/index.js";
import { limitedServer, run } from "./support.js";

const customers = (first: number) => `{ customers(first: ${first}) { edges { node { name } } } }`; // 2 + 2 × first

describe("limitsPlugin", () => {
  it("refuses an operation that costs more than maxCost, before it runs", async () => {
    // given
    const server = await limitedServer({ settings: { ...DEFAULT_LIMITS, maxCost: 202 } });

    // when
    const atLimit = await run(server, customers(100));
    const overLimit = await run(server, `query ($n: Int) { customers(first: $n) { edges { node { name email } } } }`, { n: 100 });

    // then
    expect(atLimit.executed).toBe(true);
    expect(overLimit).toMatchObject({
      executed: false,
      status: 400,
      codes: [LimitCode.QUERY_TOO_COSTLY],
      errors: [{ message: expect.stringContaining("Query cost of 302 exceeds the limit of 202") }],
    });
  });

  it("takes each operation's cost from its credential's budget, answering 429 with Retry-After when it is spent", async () => {
    // given a budget of 100 per minute, 12.5 s into the minute
    const limiter = memoryRateLimiter({ now: () => 10 * 60_000 + 12_500 });
    const server = await limitedServer({ settings: { ...DEFAULT_LIMITS, costPerMinute: 100 }, limiter });

    // when
    const spending = [await run(server, customers(20)), await run(server, customers(20))]; // 42 + 42
    const refused = await run(server, customers(20)); // 126 > 100: refused, spends nothing
    const exactlyTheRest = await run(server, customers(7)); // 16: 100 in all
    const otherCredential = await run(server, customers(20), {}, "dealer-2");
    const anonymous = await run(server, customers(20), {}, null);

    // then
    expect(spending.map((r) => r.executed)).toEqual([true, true]);
    expect(refused.executed).toBe(false);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("48");
    expect(refused.errors).toEqual([
      {
        message: "Rate limit of 100 query cost points per minute reached for this credential; retry in 48 s.",
        extensions: { code: LimitCode.RATE_LIMITED, retryAfterSeconds: 48 },
      },
    ]);
    expect(exactlyTheRest.executed).toBe(true);
    expect((await run(server, customers(0))).codes).toEqual([LimitCode.RATE_LIMITED]);
    expect(otherCredential.executed).toBe(true);
    expect(anonymous.executed).toBe(true);
  });

  it("fails the request when the limiter fails", async () => {
    const broken = { take: () => Promise.reject(new Error("Redis is down")), close: async () => {} };
    const server = await limitedServer({ limiter: broken });
    expect((await run(server, customers(1))).codes).toEqual(["INTERNAL_SERVER_ERROR"]);
  });
});
