/** The codes this subgraph refuses input with: the SDL's `TicketErrorCode`. */
export type { TicketErrorCode } from "../generated/graphql.js";
