import type { Role } from "@aftersales/kit";

/** Who works a worklist: a DEALER its own, staff any dealer's. ANALYSTs read figures, never whom to call. */
export const WORKS_OUTREACH: readonly Role[] = ["DEALER", "AGENT", "ADMIN"];

/** Who reads outreach insights: figures without people, so ANALYSTs too; a DEALER its own. */
export const READS_INSIGHTS: readonly Role[] = ["DEALER", "AGENT", "ANALYST", "ADMIN"];
