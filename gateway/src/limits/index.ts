/** Query limits and rate limiting for the gateway; see each module for the reasons behind the numbers. */
export { armorFor } from "./armor.js";
export { estimateCost, LIST_FACTOR } from "./cost.js";
export { LimitCode, QueryLimitError, queryTooCostly, rateLimitExceeded } from "./errors.js";
export { requestRateLimit, type RequestRateLimitOptions } from "./middleware.js";
export { limitsPlugin, type LimitsPluginOptions } from "./plugin.js";
export { memoryRateLimiter, type RateLimiter, type RateLimitTake } from "./rateLimiter.js";
export { redisRateLimiter, type RedisRateLimiterOptions } from "./redisRateLimiter.js";
export { DEFAULT_LIMITS, limitSettingsOf, limitsEnv, type LimitSettings, type LimitsEnv } from "./settings.js";
