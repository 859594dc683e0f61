import { createHash } from "node:crypto";

/**
 * Hashes the gateway and the partners subgraph must agree on: one computes
 * them from what a client sends, the other from what it stored.
 */

/**
 * How an API key is stored and looked up. Keys are long and random, so a
 * plain SHA-256 is as strong as a slow hash and costs nothing per request.
 */
export function apiKeyHash(key: string): string {
  return sha256Hex(key);
}

/** A registered operation's id: SHA-256 of the document's exact text (no normalization: the client hashes what it sends). */
export function operationHash(document: string): string {
  return sha256Hex(document);
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * What an idempotency key remembers of a mutation's input: SHA-256 of its
 * JSON with keys sorted and the key itself left out, so the same input sent
 * with its fields in another order is still the same input. A field given
 * as null counts as left out, as GraphQL treats an optional one.
 */
export function inputHash(input: object): string {
  const { idempotencyKey: _key, ...request } = input as { idempotencyKey?: unknown };
  return sha256Hex(JSON.stringify(canonical(request)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
