import type { Role } from "@aftersales/kit";

/**
 * Warranty terms and contract plans are what the maker promises every
 * customer and what claims are paid by: only ADMINs change them.
 */
export const MANAGES_TERMS: readonly Role[] = ["ADMIN"];

/** Who sells contracts and books visits: staff for any dealer, a DEALER for itself. */
export const SERVES_CUSTOMERS: readonly Role[] = ["ADMIN", "AGENT", "DEALER"];

/** Who runs the daily maintenance planning (a scheduler with a staff credential). */
export const RUNS_PLANNING: readonly Role[] = ["ADMIN", "AGENT"];
