/**
 * Whether a caller confined to `dealerScope` (a DEALER's dealer; null for
 * staff, who act for every dealer) may act for `dealerId`.
 */
export function actsFor(dealerScope: string | null, dealerId: string): boolean {
  return dealerScope === null || dealerScope === dealerId;
}
