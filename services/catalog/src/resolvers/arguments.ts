import { addDays, badUserInput, todayUtc } from "@aftersales/kit";

/** How far ahead a refill list may look. */
export const MAX_WITHIN_DAYS = 3650;

/** The last run-out date a `replenishmentDue(within, asOf)` list includes. */
export function dueUntil(within: number, asOf: string | null | undefined): { asOf: string; until: string } {
  if (!Number.isInteger(within) || within < 0 || within > MAX_WITHIN_DAYS) {
    throw badUserInput(`\`within\` must be between 0 and ${MAX_WITHIN_DAYS} days.`, "within");
  }
  const from = asOf ?? todayUtc();
  return { asOf: from, until: addDays(from, within) };
}
