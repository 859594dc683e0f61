import { Redis } from "ioredis";
import { decide, WINDOW_MS, windowOf, type RateLimiter } from "./rateLimiter.js";

export interface RedisRateLimiterOptions {
  /** `redis://[user:password@]host:port[/db]` */
  url: string;
  /** Prepended to every key; replicas sharing a budget must share it. */
  prefix?: string;
  now?: () => number;
  /** Connection errors as they happen (each failed take also rejects with one); ioredis prints them when absent. */
  onError?: (error: Error) => void;
}

/**
 * Check and take in one step on the server, so that replicas taking at the
 * same moment cannot both see room for one more. Refused takes write nothing.
 * Returns what was used before; `decide` makes the same comparison to answer.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return used end
redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return used`;

// A window's key outlives its minute a little, for replicas whose clocks lag.
const KEY_TTL_MS = 2 * WINDOW_MS;

/**
 * Counters in Redis under `${prefix}${key}:${window}`, shared by every gateway
 * replica. When Redis cannot be reached, takes reject (the request fails)
 * rather than letting everything through: a limiter that silently stops
 * limiting is found out by the next abuse, not by monitoring.
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const prefix = options.prefix ?? "ratelimit:";
  const now = options.now ?? Date.now;
  const redis = new Redis(options.url, {
    // A dead or hung Redis costs a request about a second, not a hang.
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 1,
  });
  if (options.onError) redis.on("error", options.onError);
  return {
    async take(key, amount, limitPerMinute) {
      const time = now();
      const used = await redis.eval(TAKE, 1, `${prefix}${key}:${windowOf(time)}`, amount, limitPerMinute, KEY_TTL_MS);
      if (typeof used !== "number") throw new Error(`Unexpected rate limit reply from Redis: ${String(used)}`);
      return decide(time, used, amount, limitPerMinute);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      if (redis.status === "ready") await redis.quit();
      else redis.disconnect();
    },
  };
}
