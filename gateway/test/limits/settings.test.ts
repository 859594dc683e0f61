import { ConfigError } from "@aftersales/kit";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, limitSettingsOf, limitsEnv } from "../../src/limits/index.js";

const config = z.object({ PORT: z.coerce.number().default(4000), ...limitsEnv });

describe("limit settings from the environment", () => {
  it("default to DEFAULT_LIMITS", () => {
    expect(limitSettingsOf(config.parse({}))).toEqual(DEFAULT_LIMITS);
  });

  it("read every variable", () => {
    const settings = limitSettingsOf(
      config.parse({
        LIMIT_MAX_DEPTH: "5",
        LIMIT_MAX_ALIASES: "6",
        LIMIT_MAX_TOKENS: "700",
        LIMIT_MAX_DIRECTIVES: "8",
        LIMIT_MAX_COST: "900",
        RATE_LIMIT_REQUESTS_PER_MINUTE: "60",
        RATE_LIMIT_COST_PER_MINUTE: "1000",
      }),
    );
    expect(settings).toEqual({
      maxDepth: 5,
      maxAliases: 6,
      maxTokens: 700,
      maxDirectives: 8,
      maxCost: 900,
      requestsPerMinute: 60,
      costPerMinute: 1000,
    });
  });

  it("refuse what is not a positive whole number", () => {
    const result = config.safeParse({ LIMIT_MAX_DEPTH: "deep", RATE_LIMIT_COST_PER_MINUTE: "0" });
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["LIMIT_MAX_DEPTH", "RATE_LIMIT_COST_PER_MINUTE"]);
  });

  it("refuse a cost limit that the per-minute budget could never pay", () => {
    expect(() => limitSettingsOf(config.parse({ LIMIT_MAX_COST: "2000", RATE_LIMIT_COST_PER_MINUTE: "1000" }))).toThrow(ConfigError);
  });
});
