import { dealerToBook, inputHash, InputChecks, type Identity } from "@aftersales/kit";
import { adjudicateLines, claimOutcome, type LineDecision } from "./adjudication.js";
import {
  approvedLaborHours,
  checkClaimCurrency,
  checkClaimDates,
  checkClaimLines,
  checkFailureCode,
  checkUnitReference,
  contractToCharge,
  isDecided,
  MAX_IDEMPOTENCY_KEY,
  workshopAuthorizedOn,
  type CheckedClaimLine,
  type ClaimLineInput,
} from "./claims.js";
import type { CoverageDecision } from "./coverage.js";
import type { WarrantyErrorCode } from "./errors.js";

/**
 * Filing a warranty claim, as decisions: what the input says (checked
 * before anything is read), what the records it names allow, and how the
 * claim is adjudicated from the facts. The resolver reads and writes; every
 * rule lives here.
 */

export interface FilingInput {
  idempotencyKey?: string | null;
  dealerId?: string | null;
  unitId?: string | null;
  serialNumber?: string | null;
  failureOn: string;
  repairOn: string;
  failureCode: string;
  ticketId?: string | null;
  lines: readonly ClaimLineInput[];
}

/** The input as checked, with the problems found so far; nothing is read yet. */
export interface CheckedFiling {
  checks: InputChecks<WarrantyErrorCode>;
  key: string | null;
  /** Whose claim it is: the DEALER's own, or the one staff named. */
  dealerId: string;
  /** Whether `dealerId` names a dealer the caller may file for (so it is worth reading). */
  dealerNamed: boolean;
  unit: { by: "unitId" | "serialNumber"; value: string } | null;
  failureCode: string;
  ticketId: string | null;
  lines: CheckedClaimLine[];
  /** The input's fingerprint, kept with an idempotency key. */
  hash: string;
}

export function checkFiling(identity: Identity, input: FilingInput, latestPastDate: string): CheckedFiling {
  const checks = new InputChecks<WarrantyErrorCode>();
  const key = input.idempotencyKey == null ? null : checks.text(input.idempotencyKey, ["idempotencyKey"], MAX_IDEMPOTENCY_KEY);
  const errorsBeforeDealer = checks.errors.length;
  const dealerId = dealerToBook(checks, identity, input.dealerId, ["dealerId"]);
  const dealerNamed = checks.errors.length === errorsBeforeDealer;
  const unit = checkUnitReference(checks, input);
  checkClaimDates(checks, input.failureOn, input.repairOn, latestPastDate);
  const failureCode = checkFailureCode(checks, input.failureCode);
  const ticketId = checks.optionalText(input.ticketId, ["ticketId"], 64);
  const lines = checkClaimLines(checks, input.lines);
  return { checks, key, dealerId, dealerNamed, unit, failureCode, ticketId, lines, hash: inputHash(input) };
}

/** Whether a retry may look for the claim its idempotency key filed: the key and the dealer it is unique for are sound. */
export const mayLookUpKey = (filing: CheckedFiling): boolean =>
  filing.key !== null && filing.dealerNamed && !filing.checks.errors.some((e) => e.field?.[0] === "idempotencyKey");

/** The same key with another input: refused, whatever else is wrong. */
export function checkKeyReuse(filing: CheckedFiling, earlier: { number: string; inputHash: string | null } | null): void {
  if (earlier && earlier.inputHash !== filing.hash) {
    filing.checks.add(
      "IDEMPOTENCY_KEY_REUSED",
      `This idempotency key was used for claim ${earlier.number} with another input; use a new key for a new claim.`,
      ["idempotencyKey"],
    );
  }
}

/** Adds what is wrong with the unit and dealer a filing names (null: none found), and with the claim's currency for that dealer. */
export function checkUnitAndDealer(filing: CheckedFiling, unit: object | null, dealer: { currency: string } | null): void {
  const { checks, unit: reference } = filing;
  if (reference && !unit) checks.add("UNIT_NOT_FOUND", `No unit has the ${reference.by} \`${reference.value}\`.`, [reference.by]);
  if (filing.dealerNamed && !dealer) checks.add("DEALER_NOT_FOUND", `No dealer has the id \`${filing.dealerId}\`.`, ["dealerId"]);
  if (dealer) checkClaimCurrency(checks, filing.lines, dealer.currency);
}

/** Adds a refusal when the repair's ticket is about another unit than the claim. */
export function checkRepairTicket(
  filing: CheckedFiling,
  ticket: { number: string; unitId: string | null } | null,
  unit: { id: string; serialNumber: string } | null,
): void {
  if (ticket && unit && ticket.unitId !== unit.id) {
    filing.checks.add("TICKET_OF_ANOTHER_UNIT", `Ticket ${ticket.number} is not about the unit ${unit.serialNumber}; name the ticket of this repair.`, [
      "ticketId",
    ]);
  }
}

/** What adjudication rests on, read once the filing's records were found. */
export interface FilingFacts {
  /** The filer: its currency and labor rate price the claim; its authorization on the repair date decides what it may claim. */
  dealer: { currency: string; laborRate: string; workshopAuthorizedFrom: string | null; workshopAuthorizedUntil: string | null };
  /** The unit's product as the catalog announced it; null while its copy lacks it. */
  product: { repairStandards: readonly { failureCode: string; hours: number }[]; billOfMaterials: readonly { partId: string }[] } | null;
  /** The parts claimed, as the catalog lists them; null for one it does not. */
  parts: readonly ({ id: string; currency: string; listPrice: string } | null)[];
  /** Coverage on the failure date. */
  coverage: CoverageDecision;
  /** The number of an earlier claim for the same unit and failure date. */
  duplicateOf: string | null;
  repairOn: string;
}

export interface FilingDecision {
  lines: (CheckedClaimLine & { decision: LineDecision })[];
  outcome: ReturnType<typeof claimOutcome>;
  /** The repair's standard hours for the failure, when the product has some. */
  standardHours: number | null;
  /** The contract the claim counts against at once, and the hours it uses of it; null when it counts against none. */
  contractUsage: { contractId: string; hours: number } | null;
}

/** Adjudicates each line by the rules, and the claim from its lines. */
export function decideFiling(filing: CheckedFiling, facts: FilingFacts): FilingDecision {
  const { dealer, coverage, product } = facts;
  const standardHours = product?.repairStandards.find((standard) => standard.failureCode === filing.failureCode)?.hours ?? null;
  const decisions = adjudicateLines(filing.lines, {
    coverage,
    workshopAuthorized: workshopAuthorizedOn(dealer, facts.repairOn),
    duplicateOf: facts.duplicateOf,
    billOfMaterials: new Set(product?.billOfMaterials.map((line) => line.partId)),
    // A list price in another currency than the claim's prices nothing: an agent does.
    partListPrices: new Map(facts.parts.flatMap((part) => (part && part.currency === dealer.currency ? [[part.id, part.listPrice] as const] : []))),
    standardHours,
    laborRate: dealer.laborRate,
    currency: dealer.currency,
    // A contract's repairs happen on site: nothing rejects its travel.
    serviceMode: coverage.kind === "WARRANTY" ? (coverage.policy?.serviceMode ?? null) : null,
  });
  const lines = filing.lines.map((line, i) => {
    const decision = decisions[i];
    if (!decision) throw new Error(`line ${i + 1} was not adjudicated`);
    return { ...line, decision };
  });
  const outcome = claimOutcome(lines, dealer.currency);
  const contractId = contractToCharge(
    { coverageKind: coverage.kind, contractId: coverage.kind === "CONTRACT" ? (coverage.contract?.id ?? null) : null, ...outcome },
    [],
  );
  const contractUsage = contractId
    ? {
        contractId,
        hours: approvedLaborHours(
          lines.map((line) => ({ kind: line.kind, status: line.decision.status, hours: line.hours })),
          standardHours,
        ),
      }
    : null;
  return { lines, outcome, standardHours, contractUsage };
}

/** The claim as filed, and its lines, from the decision: what is written. */
export function filedClaim(
  filing: CheckedFiling,
  decision: FilingDecision,
  at: {
    number: string;
    unit: { id: string; productId: string };
    dealer: { currency: string };
    coverage: CoverageDecision;
    duplicateOf: string | null;
    failureOn: string;
    repairOn: string;
  },
) {
  const { outcome } = decision;
  const { currency } = at.dealer;
  const claim = {
    number: at.number,
    dealerId: filing.dealerId,
    unitId: at.unit.id,
    productId: at.unit.productId,
    ticketId: filing.ticketId,
    failureOn: at.failureOn,
    repairOn: at.repairOn,
    failureCode: filing.failureCode,
    status: outcome.status,
    currency,
    claimedTotal: outcome.claimedTotal,
    approvedTotal: outcome.approvedTotal,
    coverageKind: at.coverage.kind,
    contractId: at.coverage.kind === "CONTRACT" ? (at.coverage.contract?.id ?? null) : null,
    policyId: at.coverage.policy?.id ?? null,
    duplicateOf: at.duplicateOf,
    idempotencyKey: filing.key,
    inputHash: filing.hash,
    decidedAt: isDecided(outcome.status) ? new Date() : null,
    paidAt: null,
    paymentReference: null,
  };
  const lines = decision.lines.map((line, i) => ({
    lineNumber: i + 1,
    dealerId: filing.dealerId,
    kind: line.kind,
    partId: line.partId,
    quantity: line.quantity,
    hours: line.hours,
    km: line.km,
    currency,
    claimedAmount: line.claimedAmount,
    status: line.decision.status,
    approvedAmount: line.decision.approvedAmount,
    reason: line.decision.reason,
    explanation: line.decision.explanation,
    decidedBy: "rules" as const,
  }));
  return { claim, lines };
}
