import { Refusal, userError, type UserError } from "./errors.js";
import { decimalsRule, isAmountOf, isPlainAmount, minorUnits, MOST_MINOR_UNITS } from "./money.js";

/**
 * Error codes every subgraph's error enum carries, because the checks below
 * produce them. A subgraph's payload types refuse to compile when its enum
 * lacks one.
 */
export type CommonErrorCode =
  | "REQUIRED"
  | "TOO_LONG"
  | "OUT_OF_RANGE"
  | "INVALID_EMAIL"
  | "INVALID_COUNTRY"
  | "INVALID_CURRENCY"
  | "INVALID_AMOUNT"
  | "STALE_VERSION";

export type FieldPath = readonly (string | number)[];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
/** ISO 4217 currencies, each with no more decimals than the amount columns hold. */
const currencies = new Set(Intl.supportedValuesOf("currency").filter((code) => minorUnits(code) <= MOST_MINOR_UNITS));

export function isKnownCountry(code: string): boolean {
  // DisplayNames echoes a well-formed code it does not know.
  return /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;
}

export function isKnownTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Collects every problem with an input before refusing it, so a client fixes
 * all of them in one round trip.
 */
export class InputChecks<Code extends string> {
  readonly errors: UserError<Code | CommonErrorCode>[] = [];

  add(code: Code | CommonErrorCode, message: string, field?: FieldPath | null): this {
    this.errors.push(userError(code, message, field));
    return this;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** Throws a Refusal (rolling back the surrounding transaction) when anything failed. */
  refuseIfAny(): void {
    if (this.errors.length > 0) throw new Refusal(this.errors);
  }

  /**
   * Refuses when anything failed; otherwise returns `value`, which a check
   * above has already refused when missing.
   */
  passed<T>(value: T | null | undefined): T {
    this.refuseIfAny();
    if (value === null || value === undefined) throw new Error("a check let a missing value through");
    return value;
  }

  /** A required text: not blank, at most `max` characters. Returns the trimmed value. */
  text(value: string, field: FieldPath, max = 200): string {
    const trimmed = value.trim();
    if (!trimmed) this.add("REQUIRED", `${label(field)} must not be blank.`, field);
    else if (trimmed.length > max) this.add("TOO_LONG", `${label(field)} must be at most ${max} characters.`, field);
    return trimmed;
  }

  /** An optional text: blank becomes null. */
  optionalText(value: string | null | undefined, field: FieldPath, max = 200): string | null {
    const trimmed = value?.trim() ?? "";
    if (trimmed.length > max) this.add("TOO_LONG", `${label(field)} must be at most ${max} characters.`, field);
    return trimmed || null;
  }

  email(value: string | null | undefined, field: FieldPath): string | null {
    const trimmed = value?.trim() ?? "";
    if (!trimmed) return null;
    if (!EMAIL.test(trimmed) || trimmed.length > 254) {
      this.add("INVALID_EMAIL", `${label(field)} is not an email address.`, field);
    }
    return trimmed.toLowerCase();
  }

  country(value: string, field: FieldPath): string {
    const code = value.trim().toUpperCase();
    if (!isKnownCountry(code)) {
      this.add("INVALID_COUNTRY", `${label(field)} must be an ISO 3166 two-letter country code, e.g. DE.`, field);
    }
    return code;
  }

  /**
   * A money amount in a known ISO 4217 currency: not negative, with no more
   * decimals than the currency has (JPY none, EUR 2, KWD 3).
   */
  money(value: { amount: string; currency: string }, field: FieldPath): { amount: string; currency: string } {
    const currency = value.currency.trim().toUpperCase();
    if (!currencies.has(currency)) {
      this.add("INVALID_CURRENCY", `${label(field)} must be in an ISO 4217 currency, e.g. EUR.`, [...field, "currency"]);
      // Without a currency, the decimals can only be held to the most any currency has.
      if (!isPlainAmount(value.amount, MOST_MINOR_UNITS)) this.add("INVALID_AMOUNT", `${label(field)} must be zero or more.`, [...field, "amount"]);
    } else if (!isAmountOf(value.amount, currency)) {
      this.add("INVALID_AMOUNT", `${label(field)} must be zero or more with ${decimalsRule(currency)}.`, [...field, "amount"]);
    }
    return { amount: value.amount, currency };
  }

  range(value: number, field: FieldPath, min: number, max: number): number {
    if (!(value >= min && value <= max)) {
      this.add("OUT_OF_RANGE", `${label(field)} must be between ${min} and ${max}.`, field);
    }
    return value;
  }
}

function label(field: FieldPath): string {
  const path = field.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${part}`)).join("");
  return `\`${path}\``;
}

/**
 * Applies an update's fields to the current values: a field left out stays,
 * a field set to null is cleared when `clearable` allows it and refused
 * otherwise. The merged result is then checked like a new object, so create
 * and update obey the same rules.
 */
export function applyPatch<T extends object, Code extends string>(
  checks: InputChecks<Code>,
  current: T,
  patch: { [K in keyof T]?: T[K] | null },
  clearable: readonly (keyof T)[] = [],
): T {
  const merged = { ...current };
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null && !clearable.includes(key)) {
      checks.add("REQUIRED", `\`${key}\` cannot be cleared; leave it out to keep it.`, [key]);
      continue;
    }
    merged[key] = value as T[typeof key];
  }
  return merged;
}

/**
 * The row an update applies to, locked by the caller: refused when there is
 * none, or when someone changed it after the client read `expectedVersion`.
 */
export function currentVersion<Row extends { version: number }, Code extends string>(row: Row | null, expectedVersion: number, notFound: UserError<Code>): Row {
  if (!row) throw new Refusal([notFound]);
  if (row.version !== expectedVersion) {
    throw new Refusal([
      userError(
        "STALE_VERSION",
        `It was changed since you read it (you sent version ${expectedVersion}, it is now at ${row.version}); read it again and reapply your change.`,
        ["version"],
      ),
    ]);
  }
  return row;
}

/** A value the data model guarantees (a foreign key); its absence is a bug, not a refusal. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
