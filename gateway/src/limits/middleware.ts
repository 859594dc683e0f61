import { sendGraphQLError } from "@aftersales/kit";
import type express from "express";
import { rateLimitExceeded } from "./errors.js";
import type { RateLimiter } from "./rateLimiter.js";
import type { LimitSettings } from "./settings.js";

export interface RequestRateLimitOptions {
  limiter: RateLimiter;
  settings: LimitSettings;
  /** Whose budget pays; null lets the request through uncounted (e.g. it is refused later as unauthenticated). */
  credentialOf: (req: express.Request, res: express.Response) => string | null;
}

/**
 * Counts one request per credential per minute before GraphQL sees it, and
 * answers HTTP 429 with Retry-After and a GraphQL error body when the budget
 * is spent. A failing limiter (Redis down) is passed to express as an error.
 */
export function requestRateLimit(options: RequestRateLimitOptions): express.RequestHandler {
  const { limiter, settings, credentialOf } = options;
  return async (req, res, next) => {
    const credential = credentialOf(req, res);
    if (credential === null) return next();
    const taken = await limiter.take(`requests:${credential}`, 1, settings.requestsPerMinute);
    if (taken.allowed) return next();
    sendGraphQLError(res, rateLimitExceeded("requests", settings.requestsPerMinute, taken.retryAfterSeconds));
  };
}
