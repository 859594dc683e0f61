import { parseValue as parseLiteralText } from "graphql";
import { describe, expect, it } from "vitest";
import { DateScalar, DateTimeScalar, DecimalScalar } from "../src/scalars.js";

const messageOf = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("it parsed");
};

describe("Date", () => {
  it.each(["1900-01-01", "2026-03-01", "2200-12-31", "2024-02-29"])("takes %s", (date) => {
    expect(DateScalar.parseValue(date)).toBe(date);
    expect(DateScalar.parseLiteral(parseLiteralText(`"${date}"`))).toBe(date);
  });

  it.each([
    ["9999-12-31", 'Date must be between 1900-01-01 and 2200-12-31; got "9999-12-31".'],
    ["1899-12-31", 'Date must be between 1900-01-01 and 2200-12-31; got "1899-12-31".'],
    ["2025-02-29", 'Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got "2025-02-29".'],
    ["2025-13-01", 'Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got "2025-13-01".'],
    ["01.03.2026", 'Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got "01.03.2026".'],
    [20260301, 'Date must be a calendar date written YYYY-MM-DD, e.g. "2026-03-01"; got 20260301.'],
  ])("refuses %j saying why", (value, message) => {
    expect(messageOf(() => DateScalar.parseValue(value))).toBe(message);
  });

  it("answers a literal as it answers the same value in a variable", () => {
    expect(messageOf(() => DateScalar.parseLiteral(parseLiteralText('"9999-12-31"')))).toBe(messageOf(() => DateScalar.parseValue("9999-12-31")));
    expect(messageOf(() => DateScalar.parseLiteral(parseLiteralText("20260301")))).toBe(messageOf(() => DateScalar.parseValue(20260301)));
  });
});

describe("DateTime", () => {
  it.each([
    ["2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000Z"],
    ["2026-03-01T09:30:00+01:00", "2026-03-01T08:30:00.000Z"],
    ["1900-01-01T00:00:00Z", "1900-01-01T00:00:00.000Z"],
  ])("takes %s as an instant", (value, instant) => {
    expect((DateTimeScalar.parseValue(value) as Date).toISOString()).toBe(instant);
  });

  it.each([
    ["0001-01-01T00:00:00Z", 'DateTime must be between 1900-01-01 and 2200-12-31 (UTC); got "0001-01-01T00:00:00Z".'],
    ["2200-12-31T23:00:00-05:00", 'DateTime must be between 1900-01-01 and 2200-12-31 (UTC); got "2200-12-31T23:00:00-05:00".'],
    ["2026-03-01", 'DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got "2026-03-01".'],
    ["nope", 'DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got "nope".'],
    [1772357400000, 'DateTime must be an ISO-8601 date and time with a UTC offset, e.g. "2026-03-01T09:30:00Z"; got 1772357400000.'],
  ])("refuses %j saying why", (value, message) => {
    expect(messageOf(() => DateTimeScalar.parseValue(value))).toBe(message);
  });
});

describe("Decimal", () => {
  it("quotes at most 40 characters of a value it refuses, with control characters escaped", () => {
    expect(messageOf(() => DecimalScalar.parseValue("1".repeat(1_000_000)))).toBe(`Decimal must be a string like "129.90", got "${"1".repeat(40)}…".`);
    expect(messageOf(() => DecimalScalar.parseValue("1\u0000"))).toBe('Decimal must be a string like "129.90", got "1\\u0000".');
  });
});
