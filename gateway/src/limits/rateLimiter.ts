/**
 * Fixed one-minute windows per key: a budget of `limitPerMinute` that resets
 * when the wall clock's minute changes (window = floor(now / 60 000)).
 * A refused take consumes nothing, so a client that keeps retrying too early
 * does not push its own recovery further out. A take larger than the whole
 * limit is never allowed.
 */
export interface RateLimiter {
  take(key: string, amount: number, limitPerMinute: number): Promise<RateLimitTake>;
  /** Throws when the counters cannot be reached (Redis down): the gateway is then not ready. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitTake {
  allowed: boolean;
  /** Whole seconds until the window ends, at least 1, when refused; 0 when allowed. */
  retryAfterSeconds: number;
  /** What is left of the budget in this window after this take. */
  remaining: number;
}

export const WINDOW_MS = 60_000;

export const windowOf = (time: number): number => Math.floor(time / WINDOW_MS);

/** The answer to a take, given what the window had used before it. */
export function decide(time: number, usedBefore: number, amount: number, limit: number): RateLimitTake {
  if (usedBefore + amount > limit) {
    const windowEnd = (windowOf(time) + 1) * WINDOW_MS;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - time) / 1000));
    return { allowed: false, retryAfterSeconds, remaining: Math.max(0, limit - usedBefore) };
  }
  return { allowed: true, retryAfterSeconds: 0, remaining: limit - usedBefore - amount };
}

/** One process's counters: for a single gateway, development and tests. */
export function memoryRateLimiter(options: { now?: () => number } = {}): RateLimiter & { size(): number } {
  const now = options.now ?? Date.now;
  const counters = new Map<string, { window: number; used: number }>();
  let prunedWindow = Number.NEGATIVE_INFINITY;
  return {
    async take(key, amount, limitPerMinute) {
      const time = now();
      const window = windowOf(time);
      // Once per window, forget the keys of past windows: one entry per active credential.
      if (window !== prunedWindow) {
        for (const [k, counter] of counters) if (counter.window < window) counters.delete(k);
        prunedWindow = window;
      }
      const counter = counters.get(key);
      const used = counter?.window === window ? counter.used : 0;
      const result = decide(time, used, amount, limitPerMinute);
      if (result.allowed) counters.set(key, { window, used: used + amount });
      return result;
    },
    async close() {
      counters.clear();
    },
    /** Keys held: those used in the current window (and the last one, until the next take). */
    size: () => counters.size,
  };
}
