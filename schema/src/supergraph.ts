import { readFileSync } from "node:fs";
import { Kind, parse, type ConstValueNode } from "graphql";

/**
 * The committed supergraph and what the gateway reads from it. Nothing here
 * imports a subgraph: a gateway in production loads no subgraph code.
 */

export const SUPERGRAPH_FILE = new URL("../supergraph.graphql", import.meta.url);

export function readSupergraph(file: URL | string = SUPERGRAPH_FILE): string {
  return readFileSync(file, "utf8");
}

/** The subgraphs a supergraph was composed from, with the URLs it records (`@join__graph`). */
export function subgraphsIn(supergraphSdl: string): { name: string; url: string }[] {
  const graphs = parse(supergraphSdl).definitions.find(
    (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === "join__Graph",
  );
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error("The supergraph has no join__Graph enum.");
  const text = (value: ConstValueNode | undefined) => (value?.kind === Kind.STRING ? value.value : "");
  return (graphs.values ?? []).map((value) => {
    const args = value.directives?.find((d) => d.name.value === "join__graph")?.arguments ?? [];
    return {
      name: text(args.find((a) => a.name.value === "name")?.value),
      url: text(args.find((a) => a.name.value === "url")?.value),
    };
  });
}
