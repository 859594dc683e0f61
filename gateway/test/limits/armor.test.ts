import type { ApolloServer } from "@apollo/server";
import { getIntrospectionQuery, parse, specifiedRules, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { armorFor, DEFAULT_LIMITS, LimitCode } from "../../src/limits/index.js";
import { apiSchema, limitedServer, post, run, tokenCount, type Ctx } from "./support.js";

const { maxDepth, maxAliases, maxDirectives, maxTokens } = DEFAULT_LIMITS;

/** `depth` levels of fields, as armor counts them: the top-level field is 1. */
function queryOfDepth(depth: number): string {
  // customers › edges › node › units › edges › node › product (7), then successors down to a name.
  const successors = "successor { ".repeat(depth - 8);
  return `{ customers(first: 1) { edges { node { units(first: 1) { edges { node { product { ${successors} name ${"} ".repeat(depth - 8)}} } } } } } } }`;
}

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: product(sku: "S${i}") { name }`).join(" ")} }`;
const directives = (n: number) => `{ product(sku: "S") { ${"name @include(if: true) ".repeat(n)}} }`;
/** Padded with enum values (one token each) to exactly `n` tokens. */
function tokens(n: number): string {
  const shape = (values: number) => `{ units(first: 1, filter: { statuses: [${"INSTALLED ".repeat(values)}] }) { pageInfo { hasNextPage } } }`;
  return shape(n - tokenCount(shape(0)));
}

describe("armor limits through Apollo Server", () => {
  let server: ApolloServer<Ctx>;
  beforeAll(async () => {
    server = await limitedServer();
  });

  it.each([
    [
      "depth",
      queryOfDepth(maxDepth),
      queryOfDepth(maxDepth + 1),
      LimitCode.QUERY_TOO_DEEP,
      `Query depth limit of ${maxDepth} exceeded, found ${maxDepth + 1}.`,
    ],
    ["aliases", aliases(maxAliases), aliases(maxAliases + 1), LimitCode.TOO_MANY_ALIASES, `Aliases limit of ${maxAliases} exceeded, found ${maxAliases + 1}.`],
    [
      "directives",
      directives(maxDirectives),
      directives(maxDirectives + 1),
      LimitCode.TOO_MANY_DIRECTIVES,
      `Directives limit of ${maxDirectives} exceeded, found ${maxDirectives + 1}.`,
    ],
  ])("runs an operation exactly at the %s limit and refuses one past it", async (_, atLimit, pastLimit, code, message) => {
    // given / when
    const accepted = await run(server, atLimit);
    const refused = await run(server, pastLimit);

    // then
    expect(accepted.executed).toBe(true);
    expect(accepted.codes).not.toContain(code);
    expect(refused).toMatchObject({ executed: false, status: 400, codes: [code], errors: [{ message }] });
  });

  it("counts depth in fields only: fragments add none", async () => {
    const viaFragments = `{ customers(first: 1) { ...Page } }
      fragment Page on CustomerConnection { edges { node { ... on Customer { units(first: 1) { edges { node { product { ...Deep } } } } } } } }
      fragment Deep on Product { successor { successor { successor { successor { name } } } } }`;
    expect((await run(server, viaFragments)).executed).toBe(true); // depth 12
  });

  it("runs an operation of exactly the token limit and refuses one past it, before parsing", async () => {
    // given
    expect(tokenCount(tokens(maxTokens))).toBe(maxTokens);

    // when
    const accepted = await post(server, tokens(maxTokens));
    const refused = await post(server, tokens(maxTokens + 1));

    // then
    expect(accepted.body.data).toBeDefined();
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errors: [{ message: `Token limit of ${maxTokens} exceeded.`, extensions: { code: LimitCode.TOO_MANY_TOKENS } }],
    });
    // executeOperation has no response for a refusal this early: it throws the error.
    await expect(run(server, tokens(maxTokens + 1))).rejects.toMatchObject({ extensions: { code: LimitCode.TOO_MANY_TOKENS } });
  });

  it("answers a syntax error as Apollo does (400 GRAPHQL_PARSE_FAILED), not as armor's 500", async () => {
    const { status, body } = await post(server, "{ units { edges ");
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("lets GraphiQL's introspection through the default limits", async () => {
    expect((await run(server, getIntrospectionQuery())).errors).toEqual([]);
  });
});

describe("armor's validation rules on their own", () => {
  it("report our codes to graphql's validate", () => {
    const { validationRules } = armorFor(DEFAULT_LIMITS, { production: false });
    const errors = validate(apiSchema, parse(aliases(maxAliases + 1)), [...specifiedRules, ...validationRules]);
    expect(errors.map((e) => e.extensions.code)).toEqual([LimitCode.TOO_MANY_ALIASES]);
  });
});

describe("field suggestions", () => {
  const misspelt = `{ products(first: 1) { edges { node { nme } } } }`;
  const badEnum = `{ units(first: 1, filter: { statuses: [INSTALLD] }) { pageInfo { hasNextPage } } }`;

  it("are hidden in production, for fields and enum values alike", async () => {
    const server = await limitedServer({ production: true });
    const field = await run(server, misspelt);
    const value = await run(server, badEnum);
    expect(field.errors.map((e) => e.message)).toEqual(['Cannot query field "nme" on type "Product".']);
    expect(value.errors[0]?.message).not.toContain("Did you mean");
    expect(value.errors[0]?.message).toContain('Value "INSTALLD" does not exist');
  });

  it("are shown in development", async () => {
    const server = await limitedServer({ production: false });
    expect((await run(server, misspelt)).errors[0]?.message).toContain('Did you mean "name"');
    expect((await run(server, badEnum)).errors[0]?.message).toContain('Did you mean the enum value "INSTALLED"');
  });
});
