/** The demo dataset: a deterministic world, and the seed that writes it through the gateway. */
export * from "./world.js";
export * from "./warranty.js";
export * from "./tickets/index.js";
export * from "./feedback.js";
export * from "./history.js";
export * from "./relationships.js";
export * from "./seed/index.js";
export * from "./once.js";
export { Random } from "./random.js";
