import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { selects } from "../src/selection.js";

/** The resolve info of the operation's first root field, as far as `selects` reads it. */
function infoOf(document: string) {
  const definitions = parse(document).definitions;
  const operation = definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
  const fragments = Object.fromEntries(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((fragment) => [fragment.name.value, fragment]),
  );
  const [root] = operation.selectionSet.selections;
  if (root?.kind !== "Field") throw new Error("the operation starts with a field");
  return { fieldNodes: [root], fragments };
}

const PRODUCT = ["edges", "node", "product"];

describe("selects", () => {
  it.each([
    ["written out", "{ units { edges { node { id product { name } } } } }", true],
    ["in an inline fragment", "{ units { edges { node { ... on Unit { product { name } } } } } }", true],
    ["in a named fragment", "{ units { edges { ...edge } } } fragment edge on UnitEdge { node { product { id } } }", true],
    ["under an alias", "{ units { edges { node { made: product { id } } } } }", true],
    ["not asked for", "{ units { edges { node { id serialNumber } } } }", false],
    ["elsewhere in the answer", "{ units { pageInfo { hasNextPage } edges { cursor } } }", false],
  ])("finds a field %s", (_, document, expected) => {
    expect(selects(infoOf(document), PRODUCT)).toBe(expected);
  });
});
