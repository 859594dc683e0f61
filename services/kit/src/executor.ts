import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { defaultFieldResolver, execute, GraphQLError, isObjectType, type ExecutionResult, type GraphQLSchema } from "graphql";
import { LRUCache } from "lru-cache";

/**
 * A subgraph's operations run by graphql-jit rather than graphql-js: each
 * operation is compiled once into a function that walks its own selection,
 * instead of graphql-js walking the document for every object of every
 * answer (a page of 100 units is some thousand fields). Apollo Server still
 * parses, validates (both cached per document) and runs the plugins; only
 * execution is handed over, through its gateway interface.
 *
 * Only queries: a mutation is one field with a small answer, where a
 * compiled operation gains nothing, and graphql-jit fills in the defaults of
 * an input's fields differently (it refuses `{ name }` for an input whose
 * `skills: [String!]! = []` graphql-js fills in). For the same reason a
 * query whose variables graphql-jit refuses runs on graphql-js, which
 * answers exactly as it always did (its own refusal, or the result).
 */

/** Operations compiled, by their document's hash: the gateway sends a handful of shapes over and over. */
const COMPILED_OPERATIONS = 1_000;

/**
 * graphql-jit reads a field without a resolver as a plain property, where
 * graphql-js calls a function it finds there. The kit's connections carry
 * `totalCount` as such a function (counted only when asked for), so those
 * fields get graphql-js's own default resolver.
 */
const FUNCTION_FIELDS = new Set(["totalCount"]);

function withFunctionFieldsResolved(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve && FUNCTION_FIELDS.has(field.name)) field.resolve = defaultFieldResolver;
    }
  }
  return schema;
}

export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  withFunctionFieldsResolved(schema);
  const compiled = new LRUCache<string, CompiledQuery | ExecutionResult>({ max: COMPILED_OPERATIONS });
  const executor: GatewayExecutor = async (request) => {
    const classic = () =>
      execute({
        schema,
        document: request.document,
        operationName: request.operationName ?? null,
        variableValues: request.request.variables ?? {},
        contextValue: request.context,
      });
    if (request.operation.operation !== "query") return classic();
    const key = `${request.queryHash}:${request.operationName ?? ""}`;
    let query = compiled.get(key);
    if (!query) {
      query = compileQuery(schema, request.document, request.operationName ?? undefined);
      compiled.set(key, query);
    }
    if (!isCompiledQuery(query)) return classic();
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    // No data at all: refused before anything ran (its variables).
    if (result.data === undefined) return classic();
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors as graphql-js makes them: Apollo Server reads
 * `extensions.code` of every error, which graphql-jit leaves undefined
 * unless the resolver's error had extensions.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError ?? undefined;
  const converted = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(original ? { originalError: original } : {}),
    extensions: error.extensions ?? {},
  });
  // graphql-jit knows where in the document; graphql-js would have the nodes to work it out from.
  if (error.locations) Object.assign(converted, { locations: error.locations });
  return converted;
}
