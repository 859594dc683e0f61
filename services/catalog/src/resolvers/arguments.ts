import { addDays, badUserInput, todayUtc } from "@aftersales/kit";
import type { DueWindow } from "../db/forecasts.js";

/** How far ahead a refill list may look. */
export const MAX_WITHIN_DAYS = 3650;

/** The window of a `replenishmentDue(within, asOf, overdue)` list. */
export function dueUntil(within: number, asOf: string | null | undefined, overdue?: boolean | null): DueWindow {
  if (!Number.isInteger(within) || within < 0 || within > MAX_WITHIN_DAYS) {
    throw badUserInput(`\`within\` must be between 0 and ${MAX_WITHIN_DAYS} days.`, "within");
  }
  const from = asOf ?? todayUtc();
  return { asOf: from, until: addDays(from, within), overdue: overdue ?? null };
}
