import type { Database } from "./db.js";
import { Refusal, refusalForConstraint, type ConstraintErrors, type UserError } from "./errors.js";

/** A mutation's payload: the changed object under its name, and the refusals. */
export type Payload<Key extends string, T, Code extends string> = { [K in Key]: T | null } & {
  errors: UserError<Code>[];
};

/**
 * Runs a mutation in one transaction and shapes its payload. A Refusal, or a
 * violated constraint listed in `constraints`, rolls everything back and is
 * answered as `errors`; any other failure stays an exception (a bug, not the
 * client's input).
 */
export async function mutationPayload<Key extends string, T, Code extends string>(
  key: Key,
  db: Database,
  work: (tx: Database) => Promise<T>,
  constraints: ConstraintErrors<Code> = {},
): Promise<Payload<Key, T, Code>> {
  const shape = (value: T | null, errors: UserError<Code>[]) => ({ [key]: value, errors }) as Payload<Key, T, Code>;
  try {
    return shape(await db.transaction((tx) => work(tx)), []);
  } catch (error) {
    // Codes in a Refusal were typed where it was raised (InputChecks<Code>).
    if (error instanceof Refusal) return shape(null, error.errors as UserError<Code>[]);
    const refusal = refusalForConstraint(error, constraints);
    if (refusal) return shape(null, refusal.errors);
    throw error;
  }
}
