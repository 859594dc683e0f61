import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";

/**
 * Flattening a GraphQL result into one table, and writing it as CSV
 * (RFC 4180). Pure: no I/O, for the `/insights.csv` route and its tests.
 *
 * The table is the result's first list of objects under `data`, in the
 * order the fields were asked for: a connection's `edges[].node`, or a plain
 * list (`satisfactionSplit`). Each item is one row; each leaf field one
 * column, named by its dotted path from the item (`group.label`,
 * `figures.nps`). Inside an item, a list of scalars is one cell joined with
 * `;`, a list of objects (`approvedCost`) one cell of `amount currency`
 * parts joined with `; `. Nulls are empty cells.
 */

export interface Table {
  /** Where the rows were found, e.g. `["insights", "failurePareto", "edges", "node"]`. */
  path: string[];
  columns: string[];
  rows: string[][];
}

/**
 * The fields an operation selects, by response name (aliases honoured,
 * fragments merged): null for a leaf, the sub-selection otherwise.
 */
export type Selection = Map<string, Selection | null>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The table in `data`: its first list of objects; without one, the first
 * object asked for under a root field (`insights { complaintRecovery { ... } }`),
 * as one row. Null when it holds neither. With the operation's `selection`
 * (see `selectionOf`), columns follow the document, so an empty list still
 * has its header and a null object its leaf columns; without it, they are
 * gathered from the rows themselves.
 */
export function flatten(data: unknown, selection?: Selection): Table | null {
  const found = findList(data, selection ?? null, []) ?? findRecord(data, selection ?? null);
  if (!found) return null;
  const columns = found.selection ? columnsOfSelection(found.selection) : columnsOfRows(found.rows);
  const rows = found.rows.map((row) => columns.map((column) => cell(valueAt(row, column.split(".")))));
  return { path: found.path, columns, rows };
}

interface Found {
  path: string[];
  rows: Json[];
  selection: Selection | null;
}

function findList(value: unknown, selection: Selection | null, path: string[]): Found | null {
  if (!isObject(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    const childSelection = selection?.get(key);
    // A leaf the document asked for (e.g. a list of ids) is a value, not the table.
    if (selection && childSelection === null) continue;
    if (Array.isArray(child)) {
      const objects = childSelection ? true : child.length > 0 ? child.every((item) => item === null || isObject(item)) : key === "edges";
      if (!objects) continue;
      const nodeSelection = childSelection?.get("node");
      const isEdges = key === "edges" && (nodeSelection !== undefined ? nodeSelection !== null : child.every((e) => isObject(e) && "node" in e));
      if (isEdges) {
        return {
          path: [...path, key, "node"],
          rows: child.map((edge) => (isObject(edge) ? (edge.node ?? null) : null)),
          selection: nodeSelection ?? null,
        };
      }
      return { path: [...path, key], rows: child, selection: childSelection ?? null };
    }
    const found = findList(child, childSelection ?? null, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** The first object under a root field, as a table of one row: figures that are a single record. */
function findRecord(data: unknown, selection: Selection | null): Found | null {
  if (!isObject(data)) return null;
  for (const [root, value] of Object.entries(data)) {
    if (!isObject(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      const childSelection = selection?.get(root)?.get(key);
      if (!isObject(child) || (selection && !childSelection)) continue;
      return { path: [root, key], rows: [child], selection: childSelection ?? null };
    }
  }
  return null;
}

/** Leaf paths of a selection, in document order; a list of objects inside gives a column per leaf (see `valueAt`). */
function columnsOfSelection(selection: Selection, prefix = ""): string[] {
  return [...selection].flatMap(([key, child]) => (child ? columnsOfSelection(child, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/**
 * Leaf paths over every row, in the order the rows give them: a path first
 * seen in a later row goes after the path before it in that row. A path
 * that is null in one row and an object in another takes the object's
 * leaves; lists are single cells.
 */
function columnsOfRows(rows: Json[]): string[] {
  const columns: string[] = [];
  for (const row of rows) {
    if (!isObject(row)) continue;
    let previous = -1;
    const visit = (path: string) => {
      let at = columns.indexOf(path);
      if (at === -1) columns.splice((at = previous + 1), 0, path);
      previous = at;
    };
    const walk = (value: Json, path: string): void => {
      if (isObject(value)) for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
      else visit(path);
    };
    for (const [key, child] of Object.entries(row)) walk(child, key);
  }
  return columns.filter((c) => !columns.some((other) => other.startsWith(`${c}.`)));
}

function valueAt(row: Json, path: string[]): Json | undefined {
  let value: Json | undefined = row;
  for (const [i, key] of path.entries()) {
    // A list of objects the document selects leaves of (`approvedCost { amount currency }`): each leaf's column lists its values, in the same order.
    if (Array.isArray(value)) return value.map((item) => valueAt(item, path.slice(i)) ?? null);
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** One cell's text: scalars as JSON gives them, nulls empty, lists joined. */
export function cell(value: Json | undefined): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    const parts = value.filter((v) => v !== null);
    return parts.some((v) => typeof v === "object") ? parts.map(cell).join("; ") : parts.map(cell).join(";");
  }
  // An object as one cell (a list's item, `amount currency`): its leaves, space-separated.
  if (typeof value === "object")
    return Object.values(value)
      .map(cell)
      .filter((s) => s !== "")
      .join(" ");
  return String(value);
}

/** A field of the CSV, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  const guarded = formulaSafe(text);
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
 * formula, and names in the graph are typed by dealers: such a text gets a
 * leading `'` (numbers, `-12.5` included, are left alone).
 */
function formulaSafe(text: string): string {
  if (!/^[=+\-@\t\r]/.test(text)) return text;
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return text;
  return `'${text}`;
}

/** The table as CSV: a header row, then one line per row, CRLF line ends. */
export function toCsv(table: Pick<Table, "columns" | "rows">): string {
  const lines = [table.columns, ...table.rows].map((fields) => fields.map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * The selection of one operation, fragments merged into their places and
 * keyed by response name (an alias, or the field's name).
 */
export function selectionOf(document: DocumentNode, operation: OperationDefinitionNode): Selection {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const collect = (set: SelectionSetNode, into: Selection, seen: Set<string>): Selection => {
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) {
        const name = node.alias?.value ?? node.name.value;
        if (!node.selectionSet) {
          if (!into.has(name)) into.set(name, null);
          continue;
        }
        const existing = into.get(name);
        into.set(name, collect(node.selectionSet, existing ?? new Map(), seen));
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        collect(node.selectionSet, into, seen);
      } else {
        const fragment = fragments.get(node.name.value);
        // A cycle or an unknown fragment is for validation to refuse; here it only ends the walk.
        if (!fragment || seen.has(node.name.value)) continue;
        collect(fragment, into, new Set([...seen, node.name.value]));
      }
    }
    return into;
  };
  return collect(operation.selectionSet, new Map(), new Set());
}
