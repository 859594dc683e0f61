import { addAmounts, compareAmounts, decimalsRule, formatAmount, isAmountOf, zonedInstant, type InputChecks, type Role } from "@aftersales/kit";
import { hundredthsOfHours, type ClaimLine, type ClaimLineKind, type ClaimStatus, type LineDecision, type LineStatus } from "./adjudication.js";
import type { WarrantyErrorCode } from "./errors.js";
import { FAILURE_CODE } from "./policy.js";

/**
 * The rules of warranty claims that need no database: who may do what, what
 * a claim's input must look like, which status allows which step, and the
 * small sums the mutations record.
 */

// ---------------------------------------------------------------------------
// Who
// ---------------------------------------------------------------------------

/** A DEALER files its own claims; staff file for any dealer. */
export const FILES_CLAIMS: readonly Role[] = ["DEALER", "AGENT", "ADMIN"];

/** Deciding lines, sending back and recording payment are the maker's staff's. */
export const DECIDES_CLAIMS: readonly Role[] = ["AGENT", "ADMIN"];

/** The claim's DEALER answers a question about it; staff may answer on its behalf. */
export const ANSWERS_CLAIMS: readonly Role[] = ["DEALER", "AGENT", "ADMIN"];

// ---------------------------------------------------------------------------
// Which status allows what
// ---------------------------------------------------------------------------

export type ClaimStep = "review" | "sendBack" | "answer" | "markPaid";

/**
 * The statuses each step starts from. A claim waiting for its dealer
 * (SENT_BACK) is reviewed again only once answered; PAID is in no list: a
 * paid claim never changes again.
 */
export const STEP_STARTS_FROM: Readonly<Record<ClaimStep, readonly ClaimStatus[]>> = {
  review: ["SUBMITTED", "IN_REVIEW", "APPROVED", "PARTIALLY_APPROVED", "REJECTED"],
  sendBack: ["SUBMITTED", "IN_REVIEW", "APPROVED", "PARTIALLY_APPROVED", "REJECTED"],
  answer: ["SENT_BACK"],
  markPaid: ["APPROVED", "PARTIALLY_APPROVED"],
};

const stepNoun: Record<ClaimStep, string> = {
  review: "reviewed",
  sendBack: "sent back",
  answer: "answered",
  markPaid: "paid",
};

/** Adds INVALID_CLAIM_STATUS (on `id`) when the claim's status does not allow the step. */
export function checkClaimStatus(checks: InputChecks<WarrantyErrorCode>, step: ClaimStep, status: ClaimStatus): void {
  if (STEP_STARTS_FROM[step].includes(status)) return;
  const why = status === "PAID" ? "A paid claim never changes again." : `Only a claim that is ${STEP_STARTS_FROM[step].join(", ")} can be ${stepNoun[step]}.`;
  checks.add("INVALID_CLAIM_STATUS", `The claim is ${status}. ${why}`, ["id"]);
}

/** The statuses a claim's adjudication ends in. */
export const DECIDED: readonly ClaimStatus[] = ["APPROVED", "PARTIALLY_APPROVED", "REJECTED"];

export const isDecided = (status: ClaimStatus): boolean => DECIDED.includes(status);

// ---------------------------------------------------------------------------
// Filing: the input
// ---------------------------------------------------------------------------

export const MAX_CLAIM_LINES = 50;
export const MAX_COMMENT = 2000;
export const MAX_IDEMPOTENCY_KEY = 100;
export const MAX_PAYMENT_REFERENCE = 100;

/** How the client names the unit: by exactly one of id and serial number. */
export function checkUnitReference(
  checks: InputChecks<WarrantyErrorCode>,
  reference: { unitId?: string | null; serialNumber?: string | null },
): { by: "unitId" | "serialNumber"; value: string } | null {
  const unitId = reference.unitId?.trim() || null;
  const serialNumber = reference.serialNumber?.trim() || null;
  if (!unitId === !serialNumber) {
    checks.add("UNIT_REFERENCE_REQUIRED", "Give the unit by exactly one of `unitId` and `serialNumber`.", ["unitId"]);
    return null;
  }
  return unitId ? { by: "unitId", value: unitId } : { by: "serialNumber", value: serialNumber ?? "" };
}

/**
 * A repair comes after its failure, and both have happened by
 * `latestPastDate` (a day of slack for time zones ahead of UTC).
 */
export function checkClaimDates(checks: InputChecks<WarrantyErrorCode>, failureOn: string, repairOn: string, latestPastDate: string): void {
  if (failureOn > latestPastDate) {
    checks.add("DATE_IN_FUTURE", `The failure on ${failureOn} has not happened yet.`, ["failureOn"]);
  }
  if (repairOn > latestPastDate) {
    checks.add("DATE_IN_FUTURE", `The repair on ${repairOn} has not happened yet; file the claim once it is done.`, ["repairOn"]);
  }
  if (failureOn > repairOn) {
    checks.add("DATES_OUT_OF_ORDER", `The repair on ${repairOn} comes before the failure on ${failureOn}.`, ["repairOn"]);
  }
}

/** A failure code, upper-cased: 1 to 32 letters, digits and `-_.`. */
export function checkFailureCode(checks: InputChecks<WarrantyErrorCode>, value: string): string {
  const code = value.trim().toUpperCase();
  if (!FAILURE_CODE.test(code)) {
    checks.add("INVALID_FORMAT", "A failure code is 1 to 32 upper-case letters, digits and `-_.`, e.g. E42-PUMP.", ["failureCode"]);
  }
  return code;
}

export interface ClaimLineInput {
  kind: ClaimLineKind;
  partId?: string | null;
  quantity?: number | null;
  hours?: number | null;
  km?: number | null;
  claimed: { amount: string; currency: string };
}

/** A claim line as filed, checked: what adjudication reads, with the currency claimed in. */
export type CheckedClaimLine = ClaimLine & { currency: string };

type LineField = "partId" | "quantity" | "hours" | "km";

/** What each kind of line needs; every other field must be left out. */
const LINE_NEEDS: Record<ClaimLineKind, readonly LineField[]> = {
  PART: ["partId", "quantity"],
  LABOR: ["hours"],
  TRAVEL: ["km"],
};

const LINE_FIELDS: readonly LineField[] = ["partId", "quantity", "hours", "km"];

/**
 * Checks a claim's lines: 1 to 50; a PART line names a part and a quantity
 * of 1 to 1000, a LABOR line more than 0 and at most 100 hours, a TRAVEL line
 * more than 0 and at most 2000 km, and none gives what its kind does not
 * use (INVALID_LINE for a missing or extra field, OUT_OF_RANGE for a number
 * outside its range); each claims a money amount. Returns the lines with
 * amounts written with their currency's decimals.
 */
export function checkClaimLines(checks: InputChecks<WarrantyErrorCode>, lines: readonly ClaimLineInput[]): CheckedClaimLine[] {
  if (lines.length < 1 || lines.length > MAX_CLAIM_LINES) {
    checks.add("OUT_OF_RANGE", `A claim has 1 to ${MAX_CLAIM_LINES} lines; this one has ${lines.length}.`, ["lines"]);
  }
  return lines.map((line, i) => {
    const at = (field: string) => ["lines", i, field];
    const needs = LINE_NEEDS[line.kind];
    for (const field of LINE_FIELDS) {
      const value = line[field];
      const given = typeof value === "string" ? value.trim() !== "" : value !== null && value !== undefined;
      if (needs.includes(field) && !given) {
        checks.add("INVALID_LINE", `A ${line.kind} line needs \`${field}\`.`, at(field));
      } else if (!needs.includes(field) && given) {
        checks.add("INVALID_LINE", `A ${line.kind} line has no \`${field}\`; leave it out.`, at(field));
      }
    }
    const partId = line.partId?.trim() || null;
    if (line.kind === "PART" && partId && partId.length > 64) checks.add("TOO_LONG", "A part id has at most 64 characters.", at("partId"));
    const quantity = line.quantity ?? null;
    if (line.kind === "PART" && quantity !== null && !(Number.isInteger(quantity) && quantity >= 1 && quantity <= 1000)) {
      checks.add("OUT_OF_RANGE", "A part line's `quantity` is a whole number from 1 to 1000.", at("quantity"));
    }
    const hours = line.hours ?? null;
    if (line.kind === "LABOR" && hours !== null && !(hours > 0 && hours <= 100)) {
      checks.add("OUT_OF_RANGE", "A labor line's `hours` are more than 0 and at most 100.", at("hours"));
    }
    const km = line.km ?? null;
    if (line.kind === "TRAVEL" && km !== null && !(km > 0 && km <= 2000)) {
      checks.add("OUT_OF_RANGE", "A travel line's `km` are more than 0 and at most 2000.", at("km"));
    }
    const problemsBefore = checks.errors.length;
    const claimed = checks.money(line.claimed, ["lines", i, "claimed"]);
    const wellFormed = checks.errors.length === problemsBefore;
    return {
      kind: line.kind,
      partId: line.kind === "PART" ? partId : null,
      quantity: line.kind === "PART" ? quantity : null,
      hours: line.kind === "LABOR" ? hours : null,
      km: line.kind === "TRAVEL" ? km : null,
      // Only a well-formed amount in a known currency is rewritten; anything else was refused above.
      claimedAmount: wellFormed ? formatAmount(claimed.amount, claimed.currency) : claimed.amount,
      currency: claimed.currency,
    };
  });
}

/**
 * Every line is claimed in the filing dealer's labor-rate currency: the
 * claim is paid in it. Adds CURRENCY_MISMATCH on each line that is not.
 */
export function checkClaimCurrency(checks: InputChecks<WarrantyErrorCode>, lines: readonly CheckedClaimLine[], currency: string): void {
  lines.forEach((line, i) => {
    if (line.currency !== currency) {
      checks.add("CURRENCY_MISMATCH", `The dealer's labor rate is in ${currency}; claim every line in ${currency}, not ${line.currency}.`, [
        "lines",
        i,
        "claimed",
        "currency",
      ]);
    }
  });
}

// ---------------------------------------------------------------------------
// Filing: the facts adjudication needs
// ---------------------------------------------------------------------------

/**
 * The instant it is noon of `date` in `timeZone`: coverage runs in the
 * unit's local days, so a claim's coverage is decided at an instant that
 * falls on its failure date there (UTC noon would be the next day in
 * UTC+14 and the day before in UTC−12). Noon is never skipped or repeated
 * by a change to or from summer time.
 */
export const localNoon = (date: string, timeZone: string): Date => zonedInstant(date, "12:00", timeZone);

/** Whether a dealer was an authorized warranty workshop on `day`: from its first day, through its last when it has one. */
export function workshopAuthorizedOn(dealer: { workshopAuthorizedFrom: string | null; workshopAuthorizedUntil: string | null }, day: string): boolean {
  const { workshopAuthorizedFrom: from, workshopAuthorizedUntil: until } = dealer;
  return from !== null && from <= day && (until === null || day <= until);
}

// ---------------------------------------------------------------------------
// Reviewing lines
// ---------------------------------------------------------------------------

export interface LineReviewInput {
  lineNumber: number;
  decision: "APPROVE" | "REDUCE" | "REJECT";
  approvedAmount?: string | null;
  comment?: string | null;
}

/** An agent's decision on a line, as it is saved. */
export interface AgentLineDecision extends LineDecision {
  lineNumber: number;
  reason: null;
  decidedBy: string;
}

/**
 * Checks an agent's decisions on a claim's lines and returns them: each
 * names a line of the claim (LINE_NOT_FOUND), at most once (DUPLICATE_ENTRY);
 * APPROVE pays what was claimed; REDUCE pays `approvedAmount`, more than 0
 * and less than claimed, in the claim's `currency` and with no more decimals
 * than it has, and says why; REJECT pays nothing and says why. Only REDUCE
 * takes an amount. At least one line is decided.
 */
export function checkLineReviews(
  checks: InputChecks<WarrantyErrorCode>,
  reviews: readonly LineReviewInput[],
  lines: readonly { lineNumber: number; claimedAmount: string }[],
  currency: string,
  agent: string,
): AgentLineDecision[] {
  if (reviews.length === 0) checks.add("REQUIRED", "Decide at least one line; to ask the dealer something, send the claim back.", ["lines"]);
  const claimedByLine = new Map(lines.map((line) => [line.lineNumber, line.claimedAmount]));
  const seen = new Set<number>();
  const decisions: AgentLineDecision[] = [];
  reviews.forEach((review, i) => {
    const at = (field: string) => ["lines", i, field];
    const claimed = claimedByLine.get(review.lineNumber);
    if (claimed === undefined) {
      checks.add("LINE_NOT_FOUND", `The claim has no line ${review.lineNumber}.`, at("lineNumber"));
    } else if (seen.has(review.lineNumber)) {
      checks.add("DUPLICATE_ENTRY", `Line ${review.lineNumber} is decided twice.`, at("lineNumber"));
    }
    seen.add(review.lineNumber);

    const comment = checks.optionalText(review.comment, at("comment"), MAX_COMMENT);
    if (review.decision !== "APPROVE" && !comment) {
      checks.add("REQUIRED", `Say why the line is ${review.decision === "REDUCE" ? "reduced" : "rejected"}.`, at("comment"));
    }
    const amount = review.approvedAmount?.trim() || null;
    if (review.decision !== "REDUCE" && amount !== null) {
      checks.add(
        "INVALID_LINE",
        `Only a REDUCE decision takes an \`approvedAmount\`; ${review.decision} pays ${review.decision === "APPROVE" ? "what was claimed" : "nothing"}.`,
        at("approvedAmount"),
      );
    }
    let approvedAmount: string | null = null;
    if (review.decision === "REDUCE") {
      if (amount === null) {
        checks.add("REQUIRED", "A reduced line needs the `approvedAmount`.", at("approvedAmount"));
      } else if (!isAmountOf(amount, currency)) {
        checks.add("INVALID_AMOUNT", `\`approvedAmount\` must be more than zero with ${decimalsRule(currency)}.`, at("approvedAmount"));
      } else if (claimed !== undefined && !(compareAmounts(amount, "0") > 0 && compareAmounts(amount, claimed) < 0)) {
        checks.add(
          "OUT_OF_RANGE",
          `A reduced line pays more than ${addAmounts(currency)} and less than the ${addAmounts(currency, claimed)} claimed.`,
          at("approvedAmount"),
        );
      } else {
        approvedAmount = formatAmount(amount, currency);
      }
    }
    if (claimed === undefined) return;
    const decision: Record<LineReviewInput["decision"], { status: LineStatus; approvedAmount: string }> = {
      APPROVE: { status: "APPROVED", approvedAmount: addAmounts(currency, claimed) },
      REDUCE: { status: "REDUCED", approvedAmount: approvedAmount ?? addAmounts(currency) },
      REJECT: { status: "REJECTED", approvedAmount: addAmounts(currency) },
    };
    decisions.push({
      lineNumber: review.lineNumber,
      ...decision[review.decision],
      // AGENT_DECISION is the saved reason; LineDecision's reasons are the rules' own.
      reason: null,
      explanation: comment ?? "Approved by an agent.",
      decidedBy: agent,
    });
  });
  return decisions;
}

/** A stored line as `claimOutcome` reads it. */
export function outcomeLineOf(line: { claimedAmount: string; status: LineStatus; approvedAmount: string | null; explanation: string }): {
  claimedAmount: string;
  decision: LineDecision;
} {
  return {
    claimedAmount: line.claimedAmount,
    decision: { status: line.status, approvedAmount: line.approvedAmount, reason: null, explanation: line.explanation },
  };
}

// ---------------------------------------------------------------------------
// Contract usage
// ---------------------------------------------------------------------------

/**
 * The labor hours an approved repair uses of a contract: the hours of its
 * approved and reduced LABOR lines, but no more than the repair's standard
 * hours when there are some (the rules never pay more; an agent's decision
 * on a repair without standard hours pays the hours claimed). Counted in
 * hundredths, as adjudication counts them.
 */
export function approvedLaborHours(lines: readonly { kind: ClaimLineKind; status: LineStatus; hours: number | null }[], standardHours: number | null): number {
  const approved = lines
    .filter((line) => line.kind === "LABOR" && (line.status === "APPROVED" || line.status === "REDUCED"))
    .reduce((sum, line) => sum + hundredthsOfHours(line.hours ?? 0), 0);
  const capped = standardHours === null ? approved : Math.min(approved, hundredthsOfHours(standardHours));
  return capped / 100;
}

/**
 * The contract a claim's repair counts against, once: when the claim is
 * under a contract and first reaches a decision that pays something.
 * `earlierStatuses` are the statuses its history went through before; a claim
 * approved once has been counted, whatever happens to it afterwards (sent
 * back, answered, decided again). Null when nothing is to be counted.
 */
export function contractToCharge(
  claim: { coverageKind: "WARRANTY" | "CONTRACT" | "NONE"; contractId: string | null; status: ClaimStatus; approvedTotal: string },
  earlierStatuses: readonly ClaimStatus[],
): string | null {
  const pays = (status: ClaimStatus) => status === "APPROVED" || status === "PARTIALLY_APPROVED" || status === "PAID";
  if (claim.coverageKind !== "CONTRACT" || claim.contractId === null) return null;
  if (!pays(claim.status) || compareAmounts(claim.approvedTotal, "0") <= 0) return null;
  if (earlierStatuses.some(pays)) return null;
  return claim.contractId;
}
