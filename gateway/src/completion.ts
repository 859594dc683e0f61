import type { Logger } from "@aftersales/kit";
import { ApolloGateway, type GatewayConfig } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import { joiningIdenticalQueries } from "./joining.js";

/** The code of an error about a field the schema promises is never null, which came back without a value. */
export const NON_NULL_VIOLATION = "NON_NULL_VIOLATION";

/** Production says what happened to the answer, not which type and field of which subgraph broke it. */
const PRODUCTION_MESSAGE = "A value the schema promises is missing, so the object holding it is null.";

type Executor = Awaited<ReturnType<ApolloGateway["load"]>>["executor"];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/**
 * Apollo's gateway, with every null in a non-null field reported as an error.
 * When a subgraph leaves such a field without a value (e.g. an entity it
 * answers as missing for this caller), the gateway nulls the nearest
 * nullable object around it, and when nothing else failed it says so only in
 * `extensions.valueCompletion`, which clients ignore: a mutation's payload
 * read `{ claim: null, errors: [] }`, a success with nothing in it. Here each
 * of those becomes an error in `errors` with a code and the field's path,
 * masked in production like any error, and logged: it is the graph's fault.
 */
export class CompletingGateway extends ApolloGateway {
  constructor(
    config: GatewayConfig,
    private readonly reporting: {
      production: boolean;
      logger: Logger;
      /** Who is asking, for joining identical queries in flight (see `joiningIdenticalQueries`); null: never joined. */
      callerOf?: (context: Record<string, unknown>) => string | null;
    },
  ) {
    super(config);
  }

  override async load(options?: Parameters<ApolloGateway["load"]>[0]): ReturnType<ApolloGateway["load"]> {
    const loaded = await super.load(options);
    const executor: Executor = async (requestContext) => this.withNullsReported(await loaded.executor(requestContext), requestContext.operationName ?? null);
    const { callerOf } = this.reporting;
    return { ...loaded, executor: callerOf ? joiningIdenticalQueries(executor, callerOf) : executor };
  }

  private withNullsReported(result: ExecutionResult, operationName: string | null): ExecutionResult {
    const { valueCompletion, ...extensions } = result.extensions ?? {};
    if (!Array.isArray(valueCompletion) || valueCompletion.length === 0) return result;
    const errors = valueCompletion.map((violation: unknown) => {
      const { message, path } = violation instanceof GraphQLError ? violation : new GraphQLError(String(violation));
      this.reporting.logger.error({ path, operationName }, `non-null field without a value: ${message}`);
      return new GraphQLError(this.reporting.production ? PRODUCTION_MESSAGE : message, {
        ...(path ? { path } : {}),
        extensions: { code: NON_NULL_VIOLATION },
      });
    });
    const { extensions: _dropped, ...rest } = result;
    return { ...rest, errors: [...(result.errors ?? []), ...errors], ...(Object.keys(extensions).length ? { extensions } : {}) };
  }
}
