import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLResponse } from "@apollo/server";
import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  valueFromASTUntyped,
  type ASTNode,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { quoted, scalarResolvers } from "./scalars.js";

/**
 * What every string and scalar a client sends must be, checked before
 * anything runs: by the gateway, on the whole operation before it is planned,
 * and again by each subgraph (which anything holding an identity signing key can
 * reach), so that bad input is answered as BAD_USER_INPUT naming where it
 * is, and never reaches SQL or date arithmetic. What a field means (a blank
 * name, an unknown country) stays the resolvers' to check.
 */

/** Longer than any text a field takes (a registered operation's document: 20 000). */
export const TEXT_MAX_LENGTH = 50_000;
/** Ids are a prefix and a ULID (`cus_01JD...`, 30 characters); room for any other scheme. */
export const ID_MAX_LENGTH = 128;
/**
 * Every argument and input field named `search` (its description says so):
 * a search looks for a name, an email or a SKU, and longer input finds
 * nothing but costs a scan.
 */
export const SEARCH_MAX_LENGTH = 200;

/**
 * Input fields (and arguments) that hold what people write, which may run
 * over several lines and hold tabs. Every other string (names, codes, serial
 * numbers, emails, URLs) is one line: tabs and line breaks only around it,
 * where the resolvers trim them. A new field of free text takes one of these
 * names, or its name is added here.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(["note", "description", "comment", "resolution", "reason", "document"]);

type StringRule = "id" | "line" | "text" | "search";

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);
const codePoint = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first character `allowed` refuses, as a message fragment; null when there is none. */
function firstRefused(value: string, allowed: (code: number, index: number) => boolean): string | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      // A surrogate pair is one character; half of one is not text (the database would store U+FFFD).
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `an unpaired surrogate (${codePoint(code)}) at character ${i + 1}`;
    }
    if (!allowed(code, i)) return `${codePoint(code)} at character ${i + 1}`;
  }
  return null;
}

/** What is wrong with a string under a rule, as the end of a sentence; null when nothing is. */
export function stringProblem(value: string, rule: StringRule): string | null {
  if (rule === "id") {
    if (value.length === 0 || value.length > ID_MAX_LENGTH) {
      return `must be an id: 1 to ${ID_MAX_LENGTH} printable ASCII characters without spaces (it has ${value.length}).`;
    }
    const refused = firstRefused(value, (code) => code > 0x20 && code < 0x7f);
    return refused && `must be an id: 1 to ${ID_MAX_LENGTH} printable ASCII characters without spaces (found ${refused}).`;
  }
  if (rule === "search" && value.length > SEARCH_MAX_LENGTH) {
    return `must be at most ${SEARCH_MAX_LENGTH} characters, as any search (it has ${value.length}).`;
  }
  if (value.length > TEXT_MAX_LENGTH) return `must be at most ${TEXT_MAX_LENGTH} characters, as any text (it has ${value.length}).`;
  if (rule === "text") {
    const refused = firstRefused(value, (code) => !isControl(code) || code === TAB || code === LF || code === CR);
    return refused && `must not contain control characters other than tab, line feed and carriage return (found ${refused}).`;
  }
  // One line: whitespace around it is trimmed later, whitespace inside must be spaces.
  const start = value.length - value.trimStart().length;
  const end = value.trimEnd().length;
  const refused = firstRefused(value, (code, i) => !isControl(code) || ((code === TAB || code === LF || code === CR) && (i < start || i >= end)));
  return refused && `must be one line of text without tabs or control characters (found ${refused}).`;
}

/** Which rule a string at `path` follows: by its type, then by the name of its field or argument. */
function ruleFor(typeName: string, path: readonly (string | number)[]): StringRule {
  if (typeName === "ID") return "id";
  const name = path.findLast((part): part is string => typeof part === "string") ?? "";
  if (name === "search") return "search";
  return FREE_TEXT_FIELDS.has(name) ? "text" : "line";
}

/** The scalars the kit defines, checked the same way at the gateway (where they are opaque) and in subgraphs. */
const KIT_SCALARS: ReadonlyMap<string, { parseValue(value: unknown): unknown }> = new Map(Object.entries(scalarResolvers));

type Path = (string | number)[];
type Report = (path: readonly (string | number)[], problem: string) => void;

const describePath = (path: readonly (string | number)[]) =>
  path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${part}`)).join("");

/** Checks a leaf value: strings by their rule, the kit's scalars by their own parsing. Types and shapes are graphql-js's to check. */
function checkLeaf(value: unknown, type: GraphQLNamedType, path: Path, report: Report): void {
  const scalar = KIT_SCALARS.get(type.name);
  if (scalar) {
    try {
      scalar.parseValue(value);
    } catch (error) {
      report(path, error instanceof Error ? error.message : `is not a valid ${type.name}: ${quoted(value)}.`);
    }
    return;
  }
  if (type.name === "String" || type.name === "ID") {
    const problem = typeof value === "string" ? stringProblem(value, ruleFor(type.name, path)) : null;
    if (problem) report(path, problem);
    return;
  }
  // Any other scalar a subgraph declares (federation's _Any): its strings are text at least.
  if (isScalarType(type) && !["Int", "Float", "Boolean"].includes(type.name)) checkUntyped(value, path, report);
}

function checkUntyped(value: unknown, path: Path, report: Report): void {
  if (typeof value === "string") {
    const problem = stringProblem(value, ruleFor("String", path));
    if (problem) report(path, problem);
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkUntyped(item, [...path, i], report);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) checkUntyped(item, [...path, key], report);
  }
}

/**
 * Walks a value as the type it is given for: an argument's input type, or an
 * entity's object type for a representation. What does not fit the type is
 * left alone for graphql-js to refuse with its own message.
 */
function checkValue(value: unknown, type: GraphQLType, path: Path, report: Report): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) {
    checkValue(value, type.ofType, path, report);
    return;
  }
  if (isListType(type)) {
    // A single value where a list is expected is a list of one (input coercion).
    if (Array.isArray(value)) for (const [i, item] of value.entries()) checkValue(item, type.ofType, [...path, i], report);
    else checkValue(value, type.ofType, path, report);
    return;
  }
  if (isInputObjectType(type) || isObjectType(type) || isInterfaceType(type)) {
    if (typeof value !== "object" || Array.isArray(value)) return;
    const fields = type.getFields();
    for (const [key, item] of Object.entries(value)) {
      const field = fields[key];
      if (field) checkValue(item, field.type, [...path, key], report);
    }
    return;
  }
  if (isUnionType(type)) return;
  checkLeaf(value, type, path, report);
}

/** A refusal of the request, before anything ran. */
export interface InputProblem {
  message: string;
  nodes: readonly ASTNode[];
}

const MAX_PROBLEMS = 20;

/**
 * Every problem with the strings and scalars of an operation's arguments,
 * literals and variables alike, with where it is: `openTicket(input.subject)`,
 * or for a field further down, its path from the root. Also checks
 * `_entities` representations against what the entity needs (see
 * `representationProblems`).
 */
export function inputProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visited = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root) return problems;

  const visitSelections = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, prefix: string) => {
    for (const selection of selectionSet.selections) {
      if (problems.length >= MAX_PROBLEMS) return;
      if (selection.kind === Kind.FIELD) {
        visitField(selection, parent, prefix);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isComposite(condition)) visitSelections(selection.selectionSet, condition, prefix);
      } else {
        // A fragment's arguments are the same wherever it is spread: checked once, named from its first spread.
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && isComposite(condition)) visitSelections(fragment.selectionSet, condition, prefix);
      }
    }
  };

  const visitField = (field: FieldNode, parent: GraphQLCompositeType, prefix: string) => {
    if (isUnionType(parent)) return; // only __typename
    const definition = parent.getFields()[field.name.value];
    if (!definition) return;
    const where = `${prefix}${(field.alias ?? field.name).value}`;
    for (const argument of field.arguments ?? []) {
      const argumentDefinition = definition.args.find((a) => a.name === argument.name.value);
      if (!argumentDefinition) continue;
      const value = valueFromASTUntyped(argument.value, variables);
      const report: Report = (path, problem) => {
        if (problems.length < MAX_PROBLEMS) problems.push({ message: `${where}(${describePath(path)}): ${problem}`, nodes: [argument.value] });
      };
      if (field.name.value === "_entities" && argument.name.value === "representations" && parent === schema.getQueryType()) {
        representationProblems(schema, value, field.selectionSet, report);
      } else {
        checkValue(value, argumentDefinition.type, [argument.name.value], report);
      }
    }
    const type = getNamedType(definition.type);
    if (field.selectionSet && isComposite(type)) visitSelections(field.selectionSet, type, `${where}.`);
  };

  visitSelections(operation.selectionSet, root, "");
  return problems;
}

const isComposite = (type: GraphQLNamedType): type is GraphQLCompositeType => isObjectType(type) || isInterfaceType(type) || isUnionType(type);

// --- _entities -----------------------------------------------------------------

/**
 * The fields a selection (`id`, `product { id } soldOn`) names that `value`
 * lacks, as paths. A nullable field may be left out and is read as null:
 * Hive Gateway's router runtime leaves a required field out of a
 * representation when its value is null, where Apollo's sends the null. A
 * non-null one must be there, so a representation a gateway sent without
 * what a field requires is still refused.
 */
function missingFields(value: unknown, selectionSet: SelectionSetNode, type: GraphQLNamedType, path: string[] = []): string[] {
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((item) => missingFields(item, selectionSet, type, path));
  const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
  const missing: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const name = selection.name.value;
    const definition = fields[name];
    if (!(name in value)) {
      if (!definition || isNonNullType(definition.type)) missing.push([...path, name].join("."));
    } else if (selection.selectionSet && definition) {
      missing.push(...missingFields((value as Record<string, unknown>)[name], selection.selectionSet, getNamedType(definition.type), [...path, name]));
    }
  }
  return missing;
}

const fieldSet = (fields: string): SelectionSetNode => {
  const operation = parse(`{ ${fields} }`, { noLocation: true }).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet;
};

/** A federation directive's `fields`, whether imported under its own name or namespaced. */
function fieldSetsOf(node: { readonly directives?: readonly ConstDirectiveNode[] } | null | undefined, directive: string): SelectionSetNode[] {
  return (node?.directives ?? [])
    .filter((d) => d.name.value === directive || d.name.value === `federation__${directive}`)
    .flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === "fields")?.value;
      return fields?.kind === Kind.STRING ? [fieldSet(fields.value)] : [];
    });
}

const entityRequirements = new WeakMap<GraphQLObjectType, { keys: SelectionSetNode[]; requires: Map<string, SelectionSetNode[]> }>();

/** An entity's keys and what each of its fields `@requires`, read once from its SDL. */
function requirementsOf(type: GraphQLObjectType) {
  let known = entityRequirements.get(type);
  if (!known) {
    const nodes = [type.astNode, ...type.extensionASTNodes];
    const requires = new Map<string, SelectionSetNode[]>();
    for (const field of Object.values(type.getFields())) {
      const sets = fieldSetsOf(field.astNode, "requires");
      if (sets.length) requires.set(field.name, sets);
    }
    known = { keys: nodes.flatMap((node) => fieldSetsOf(node, "key")), requires };
    entityRequirements.set(type, known);
  }
  return known;
}

/** The fields an `_entities` query selects on `typeName`, so their `@requires` can be checked. */
function selectedFields(selectionSet: SelectionSetNode | undefined, typeName: string): string[] {
  return (selectionSet?.selections ?? []).flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT && (!selection.typeCondition || selection.typeCondition.name.value === typeName)) {
      return selectedFields(selection.selectionSet, typeName);
    }
    return [];
  });
}

/**
 * What `_entities` needs of each representation before a reference resolver
 * sees it: a type this subgraph resolves, every field of one of its keys,
 * the fields the selected fields `@require`, and values that pass the same
 * checks as arguments (typed by the entity's fields).
 */
function representationProblems(schema: GraphQLSchema, representations: unknown, selectionSet: SelectionSetNode | undefined, report: Report): void {
  const entity = schema.getType("_Entity");
  const resolvable = new Set(isUnionType(entity) ? entity.getTypes().map((t) => t.name) : []);
  const list = Array.isArray(representations) ? representations : [representations];
  for (const [index, representation] of list.entries()) {
    const path = ["representations", index];
    if (representation === null || typeof representation !== "object" || Array.isArray(representation)) {
      report(path, "must be an object with a `__typename` and the fields of one of its keys.");
      continue;
    }
    const { __typename: typeName, ...fields } = representation as Record<string, unknown>;
    const type = typeof typeName === "string" && resolvable.has(typeName) ? schema.getType(typeName) : undefined;
    if (!type || !isObjectType(type)) {
      report([...path, "__typename"], `must name an entity this subgraph resolves (${[...resolvable].join(", ")}); got ${quoted(typeName)}.`);
      continue;
    }
    checkValue(fields, type, path, report);
    const { keys, requires } = requirementsOf(type);
    const entityName = type.name;
    const keyMissing = keys.map((key) => missingFields(fields, key, type));
    if (keys.length && keyMissing.every((missing) => missing.length > 0)) {
      const shortest = keyMissing.reduce((a, b) => (b.length < a.length ? b : a));
      report(path, `lacks ${shortest.map((f) => `\`${f}\``).join(", ")}: a ${entityName} is found by every field of one of its keys.`);
    }
    for (const name of new Set(selectedFields(selectionSet, entityName))) {
      const missing = (requires.get(name) ?? []).flatMap((required) => missingFields(fields, required, type));
      if (missing.length) report(path, `lacks ${missing.map((f) => `\`${f}\``).join(", ")}, which ${entityName}.${name} requires.`);
    }
  }
}

// --- the plugin ------------------------------------------------------------------

const refusal = (errors: GraphQLFormattedError[]): GraphQLResponse => ({
  http: { status: 400, headers: new HeaderMap() },
  body: { kind: "single", singleResult: { errors } },
});

const formatted = (message: string, code: string, nodes: readonly ASTNode[] = []): GraphQLFormattedError => {
  const locations = nodes.flatMap((node) => (node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : []));
  return { message, ...(locations.length ? { locations } : {}), extensions: { code } };
};

/** Why no operation of the document can run, in words a client can act on. */
function operationNotFound(document: DocumentNode, operationName: string | undefined): string {
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(unnamed)"] : []));
  if (operationName) return `The document has no operation named "${operationName}"; it has ${names.join(", ") || "none"}.`;
  if (names.length === 0) return "The document has no operation to run.";
  return `The document has ${names.length} operations (${names.join(", ")}); say which to run in \`operationName\`.`;
}

/**
 * Answers HTTP 400 before execution when the request names no operation it
 * can run, or when any of its input breaks the rules above; each problem is
 * a BAD_USER_INPUT error saying where it is and what is wrong. Nothing is
 * planned, fetched or resolved for such a request.
 */
export function inputChecks<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, request }) {
          if (!operation) return refusal([formatted(operationNotFound(document, request.operationName), "OPERATION_RESOLUTION_FAILURE")]);
          const problems = inputProblems(schema, document, operation, request.variables ?? {});
          if (problems.length === 0) return null;
          return refusal(problems.map((p) => formatted(p.message, "BAD_USER_INPUT", p.nodes)));
        },
      };
    },
  };
}
