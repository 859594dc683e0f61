import { dealerScopeOf, type Identity } from "./identity.js";
import type { FieldPath, InputChecks } from "./validate.js";

/**
 * Refuses a dealer (or service center) id a DEALER names that is not its own.
 * The dealer directory is public, so saying so reveals nothing; other roles
 * act for any dealer. The subgraph's error enum carries `NOT_YOUR_DEALER`.
 */
export function checkOwnDealer<Code extends string>(
  checks: InputChecks<Code | "NOT_YOUR_DEALER">,
  identity: Identity,
  dealerId: string,
  field: FieldPath,
): void {
  const own = dealerScopeOf(identity);
  if (own !== null && dealerId && dealerId !== own) {
    checks.add("NOT_YOUR_DEALER", `You act for the dealer \`${own}\`; \`${dealerId}\` is another one.`, field);
  }
}

/**
 * The dealer a record is booked to: the one given (a DEALER may give only
 * itself), or, left out, the caller's own dealer; only a DEALER has one, so
 * other roles must name it. Returns the trimmed id.
 */
export function dealerToBook<Code extends string>(
  checks: InputChecks<Code | "NOT_YOUR_DEALER">,
  identity: Identity,
  given: string | null | undefined,
  field: FieldPath,
): string {
  if (given === null || given === undefined) {
    const own = dealerScopeOf(identity);
    if (own !== null) return own;
    checks.add("REQUIRED", "Name the dealer; only a DEALER may leave it out, for itself.", field);
    return "";
  }
  const dealerId = checks.text(given, field, 64);
  checkOwnDealer(checks, identity, dealerId, field);
  return dealerId;
}
