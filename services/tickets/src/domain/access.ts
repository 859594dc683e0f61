import type { Role } from "@aftersales/kit";

/** Who opens and works tickets: staff for every dealer, a DEALER for its own customers. ANALYSTs read only. */
export const WORKS_TICKETS: readonly Role[] = ["ADMIN", "AGENT", "DEALER"];
