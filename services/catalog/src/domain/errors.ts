/** The codes this subgraph refuses input with: the SDL's `CatalogErrorCode`. */
export type { CatalogErrorCode } from "../generated/graphql.js";
