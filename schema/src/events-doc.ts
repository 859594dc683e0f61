/**
 * Writes `schema/events.md`, the reference of every domain event, from the
 * catalog in `@aftersales/events` (`services/events/src/index.ts`).
 *   npm run events -w @aftersales/schema               writes the file
 *   npm run events -w @aftersales/schema -- --check    fails when the file is not what the catalog gives
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { handlerFor } from "@aftersales/kit";
import { z } from "zod";
import { EVENT_CATALOG, VERSION_RULE, type EventDefinition } from "@aftersales/events";
import { eventConsumers, producers } from "./subgraphs.js";

const EVENTS_FILE = new URL("../events.md", import.meta.url);

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** The subgraphs that apply an event (from their subscriptions, so the document follows the code; partners' `*` included). */
const consumersOf = (definition: EventDefinition) =>
  eventConsumers.filter((consumer) => handlerFor(consumer.subscriptions[definition.producer] ?? {}, definition.type)).map((consumer) => consumer.name);

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (value: unknown) => `\`${String(value)}\``;
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** What a JSON Schema node holds, in words; `null` and the object/array shapes are handled by the caller. */
function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (node.enum?.length === 1) return code(JSON.stringify(node.enum[0]));
  if (node.enum) return `one of ${node.enum.map((value) => code(value)).join(", ")}`;
  switch (node.type) {
    case "string": {
      if (node.format === "date") return "date (`YYYY-MM-DD`)";
      if (node.format === "date-time") return "instant (ISO-8601, UTC)";
      const prefix = node.pattern && /^\^([a-z]+)_\[/.exec(node.pattern)?.[1];
      if (prefix) return `id (\`${prefix}_\` and 26 characters)`;
      if (node.pattern === "^\\d+(\\.\\d{1,3})?$") return "decimal string (the currency's places)";
      if (node.pattern === "^[A-Z]{3}$") return "string (3 capitals)";
      return node.pattern ? `string matching \`${node.pattern}\`` : "string";
    }
    case "integer":
    case "number": {
      const min = node.minimum !== undefined && node.minimum > -SAFE_INTEGER ? node.minimum : undefined;
      const max = node.maximum !== undefined && node.maximum < SAFE_INTEGER ? node.maximum : undefined;
      const range = min !== undefined && max !== undefined ? ` ${min} to ${max}` : min !== undefined ? ` ≥ ${min}` : node.exclusiveMinimum === 0 ? " > 0" : "";
      return `${node.type}${range}`;
    }
    case "null":
      return "always `null`";
    default:
      return String(node.type ?? "any");
  }
}

interface FieldRow {
  field: string;
  type: string;
  description: string;
}

/** One row per field, nested fields under their parent (`a.b`, `list[].c`). */
function fieldRows(node: JsonSchema, prefix = ""): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    if (typeof property !== "object") continue;
    const field = `${prefix}${name}`;
    // zod writes `.nullable()` as anyOf [the value, null], or as `type: [the type, "null"]` for a primitive.
    const branches = property.anyOf ?? [property];
    const nullable = branches.length > 1 ? branches.some((branch) => branch.type === "null") : Array.isArray(property.type) && property.type.includes("null");
    const found = branches.find((branch) => branch.type !== "null") ?? property;
    const value = Array.isArray(found.type) ? { ...found, type: found.type.find((type) => type !== "null") } : found;
    const description = property.description ?? value.description ?? "";
    const items = Array.isArray(value.items) ? undefined : value.items;
    const what =
      value.type === "object"
        ? "object"
        : value.type === "array"
          ? typeof items === "object" && items.type === "object"
            ? "list of objects"
            : `list of ${typeof items === "object" && items.type === "string" && !items.enum ? "strings" : typeof items === "object" ? typeOf(items) : "anything"}`
          : typeOf(value);
    const type = [what, nullable ? "or `null`" : "", required.has(name) ? "" : "— **optional**"].filter(Boolean).join(" ");
    rows.push({ field, type, description });
    if (value.type === "object") rows.push(...fieldRows(value, `${field}.`));
    if (value.type === "array" && typeof items === "object" && items.type === "object") rows.push(...fieldRows(items, `${field}[].`));
  }
  return rows;
}

/** A stable id for an example, so the document only changes when the catalog does. */
function exampleId(definition: EventDefinition): string {
  const hex = createHash("sha256").update(`${definition.type}@${definition.version}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function exampleEnvelope(definition: EventDefinition) {
  const read = definition.inspect(definition.example);
  if ("issues" in read) throw new Error(`The example of ${definition.type} v${definition.version} does not match its schema:\n  ${read.issues.join("\n  ")}`);
  return {
    id: exampleId(definition),
    type: definition.type,
    version: definition.version,
    aggregate: definition.aggregate,
    aggregateId: read.aggregateId,
    dealerId: read.dealerId,
    occurredAt: "2026-11-23T09:15:27.412Z",
    // Parsed, so its fields come in the schema's order, as the table lists them.
    payload: definition.payload.parse(definition.example),
  };
}

const anchor = (definition: EventDefinition) => `${definition.type.replaceAll(".", "").replaceAll("_", "")}-v${definition.version}`;

function renderEventsDocument(): string {
  const out: string[] = [];
  const line = (text = "") => out.push(text);
  line("# Domain events");
  line();
  line("<!-- Generated from services/events/src/index.ts by `npm run events -w @aftersales/schema`: edit the catalog there, then run it. -->");
  line();
  line("Every change in a subgraph writes its domain events to that subgraph's outbox, in the");
  line("transaction of the change: an event exists exactly when its change committed. The other");
  line("subgraphs apply them to keep their own copies of what they need, and partners receive the");
  line("same events as webhooks. This is the reference of every event the subgraphs write: its");
  line("type and version, which subgraph writes it and when, whose it is, and its payload. Every");
  line("end-to-end test checks each event it caused against it, so it lists what is really written.");
  line();
  line("## The envelope");
  line();
  line("Every event, whatever its type, comes in the same envelope:");
  line();
  line("| field | type | meaning |");
  line("|---|---|---|");
  line("| `id` | UUID | The event's identity, the same on every delivery of it: consumers apply an event once by it. |");
  line("| `type` | string | `<aggregate>.<what happened>`, e.g. `unit.sold`. |");
  line("| `version` | integer | The version of the payload's schema (see [Versions](#versions)); not the aggregate's version. |");
  line("| `aggregate` | string | The kind of thing it happened to, e.g. `unit`. |");
  line("| `aggregateId` | string | Which one, e.g. `unt_01JD3QC1E3G5J7K9N1Q3S5T7W9`. |");
  line(
    "| `dealerId` | string or `null` | The dealer the event belongs to: only that dealer (and staff) may see it. `null` for shared things every dealer sees, such as products. Each type below says which dealer it is. |",
  );
  line(
    "| `occurredAt` | instant (ISO-8601, UTC) | When the transaction that wrote it started (for events a migration wrote: when the migration ran). The business date, where there is one, is in the payload (e.g. `event.occurredOn`). |",
  );
  line("| `payload` | object | The type's fields, below. |");
  line();
  line("Payloads carry identifiers and terms, never personal data (no names, contacts or addresses of");
  line("customers or technicians). Amounts are exact decimal strings with exactly their currency's");
  line('decimals (`"1299.00"` EUR, `"129800"` JPY, `"12.500"` KWD), dates');
  line("`YYYY-MM-DD`, instants ISO-8601 in UTC. Most payloads carry their aggregate as it is after");
  line("the change, with the aggregate's own `version`.");
  line();
  line("## Delivery");
  line();
  line("Events travel from each producer's outbox to the subgraphs that apply them either directly");
  line("(the relay reads the outbox and applies them in each consumer's database: `npm start`, the");
  line("tests) or through NATS JetStream (one stream per producer). Either way:");
  line();
  line("- **At least once.** A consumer applies a batch in one transaction and only then records (or");
  line("  acknowledges) how far it got; a batch that failed or was interrupted comes again. The same");
  line("  event (same `id`) may therefore arrive more than once.");
  line("- **In order per producer.** Each producer's events come in the order their transactions");
  line("  committed, and within a transaction in the order they were written; so the events of one");
  line("  aggregate come in the order they happened. There is no order across producers: the");
  line("  catalog's `unit.sold` may come before the partners' `customer.created` of its buyer.");
  line("- **Consumers are idempotent by `id`.** Each subgraph records the ids it applied and skips one");
  line("  it has seen; one that keeps a copy of an aggregate keeps only the newest by the payload's");
  line("  `version`, so a late or repeated event never rolls it back.");
  line("- **One bad event does not stop the rest.** A consumer that fails on an event gets it again,");
  line("  in order; after 10 attempts over at least 10 minutes it parks it in its `event_dead_letters`");
  line("  (logged as an error) and goes on with the later ones. Once the cause is fixed,");
  line("  `npm run relay -w @aftersales/gateway -- --retry-parked` applies the parked events, late.");
  line();
  line("The partners subgraph takes every event to send each dealer its own events at its webhook");
  line("endpoints (see the README's *Partner webhooks*); events of no dealer (`dealerId` null) go to no");
  line("endpoint. Each webhook delivery is retried on its own, so webhooks come at least once but not");
  line("necessarily in order: drop an `id` you already have, and keep the newest of an aggregate by the");
  line("payload's `version` (where it has one) rather than by arrival or `occurredAt`, which two events");
  line("of one transaction share.");
  line();
  line("## Versions");
  line();
  for (const rule of VERSION_RULE) line(`- ${rule}`);
  line();
  line("## Every event");
  line();
  line("| type | version | producer | aggregate | dealer | applied by |");
  line("|---|---|---|---|---|---|");
  for (const definition of EVENT_CATALOG) {
    const consumers = consumersOf(definition);
    line(
      `| [\`${definition.type}\`](#${anchor(definition)}) | ${definition.version} | ${definition.producer} | ${definition.aggregate} | ${cell(definition.dealer)} | ${consumers.join(", ") || "—"} |`,
    );
  }
  // The subgraphs that really write events: one that the catalog forgot gets a section with nothing in it, and stands out.
  for (const producer of producers) {
    line();
    line(`## Written by ${producer}`);
    for (const definition of EVENT_CATALOG.filter((d) => d.producer === producer)) {
      const consumers = consumersOf(definition);
      line();
      line(`<a id="${anchor(definition)}"></a>`);
      line();
      line(`### \`${definition.type}\` version ${definition.version}`);
      line();
      line(`- **Written when:** ${definition.writtenWhen}`);
      line(`- **Aggregate:** \`${definition.aggregate}\`; **dealer:** ${definition.dealer}`);
      line(`- **Applied by:** ${consumers.length ? consumers.join(", ") : "no subgraph"}`);
      line();
      line("| field | type | description |");
      line("|---|---|---|");
      for (const row of fieldRows(z.toJSONSchema(definition.payload))) {
        line(`| \`${row.field}\` | ${cell(row.type)} | ${cell(row.description)} |`);
      }
      line();
      line("```json");
      line(JSON.stringify(exampleEnvelope(definition), null, 2));
      line("```");
    }
  }
  return `${out.join("\n")}\n`;
}

const check = process.argv.includes("--check");
const document = renderEventsDocument();
let current = "";
try {
  current = readFileSync(EVENTS_FILE, "utf8");
} catch {
  // no file yet
}
if (check) {
  if (current !== document) {
    console.error("schema/events.md is stale: run `npm run events -w @aftersales/schema` and commit the result.");
    process.exit(1);
  }
  console.log("schema/events.md is up to date.");
} else {
  writeFileSync(EVENTS_FILE, document);
  console.log(current === document ? "schema/events.md unchanged." : "schema/events.md written.");
}
