import { GraphQLError } from "graphql";

/**
 * `extensions.code` of every refusal, so that clients can tell "ask for less"
 * (HTTP 400, do not retry as is) from "wait" (RATE_LIMITED, HTTP 429).
 */
export const LimitCode = {
  /** Fields nested deeper than `maxDepth` (HTTP 400). */
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  /** More than `maxAliases` aliases in the operation (HTTP 400). */
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  /** A document of more than `maxTokens` tokens, refused before parsing (HTTP 400). */
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  /** More than `maxDirectives` directives in the operation (HTTP 400). */
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
  /** An estimated cost over `maxCost` (HTTP 400). */
  QUERY_TOO_COSTLY: "QUERY_TOO_COSTLY",
  /** The credential's requests or cost per minute are spent (HTTP 429, Retry-After). */
  RATE_LIMITED: "RATE_LIMITED",
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

/** An operation refused for its shape; the class lets our plugin find it again inside Apollo's wrappers. */
export class QueryLimitError extends GraphQLError {
  readonly code: LimitCode;

  constructor(message: string, code: LimitCode) {
    super(message, { extensions: { code, http: { status: 400 } } });
    this.code = code;
  }
}

export function queryTooCostly(cost: number, maxCost: number): QueryLimitError {
  return new QueryLimitError(
    `Query cost of ${cost} exceeds the limit of ${maxCost}; ask for smaller pages (\`first\`) or fewer nested lists.`,
    LimitCode.QUERY_TOO_COSTLY,
  );
}

const WHAT = { requests: "requests", cost: "query cost points" } as const;

export function rateLimitExceeded(kind: "requests" | "cost", limit: number, retryAfterSeconds: number): GraphQLError {
  // Apollo Server answers with this status and these headers; it wants a Map,
  // which graphql-yoga's global typing of `extensions.http` (a Record) does not know.
  const extensions: Record<string, unknown> = {
    code: LimitCode.RATE_LIMITED,
    retryAfterSeconds,
    http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
  };
  return new GraphQLError(`Rate limit of ${limit} ${WHAT[kind]} per minute reached for this credential; retry in ${retryAfterSeconds} s.`, { extensions });
}
