import type { Role } from "@aftersales/kit";

/** Who opens and works tickets: staff for every dealer, a DEALER for its own customers. ANALYSTs read only. */
export const WORKS_TICKETS: readonly Role[] = ["ADMIN", "AGENT", "DEALER"];

/** Who runs the jobs over every dealer's tickets. */
export const STAFF: readonly Role[] = ["ADMIN", "AGENT"];
