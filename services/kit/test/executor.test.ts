import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { compiledExecution } from "../src/executor.js";

/** A schema with what graphql-jit treats differently from graphql-js: a count on the object as a function, an input field's default, a resolver's error code. */
function server() {
  const schema = buildSubgraphSchema({
    typeDefs: parse(`
      type Query { page(size: Int!): Page!, failing: String }
      type Page { items: [Item!]!, totalCount: Int! }
      type Item { id: ID!, name: String! }
      input NewItem { name: String!, tags: [String!]! = [] }
      type Mutation { add(input: NewItem!): Item! }
    `),
    resolvers: {
      Query: {
        page: (_: unknown, { size }: { size: number }) => ({
          items: Array.from({ length: size }, (_, i) => ({ id: `itm_${i}`, name: `Item ${i}` })),
          totalCount: async () => 1000,
        }),
        failing: () => {
          throw Object.assign(new Error("No such item."), { extensions: { code: "ITEM_NOT_FOUND" } });
        },
      },
      Mutation: { add: (_: unknown, { input }: { input: { name: string; tags: string[] } }) => ({ id: `itm_${input.tags.length}`, name: input.name }) },
    } as never,
  });
  // Without the plugins a subgraph turns off: either hooks every field with a resolver, which would hide what graphql-jit does with a field that has none.
  return new ApolloServer({ gateway: compiledExecution(schema), plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()] });
}

const run = async (apollo: ApolloServer, query: string, variables: Record<string, unknown> = {}) => {
  const response = await apollo.executeOperation({ query, variables });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return response.body.singleResult;
};

describe("compiled execution", () => {
  it("answers a page with its count, which is a function on the object, as graphql-js does", async () => {
    const apollo = server();
    await apollo.start();
    const result = await run(apollo, "query($size: Int!) { page(size: $size) { items { id name } totalCount } }", { size: 2 });
    expect(result).toEqual({
      data: {
        page: {
          items: [
            { id: "itm_0", name: "Item 0" },
            { id: "itm_1", name: "Item 1" },
          ],
          totalCount: 1000,
        },
      },
    });
    expect(await run(apollo, "{ page(size: 0) { totalCount } }")).toEqual({ data: { page: { totalCount: 1000 } } });
    await apollo.stop();
  });

  it("fills in an input field's default, and refuses variables in graphql-js's words", async () => {
    const apollo = server();
    await apollo.start();
    expect(await run(apollo, "mutation($input: NewItem!) { add(input: $input) { id name } }", { input: { name: "Filter" } })).toEqual({
      data: { add: { id: "itm_0", name: "Filter" } },
    });
    const refused = await run(apollo, "query($size: Int!) { page(size: $size) { totalCount } }", { size: "many" });
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.message).toMatch(/^Variable "\$size" got invalid value "many"; Int cannot represent non-integer value/);
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    await apollo.stop();
  });

  it("keeps a resolver's error code and where it happened", async () => {
    const apollo = server();
    await apollo.start();
    const result = await run(apollo, "{ failing }");
    expect(result.data).toEqual({ failing: null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "No such item.",
        path: ["failing"],
        locations: [{ line: 1, column: 3 }],
        extensions: expect.objectContaining({ code: "ITEM_NOT_FOUND" }),
      }),
    ]);
    await apollo.stop();
  });
});
