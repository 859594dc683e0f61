/**
 * Asks `ready` until it answers something other than undefined, sleeping 25
 * ms at first and twice as long after each try, up to 250 ms; gives up once
 * `timeoutMs` has passed. Events reach the other subgraphs within moments, so
 * the seed waits for them this way rather than for a fixed time.
 */
export async function poll<T>(ready: () => Promise<T | undefined>, timeoutMs: number): Promise<{ value: T | undefined; waitedMs: number }> {
  const started = performance.now();
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    const value = await ready();
    const waitedMs = Math.round(performance.now() - started);
    if (value !== undefined || waitedMs >= timeoutMs) return { value, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
