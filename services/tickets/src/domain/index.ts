/**
 * The tickets rules, with no database and no GraphQL: what the subgraph
 * decides, for code that must predict its decisions (the demo world).
 */
export { decideDispatch, needsVisit, type DispatchDecision } from "./dispatch.js";
export { OPEN_STATUSES, STATUSES, type TicketStatus } from "./lifecycle.js";
export { SLA_SOURCES, type SlaSource } from "./slaPolicy.js";
export type { Priority, TicketChannel, TicketKind } from "./ticket.js";
