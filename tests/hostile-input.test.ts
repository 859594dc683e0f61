// Documents here stay raw strings: they are built from the schema at run time or are hostile input the gateway must refuse, which no typed document can express.
import { SEARCH_MAX_LENGTH } from "@aftersales/kit";
import { readSupergraph } from "@aftersales/schema/supergraph";
import { Supergraph } from "@apollo/federation-internals";
import {
  astFromValue,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createCustomer, createDealer, createProduct, dealerInput, registerUnit } from "./src/factories.js";
import { bearer, post, send, type HttpAnswer } from "./src/gateways.js";
import { startGraph, type Caller, type TestGraph } from "./src/graph.js";

/**
 * Bad input is the client's mistake, never an outage and never a server
 * error. Every argument of every root field of the API (read from the
 * supergraph), nested input fields included, gets a hostile value, one at a
 * time (a NUL byte, a control character, a 1 MB string, a date in the year
 * 9999, an instant in the year 1, a malformed decimal, the largest Int and
 * one past it, a huge float, a made-up cursor), every other argument a small
 * valid value, sent through the production gateway as an ADMIN and as a
 * DEALER. No answer is a 5xx, none has an INTERNAL_SERVER_ERROR or
 * SUBGRAPH_UNAVAILABLE error, every error has a code, and what breaks the
 * input rules is refused with BAD_USER_INPUT naming the argument. Then what
 * the client is told, and what a subgraph says on its own.
 */

const schema = Supergraph.build(readSupergraph()).apiSchema().toGraphQLJSSchema();

let graph: TestGraph;
let callers: { name: string; token: string }[];
/** Real ids, by the name of the argument or input field that takes them, so resolvers get past "not found". */
const idsByName = new Map<string, string>();

beforeAll(async () => {
  // Nothing here needs events between subgraphs; the relay's polling would only slow every request down.
  graph = await startGraph({ production: true, relay: false });
  const dealer = await createDealer(graph);
  const customer = await createCustomer(graph, dealer.id);
  const product = await createProduct(graph);
  const part = await createProduct(graph, { kind: "SPARE_PART" });
  const unit = await registerUnit(graph, product.id, dealer.id);
  await create(graph, "sellUnit", "unit", { unitId: unit.id, customerId: customer.id, price: { amount: "899.00", currency: "EUR" }, soldOn: "2025-02-01" });
  for (const name of ["dealerId", "dealerIds", "serviceCenterId", "serviceCenterIds", "homeDealerId"]) idsByName.set(name, dealer.id);
  for (const name of ["customerId", "newCustomerId"]) idsByName.set(name, customer.id);
  for (const name of ["productId", "productIds", "successorId"]) idsByName.set(name, product.id);
  for (const name of ["partId", "fittingIds"]) idsByName.set(name, part.id);
  for (const name of ["unitId", "unitIds"]) idsByName.set(name, unit.id);
  const dealerCaller: Caller = { role: "DEALER", dealerId: dealer.id };
  const admin: Caller = { role: "ADMIN" };
  callers = [
    { name: "ADMIN", token: await graph.token(admin) },
    { name: "DEALER", token: await graph.token(dealerCaller) },
  ];
});
afterAll(() => graph?.stop());

// --- hostile values -------------------------------------------------------------

interface Hostile {
  name: string;
  value: unknown;
  /** Breaks the input rules wherever it is put: must be refused as BAD_USER_INPUT naming the argument. */
  refused: boolean;
}

const MEGABYTE = "x".repeat(1_000_000);

const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

/**
 * Cursors a client made up: text Postgres refuses (NUL), and values of the
 * wrong type for what lists sort by (text for an instant, a boolean, a
 * number out of any column's range). Valid strings, so only the list can tell.
 */
const FORGED_CURSORS: Hostile[] = [
  { name: "a cursor holding NUL", value: cursorOf(["a\u0000"]), refused: false },
  { name: "a cursor holding NUL, second", value: cursorOf(["a\u0000", "x"]), refused: false },
  { name: "a cursor of text where an instant goes", value: cursorOf(["x", "x"]), refused: false },
  { name: "a cursor of a boolean and a huge number", value: cursorOf([true, 1e300]), refused: false },
];

/** What to put where a value of `type` goes. */
function hostileValuesFor(type: GraphQLNamedType): Hostile[] {
  switch (type.name) {
    case "String":
    case "ID":
      return [
        { name: "a NUL byte", value: "a\u0000b", refused: true },
        { name: "a control character (ESC)", value: "a\u001bb", refused: true },
        { name: "a 1 MB string", value: MEGABYTE, refused: true },
      ];
    case "Date":
      return [{ name: "the year 9999", value: "9999-12-31", refused: true }];
    case "DateTime":
      return [{ name: "the year 1", value: "0001-01-01T00:00:00Z", refused: true }];
    case "Decimal":
      return [{ name: "a malformed decimal", value: "12,50", refused: true }];
    case "Int":
      return [
        { name: "the largest Int", value: 2_147_483_647, refused: false },
        { name: "an Int past 32 bits", value: 2 ** 40, refused: true },
      ];
    case "Float":
      return [{ name: "a huge float", value: 1e308, refused: false }];
    default:
      return []; // enums and booleans: graphql-js takes only their own values
  }
}

// --- valid values ------------------------------------------------------------------

/** The smallest value of `type` the schema accepts, named `name`: what fills everything but the value under attack. */
function validValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, name);
  if (isListType(type)) return [validValue(type.ofType, name)];
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(required.map((f) => [f.name, validValue(f.type, f.name)]));
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  switch (type.name) {
    case "ID":
      return idsByName.get(name) ?? "zz_01JD3ZZZZZZZZZZZZZZZZZZZZZ";
    case "String":
      return name === "currency" ? "EUR" : name === "country" ? "DE" : "x";
    case "Date":
      return "2025-01-01";
    case "DateTime":
      return "2025-01-01T00:00:00Z";
    case "Decimal":
      return "1.00";
    case "Int":
    case "Float":
      return 1;
    case "Boolean":
      return false;
    default:
      throw new Error(`No valid value known for ${type.name}; add one.`);
  }
}

// --- where hostile values go ---------------------------------------------------------

/** One place a hostile value can go: a leaf somewhere in one argument of one root field. */
interface Slot {
  operation: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  /** From the argument's name down, with 0 for the one item of a list. */
  path: (string | number)[];
  type: GraphQLNamedType;
}

function slotsOf(operation: Slot["operation"], field: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  const walk = (argument: GraphQLArgument, type: GraphQLInputType, path: (string | number)[], seen: string[]) => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) return walk(argument, nullable.ofType, [...path, 0], seen);
    if (isInputObjectType(nullable)) {
      if (seen.includes(nullable.name)) return;
      for (const f of Object.values(nullable.getFields())) walk(argument, f.type, [...path, f.name], [...seen, nullable.name]);
      return;
    }
    slots.push({ operation, field, argument, path, type: nullable });
  };
  for (const argument of field.args) walk(argument, argument.type, [argument.name], []);
  return slots;
}

/** `value` with `hostile` put at `path` (below the argument), creating what lies on the way. */
function withValueAt(type: GraphQLInputType, path: (string | number)[], hostile: unknown, name: string): unknown {
  if (path.length === 0) return hostile;
  const nullable = getNullableType(type);
  const [step, ...rest] = path;
  if (isListType(nullable)) return [withValueAt(nullable.ofType, rest, hostile, name)];
  if (!isInputObjectType(nullable) || typeof step !== "string") throw new Error(`Cannot follow ${String(step)} into ${String(type)}.`);
  const fieldType = nullable.getFields()[step]!.type;
  return { ...(validValue(nullable, name) as object), [step]: withValueAt(fieldType, rest, hostile, step) };
}

/** What to select of a root field's answer: `__typename`, and a level further where the root's arguments shape the nested fields (insights). */
function selectionOf(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (!isObjectType(named) || "id" in named.getFields() || named.name.endsWith("Connection") || named.name.endsWith("Payload")) {
    return "{ __typename }";
  }
  const nested = Object.values(named.getFields()).map((f) => {
    const args = f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    const given = args.length ? `(${args.map((a) => `${a.name}: ${print(astFromValue(validValue(a.type, a.name), a.type)!)}`).join(", ")})` : "";
    return `${f.name}${given} ${isLeafType(getNamedType(f.type)) ? "" : "{ __typename }"}`;
  });
  return `{ __typename ${nested.join(" ")} }`;
}

/** The operation and variables that call `slot`'s field with `hostile` in its place and valid values elsewhere. */
function callWith(slot: Slot, hostile: unknown): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  for (const argument of slot.field.args) {
    if (argument === slot.argument) variables[argument.name] = withValueAt(argument.type, slot.path.slice(1), hostile, argument.name);
    else if (isNonNullType(argument.type) && argument.defaultValue === undefined) variables[argument.name] = validValue(argument.type, argument.name);
  }
  const used = slot.field.args.filter((a) => a.name in variables);
  const declarations = used.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const args = used.map((a) => `${a.name}: $${a.name}`).join(", ");
  const query = `${slot.operation} Hostile${declarations ? `(${declarations})` : ""} { ${slot.field.name}${args ? `(${args})` : ""} ${selectionOf(slot.field.type)} }`;
  return { query, variables };
}

const describePath = (path: readonly (string | number)[]) =>
  path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${part}`)).join("");

// --- the sweep ---------------------------------------------------------------------

interface Case {
  slot: Slot;
  hostile: Hostile;
  /** Which of `callers` sends it. */
  caller: number;
  /** `openTicket(input.subject)`: where the refusal must say the problem is. */
  where: string;
}

/**
 * Whether a refusal names where the value was: the edge's own checks say
 * `openTicket(input.subject)`, graphql-js's coercion of a variable
 * `Variable "$input" ... at "input.version"` (the operations here pass every
 * argument as a variable of its own name).
 */
function namesThePlace(message: string, { slot, where }: Case): boolean {
  if (message.startsWith(`${where}:`)) return true;
  const inVariable = slot.path.length === 1 || message.includes(`at "${describePath(slot.path)}"`);
  return message.startsWith(`Variable "$${slot.argument.name}" got invalid value`) && inVariable;
}

const slots: Slot[] = [
  ...Object.values(schema.getQueryType()!.getFields()).flatMap((f) => slotsOf("query", f)),
  ...Object.values(schema.getMutationType()!.getFields()).flatMap((f) => slotsOf("mutation", f)),
];

/** The hostile values for a slot: by its type, and forged cursors where a list takes `after`. */
const hostileValuesAt = (slot: Slot): Hostile[] => [...hostileValuesFor(slot.type), ...(slot.path.at(-1) === "after" ? FORGED_CURSORS : [])];

const CALLERS = 2; // ADMIN, DEALER (see beforeAll)

/**
 * What is sent to each slot. A value the edge refuses is refused before the
 * caller matters: each slot gets one of them, taking turns through the
 * values and the callers (the rules are tested value by value in the kit).
 * A value that reaches the resolvers goes to each caller, whose data and
 * checks differ, taking turns where there are several.
 */
const cases: Case[] = slots.flatMap((slot, i) => {
  const where = `${slot.field.name}(${describePath(slot.path)})`;
  const values = hostileValuesAt(slot);
  const refused = values.filter((v) => v.refused);
  const reaching = values.filter((v) => !v.refused);
  return [
    ...(refused.length ? [{ slot, where, hostile: refused[i % refused.length]!, caller: i % CALLERS }] : []),
    ...(reaching.length ? Array.from({ length: CALLERS }, (_, caller) => ({ slot, where, hostile: reaching[(i + caller) % reaching.length]!, caller })) : []),
  ];
});

/** Runs `work` over `items`, at most `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** What is wrong with an answer to a hostile value; empty when nothing is. */
function faultsOf(answer: HttpAnswer<unknown>, c: Case): string[] {
  const faults: string[] = [];
  const errors = answer.body.errors ?? [];
  if (answer.status >= 500) faults.push(`HTTP ${answer.status}`);
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code !== "string") faults.push(`an error without a code: ${error.message}`);
    else if (code === "INTERNAL_SERVER_ERROR" || code === "SUBGRAPH_UNAVAILABLE") faults.push(`${code}: ${error.message}`);
  }
  if (c.hostile.refused) {
    const refusal = errors.find((e) => e.extensions?.code === "BAD_USER_INPUT" && namesThePlace(e.message, c));
    if (answer.status !== 400 || !refusal) faults.push(`not refused as BAD_USER_INPUT naming the place (HTTP ${answer.status}): ${answer.text.slice(0, 300)}`);
  }
  return faults;
}

/** Root fields whose arguments take nothing a hostile value fits (enums and booleans are graphql-js's alone). */
const NOTHING_TO_ATTACK: Record<string, string> = {
  contractPlans: "takes only a Boolean",
};

describe("a hostile value in any argument of any root field", () => {
  it("covers every root field of the API that takes arguments", () => {
    const fields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.values(type.getFields()));
    const swept = new Set(cases.map((c) => c.slot.field.name));
    const unswept = fields.filter((f) => f.args.length > 0 && !swept.has(f.name)).map((f) => f.name);
    expect(unswept.sort()).toEqual(Object.keys(NOTHING_TO_ATTACK).sort());
    // and every hostile value is put somewhere
    const kinds = new Set(cases.map((c) => c.hostile.name));
    const all = [...["String", "ID", "Date", "DateTime", "Decimal", "Int", "Float"].flatMap((t) => hostileValuesFor(schema.getType(t)!)), ...FORGED_CURSORS];
    expect([...kinds].sort()).toEqual([...new Set(all.map((v) => v.name))].sort());
  });

  it("is answered as the client's mistake: no 5xx, no internal or unavailable error, a code on every error", { timeout: 120_000 }, async () => {
    const faults: string[] = [];
    await inPool(cases, 4, async (c) => {
      const { name, token } = callers[c.caller]!;
      const { query, variables } = callWith(c.slot, c.hostile.value);
      const answer = await post(graph.url, query, bearer(token), variables);
      for (const fault of faultsOf(answer, c)) faults.push(`${name}, ${c.where} = ${c.hostile.name}: ${fault}`);
    });
    expect(faults).toEqual([]);
  });
});

// --- what the client is told ----------------------------------------------------------

const asAdmin = (query: string, variables: Record<string, unknown> = {}) => post(graph.url, query, bearer(callers[0]!.token), variables);

/** The answer is a refusal: HTTP 400, and exactly these messages, each with code BAD_USER_INPUT. */
function expectRefused(answer: HttpAnswer<unknown>, messages: string[]) {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(messages.map((m) => ["BAD_USER_INPUT", m]));
}

describe("a refusal of bad input, in production", () => {
  it("says the range of dates and where the date was, where the insights answered 500", async () => {
    // it was "time zone displacement out of range", answered as an outage
    const answer = await asAdmin(`{ insights(filter: { to: "9999-12-31" }) { satisfaction(measure: CSAT) { edges { cursor } } } }`);
    expectRefused(answer, ['insights(filter.to): Date must be between 1900-01-01 and 2200-12-31; got "9999-12-31".']);
  });

  it("keeps what is wrong with a DateTime, a Date and a Decimal, and where each is", async () => {
    const quote = await asAdmin(`query($at: DateTime) { coverageQuote(serialNumber: "SN-1", at: $at) { serialNumber } }`, { at: "2026-03-01 09:30" });
    expectRefused(quote, [
      'coverageQuote(at): DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got "2026-03-01 09:30".',
    ]);
    const stats = await asAdmin(`query($from: Date!) { warrantyClaimStats(from: $from, to: "2025-12-31") { claims } }`, { from: "2025-02-30" });
    expectRefused(stats, ['warrantyClaimStats(from): Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got "2025-02-30".']);
    const review = await asAdmin(
      `mutation($amount: Decimal) { reviewWarrantyClaim(input: { id: "wcl_1", version: 1, lines: [{ lineNumber: 1, decision: REDUCE, approvedAmount: $amount }] }) { errors { code } } }`,
      { amount: "12,50" },
    );
    expectRefused(review, ['reviewWarrantyClaim(input.lines[0].approvedAmount): Decimal must be a string like "129.90", got "12,50".']);
  });

  it("refuses a search longer than its cap before it costs a scan, and takes one at the cap", async () => {
    const query = `query($search: String) { customers(first: 1, filter: { search: $search }) { edges { cursor } } }`;
    expectRefused(await asAdmin(query, { search: "x".repeat(900_000) }), [
      "customers(filter.search): must be at most 200 characters, as any search (it has 900000).",
    ]);
    const atCap = await asAdmin(query, { search: "x".repeat(SEARCH_MAX_LENGTH) });
    expect(atCap.status).toBe(200);
    expect(atCap.body).toEqual({ data: { customers: { edges: [] } } });
  });

  it("says the cap of every search in the schema, as the edge enforces it", () => {
    const searches = Object.values(schema.getTypeMap()).flatMap((type) =>
      isInputObjectType(type)
        ? Object.values(type.getFields())
            .filter((f) => f.name === "search")
            .map((f) => ({ at: `${type.name}.search`, says: f.description ?? "" }))
        : [],
    );
    expect(searches.length).toBeGreaterThan(0);
    for (const { at, says } of searches) expect(says, at).toContain(`at most ${SEARCH_MAX_LENGTH} characters`);
  });

  it("takes tabs and line breaks in free text, and refuses them inside a name", async () => {
    const document = `query Lines${Date.now()} {\n\tdealers(first: 1) {\n\t\tedges { cursor }\n\t}\n}\n`;
    const registered = await asAdmin(
      `mutation($input: RegisterOperationInput!) { registerOperation(input: $input) { operation { document } errors { code } } }`,
      {
        input: { name: "Lines", document },
      },
    );
    expect(registered.body).toEqual({ data: { registerOperation: { operation: { document }, errors: [] } } });
    const named = await asAdmin(`mutation($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } errors { code } } }`, {
      input: dealerInput({ name: "Müller\nService" }),
    });
    expectRefused(named, ["createDealer(input.name): must be one line of text without tabs or control characters (found U+000A at character 7)."]);
  });

  it("answers several operations without an operationName with HTTP 400 saying which there are", async () => {
    const answer = await send(graph.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(callers[0]!.token) },
      body: JSON.stringify({ query: "query Dealers { dealers(first: 1) { edges { cursor } } } query Products { products(first: 1) { edges { cursor } } }" }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: "The document has 2 operations (Dealers, Products); say which to run in `operationName`.",
        extensions: { code: "OPERATION_RESOLUTION_FAILURE" },
      },
    ]);
  });
});

describe("a subgraph on its own (anything holding an identity signing key can reach one)", () => {
  it.each([
    ["partners", `query($v: ID!) { customer(id: $v) { id } }`, "customer(id): must be an id"],
    ["catalog", `query($v: String) { unit(serialNumber: $v) { id } }`, "unit(serialNumber): must be one line of text"],
    ["warranty", `query($v: ID) { serviceContract(id: $v) { id } }`, "serviceContract(id): must be an id"],
    ["tickets", `query($v: ID) { ticket(id: $v) { id } }`, "ticket(id): must be an id"],
    ["feedback", `query($v: ID!) { survey(id: $v) { id } }`, "survey(id): must be an id"],
  ])("refuses a NUL byte itself: %s", async (name, query, problem) => {
    const answer = await graph.subgraph(name).request(query, { v: "a\u0000b" });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(answer.errors?.[0]?.message).toContain(problem);
  });

  it.each([
    ["partners", [{ __typename: "Customer" }], "... on Customer { name }", "lacks `id`: a Customer is found by every field of one of its keys."],
    ["warranty", [{ __typename: "Unit", id: "unt_1" }], "... on Unit { coverage { kind } }", "lacks `product`, which Unit.coverage requires."],
    [
      "tickets",
      [{ __typename: "Dealer", id: "dlr_1" }, { __typename: "Ticket" }],
      "... on Ticket { id }",
      "lacks `id`: a Ticket is found by every field of one of its keys.",
    ],
  ])("refuses _entities without the fields its type needs: %s", async (name, representations, selection, problem) => {
    const answer = await graph.subgraph(name).request(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations });
    expect(answer.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ["BAD_USER_INPUT", `_entities(representations[${representations.length - 1}]): ${problem}`],
    ]);
  });

  it("refuses a seller's time zone Intl does not know in a unit's representation, on the field that needs it", async () => {
    const unit = {
      __typename: "Unit",
      id: "unt_1",
      product: { id: "prd_1" },
      soldOn: "2025-01-01",
      deliveredOn: null,
      installedOn: null,
      retiredOn: null,
      transferredOn: null,
    };
    const answer = await graph
      .subgraph("warranty")
      .request<{ _entities: unknown[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { coverage { kind } } } }`, {
        r: [{ ...unit, soldBy: { calendar: { timeZone: "Europe/Atlantis" } } }],
      });
    expect(answer.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([["BAD_USER_INPUT", ["_entities", 0, "coverage"]]]);
  });
});
