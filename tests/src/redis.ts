import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** Where the tests find Redis (CI's `.ci/run` sets TEST_REDIS_URL and fails when none answers). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** CI as kit's test database sees it: set and not "0"/"false". */
const inCi = () => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && !["0", "false"].includes(ci);
};

/**
 * Whether tests that need Redis should run: true when it answers; false when
 * it does not and this is a developer's machine (they are skipped); throws on
 * CI, where a missing Redis must fail the run rather than skip its tests.
 */
export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    if (inCi()) throw new Error(`CI runs the Redis rate-limit tests: no Redis answers at ${url} (${String(error)}).`);
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A key prefix no other test run uses. */
export const uniquePrefix = (what: string) => `test:${what}:${Date.now().toString(36)}:${randomBytes(4).toString("hex")}:`;

/** Deletes every key under `prefix`. */
export async function deleteKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 100);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    await redis.quit();
  }
}

/** How many keys exist under `prefix`. */
export async function countKeys(prefix: string, url = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return (await redis.keys(`${prefix}*`)).length;
  } finally {
    await redis.quit();
  }
}
