/** How long a wait keeps polling before it gives up, unless told otherwise: generous, for a busy machine. */
export const DEFAULT_WAIT_MS = 60_000;

export interface WaitOptions {
  /** How long to keep polling before giving up (default DEFAULT_WAIT_MS). */
  timeoutMs?: number;
  /** Pause between polls (default 20 ms). */
  intervalMs?: number;
}

/** A wait gave up: says what it waited for and how things stood at the last look. */
export class WaitTimedOut extends Error {
  override readonly name = "WaitTimedOut";
}

/**
 * Polls `check` until it answers true, and gives up after a deadline with an
 * error naming `what` it waited for. `check` may answer a string instead of
 * false, saying what is still missing; the error repeats the last one. An
 * error thrown by `check` ends the wait at once.
 */
export async function waitUntil(what: string, check: () => boolean | string | Promise<boolean | string>, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer === true) return;
    if (Date.now() >= deadline) {
      const state = typeof answer === "string" && answer ? `: ${answer}` : "";
      throw new WaitTimedOut(`Gave up after ${timeoutMs / 1000} s waiting until ${what}${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
