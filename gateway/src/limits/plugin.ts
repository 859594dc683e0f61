import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { estimateCost } from "./cost.js";
import { queryTooCostly, rateLimitExceeded } from "./errors.js";
import type { RateLimiter } from "./rateLimiter.js";
import type { LimitSettings } from "./settings.js";

export interface LimitsPluginOptions<TContext extends BaseContext> {
  settings: LimitSettings;
  limiter: RateLimiter;
  /** Whose budget pays; null (nobody identified) skips the per-minute budget, not the per-operation limit. */
  credentialOf: (contextValue: TContext) => string | null;
}

/**
 * Refuses an operation whose estimated cost is over `maxCost` (QUERY_TOO_COSTLY,
 * HTTP 400), then takes its cost from the credential's per-minute budget
 * (RATE_LIMITED, HTTP 429 with Retry-After). It runs once the operation is
 * known and before anything executes, so a refused operation costs the
 * subgraphs nothing. A failing limiter (Redis down) fails the request.
 */
export function limitsPlugin<TContext extends BaseContext>(options: LimitsPluginOptions<TContext>): ApolloServerPlugin<TContext> {
  const { settings, limiter, credentialOf } = options;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          const cost = estimateCost(schema, document, operationName, request.variables ?? {});
          if (cost > settings.maxCost) throw queryTooCostly(cost, settings.maxCost);
          const credential = credentialOf(contextValue);
          if (credential === null) return;
          const taken = await limiter.take(`cost:${credential}`, cost, settings.costPerMinute);
          if (!taken.allowed) throw rateLimitExceeded("cost", settings.costPerMinute, taken.retryAfterSeconds);
        },
      };
    },
  };
}
