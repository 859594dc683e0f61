import { composeServices } from "@apollo/composition";
import type { Subgraph } from "@aftersales/kit";
import { subgraphs } from "./subgraphs.js";

export { eventConsumers, producers, subgraphs, type EventConsumer } from "./subgraphs.js";
export * from "./supergraph.js";
export * from "@aftersales/events";

/** Where a subgraph listens when run with its defaults; the supergraph records these URLs. */
export const defaultUrlOf = (subgraph: Subgraph) => `http://localhost:${subgraph.defaultPort}/graphql`;

/**
 * Composition hints we have read and accept, by code, with the reason. Any
 * other hint fails the check: hints point at schemas that compose but may not
 * mean what their authors think.
 */
export const ACCEPTED_HINTS: Record<string, string> = {};

export interface Composition {
  supergraphSdl: string | null;
  errors: string[];
  /** Hints not in ACCEPTED_HINTS. */
  hints: string[];
}

export function compose(list: readonly Subgraph[] = subgraphs): Composition {
  const result = composeServices(list.map((subgraph) => ({ name: subgraph.name, url: defaultUrlOf(subgraph), typeDefs: subgraph.typeDefs })));
  const hints = (result.hints ?? []).filter((hint) => !(hint.definition.code in ACCEPTED_HINTS)).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) {
    return { supergraphSdl: null, errors: result.errors.map((e) => e.message), hints };
  }
  return { supergraphSdl: `${result.supergraphSdl.trim()}\n`, errors: [], hints };
}
