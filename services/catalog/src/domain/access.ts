import type { Role } from "@aftersales/kit";

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
