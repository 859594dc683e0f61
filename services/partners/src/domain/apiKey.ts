import { randomBytes } from "node:crypto";
import { apiKeyHash, InputChecks, type Role } from "@aftersales/kit";
import type { PartnerErrorCode } from "./errors.js";

/** What an ADMIN asks for when creating an API key. */
export interface ApiKeyDraft {
  name: string;
  role: Role;
  dealerId: string | null;
  operationsOnly: boolean;
  expiresAt: Date | null;
}

export type CheckedApiKey = ApiKeyDraft;

/**
 * Checks a new API key. A DEALER key acts for exactly one dealer, which must
 * exist; a key of any other role acts for none (as a token of that role
 * would). `dealerExists` says whether `dealerId` names a dealer.
 */
export function checkApiKey(draft: ApiKeyDraft, dealerExists: boolean, now: Date, checks = new InputChecks<PartnerErrorCode>()): CheckedApiKey {
  const name = checks.text(draft.name, ["name"], 100);
  const dealerId = draft.dealerId?.trim() || null;
  if (draft.role === "DEALER") {
    if (!dealerId) checks.add("REQUIRED", "A DEALER key must name the dealer it acts for in `dealerId`.", ["dealerId"]);
    else if (!dealerExists) checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${dealerId}\`.`, ["dealerId"]);
  } else if (dealerId) {
    checks.add("DEALER_NOT_ALLOWED", `Only a DEALER key names a dealer; a ${draft.role} key acts for none. Leave \`dealerId\` out.`, ["dealerId"]);
  }
  if (draft.expiresAt && draft.expiresAt.getTime() <= now.getTime()) {
    checks.add("EXPIRY_IN_PAST", `The key would expire at ${draft.expiresAt.toISOString()}, which has passed.`, ["expiresAt"]);
  }
  checks.refuseIfAny();
  return { name, role: draft.role, dealerId, operationsOnly: draft.operationsOnly, expiresAt: draft.expiresAt };
}

/** Every key starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const API_KEY_PREFIX = "ask_";

/** How much of a key is kept to tell keys apart: the prefix and six random characters (36 of its 256 bits). */
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 6;

/** A new key: shown to its creator once, stored only as its hash and a short prefix. */
export function newApiKey(): { key: string; keyHash: string; keyPrefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, keyHash: apiKeyHash(key), keyPrefix: key.slice(0, DISPLAY_LENGTH) };
}
