import { Refusal, userError } from "./errors.js";
import { inputHash } from "./hashes.js";

/**
 * A repeated call with the same idempotency key: the first result when the
 * input is the same (a retry after a lost answer), a refusal when it is not
 * (a key reused by mistake would otherwise hide the second request). The
 * subgraph's error enum carries `IDEMPOTENCY_KEY_REUSED`.
 */
export function replayOf<Row extends { inputHash: string | null }>(earlier: Row | null, input: object): Row | null {
  if (!earlier) return null;
  if (earlier.inputHash === inputHash(input)) return earlier;
  throw new Refusal([
    userError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used before with another input; use a new key for a new request.", ["idempotencyKey"]),
  ]);
}
