import { GraphQLError, GraphQLScalarType, valueFromASTUntyped, type ValueNode } from "graphql";
import { GraphQLDateTime, GraphQLLocalDate } from "graphql-scalars";

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

/**
 * The years a date or an instant a client sends may fall in. Nothing in
 * after-sales lies outside them, and arithmetic on dates far outside them
 * (a period ending 9999-12-31, shifted into a time zone) overflows what
 * the database and `Date` can represent.
 */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;

const badValue = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });

/** A value as a message may quote it: JSON (control characters escaped), cut short. */
export function quoted(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 42 ? `${json.slice(0, 40)}…` : json;
}

/** A literal as the same value in a variable would be, so both get the same answer. */
const literal = (ast: ValueNode): unknown => valueFromASTUntyped(ast);

function parseDecimal(value: unknown): string {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw badValue(`Decimal must be a string like "129.90", got ${quoted(value)}.`);
  }
  return value;
}

/** Exact decimals travel as strings (Postgres numeric in, numeric out), never as floats. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: "An exact decimal number written as a string.",
  serialize: (value) => (typeof value === "number" ? String(value) : parseDecimal(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literal(ast)),
});

const inRange = (year: number) => year >= EARLIEST_YEAR && year <= LATEST_YEAR;
const RANGE = `between ${EARLIEST_YEAR}-01-01 and ${LATEST_YEAR}-12-31`;

/**
 * graphql-scalars' check of a value (a calendar date that exists, an RFC 3339
 * instant), with our message: theirs name their own type ("LocalDate") and
 * repeat a value of any length.
 */
function checkedBy<T>(parse: (value: unknown) => T, value: unknown, message: string): T {
  try {
    return parse(value);
  } catch {
    throw badValue(message);
  }
}

function parseDate(value: unknown): string {
  const date = checkedBy(
    (v) => GraphQLLocalDate.parseValue(v) as string,
    value,
    `Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got ${quoted(value)}.`,
  );
  if (!inRange(Number(date.slice(0, 4)))) throw badValue(`Date must be ${RANGE}; got ${quoted(value)}.`);
  return date;
}

function parseDateTime(value: unknown): Date {
  // A Date instance is what resolvers pass around, never what a client sends.
  const given = typeof value === "string" ? value : undefined;
  const instant = checkedBy(
    (v) => GraphQLDateTime.parseValue(v) as Date,
    given,
    `DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got ${quoted(value)}.`,
  );
  if (!inRange(instant.getUTCFullYear())) throw badValue(`DateTime must be ${RANGE} (UTC); got ${quoted(value)}.`);
  return instant;
}

/** graphql-scalars' LocalDate under the name the schema uses, within the years a client may send. */
export const DateScalar = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  name: "Date",
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literal(ast)),
});

/** graphql-scalars' DateTime (parsed to a `Date`), within the years a client may send. */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literal(ast)),
});

export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Decimal: DecimalScalar,
};
