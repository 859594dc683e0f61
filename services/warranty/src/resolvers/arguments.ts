import { badUserInput } from "@aftersales/kit";

/** `within` of lists due or ending soon: 0 (today only) to 366 days. */
export function withinDays(within: number): number {
  if (!Number.isInteger(within) || within < 0 || within > 366) throw badUserInput("`within` must be between 0 and 366 days.", "within");
  return within;
}
