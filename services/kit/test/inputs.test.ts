import { ApolloServer } from "@apollo/server";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { getOperationAST, parse, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { inputChecks, inputProblems, SEARCH_MAX_LENGTH, stringProblem, TEXT_MAX_LENGTH } from "../src/inputs.js";
import { scalarResolvers } from "../src/scalars.js";

describe("stringProblem", () => {
  it.each([
    ["an id", "cus_01JD3ZQ5M1P6H3S8E2W4R9T7XK", "id"],
    ["a name", "Müller & Söhne GmbH", "line"],
    ["a name with whitespace around it (trimmed later)", "  Heat pump shows E42 \n", "line"],
    ["a note over several lines", "Noisy.\r\n\tSince Monday.", "text"],
    ["emoji (a surrogate pair)", "Danke 👍", "text"],
    ["a search at the cap", "x".repeat(SEARCH_MAX_LENGTH), "search"],
    ["a text at the cap", "x".repeat(TEXT_MAX_LENGTH), "text"],
  ] as const)("lets %s through", (_, value, rule) => {
    expect(stringProblem(value, rule)).toBeNull();
  });

  it.each([
    ["a NUL in an id", "cus_\u0000", "id", "must be an id: 1 to 128 printable ASCII characters without spaces (found U+0000 at character 5)."],
    ["a space in an id", "cus 1", "id", "must be an id: 1 to 128 printable ASCII characters without spaces (found U+0020 at character 4)."],
    ["a letter outside ASCII in an id", "cüs_1", "id", "must be an id: 1 to 128 printable ASCII characters without spaces (found U+00FC at character 2)."],
    ["an empty id", "", "id", "must be an id: 1 to 128 printable ASCII characters without spaces (it has 0)."],
    ["an id of 129 characters", "x".repeat(129), "id", "must be an id: 1 to 128 printable ASCII characters without spaces (it has 129)."],
    ["a NUL in a note", "a\u0000b", "text", "must not contain control characters other than tab, line feed and carriage return (found U+0000 at character 2)."],
    ["ESC in a note", "a\u001bb", "text", "must not contain control characters other than tab, line feed and carriage return (found U+001B at character 2)."],
    [
      "a C1 control in a note",
      "a\u0085b",
      "text",
      "must not contain control characters other than tab, line feed and carriage return (found U+0085 at character 2).",
    ],
    [
      "half a surrogate pair",
      "a\ud83d",
      "text",
      "must not contain control characters other than tab, line feed and carriage return (found an unpaired surrogate (U+D83D) at character 2).",
    ],
    ["a line break inside a name", "Müller\nGmbH", "line", "must be one line of text without tabs or control characters (found U+000A at character 7)."],
    ["a tab inside a serial number", "SN\t1", "line", "must be one line of text without tabs or control characters (found U+0009 at character 3)."],
    [
      "a search past the cap",
      "x".repeat(SEARCH_MAX_LENGTH + 1),
      "search",
      `must be at most ${SEARCH_MAX_LENGTH} characters, as any search (it has ${SEARCH_MAX_LENGTH + 1}).`,
    ],
    [
      "a text past the cap",
      "x".repeat(TEXT_MAX_LENGTH + 1),
      "text",
      `must be at most ${TEXT_MAX_LENGTH} characters, as any text (it has ${TEXT_MAX_LENGTH + 1}).`,
    ],
  ] as const)("refuses %s", (_, value, rule, problem) => {
    expect(stringProblem(value, rule)).toBe(problem);
  });
});

const TYPE_DEFS = `
  scalar Date
  scalar DateTime
  scalar Decimal
  input LineInput { partId: ID!, note: String, amount: Decimal }
  input OpenInput { subject: String!, description: String, lines: [LineInput!], on: Date }
  input Filter { search: String, ids: [ID!], from: Date }
  type Item { id: ID!, history(since: DateTime): [String!]! }
  type Query { items(filter: Filter, after: String): [Item!]!, item(id: ID!): Item }
  type Mutation { open(input: OpenInput!): Item }
`;
const schema = buildSubgraphSchema([{ typeDefs: parse(TYPE_DEFS), resolvers: { ...scalarResolvers } as never }]);

const problemsOf = (query: string, variables: Record<string, unknown> = {}, on: GraphQLSchema = schema) => {
  const document = parse(query);
  return inputProblems(on, document, getOperationAST(document)!, variables).map((p) => p.message);
};

describe("inputProblems", () => {
  it("names the field and the argument path of a problem in a variable", () => {
    const problems = problemsOf(`mutation($input: OpenInput!) { open(input: $input) { id } }`, {
      input: { subject: "Pump\u0000", lines: [{ partId: "prt_1" }, { partId: "prt 2", note: "fine\nreally" }], on: "9999-12-31" },
    });
    expect(problems).toEqual([
      "open(input.subject): must be one line of text without tabs or control characters (found U+0000 at character 5).",
      "open(input.lines[1].partId): must be an id: 1 to 128 printable ASCII characters without spaces (found U+0020 at character 4).",
      'open(input.on): Date must be between 1900-01-01 and 2200-12-31; got "9999-12-31".',
    ]);
  });

  it("checks literals, variables inside literals, and fields further down, by their path from the root", () => {
    const problems = problemsOf(
      `query($since: DateTime, $id: ID!) {
        items(filter: { search: "${"x".repeat(201)}", ids: [$id] }) { history(since: $since) }
        one: item(id: "itm_1") { history(since: "0001-01-01T00:00:00Z") } }`,
      { since: "nope", id: "\u001b" },
    );
    expect(problems).toEqual([
      "items(filter.search): must be at most 200 characters, as any search (it has 201).",
      "items(filter.ids[0]): must be an id: 1 to 128 printable ASCII characters without spaces (found U+001B at character 1).",
      'items.history(since): DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got "nope".',
      'one.history(since): DateTime must be between 1900-01-01 and 2200-12-31 (UTC); got "0001-01-01T00:00:00Z".',
    ]);
  });

  it("checks fields in fragments, and a malformed Decimal", () => {
    const problems = problemsOf(
      `mutation($amount: Decimal) { ...F } fragment F on Mutation { open(input: { subject: "x", lines: [{ partId: "p", amount: $amount }] }) { id } }`,
      { amount: "12,50" },
    );
    expect(problems).toEqual(['open(input.lines[0].amount): Decimal must be a string like "129.90", got "12,50".']);
  });

  it("leaves values of the wrong type to graphql-js, which names them itself", () => {
    expect(problemsOf(`query($f: Filter) { items(filter: $f) { id } }`, { f: { search: 42, ids: "itm_1" } })).toEqual([]);
  });

  it("finds nothing wrong with good input", () => {
    expect(
      problemsOf(`mutation($input: OpenInput!) { open(input: $input) { id } }`, {
        input: { subject: " Pump loud\n", description: "Since Monday.\n\tAt night.", lines: [{ partId: "prt_1", amount: "12.50" }], on: "2026-03-01" },
      }),
    ).toEqual([]);
  });
});

describe("_entities", () => {
  const subgraph = buildSubgraphSchema([
    {
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@external", "@requires"])
        scalar Date
        type Calendar { timeZone: String! @external }
        type Dealer @key(fields: "id") { id: ID! calendar: Calendar! @external }
        type Unit @key(fields: "id") @key(fields: "serialNumber") {
          id: ID!
          serialNumber: String!
          soldOn: Date @external
          soldBy: Dealer @external
          coverage: String @requires(fields: "soldOn soldBy { calendar { timeZone } }")
        }
        type Query { unit(id: ID!): Unit }
      `),
      resolvers: { ...scalarResolvers } as never,
    },
  ]);
  const ask = (representations: unknown[], selection = "... on Unit { id }") =>
    problemsOf(`query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, subgraph);

  it("takes a representation with one of its keys and what the selected fields require", () => {
    expect(ask([{ __typename: "Unit", serialNumber: "SN-1" }])).toEqual([]);
    expect(ask([{ __typename: "Unit", id: "unt_1", soldOn: null, soldBy: { calendar: { timeZone: "Europe/Berlin" } } }], "... on Unit { coverage }")).toEqual(
      [],
    );
  });

  it("refuses what a reference resolver could not work with, saying what is missing", () => {
    expect(ask([{ __typename: "Unit" }, { __typename: "Nope", id: "x" }, "Unit"])).toEqual([
      "_entities(representations[0]): lacks `id`: a Unit is found by every field of one of its keys.",
      '_entities(representations[1].__typename): must name an entity this subgraph resolves (Dealer, Unit); got "Nope".',
      "_entities(representations[2]): must be an object with a `__typename` and the fields of one of its keys.",
    ]);
    expect(ask([{ __typename: "Unit", id: "unt_1", soldOn: null, soldBy: { calendar: {} } }], "... on Unit { coverage }")).toEqual([
      "_entities(representations[0]): lacks `soldBy.calendar.timeZone`, which Unit.coverage requires.",
    ]);
  });

  it("reads a nullable required field left out as null, as Hive Gateway's router runtime sends a null one, but not a non-null one", () => {
    expect(ask([{ __typename: "Unit", id: "unt_1" }], "... on Unit { coverage }")).toEqual([]);
    expect(ask([{ __typename: "Unit", id: "unt_1", soldBy: { calendar: {} } }], "... on Unit { coverage }")).toEqual([
      "_entities(representations[0]): lacks `soldBy.calendar.timeZone`, which Unit.coverage requires.",
    ]);
  });

  it("checks a representation's values as the entity's fields type them", () => {
    expect(
      ask([{ __typename: "Unit", id: "unt\u0000", soldOn: "9999-12-31", soldBy: { calendar: { timeZone: "Europe/\nBerlin" } } }], "... on Unit { coverage }"),
    ).toEqual([
      "_entities(representations[0].id): must be an id: 1 to 128 printable ASCII characters without spaces (found U+0000 at character 4).",
      '_entities(representations[0].soldOn): Date must be between 1900-01-01 and 2200-12-31; got "9999-12-31".',
      "_entities(representations[0].soldBy.calendar.timeZone): must be one line of text without tabs or control characters (found U+000A at character 8).",
    ]);
  });
});

describe("the inputChecks plugin", () => {
  const server = new ApolloServer({ schema, plugins: [inputChecks()], includeStacktraceInErrorResponses: false });

  const run = async (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const response = await server.executeOperation({ query, variables, ...(operationName ? { operationName } : {}) });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return { status: response.http.status, errors: response.body.singleResult.errors };
  };

  it("answers HTTP 400 with a BAD_USER_INPUT error per problem, pointing at the argument, before anything runs", async () => {
    const { status, errors } = await run(`query($id: ID!) {\n  item(id: $id) { id }\n}`, { id: "a\u0000" });
    expect(status).toBe(400);
    expect(errors).toEqual([
      {
        message: "item(id): must be an id: 1 to 128 printable ASCII characters without spaces (found U+0000 at character 2).",
        locations: [{ line: 2, column: 12 }],
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
  });

  it("answers HTTP 400 when the document has several operations and none is named, or the named one is not there", async () => {
    const document = `query A { __typename } query B { __typename }`;
    expect(await run(document)).toEqual({
      status: 400,
      errors: [{ message: "The document has 2 operations (A, B); say which to run in `operationName`.", extensions: { code: "OPERATION_RESOLUTION_FAILURE" } }],
    });
    expect(await run(document, {}, "C")).toEqual({
      status: 400,
      errors: [{ message: 'The document has no operation named "C"; it has A, B.', extensions: { code: "OPERATION_RESOLUTION_FAILURE" } }],
    });
  });
});
