import { describe, expect, it } from "vitest";
import { databaseErrorOf } from "../src/errors.js";
import { applyPatch, InputChecks, isKnownCountry, isKnownTimeZone } from "../src/validate.js";

describe("InputChecks", () => {
  it.each([
    [{ amount: "12.50", currency: "eur" }, []],
    [{ amount: "0", currency: "JPY" }, []],
    [{ amount: "-1.00", currency: "EUR" }, ["INVALID_AMOUNT"]],
    [{ amount: "1.005", currency: "EUR" }, ["INVALID_AMOUNT"]],
    [{ amount: "10", currency: "EU" }, ["INVALID_CURRENCY"]],
    // each currency's own decimals
    [{ amount: "1200", currency: "JPY" }, []],
    [{ amount: "1200.50", currency: "JPY" }, ["INVALID_AMOUNT"]],
    [{ amount: "12.345", currency: "KWD" }, []],
    [{ amount: "12.3456", currency: "KWD" }, ["INVALID_AMOUNT"]],
    [{ amount: "12.345", currency: "eur" }, ["INVALID_AMOUNT"]],
    // a unit of account with more decimals than the columns hold is no currency to price in
    [{ amount: "1", currency: "CLF" }, ["INVALID_CURRENCY"]],
  ])("checks money %o", (money, codes) => {
    const checks = new InputChecks<never>();
    const checked = checks.money(money, ["price"]);
    expect(checks.errors.map((e) => e.code)).toEqual(codes);
    expect(checked.currency).toBe(money.currency.toUpperCase());
  });

  it("says how many decimals the currency takes", () => {
    const checks = new InputChecks<never>();
    checks.money({ amount: "1200.5", currency: "JPY" }, ["price"]);
    checks.money({ amount: "1.2345", currency: "KWD" }, ["fee"]);
    expect(checks.errors.map((e) => e.message)).toEqual([
      "`price` must be zero or more with no decimals, as JPY has none.",
      "`fee` must be zero or more with at most 3 decimals, as KWD has.",
    ]);
  });

  it("names the field path with indexes in messages and as strings in `field`", () => {
    const checks = new InputChecks<never>();
    checks.text("  ", ["lines", 2, "name"]);
    expect(checks.errors).toEqual([{ code: "REQUIRED", message: "`lines[2].name` must not be blank.", field: ["lines", "2", "name"] }]);
  });

  it("knows countries and time zones", () => {
    expect(["DE", "US", "JP"].every(isKnownCountry)).toBe(true);
    expect(["XX", "de", "DEU"].some(isKnownCountry)).toBe(false);
    expect(["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"].every(isKnownTimeZone)).toBe(true);
    expect(["Europe/Atlantis", "", "GMT+25"].some(isKnownTimeZone)).toBe(false);
  });

  it("lowercases emails and refuses what is not one", () => {
    const checks = new InputChecks<never>();
    expect(checks.email(" Ada@Example.COM ", ["email"])).toBe("ada@example.com");
    expect(checks.email("", ["email"])).toBeNull();
    checks.email("ada@", ["email"]);
    expect(checks.errors.map((e) => e.code)).toEqual(["INVALID_EMAIL"]);
  });
});

describe("applyPatch", () => {
  const current = { name: "Old", email: "a@b.example" as string | null, radius: 5 };

  it("keeps left-out fields, takes given ones, clears clearable ones", () => {
    const checks = new InputChecks<never>();
    expect(applyPatch(checks, current, { radius: 9, email: null }, ["email"])).toEqual({ name: "Old", email: null, radius: 9 });
    expect(checks.ok).toBe(true);
  });

  it("refuses null for a field that cannot be cleared", () => {
    const checks = new InputChecks<never>();
    applyPatch(checks, current, { name: null });
    expect(checks.errors).toEqual([expect.objectContaining({ code: "REQUIRED", field: ["name"] })]);
  });
});

describe("databaseErrorOf", () => {
  it("finds the SQLSTATE and constraint through wrappers, for either driver's naming", () => {
    const postgresJs = { code: "23505", constraint_name: "units_serial_number_key" };
    const pglite = { code: "23505", constraint: "units_serial_number_key" };
    expect(databaseErrorOf(new Error("wrapped", { cause: postgresJs }))).toEqual({ code: "23505", constraint: "units_serial_number_key" });
    expect(databaseErrorOf(pglite)).toEqual({ code: "23505", constraint: "units_serial_number_key" });
    expect(databaseErrorOf(new Error("no database here"))).toBeNull();
  });
});

describe("dates", async () => {
  const { addDays, addYears, daysBetween, latestPastDate } = await import("../src/dates.js");

  it.each([
    ["2024-02-28", 1, "2024-02-29"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-29", 1, "2026-03-30"],
    ["2026-01-10", -10, "2025-12-31"],
  ])("%s plus %i days is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ["2024-02-29", 1, "2025-02-28"],
    ["2024-02-29", 4, "2028-02-29"],
    ["2026-06-15", 10, "2036-06-15"],
  ])("%s plus %i years is %s", (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it("counts days across a leap day and backwards", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2024-03-01", "2024-02-28")).toBe(-2);
  });

  it("allows tomorrow (UTC) as the latest past date", () => {
    expect(latestPastDate(new Date("2026-11-23T23:30:00Z"))).toBe("2026-11-24");
  });
});
