/** The codes this subgraph refuses input with: the SDL's `PartnerErrorCode`. */
export type { PartnerErrorCode } from "../generated/graphql.js";
