/** The codes this subgraph refuses input with: the SDL's `OutreachErrorCode`. */
export type { OutreachErrorCode } from "../generated/graphql.js";
