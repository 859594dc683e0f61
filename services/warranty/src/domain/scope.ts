import { dealerScopeOf, type Identity } from "@aftersales/kit";

/**
 * A row locked for a change, as the caller may see it: another dealer's is
 * null, exactly like a missing one (row-level security hides it too; this
 * keeps the store honest without relying on it alone).
 */
export function inCallersScope<Row extends { dealerId: string }>(row: Row | null, identity: Identity): Row | null {
  const own = dealerScopeOf(identity);
  return row && (own === null || row.dealerId === own) ? row : null;
}
