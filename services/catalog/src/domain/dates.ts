import { latestPastDate, type InputChecks } from "@aftersales/kit";
import type { CatalogErrorCode } from "./errors.js";

/**
 * Refuses the date of something that has already happened (a registration,
 * a purchase, a launch) when it lies in the future. Returns the date.
 */
export function checkHappened(checks: InputChecks<CatalogErrorCode>, date: string, field: string): string {
  if (date > latestPastDate()) {
    checks.add("DATE_IN_FUTURE", `${date} is in the future; record it once it has happened.`, [field]);
  }
  return date;
}
