import { dealerScopeOf, type FieldPath, type Identity, type InputChecks, type Role } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";

/**
 * Product master data (SKUs, list prices, bills of materials, repair hours,
 * lifecycle and the parts guarantee of a discontinuation) is one catalog for
 * every dealer, and warranty and pricing rest on it: only ADMINs change it.
 * AGENTs use it every day but do not own it; widening this later is easy,
 * taking it back after wrong prices went out is not.
 */
export const MANAGES_PRODUCTS: readonly Role[] = ["ADMIN"];

/**
 * Who records what happens in the field (units registered, sold, delivered,
 * repaired; consumables sold; parts counted): staff for every dealer, a
 * DEALER for itself. ANALYSTs read and never write.
 */
export const RECORDS_FIELD_EVENTS: readonly Role[] = ["ADMIN", "AGENT", "DEALER"];

/**
 * Refuses a dealer (or service center) id a DEALER names that is not its own.
 * The dealer directory is public, so saying so reveals nothing; other roles
 * act for any dealer.
 */
export function checkOwnDealer(
  checks: InputChecks<CatalogErrorCode>,
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
 * The dealer a registration or sale is booked to: the one given (a DEALER
 * may give only itself), or, left out, the caller's own dealer; only a
 * DEALER has one, so other roles must name it. Returns the trimmed id.
 */
export function dealerToBook(
  checks: InputChecks<CatalogErrorCode>,
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
