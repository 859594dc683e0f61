import { addYears, userError, type UserError } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";

export type LifecycleStage = "INTRODUCTION" | "GROWTH" | "MATURITY" | "DECLINE" | "DISCONTINUED";

/** How long spare parts stay available after discontinuation unless a change says otherwise. */
export const DEFAULT_PARTS_GUARANTEE_YEARS = 10;
export const MAX_PARTS_GUARANTEE_YEARS = 30;

/**
 * Whether a product may move from `from` to `to`. Markets move both ways
 * (a relaunch takes a product from DECLINE back to GROWTH), but a
 * discontinued product stays discontinued: dealers and warranty rely on it.
 */
export function checkLifecycleChange(from: LifecycleStage, to: LifecycleStage): UserError<CatalogErrorCode> | null {
  if (from === "DISCONTINUED") {
    return userError("LIFECYCLE_FINAL", "The product is discontinued; that stage is final.", ["stage"]);
  }
  if (from === to) return userError("SAME_STAGE", `The product is already in ${to}.`, ["stage"]);
  return null;
}

/** The last day spare parts are guaranteed: `years` after discontinuation. */
export function partsGuaranteedUntil(discontinuedOn: string, years = DEFAULT_PARTS_GUARANTEE_YEARS): string {
  return addYears(discontinuedOn, years);
}
