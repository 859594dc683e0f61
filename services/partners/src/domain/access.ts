import type { Role } from "@aftersales/kit";

/** Who registers and changes webhook endpoints: ADMINs for any dealer, a DEALER for itself. */
export const MANAGES_WEBHOOKS: readonly Role[] = ["ADMIN", "DEALER"];

/**
 * Who reads endpoints and their deliveries: also AGENTs, who help partners
 * with their integrations. ANALYSTs work with figures, not integrations.
 */
export const READS_WEBHOOKS: readonly Role[] = ["ADMIN", "AGENT", "DEALER"];
