import type { InputChecks } from "@aftersales/kit";
import type { WarrantyErrorCode } from "./errors.js";
import { VISITS_PER_YEAR } from "./maintenance.js";

export interface PlanDraft {
  name: string;
  description: string | null;
  priceSharePercent: number;
  termMonths: number;
  responseHours: number;
  resolutionHours: number;
  visitsPerYear: number;
  floatingVisits: boolean;
  partsCovered: boolean;
  laborCovered: boolean;
  loanerIncluded: boolean;
  maxCases: number | null;
  maxLaborHours: number | null;
  offered: boolean;
}

/** Checks a plan as a whole, so a new plan and an updated one obey the same rules. */
export function checkPlan(checks: InputChecks<WarrantyErrorCode>, draft: PlanDraft): PlanDraft {
  const name = checks.text(draft.name, ["name"], 100);
  const description = checks.optionalText(draft.description, ["description"], 2000);
  checks.range(draft.priceSharePercent, ["priceSharePercent"], 0.5, 30);
  if (Math.round(draft.priceSharePercent * 100) !== draft.priceSharePercent * 100) {
    checks.add("OUT_OF_RANGE", "`priceSharePercent` has at most two decimals.", ["priceSharePercent"]);
  }
  checks.range(draft.termMonths, ["termMonths"], 1, 120);
  checks.range(draft.responseHours, ["responseHours"], 1, 720);
  checks.range(draft.resolutionHours, ["resolutionHours"], Math.max(1, draft.responseHours), 2160);
  if (draft.visitsPerYear !== 0 && !(VISITS_PER_YEAR as readonly number[]).includes(draft.visitsPerYear)) {
    checks.add("OUT_OF_RANGE", "`visitsPerYear` is 0, 1, 2, 3, 4, 6 or 12, so visits fall on whole months.", ["visitsPerYear"]);
  }
  if (draft.maxCases !== null) checks.range(draft.maxCases, ["maxCases"], 1, 1000);
  if (draft.maxLaborHours !== null) checks.range(draft.maxLaborHours, ["maxLaborHours"], 0.5, 10000);
  if (!draft.partsCovered && !draft.laborCovered && draft.visitsPerYear === 0) {
    checks.add("REQUIRED", "A plan covers parts, labor or preventive visits; this one offers nothing.", ["partsCovered"]);
  }
  return { ...draft, name, description };
}
