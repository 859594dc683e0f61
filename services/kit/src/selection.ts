import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * Whether the operation selects the field at `path` below the field being
 * resolved (`["edges", "node", "product"]` below a list of units), through
 * fragments too: a store can then read what the answer will need in the same
 * statement as the rows themselves, instead of a loader sending a statement
 * of its own after them. A field that `@skip` or `@include` leaves out still
 * counts as selected: reading it anyway costs a little, never a wrong answer.
 */
export function selects(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, path: readonly string[]): boolean {
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && selectsIn(node.selectionSet, path, info.fragments));
}

function selectsIn(set: SelectionSetNode, path: readonly string[], fragments: Record<string, FragmentDefinitionNode>): boolean {
  const [name, ...rest] = path;
  if (name === undefined) return true;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== name) continue;
      if (rest.length === 0) return true;
      if (selection.selectionSet && selectsIn(selection.selectionSet, rest, fragments)) return true;
    } else {
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
      if (inner && selectsIn(inner, path, fragments)) return true;
    }
  }
  return false;
}
