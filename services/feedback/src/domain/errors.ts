/** The codes this subgraph refuses input with: the SDL's `FeedbackErrorCode`. */
export type { FeedbackErrorCode } from "../generated/graphql.js";
