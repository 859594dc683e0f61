import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, LimitCode, memoryRateLimiter, requestRateLimit } from "../../src/limits/index.js";

describe("requestRateLimit", () => {
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    // given 2 requests a minute per credential, 12.5 s into the minute
    const app = express();
    app.use(
      requestRateLimit({
        limiter: memoryRateLimiter({ now: () => 10 * 60_000 + 12_500 }),
        settings: { ...DEFAULT_LIMITS, requestsPerMinute: 2 },
        credentialOf: (req) => req.get("x-credential") ?? null,
      }),
    );
    app.post("/graphql", (_req, res) => void res.json({ data: { ok: true } }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    close = () => server.close();
  });
  afterAll(() => close());

  const send = (credential?: string) => fetch(url, { method: "POST", headers: credential ? { "x-credential": credential } : {} });

  it("lets requests through up to the limit and answers the next with 429 and Retry-After", async () => {
    // when
    const allowed = [await send("dealer-1"), await send("dealer-1")];
    const refused = await send("dealer-1");

    // then
    expect(allowed.map((r) => r.status)).toEqual([200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("48");
    expect(await refused.json()).toEqual({
      errors: [
        {
          message: "Rate limit of 2 requests per minute reached for this credential; retry in 48 s.",
          extensions: { code: LimitCode.RATE_LIMITED, retryAfterSeconds: 48 },
        },
      ],
    });
    expect((await send("dealer-2")).status).toBe(200);
  });

  it("does not count requests without a credential", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});
