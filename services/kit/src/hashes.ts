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
