import { addDays, type InputChecks } from "@aftersales/kit";
import { contractPrice, termEnd } from "./contracts.js";
import type { WarrantyErrorCode } from "./errors.js";

/**
 * Making a service contract, as decisions: when it may start, which plan
 * and units it may be made of, and the contract and its lines those make.
 * The resolver reads and writes; the rules live here.
 */

/** A contract starts at most a year back (one signed late for a term already running) and a year ahead. */
export function checkStartsOn(checks: InputChecks<WarrantyErrorCode>, startsOn: string, today: string): void {
  if (startsOn < addDays(today, -366)) checks.add("DATE_IN_PAST", "A contract starts at most a year back.", ["startsOn"]);
  if (startsOn > addDays(today, 366)) checks.add("OUT_OF_RANGE", "A contract starts at most a year ahead.", ["startsOn"]);
}

export interface PlanTerms {
  id: string;
  name: string;
  offered: boolean;
  priceSharePercent: number;
  termMonths: number;
  partsCovered: boolean;
  laborCovered: boolean;
  maxCases: number | null;
  maxLaborHours: number | null;
}

/** Adds a refusal when the plan named is unknown or retired. */
export function checkPlanOnOffer(checks: InputChecks<WarrantyErrorCode>, planId: string, plan: PlanTerms | null): void {
  if (planId && !plan) checks.add("PLAN_NOT_FOUND", `No contract plan has the id \`${planId}\`.`, ["planId"]);
  else if (plan && !plan.offered) checks.add("PLAN_NOT_OFFERED", `The plan ${plan.name} is retired; choose one on offer.`, ["planId"]);
}

/** A unit as the copy of the catalog knows it. */
export interface UnitFacts {
  id: string;
  serialNumber: string;
  dealerId: string | null;
  customerId: string | null;
  retiredOn: string | null;
  purchasePrice: string | null;
  currency: string | null;
}

export type ContractableUnit = UnitFacts & { purchasePrice: string; currency: string };

export const MAX_CONTRACT_UNITS = 50;

/** Whether a unit can go into a contract the dealer makes with the customer, as the caller (`own`: a DEALER's dealer) may see it. */
export const isContractable = (unit: UnitFacts, at: { own: string | null; dealerId: string; customerId: string }): boolean =>
  (at.own === null || unit.dealerId === at.own) &&
  unit.dealerId === at.dealerId &&
  unit.customerId === at.customerId &&
  unit.retiredOn === null &&
  unit.purchasePrice !== null;

/**
 * The units a contract covers, from those named (`known[i]` the copy's
 * record of `unitIds[i]`, null when it has none), each problem added at its
 * place in the list: another dealer's unit is answered like an unknown one.
 */
export function contractUnits(
  checks: InputChecks<WarrantyErrorCode>,
  unitIds: readonly string[],
  known: readonly (UnitFacts | null)[],
  at: { own: string | null; dealerId: string; customerId: string },
): ContractableUnit[] {
  if (unitIds.length < 1 || unitIds.length > MAX_CONTRACT_UNITS) checks.add("OUT_OF_RANGE", `A contract covers 1 to ${MAX_CONTRACT_UNITS} units.`, ["unitIds"]);
  const seen = new Set<string>();
  const units: ContractableUnit[] = [];
  for (const [i, unitId] of unitIds.entries()) {
    const field = ["unitIds", i];
    if (seen.has(unitId)) {
      checks.add("DUPLICATE_ENTRY", `The unit \`${unitId}\` is listed twice.`, field);
      continue;
    }
    seen.add(unitId);
    const unit = known[i];
    if (!unit || (at.own !== null && unit.dealerId !== at.own)) {
      checks.add("UNIT_NOT_FOUND", `No unit has the id \`${unitId}\`.`, field);
    } else if (unit.dealerId !== at.dealerId || unit.customerId !== at.customerId) {
      checks.add("UNIT_NOT_CUSTOMERS", `The unit ${unit.serialNumber} is not one the dealer sold to this customer.`, field);
    } else if (unit.retiredOn !== null) {
      checks.add("UNIT_RETIRED", `The unit ${unit.serialNumber} was retired on ${unit.retiredOn}; a contract could never cover it.`, field);
    } else if (unit.purchasePrice === null || unit.currency === null) {
      checks.add("UNIT_NOT_SOLD", `The unit ${unit.serialNumber} has no purchase price to price the contract from.`, field);
    } else {
      units.push({ ...unit, purchasePrice: unit.purchasePrice, currency: unit.currency });
    }
  }
  if (new Set(units.map((unit) => unit.currency)).size > 1) {
    checks.add("CURRENCY_MISMATCH", "The units were sold in different currencies; make one contract per currency.", ["unitIds"]);
  }
  return units;
}

/** The contract, a DRAFT priced from its units' purchase prices, and a line per unit with the plan's terms: what is written. */
export function draftContract(
  plan: PlanTerms,
  units: readonly [ContractableUnit, ...ContractableUnit[]],
  at: { number: string; dealerId: string; customerId: string; startsOn: string; idempotencyKey: string | null; inputHash: string | null },
) {
  const currency = units[0].currency;
  const price = contractPrice({
    priceSharePercent: plan.priceSharePercent,
    months: plan.termMonths,
    purchasePrices: units.map((u) => u.purchasePrice),
    currency,
  });
  const endsOn = termEnd(at.startsOn, plan.termMonths);
  const contract = {
    number: at.number,
    planId: plan.id,
    dealerId: at.dealerId,
    customerId: at.customerId,
    status: "DRAFT" as const,
    startsOn: at.startsOn,
    endsOn,
    price: price.total,
    currency,
    activatedAt: null,
    cancelledFrom: null,
    cancellationReason: null,
    refund: null,
    idempotencyKey: at.idempotencyKey,
    inputHash: at.inputHash,
  };
  const lines = units.map((unit, i) => ({
    unitId: unit.id,
    dealerId: at.dealerId,
    price: price.perUnit[i] ?? "0.00",
    status: "DRAFT" as const,
    startsOn: at.startsOn,
    endsOn,
    cancelledFrom: null,
    partsCovered: plan.partsCovered,
    laborCovered: plan.laborCovered,
    maxCases: plan.maxCases,
    maxLaborHours: plan.maxLaborHours,
    casesUsed: 0,
    laborHoursUsed: 0,
  }));
  return { contract, lines };
}
