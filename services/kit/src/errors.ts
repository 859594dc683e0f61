import { GraphQLError } from "graphql";

/**
 * The `UserError` model: a refusal a client can act on. `code` is an enum
 * value of the subgraph's own error code enum, `field` the path into the
 * mutation's input.
 */
export interface UserError<Code extends string = string> {
  code: Code;
  message: string;
  field: string[] | null;
}

export function userError<Code extends string>(code: Code, message: string, field?: readonly (string | number)[] | null): UserError<Code> {
  return { code, message, field: field ? field.map(String) : null };
}

/**
 * Thrown inside a mutation's transaction to refuse it: the transaction rolls
 * back, so nothing half-written remains, and the errors reach the client as
 * the payload's `errors`.
 */
export class Refusal<Code extends string = string> extends Error {
  constructor(readonly errors: UserError<Code>[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "Refusal";
  }
}

/** The SQLSTATE and constraint of a database error, whichever driver raised it. */
export interface DatabaseErrorInfo {
  code: string;
  constraint: string | null;
}

export function databaseErrorOf(error: unknown): DatabaseErrorInfo | null {
  // Drizzle wraps driver errors (DrizzleQueryError.cause); postgres.js names the
  // constraint `constraint_name`, PGlite `constraint`.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const e = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      const constraint = e.constraint_name ?? e.constraint;
      return { code: e.code, constraint: typeof constraint === "string" ? constraint : null };
    }
    current = e.cause;
  }
  return null;
}

/** Maps a constraint name to the refusal a client should see instead of a 500. */
export type ConstraintErrors<Code extends string> = Record<string, () => UserError<Code>>;

export function refusalForConstraint<Code extends string>(error: unknown, constraints: ConstraintErrors<Code>): Refusal<Code> | null {
  const info = databaseErrorOf(error);
  const toError = info?.constraint ? constraints[info.constraint] : undefined;
  return toError ? new Refusal([toError()]) : null;
}

/** A query argument the client got wrong (queries have no payload to carry errors). */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", ...(argument ? { argumentName: argument } : {}) },
  });
}
