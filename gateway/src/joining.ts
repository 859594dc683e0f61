import type { ApolloGateway } from "@apollo/gateway";
import { GraphQLError, OperationTypeNode } from "graphql";

type Executor = Awaited<ReturnType<ApolloGateway["load"]>>["executor"];
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/**
 * An executor that runs identical queries once while one is in flight: the
 * same operation (its text, name and variables) for the same caller. A
 * caller is every claim the gateway signs for the subgraphs (`callerOf`),
 * so two callers that differ in any of them, and so may be answered
 * differently, never share an answer. Only queries join; a mutation runs
 * for each request, and a query the same caller sends after a mutation of
 * theirs began joins nothing begun before it (it reads what they wrote).
 * Everything before execution still runs for each request
 * (credentials, rate limits and cost budgets count every request), and each
 * gets its own result object and errors to format; only the data, which
 * nothing changes once executed, is shared.
 */
export function joiningIdenticalQueries(executor: Executor, callerOf: (context: RequestContext["context"]) => string | null): Executor {
  /** By caller, then by operation and variables. */
  const running = new Map<string, Map<string, Promise<ExecutionResult>>>();
  return (requestContext) => {
    const caller = callerOf(requestContext.context);
    if (caller === null) return executor(requestContext);
    if (requestContext.operation.operation !== OperationTypeNode.QUERY) {
      // A query the caller sends once its mutation began must see what the mutation did: it joins nothing begun before.
      running.delete(caller);
      return executor(requestContext);
    }
    const { operationName, queryHash, request } = requestContext;
    const key = JSON.stringify([queryHash, operationName, request.variables ?? null]);
    const callers = running.get(caller);
    const joined = callers?.get(key);
    if (joined) return joined.then(copyOfResult);
    const result = executor(requestContext);
    const mine = callers ?? new Map<string, Promise<ExecutionResult>>();
    if (!callers) running.set(caller, mine);
    mine.set(key, result);
    const forget = () => {
      if (mine.get(key) === result) mine.delete(key);
      if (mine.size === 0 && running.get(caller) === mine) running.delete(caller);
    };
    result.then(forget, forget);
    return result;
  };
}

/** A result of its own around the same data: the request pipeline and plugins add to a result's extensions and rewrite its errors. */
function copyOfResult(result: ExecutionResult): ExecutionResult {
  const { errors, extensions, ...rest } = result;
  return {
    ...rest,
    ...(errors ? { errors: errors.map(copyOfError) } : {}),
    ...(extensions ? { extensions: { ...extensions } } : {}),
  };
}

function copyOfError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions },
  });
}
