/** The codes this subgraph refuses input with: the SDL's `WarrantyErrorCode`. */
export type { WarrantyErrorCode } from "../generated/graphql.js";
