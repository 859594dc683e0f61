import { todayUtc, type InputChecks } from "@aftersales/kit";
import type { WarrantyErrorCode } from "./errors.js";
import type { PolicyTerms } from "./coverage.js";

export const FAILURE_CODE = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

/** The terms of a new policy version, as given: what a version holds but its identity. */
export type PolicyInput = Omit<PolicyTerms, "id" | "productId" | "version">;

/**
 * Checks a new policy version. A version that starts in the past would
 * change the warranty of units already sold, so only a product's first
 * policy may reach back (an import of terms that were always in force); and
 * versions follow each other in time.
 */
export function checkPolicy(
  checks: InputChecks<WarrantyErrorCode>,
  input: PolicyInput,
  latest: { effectiveFrom: string } | null,
  today: string = todayUtc(),
): PolicyInput {
  checks.range(input.months, ["months"], 1, 240);
  checks.range(input.partsShare, ["partsShare"], 0, 100);
  checks.range(input.laborShare, ["laborShare"], 0, 100);
  if (latest && input.effectiveFrom < today) {
    checks.add(
      "DATE_IN_PAST",
      "A new version cannot start before today: units already sold keep their terms. Only a product's first policy may start in the past.",
      ["effectiveFrom"],
    );
  } else if (latest && input.effectiveFrom <= latest.effectiveFrom) {
    checks.add("NOT_AFTER_LATEST_VERSION", `The latest version starts on ${latest.effectiveFrom}; a new one must start after it.`, ["effectiveFrom"]);
  }
  const seen = new Set<string>();
  const exclusions = input.exclusions.map((exclusion, i) => {
    const failureCode = exclusion.failureCode.trim().toUpperCase();
    if (!FAILURE_CODE.test(failureCode)) {
      checks.add("INVALID_FORMAT", "A failure code is 1 to 32 upper-case letters, digits and `-_.`.", ["exclusions", i, "failureCode"]);
    } else if (seen.has(failureCode)) {
      checks.add("DUPLICATE_ENTRY", `The failure code ${failureCode} is excluded twice.`, ["exclusions", i, "failureCode"]);
    }
    seen.add(failureCode);
    return { failureCode, description: checks.text(exclusion.description, ["exclusions", i, "description"], 500) };
  });
  return { ...input, exclusions };
}
