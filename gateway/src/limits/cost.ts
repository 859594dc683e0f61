import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@aftersales/kit";
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/** What a list without a `first` argument (a BOM, a unit's events) is assumed to hold. */
export const LIST_FACTOR = 10;

/**
 * An upper-bound estimate of the fields an operation resolves, known before
 * anything runs. Every field costs 1, and its selection is counted once per
 * item the field may return:
 * - a field with a `first` argument is a connection page: its list fields
 *   (`edges`, `nodes`) count `first` items (from a literal or a variable,
 *   20 when absent, at most 100 because the subgraphs refuse more), and
 *   `pageInfo` counts once;
 * - any other list counts `LIST_FACTOR` items.
 * `__typename` and introspection (`__schema`, `__type`) are free; `@skip` and
 * `@include` are ignored (fields count as included); both branches of a type
 * condition count. Fields the schema lacks count 1 (validation refuses them).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0; // nothing will run; execution says why
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const variableDefaults = new Map(operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]));
  // A fragment spread twice per level doubles per level: remember each one's cost.
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const pageSize = (field: FieldNode, first: GraphQLArgument): number => {
    const value = field.arguments?.find((a) => a.name.value === "first")?.value;
    const given = value ? intOf(value) : typeof first.defaultValue === "number" ? first.defaultValue : undefined;
    return Math.min(Math.max(given ?? DEFAULT_PAGE_SIZE, 0), MAX_PAGE_SIZE);
  };
  const intOf = (value: ValueNode): number | undefined => {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind !== Kind.VARIABLE) return undefined;
    const name = value.name.value;
    const given = variables[name];
    if (typeof given === "number" && Number.isFinite(given)) return given;
    const fallback = variableDefaults.get(name);
    return fallback && given === undefined ? intOf(fallback) : undefined;
  };

  /** `page`: the item count for list fields directly under a connection. */
  const costOf = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, page: number | undefined): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, type, page);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (isCompositeType(condition)) total += costOf(selection.selectionSet, condition, page);
      } else {
        const name = selection.name.value;
        const key = `${name}:${page ?? ""}`;
        const fragment = fragments.get(name);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        // A cycle (which validation refuses anyway) counts nothing the second time round.
        if (!fragment || !isCompositeType(condition) || inProgress.has(name)) continue;
        if (!fragmentCosts.has(key)) {
          inProgress.add(name);
          fragmentCosts.set(key, costOf(fragment.selectionSet, condition, page));
          inProgress.delete(name);
        }
        total += fragmentCosts.get(key) ?? 0;
      }
    }
    return total;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType, page: number | undefined): number => {
    const name = field.name.value;
    if (name.startsWith("__")) return 0;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    const type = definition && getNamedType(definition.type);
    if (!definition || !field.selectionSet || !isCompositeType(type)) return 1;
    const first = definition.args.find((a) => a.name === "first");
    const size = first && pageSize(field, first);
    const items = isListType(getNullableType(definition.type)) ? (size ?? page ?? LIST_FACTOR) : 1;
    // A connection's page size goes to its edges, not further down.
    const childPage = isListType(getNullableType(definition.type)) ? undefined : size;
    return 1 + items * costOf(field.selectionSet, type, childPage);
  };

  return costOf(operation.selectionSet, root, undefined);
}
