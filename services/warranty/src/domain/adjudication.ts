import { addAmounts, compareAmounts, multiplyAmountBy } from "@aftersales/kit";
import type { CoverageDecision, ServiceMode } from "./coverage.js";

export type ClaimLineKind = "PART" | "LABOR" | "TRAVEL";

export interface ClaimLine {
  kind: ClaimLineKind;
  partId: string | null;
  quantity: number | null;
  hours: number | null;
  km: number | null;
  claimedAmount: string;
}

export type LineStatus = "APPROVED" | "REDUCED" | "REJECTED" | "PENDING";

export type LineReason =
  | "NOT_COVERED"
  | "WORKSHOP_NOT_AUTHORIZED"
  | "DUPLICATE"
  | "PART_NOT_IN_BOM"
  | "PARTS_NOT_COVERED"
  | "PRICED_AT_LIST"
  | "LABOR_NOT_COVERED"
  | "LABOR_HOURS_CAPPED"
  | "LABOR_RATE"
  | "CONTRACT_HOURS_EXHAUSTED"
  | "CONTRACT_CASES_EXHAUSTED"
  | "NO_STANDARD_HOURS"
  | "TRAVEL_NEEDS_REVIEW"
  | "TRAVEL_NOT_COVERED";

export interface LineDecision {
  status: LineStatus;
  /** null while PENDING. */
  approvedAmount: string | null;
  reason: LineReason | null;
  explanation: string;
}

export interface AdjudicationFacts {
  /** Coverage on the failure date. */
  coverage: CoverageDecision;
  /** Whether the workshop was authorized on the repair date. */
  workshopAuthorized: boolean;
  /** Number of an earlier claim for the same unit and failure date. */
  duplicateOf: string | null;
  billOfMaterials: ReadonlySet<string>;
  partListPrices: ReadonlyMap<string, string>;
  /** Standard hours for the whole repair, shared by all of the claim's labor lines. */
  standardHours: number | null;
  laborRate: string;
  /** The claim's currency, the workshop's labor rate's: what every amount here is in. */
  currency: string;
  serviceMode: ServiceMode | null;
}

export type ClaimStatus = "SUBMITTED" | "IN_REVIEW" | "SENT_BACK" | "APPROVED" | "PARTIALLY_APPROVED" | "REJECTED" | "PAID";

/**
 * Hours count to the hundredth (36 seconds): 1.5 h is 150. Whole hundredths
 * keep sums and caps exact where floats would leave 0.30000000000000004 h.
 */
export const hundredthsOfHours = (hours: number): number => Math.round(hours * 100);
const hoursText = (hundredths: number): string => `${hundredths / 100} h`;

/** What the rules allow for parts: list price × quantity × parts share, half-up to the currency's minor unit. */
export const partAllowance = (currency: string, listPrice: string, quantity: number, partsShare: number): string =>
  multiplyAmountBy(currency, listPrice, [quantity, partsShare], 100, "half-up");

/** What the rules allow for labor: hours × rate × labor share, half-up to the currency's minor unit. */
export const laborAllowance = (currency: string, hoursHundredths: number, laborRate: string, laborShare: number): string =>
  multiplyAmountBy(currency, laborRate, [hoursHundredths, laborShare], 100 * 100, "half-up");

/** Decisions in one currency: what is paid is written with its decimals. */
function decisionsIn(currency: string) {
  const rejected = (reason: LineReason, explanation: string): LineDecision => ({
    status: "REJECTED",
    approvedAmount: addAmounts(currency),
    reason,
    explanation,
  });
  return {
    rejected,
    /**
     * Pays what was claimed when it is within what the rules allow, else the
     * allowance (REDUCED); an allowance of nothing rejects the line.
     */
    settle(claimed: string, allowed: string, reason: LineReason, explanation: string): LineDecision {
      if (compareAmounts(claimed, allowed) <= 0) return { status: "APPROVED", approvedAmount: addAmounts(currency, claimed), reason: null, explanation };
      if (compareAmounts(allowed, "0") === 0) return rejected(reason, explanation);
      return { status: "REDUCED", approvedAmount: allowed, reason, explanation };
    },
  };
}

const pending = (reason: LineReason | null, explanation: string): LineDecision => ({ status: "PENDING", approvedAmount: null, reason, explanation });

/** Rules that decide the whole claim, every line alike; null when the lines are judged one by one. */
function claimRejection(facts: AdjudicationFacts): { reason: LineReason; explanation: string } | null {
  const { coverage } = facts;
  if (coverage.kind === "NONE") {
    return { reason: "NOT_COVERED", explanation: `The unit was not covered on ${coverage.onDate}. ${coverage.explanation}` };
  }
  if (!facts.workshopAuthorized) {
    return { reason: "WORKSHOP_NOT_AUTHORIZED", explanation: "The workshop was not authorized for warranty repairs on the repair date." };
  }
  if (facts.duplicateOf !== null) {
    return { reason: "DUPLICATE", explanation: `Claim ${facts.duplicateOf} already claims this unit's failure on the same date.` };
  }
  const contract = coverage.kind === "CONTRACT" ? coverage.contract : null;
  if (contract && contract.casesLeft !== null && contract.casesLeft <= 0) {
    return { reason: "CONTRACT_CASES_EXHAUSTED", explanation: `Service contract ${contract.number} has no cases left.` };
  }
  return null;
}

/**
 * Decides each line of a claim, in this order: the claim-level rules (no
 * coverage on the failure date, a workshop not authorized on the repair
 * date, a duplicate, a contract without cases left) reject every line; then
 * each line by its kind. Standard hours and a contract's hours left are
 * budgets for the whole claim: labor lines use them up in claim order.
 */
export function adjudicateLines(lines: readonly ClaimLine[], facts: AdjudicationFacts): LineDecision[] {
  const { currency } = facts;
  const { rejected, settle } = decisionsIn(currency);
  const claimLevel = claimRejection(facts);
  if (claimLevel) return lines.map(() => rejected(claimLevel.reason, claimLevel.explanation));

  const { coverage } = facts;
  const contract = coverage.kind === "CONTRACT" ? coverage.contract : null;
  let standardLeft = facts.standardHours === null ? null : hundredthsOfHours(facts.standardHours);
  let contractLeft = contract?.laborHoursLeft == null ? null : hundredthsOfHours(contract.laborHoursLeft);

  return lines.map((line): LineDecision => {
    const claimed = addAmounts(currency, line.claimedAmount);
    switch (line.kind) {
      case "PART": {
        if (line.partId === null || !facts.billOfMaterials.has(line.partId)) {
          return rejected(
            "PART_NOT_IN_BOM",
            line.partId === null ? "The part line names no part." : `Part ${line.partId} is not in the product's bill of materials.`,
          );
        }
        if (coverage.partsShare === 0) return rejected("PARTS_NOT_COVERED", `Parts are not covered (0 %); claimed ${claimed}.`);
        const listPrice = facts.partListPrices.get(line.partId);
        if (listPrice === undefined) return pending(null, `No list price is known for part ${line.partId}; an agent prices it.`);
        // A part line without a quantity claims one part.
        const quantity = line.quantity ?? 1;
        const allowed = partAllowance(currency, listPrice, quantity, coverage.partsShare);
        return settle(
          claimed,
          allowed,
          "PRICED_AT_LIST",
          `${quantity} × ${addAmounts(currency, listPrice)} at list × ${coverage.partsShare} % = ${allowed}; claimed ${claimed}.`,
        );
      }

      case "LABOR": {
        if (coverage.laborShare === 0) return rejected("LABOR_NOT_COVERED", `Labor is not covered (0 %); claimed ${claimed}.`);
        // Nothing left on the contract rejects the line whatever the standard hours.
        if (contract && contractLeft !== null && contractLeft <= 0) {
          return rejected("CONTRACT_HOURS_EXHAUSTED", `Service contract ${contract.number} has no labor hours left; claimed ${claimed}.`);
        }
        if (standardLeft === null) return pending("NO_STANDARD_HOURS", "No standard hours are set for this repair; an agent decides the hours.");
        if (line.hours === null) return pending(null, "The labor line gives no hours; an agent decides.");

        const hours = hundredthsOfHours(line.hours);
        const standardTotal = hundredthsOfHours(facts.standardHours ?? 0);
        let allowedHours = Math.min(hours, standardLeft);
        let cap =
          standardLeft === standardTotal
            ? `capped at the ${hoursText(standardTotal)} standard`
            : `capped at the ${hoursText(Math.max(standardLeft, 0))} left of the ${hoursText(standardTotal)} standard`;
        if (contractLeft !== null && contractLeft < allowedHours) {
          allowedHours = contractLeft;
          cap = `capped at the ${hoursText(contractLeft)} left on service contract ${contract?.number}`;
        }
        allowedHours = Math.max(allowedHours, 0);
        standardLeft -= allowedHours;
        if (contractLeft !== null) contractLeft -= allowedHours;

        const allowed = laborAllowance(currency, allowedHours, facts.laborRate, coverage.laborShare);
        const figures = `${hoursText(allowedHours)} at ${addAmounts(currency, facts.laborRate)} × ${coverage.laborShare} % = ${allowed}; claimed ${claimed}.`;
        if (allowedHours < hours) return settle(claimed, allowed, "LABOR_HOURS_CAPPED", `${hoursText(hours)} claimed, ${cap}: ${figures}`);
        return settle(claimed, allowed, "LABOR_RATE", figures);
      }

      case "TRAVEL": {
        if (facts.serviceMode === "CARRY_IN") {
          return rejected("TRAVEL_NOT_COVERED", "The unit is serviced carry-in: the customer brings it in, so travel is not covered.");
        }
        const distance = line.km === null ? "" : ` (${line.km} km)`;
        return pending("TRAVEL_NEEDS_REVIEW", `No rule prices travel${distance}; an agent decides on the ${claimed} claimed.`);
      }
    }
    // Every kind is decided above; one the schema gains fails here rather than passing undecided.
    throw new Error(`No rule decides a ${line.kind satisfies never} line.`);
  });
}

/**
 * Status and totals from line decisions: any PENDING → IN_REVIEW; all
 * REJECTED → REJECTED; all APPROVED → APPROVED; otherwise PARTIALLY_APPROVED.
 * A pending line counts as nothing approved yet.
 */
export function claimOutcome(
  lines: readonly { claimedAmount: string; decision: LineDecision }[],
  currency: string,
): {
  status: "IN_REVIEW" | "APPROVED" | "PARTIALLY_APPROVED" | "REJECTED";
  claimedTotal: string;
  approvedTotal: string;
} {
  const statuses = lines.map((l) => l.decision.status);
  const status = statuses.includes("PENDING")
    ? "IN_REVIEW"
    : statuses.every((s) => s === "REJECTED")
      ? "REJECTED"
      : statuses.every((s) => s === "APPROVED")
        ? "APPROVED"
        : "PARTIALLY_APPROVED";
  return {
    status,
    claimedTotal: addAmounts(currency, ...lines.map((l) => l.claimedAmount)),
    approvedTotal: addAmounts(currency, ...lines.map((l) => l.decision.approvedAmount ?? "0")),
  };
}
