import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { GraphQLDateTime, GraphQLLocalDate } from "graphql-scalars";

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

function parseDecimal(value: unknown): string {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw new GraphQLError(`Decimal must be a string like "129.90", got ${JSON.stringify(value)}.`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return value;
}

/** Exact decimals travel as strings (Postgres numeric in, numeric out), never as floats. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: "An exact decimal number written as a string.",
  serialize: (value) => (typeof value === "number" ? String(value) : parseDecimal(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** graphql-scalars' LocalDate under the name the schema uses. */
export const DateScalar = new GraphQLScalarType({ ...GraphQLLocalDate.toConfig(), name: "Date" });

export const scalarResolvers = {
  DateTime: GraphQLDateTime,
  Date: DateScalar,
  Decimal: DecimalScalar,
};
